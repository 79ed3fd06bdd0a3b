package travis

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

var sourceComment = regexp.MustCompile(`(?m)^# .*$`)

// TestStripSourceComments: the fingerprint's byte scan empties exactly the lines the regexp it replaced did.
func TestStripSourceComments(t *testing.T) {
	for _, s := range []string{
		"", "#", "# ", "# a", "#a\n# b", "x\n# install (.travis.yml:3)\nmake\n", "# a\n\n# b\n", "a # b\n  # c\n",
		"# a\r\nb", "\n# ", "x\n#\n# y", "# é\n# \n",
	} {
		var got, want fpWriter
		got.stripped(s)
		stripped := sourceComment.ReplaceAllString(s, "")
		want.len(len(stripped))
		want.b = append(want.b, stripped...)
		if string(got.b) != string(want.b) {
			t.Errorf("stripped(%q) = %q, want %q", s, got.b, want.b)
		}
	}
}

// jsonFingerprint is the fingerprint before fingerprint.go: the JSON of the task without
// its comments and with its scripts' source comments stripped.
func jsonFingerprint(r rendered) string {
	strip := func(t *pipeline.Task) *pipeline.Task {
		if t == nil {
			return nil
		}
		c := *t
		c.Comments = nil
		c.Steps = append([]pipeline.Step{}, t.Steps...)
		for i := range c.Steps {
			c.Steps[i].Script = sourceComment.ReplaceAllString(c.Steps[i].Script, "")
		}
		return &c
	}
	b, _ := json.Marshal(strip(r.main))
	return string(b)
}

// TestFingerprintAgreesWithJSON renders every job of the corpus and golden inputs as
// group does and checks that fingerprint groups them exactly as the JSON encoding did.
func TestFingerprintAgreesWithJSON(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	golden, _ := filepath.Glob("testdata/*/.travis.yml")
	pairs := 0
	for _, f := range append(files, golden...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c, err := build(convert.Source{Path: filepath.Join("repo", ".travis.yml"), Data: data, Kind: convert.KindTravis})
		if err != nil {
			continue // bad inputs are the golden tests' business
		}
		var fps, jsons []string
		for _, j := range c.jobs {
			if !runsOnKubernetes(j) {
				continue
			}
			r := c.render(j, paramCell, j.mj.Stage, idPlaceholder)
			fps, jsons = append(fps, fingerprint(r)), append(jsons, jsonFingerprint(r))
		}
		for a := range fps {
			for b := range fps {
				pairs++
				if (fps[a] == fps[b]) != (jsons[a] == jsons[b]) {
					t.Errorf("%s: jobs %d and %d: fingerprints equal %v, JSON equal %v", f, a, b, fps[a] == fps[b], jsons[a] == jsons[b])
				}
			}
		}
	}
	if pairs < 1000 {
		t.Errorf("only %d pairs of jobs compared", pairs)
	}
}

// TestFingerprintFields: changing any string, bool or int of a rendered task, at any depth,
// changes its fingerprint, except the task's comments and source comments in scripts.
func TestFingerprintFields(t *testing.T) {
	data, err := os.ReadFile("testdata/implicit-services/.travis.yml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := build(convert.Source{Path: filepath.Join("repo", ".travis.yml"), Data: data, Kind: convert.KindTravis})
	if err != nil {
		t.Fatal(err)
	}
	r := c.render(c.jobs[0], paramCell, c.jobs[0].mj.Stage, idPlaceholder)
	r.main.Retries, r.main.Matrix = 1, &pipeline.Matrix{} // reach every type of the model
	base := fingerprint(r)
	leaves := 0
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), path+"[]")
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if f := v.Type().Field(i); path != "" || f.Name != "Comments" {
					walk(v.Field(i), path+"."+f.Name)
				}
			}
		case reflect.String, reflect.Bool, reflect.Int:
			old := reflect.ValueOf(v.Interface())
			switch v.Kind() {
			case reflect.String:
				v.SetString(v.String() + "x")
			case reflect.Bool:
				v.SetBool(!v.Bool())
			default:
				v.SetInt(v.Int() + 1)
			}
			if fingerprint(r) == base {
				t.Errorf("changing %s leaves the fingerprint as it was", path)
			}
			v.Set(old)
			leaves++
		}
	}
	walk(reflect.ValueOf(r.main), "")
	if fingerprint(r) != base || leaves < 50 {
		t.Fatalf("%d leaves changed; restored fingerprint equal: %v", leaves, fingerprint(r) == base)
	}
}
