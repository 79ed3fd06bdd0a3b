package travis

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

var recallPhases = map[string]bool{"before_install": true, "install": true, "before_script": true, "script": true,
	"before_cache": true, "after_success": true, "after_failure": true, "before_deploy": true, "after_deploy": true, "after_script": true}

type srcLine struct {
	text string
	// line is the command's own line; key and entry are the lines of its phase key and
	// of the enclosing jobs.include entry (0 at the root): a marker on any of them covers it.
	line, key, entry int
}

// sourceCommands reads command lines straight from the YAML, without the converter's decoder.
func sourceCommands(t *testing.T, data []byte) []srcLine {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []srcLine
	add := func(n *yaml.Node, key, entry int) {
		// skip and ignore turn a phase off; they are not commands
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Value == "skip" || n.Value == "ignore" {
			return
		}
		for i, l := range strings.Split(n.Value, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, srcLine{l, n.Line + i, key, entry})
			}
		}
	}
	entry := 0
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if depth > 20 {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind == yaml.AliasNode {
					v = v.Alias
				}
				if recallPhases[k.Value] {
					add(v, k.Line, entry)
					for _, e := range v.Content {
						add(e, k.Line, entry)
					}
					continue
				}
				if k.Value == "include" && v.Kind == yaml.SequenceNode {
					for _, e := range v.Content {
						entry = e.Line
						walk(e, depth+1)
					}
					entry = 0
					continue
				}
				walk(v, depth+1)
			}
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(&doc, 0)
	return out
}

var markerRe = regexp.MustCompile(`tkn-migrate: [a-z]+: .*\(([^():]+):(\d+)\)`)

// outputLines collects every step script line and every marker's source line.
func outputLines(t *testing.T, files []convert.File) (map[string]bool, map[string]bool) {
	lines, markers := map[string]bool{}, map[string]bool{}
	for _, f := range files {
		for _, m := range markerRe.FindAllStringSubmatch(string(f.Data), -1) {
			markers[m[2]] = true
		}
		dec := yaml.NewDecoder(bytes.NewReader(f.Data))
		for {
			var doc any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			collectScripts(doc, lines)
		}
	}
	return lines, markers
}

func collectScripts(v any, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "script" {
				for _, l := range strings.Split(s, "\n") {
					into[strings.TrimSpace(l)] = true
				}
				continue
			}
			collectScripts(e, into)
		}
	case []any:
		for _, e := range x {
			collectScripts(e, into)
		}
	}
}

// TestCommandRecall: every command line of every corpus file is in an output step
// script, or in a marker naming its line.
func TestCommandRecall(t *testing.T) {
	total, found, viaMarker := 0, 0, 0
	for _, f := range corpusFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Converter{}.Convert(convert.Source{Path: "repo/.travis.yml", Data: data}, convert.Options{Placeholders: true})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		lines, markers := outputLines(t, res.Files)
		for _, c := range sourceCommands(t, data) {
			total++
			if lines[c.text] || markers[itoa(c.line)] || markers[itoa(c.key)] || (c.entry > 0 && markers[itoa(c.entry)]) {
				found++
				if !lines[c.text] {
					viaMarker++
				}
				continue
			}
			t.Errorf("%s:%d: command %q is neither in a step script nor in a marker", filepath.Base(f), c.line, c.text)
		}
	}
	t.Logf("command recall: %d/%d lines (%d only through a marker)", found, total, viaMarker)
}
