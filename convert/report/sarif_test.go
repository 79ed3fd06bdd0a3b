package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
)

func TestSARIF(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, migration(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "sarif/migration.sarif", buf.Bytes())
	doc := checkSARIF(t, buf.Bytes())
	results := doc["runs"].([]any)[0].(map[string]any)["results"].([]any)
	if len(results) != 4 { // three manual, one unsupported; converted and approximated stay out
		t.Errorf("%d results, want 4", len(results))
	}
}

func TestSARIFEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, Build(nil)); err != nil {
		t.Fatal(err)
	}
	golden(t, "sarif/empty.sarif", buf.Bytes())
	checkSARIF(t, buf.Bytes())
}

// checkSARIF enforces what the SARIF 2.1.0 schema requires of the parts we emit:
// version and runs; tool.driver.name; rules with ids; results with a message, a
// valid level and ruleIndex, and physical locations with a URI and 1-based region;
// invocations with executionSuccessful.
func checkSARIF(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	fail := func(format string, args ...any) { t.Helper(); t.Errorf("SARIF: "+format, args...) }
	if doc["version"] != "2.1.0" {
		fail("version %v", doc["version"])
	}
	runs, ok := doc["runs"].([]any)
	if !ok || len(runs) == 0 {
		fail("runs must be a non-empty array")
		return doc
	}
	for _, r := range runs {
		run := r.(map[string]any)
		driver, _ := obj(run["tool"])["driver"].(map[string]any)
		if name, _ := driver["name"].(string); name == "" {
			fail("tool.driver.name is required")
		}
		rules, ok := driver["rules"].([]any)
		if !ok {
			fail("tool.driver.rules must be an array")
		}
		for _, rl := range rules {
			if id, _ := obj(rl)["id"].(string); id == "" {
				fail("rule without id")
			}
		}
		results, ok := run["results"].([]any)
		if !ok {
			fail("results must be an array")
		}
		for i, x := range results {
			res := obj(x)
			where := fmt.Sprintf("result %d", i)
			msg := obj(res["message"])
			if _, ok := msg["text"].(string); !ok {
				fail("%s: message.text is required", where)
			}
			switch res["level"] {
			case nil, "none", "note", "warning", "error":
			default:
				fail("%s: level %v", where, res["level"])
			}
			if idx, ok := res["ruleIndex"].(float64); ok {
				if int(idx) >= len(rules) || obj(rules[int(idx)])["id"] != res["ruleId"] {
					fail("%s: ruleIndex %v does not point at rule %v", where, idx, res["ruleId"])
				}
			}
			locs, _ := res["locations"].([]any)
			if len(locs) == 0 {
				fail("%s: no location", where)
			}
			for _, l := range locs {
				checkPhysical(t, where, obj(obj(l)["physicalLocation"]))
			}
		}
		for _, inv := range asList(run["invocations"]) {
			if _, ok := obj(inv)["executionSuccessful"].(bool); !ok {
				fail("invocation.executionSuccessful is required")
			}
			for _, n := range asList(obj(inv)["toolExecutionNotifications"]) {
				if _, ok := obj(obj(n)["message"])["text"].(string); !ok {
					fail("notification without message.text")
				}
			}
		}
	}
	return doc
}

func checkPhysical(t *testing.T, where string, pl map[string]any) {
	t.Helper()
	al := obj(pl["artifactLocation"])
	uri, _ := al["uri"].(string)
	if uri == "" {
		t.Errorf("SARIF: %s: artifactLocation.uri is required", where)
	} else if _, err := url.Parse(uri); err != nil {
		t.Errorf("SARIF: %s: uri %q: %v", where, uri, err)
	}
	if reg, ok := pl["region"]; ok {
		if line, _ := obj(reg)["startLine"].(float64); line < 1 {
			t.Errorf("SARIF: %s: region.startLine must be >= 1", where)
		}
		if col, ok := obj(reg)["startColumn"].(float64); ok && col < 1 {
			t.Errorf("SARIF: %s: region.startColumn must be >= 1", where)
		}
	}
}

func obj(x any) map[string]any {
	m, _ := x.(map[string]any)
	return m
}

func asList(x any) []any {
	l, _ := x.([]any)
	return l
}
