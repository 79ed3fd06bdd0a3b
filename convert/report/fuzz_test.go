package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// FuzzRenderers: whatever paths, messages and actions hold, every renderer succeeds, and the
// JSON and SARIF reports parse as JSON and keep the message.
func FuzzRenderers(f *testing.F) {
	f.Add("a/.travis.yml", 3, "create the Secret", "kubectl create secret generic x", "a/.travis.yml:1: bad")
	f.Add("p|ipe`*.yaml", 0, "<b>**x**</b>\n| a | b |", "", "")
	f.Add("\x00\xff", -1, "\u2028\"quote\\", "$(x)", "e\x1b[31m")
	f.Fuzz(func(t *testing.T, path string, line int, msg, action, errMsg string) {
		o := &convert.Outcome{
			Source: convert.Source{Path: path, Kind: convert.KindTravis},
			Result: convert.Result{
				Files:    []convert.File{{Path: path + ".out", Data: []byte("apiVersion: tekton.dev/v1\nkind: Pipeline\n# " + msg + "\n")}},
				Findings: []convert.Finding{{File: path, Line: line, Class: convert.Manual, Rule: "r", Message: msg, Action: action}},
			},
			Changes: []convert.Change{{Path: path + ".out", Created: true}},
		}
		r := New(Options{Draw: true}, o)
		if errMsg != "" {
			r.Add(&convert.Outcome{Source: convert.Source{Path: path}, Err: errors.New(errMsg)})
		}
		var buf bytes.Buffer
		for _, render := range []func() error{
			func() error { return Text(&buf, r, TextOptions{}) },
			func() error { return Text(&buf, r, TextOptions{Colors: ANSI, SummaryOnly: true}) },
			func() error { return Markdown(&buf, r) },
		} {
			if err := render(); err != nil {
				t.Fatal(err)
			}
		}
		for _, render := range []func(*bytes.Buffer) error{
			func(b *bytes.Buffer) error { return JSON(b, r) },
			func(b *bytes.Buffer) error { return SARIF(b, r) },
		} {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(b.Bytes(), &v); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, b.Bytes())
			}
		}
	})
}
