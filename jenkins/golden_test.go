package jenkins

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenInput finds a case's input: Jenkinsfile or config.xml.
func goldenInput(dir string) (string, convert.Kind) {
	if _, err := os.Stat(filepath.Join(dir, "config.xml")); err == nil {
		return "config.xml", convert.KindJenkinsXML
	}
	return "Jenkinsfile", convert.KindJenkinsfile
}

// renderCase converts testdata/<case>/<input> (with mapping.yaml if present) and returns the
// output files and a findings listing, keyed by path relative to the case.
func renderCase(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	name, kind := goldenInput(dir)
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	opts := convert.Options{Placeholders: true}
	if m, err := os.ReadFile(filepath.Join(dir, "mapping.yaml")); err == nil {
		var mm map[string]any
		if err := yaml.Unmarshal(m, &mm); err != nil {
			t.Fatal(err)
		}
		opts.Mapping, opts.MappingPath = mm, "mapping.yaml"
	}
	c := filepath.Base(dir)
	res, err := Converter{}.Convert(convert.Source{Path: filepath.Join(c, name), Data: data, Kind: kind}, opts)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, f := range res.Files {
		if err := validate.Documents(f.Path, f.Data); err != nil {
			t.Error(err)
		}
		rel, _ := filepath.Rel(c, f.Path)
		got[rel] = f.Data
	}
	var b bytes.Buffer
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "%s:%d: %s %s: %s\n", f.File, f.Line, f.Class, f.Rule, f.Message)
		if f.Action != "" {
			fmt.Fprintf(&b, "\taction: %s\n", f.Action)
		}
	}
	got["findings.txt"] = b.Bytes()
	return got
}

func goldenCases(t *testing.T) []string {
	var out []string
	for _, pat := range []string{"testdata/*/Jenkinsfile", "testdata/*/config.xml"} {
		m, _ := filepath.Glob(pat)
		for _, f := range m {
			out = append(out, filepath.Dir(f))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatal("no golden cases")
	}
	return out
}

// TestGolden compares each case's output with testdata/<case>/expected (go test -update rewrites it).
func TestGolden(t *testing.T) {
	for _, dir := range goldenCases(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := renderCase(t, dir)
			exp := filepath.Join(dir, "expected")
			if *update {
				os.RemoveAll(exp)
				for p, data := range got {
					path := filepath.Join(exp, p)
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			want := map[string][]byte{}
			filepath.Walk(exp, func(p string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					rel, _ := filepath.Rel(exp, p)
					want[rel], _ = os.ReadFile(p)
				}
				return nil
			})
			for p, w := range want {
				if g, ok := got[p]; !ok {
					t.Errorf("%s: not produced any more", p)
				} else if !bytes.Equal(g, w) {
					t.Errorf("%s differs from golden (go test -update to accept):\n--- got\n%s", p, g)
				}
			}
			for p := range got {
				if _, ok := want[p]; !ok {
					t.Errorf("%s: produced but not in golden", p)
				}
			}
		})
	}
}

// TestIdempotent: the same input converts to the same bytes every time.
func TestIdempotent(t *testing.T) {
	for _, dir := range goldenCases(t) {
		a, b := renderCase(t, dir), renderCase(t, dir)
		for p := range a {
			if !bytes.Equal(a[p], b[p]) {
				t.Errorf("%s %s: second run differs", dir, p)
			}
		}
	}
}
