package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

var update = flag.Bool("update", false, "rewrite golden files")

const task = "apiVersion: tekton.dev/v1\nkind: Task\n# tkn-migrate: manual: check this (x:1)\n---\napiVersion: tekton.dev/v1\nkind: Pipeline\n"

func sample() *Report {
	return Build([]*convert.Outcome{
		{
			Source:  convert.Source{Path: "a/pipeline.yaml", Kind: convert.KindTekton},
			Result:  convert.Result{Files: []convert.File{{Path: "a/pipeline.yaml", Data: []byte(task)}}},
			Changes: []convert.Change{{Path: "a/pipeline.yaml"}},
		},
		{
			Source: convert.Source{Path: "b/.travis.yml", Kind: convert.KindTravis},
			Result: convert.Result{
				Files: []convert.File{{Path: "b/.tekton/pipeline.yaml", Data: []byte("apiVersion: tekton.dev/v1\nkind: Pipeline\n")}},
				Findings: []convert.Finding{
					{File: "b/.travis.yml", Line: 9, Class: convert.Manual, Rule: "travis/secure-env", Message: "create the Secret", Action: "kubectl create secret generic travis-env --from-literal=TOKEN=..."},
					{File: "b/.travis.yml", Line: 3, Col: 5, Class: convert.Approximated, Rule: "travis/cache", Message: "cache became an optional workspace"},
					{File: "b/.travis.yml", Line: 1, Class: convert.Converted, Rule: "travis/language", Message: "go"},
					{File: "b/.travis.yml", Line: 20, Class: convert.Unsupported, Rule: "travis/deploy", Message: "provider s3"},
				},
			},
			Changes: []convert.Change{{Path: "b/.tekton/pipeline.yaml", Created: true}},
		},
		{Source: convert.Source{Path: "c/bad.yaml", Kind: convert.KindTekton}, Err: errors.New("c/bad.yaml:3:4: mapping values are not allowed here")},
		{Source: convert.Source{Path: "d/ok.yaml", Kind: convert.KindTekton}},
	})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update):\n%s", path, got)
	}
}

func TestText(t *testing.T) {
	var buf bytes.Buffer
	if err := Text(&buf, sample(), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.txt", buf.Bytes())
	buf.Reset()
	if err := Text(&buf, sample(), TextOptions{Colors: ANSI, OmitErrors: true}); err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.ansi.txt", buf.Bytes())
}

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.json", buf.Bytes())
}

// TestTextEscapesControlCharacters: source text quoted in a finding, an action, a path or an
// error reaches the terminal with its control characters escaped, so a file can't send it
// escape sequences (retitle the window, clear the screen) or hide a line behind a carriage return.
func TestTextEscapesControlCharacters(t *testing.T) {
	rep := Build([]*convert.Outcome{
		{
			Source: convert.Source{Path: "a/\x1b[2J.travis.yml", Kind: convert.KindTravis},
			Result: convert.Result{Findings: []convert.Finding{{File: "a/\x1b[2J.travis.yml", Line: 3, Class: convert.Unsupported, Rule: "travis/unknown-key",
				Message: "k\x1b]0;title\a\x1b[31m is not a Travis key\rall good", Action: "echo \x1b[2J"}}},
		},
		{Source: convert.Source{Path: "b/x.yaml", Kind: convert.KindTekton}, Err: errors.New("b/x.yaml:1:1: bad \x1b[2J\x9b2J value")},
	})
	var buf bytes.Buffer
	if err := Text(&buf, rep, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "control.txt", buf.Bytes())
	for _, r := range buf.String() {
		if r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0 {
			t.Errorf("text report holds control character %U:\n%q", r, buf.String())
		}
	}
}
