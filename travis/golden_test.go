package travis

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden converts testdata/<case>/.travis.yml; the expected output is the
// .tekton/ directory beside it, plus findings.json for the report entries.
func TestGolden(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*/.travis.yml")
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, in := range cases {
		dir := filepath.Dir(in)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			// a case named no-placeholders runs with --no-placeholders
			opts := convert.Options{Placeholders: filepath.Base(dir) != "no-placeholders"}
			res, err := Converter{}.Convert(convert.Source{Path: in, Data: data, Kind: convert.KindTravis}, opts)
			if err != nil {
				t.Fatal(err)
			}
			bashCheck(t, res.Files)
			findings, _ := json.MarshalIndent(res.Findings, "", "  ")
			files := append(res.Files, convert.File{Path: filepath.Join(dir, "findings.json"), Data: append(findings, '\n')})
			if *update {
				os.RemoveAll(filepath.Join(dir, ".tekton"))
			}
			var want []string
			for _, f := range files {
				if err := validate.Documents(f.Path, f.Data); err != nil {
					t.Error(err)
				}
				want = append(want, f.Path)
				if *update {
					os.MkdirAll(filepath.Dir(f.Path), 0o755)
					if err := os.WriteFile(f.Path, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				got, err := os.ReadFile(f.Path)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if !bytes.Equal(got, f.Data) {
					t.Errorf("%s differs from the conversion (run go test -update and review the diff)", f.Path)
				}
			}
			// no stale expected files
			have, _ := filepath.Glob(filepath.Join(dir, ".tekton", "*"))
			have = append(have, filepath.Join(dir, "findings.json"))
			sort.Strings(have)
			sort.Strings(want)
			if len(have) != len(want) {
				t.Errorf("expected files %v, conversion gives %v", have, want)
			}
			// idempotence: converting again changes nothing
			again, err := Converter{}.Convert(convert.Source{Path: in, Data: data}, opts)
			if err != nil {
				t.Fatal(err)
			}
			for i := range again.Files {
				if !bytes.Equal(again.Files[i].Data, res.Files[i].Data) {
					t.Errorf("%s: second conversion differs", again.Files[i].Path)
				}
			}
		})
	}
}
