package travis

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// corpusDir is ../shared/corpus/travis seen from the module root.
const corpusDir = "../../shared/corpus/travis"

func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(files) == 0 {
		t.Skip("corpus not present at " + corpusDir)
	}
	return files
}

// TestCorpus converts every corpus file; every document must pass Tekton validation
// and converting again must give the same bytes.
func TestCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, res := convertAs(t, f, filepath.Join("repo", ".travis.yml"))
			data := src.Data
			if len(res.Files) < 2 {
				t.Fatalf("want a Pipeline and PipelineRuns, got %d files", len(res.Files))
			}
			for _, out := range res.Files {
				if err := validate.Documents(out.Path, out.Data); err != nil {
					t.Errorf("%v", err)
				}
				for _, sec := range secureValues(t, data) {
					if bytes.Contains(out.Data, []byte(sec)) {
						t.Errorf("%s: copies an encrypted secure: value", out.Path)
					}
				}
			}
			bashCheck(t, res.Files)
			// the same conversion for a v1beta1 cluster (--to v1beta1) must validate too
			old, err := Converter{}.Convert(src, convert.Options{Placeholders: true, To: "v1beta1"})
			if err != nil {
				t.Fatalf("convert --to v1beta1: %v", err)
			}
			for _, out := range old.Files {
				if !bytes.Contains(out.Data, []byte("apiVersion: tekton.dev/v1beta1")) {
					t.Errorf("%s: not v1beta1", out.Path)
				}
				if err := validate.Documents(out.Path, out.Data); err != nil {
					t.Errorf("v1beta1: %v", err)
				}
			}
			again, err := Converter{}.Convert(src, convert.Options{Placeholders: true})
			if err != nil || len(again.Files) != len(res.Files) {
				t.Fatalf("second conversion differs: %v", err)
			}
			for i := range res.Files {
				if !bytes.Equal(res.Files[i].Data, again.Files[i].Data) {
					t.Errorf("%s: not deterministic", res.Files[i].Path)
				}
			}
			if os.Getenv("TRAVIS_DUMP") != "" {
				for _, out := range res.Files {
					p := filepath.Join(os.Getenv("TRAVIS_DUMP"), strings.TrimSuffix(filepath.Base(f), ".travis.yml"), filepath.Base(out.Path))
					os.MkdirAll(filepath.Dir(p), 0o755)
					os.WriteFile(p, out.Data, 0o644)
				}
			}
		})
	}
}

// secureValues finds every secure: value in a source with a plain node walk.
func secureValues(t *testing.T, data []byte) []string {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "secure" && len(n.Content[i+1].Value) > 8 {
					out = append(out, n.Content[i+1].Value[:8]+"")
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	return out
}

// bashCheck runs bash -n over every bash step script of the output (skipped without bash).
func bashCheck(t *testing.T, files []convert.File) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		return
	}
	for _, f := range files {
		dec := yaml.NewDecoder(bytes.NewReader(f.Data))
		for {
			var doc any
			if err := dec.Decode(&doc); err != nil {
				break
			}
			var scripts []string
			collectScriptBodies(doc, &scripts)
			for _, s := range scripts {
				// parameters reach scripts through env only (no script injection)
				for _, v := range []string{"$(params.", "$(tasks.", "$(workspaces.", "$(context."} {
					if strings.Contains(s, v) {
						t.Errorf("%s: a step script holds the Tekton variable %s...)", f.Path, v)
					}
				}
				if !strings.HasPrefix(s, "#!/usr/bin/env bash") {
					continue
				}
				cmd := exec.Command(bash, "-n")
				cmd.Stdin = strings.NewReader(s)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s: bash -n: %v\n%s\n--- script ---\n%s", f.Path, err, out, s)
				}
			}
		}
	}
}

func collectScriptBodies(v any, into *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "script" {
				*into = append(*into, s)
				continue
			}
			collectScriptBodies(e, into)
		}
	case []any:
		for _, e := range x {
			collectScriptBodies(e, into)
		}
	}
}

// BenchmarkCorpus converts every corpus file once per iteration (go test -bench Corpus
// -benchmem ./travis/; -memprofile shows where a conversion allocates).
func BenchmarkCorpus(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(files) == 0 {
		b.Skip("corpus not present at " + corpusDir)
	}
	var srcs []convert.Source
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, convert.Source{Path: filepath.Join("repo", ".travis.yml"), Data: data, Kind: convert.KindTravis})
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			if _, err := (Converter{}).Convert(src, convert.Options{Placeholders: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
