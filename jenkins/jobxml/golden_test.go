package jobxml

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

var update = flag.Bool("update", false, "rewrite golden files")

// render converts one config.xml and returns output files (paths relative to the case) plus findings.
func render(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "config.xml"))
	if err != nil {
		t.Fatal(err)
	}
	job, err := Convert(filepath.Join(filepath.Base(dir), "config.xml"), data, convert.Options{Placeholders: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	if job.Pipeline != nil && job.Script == "" {
		files, err := pipeline.Emit(".", job.Pipeline, convert.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := validate.Documents(f.Path, f.Data); err != nil {
				t.Error(err)
			}
			got[f.Path] = f.Data
		}
	}
	var b bytes.Buffer
	for _, f := range job.Findings {
		fmt.Fprintf(&b, "%s:%d: %s %s: %s\n", f.File, f.Line, f.Class, f.Rule, f.Message)
		if f.Action != "" {
			fmt.Fprintf(&b, "\taction: %s\n", f.Action)
		}
	}
	if job.Script != "" {
		fmt.Fprintf(&b, "inline script:\n%s\n", strings.TrimLeft(job.Script, "\n"))
	}
	got["findings.txt"] = b.Bytes()
	return got
}

func TestGolden(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*/config.xml")
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, c := range cases {
		dir := filepath.Dir(c)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := render(t, dir)
			exp := filepath.Join(dir, "expected")
			if *update {
				os.RemoveAll(exp)
				for p, data := range got {
					path := filepath.Join(exp, p)
					os.MkdirAll(filepath.Dir(path), 0o755)
					if err := os.WriteFile(path, data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			var want []string
			filepath.Walk(exp, func(p string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					rel, _ := filepath.Rel(exp, p)
					want = append(want, rel)
				}
				return nil
			})
			if len(want) != len(got) {
				t.Errorf("got %d files, golden has %d (run with -update)", len(got), len(want))
			}
			for _, rel := range want {
				w, _ := os.ReadFile(filepath.Join(exp, rel))
				if g, ok := got[rel]; !ok {
					t.Errorf("%s: not produced", rel)
				} else if !bytes.Equal(g, w) {
					t.Errorf("%s differs from golden:\n--- got\n%s\n--- want\n%s", rel, g, w)
				}
			}
		})
	}
}

// TestIdempotent: converting twice gives the same bytes.
func TestIdempotent(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*/config.xml")
	for _, c := range cases {
		a, b := render(t, filepath.Dir(c)), render(t, filepath.Dir(c))
		for p := range a {
			if !bytes.Equal(a[p], b[p]) {
				t.Errorf("%s %s: second run differs", c, p)
			}
		}
	}
}
