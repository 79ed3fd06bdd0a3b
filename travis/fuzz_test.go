package travis

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// FuzzTravis: no input panics; errors are positioned; output always passes Tekton validation.
func FuzzTravis(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/.travis.yml")
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	for _, p := range append(seeds, corpus...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("script: 5\n"))
	f.Add([]byte("- a\n"))
	f.Add([]byte("if: branch =~ (\nscript: [a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Converter{}.Convert(convert.Source{Path: "f/.travis.yml", Data: data}, convert.Options{Placeholders: true})
		if err != nil {
			if _, ok := err.(*convert.PosError); !ok {
				t.Fatalf("error without a position: %T %v", err, err)
			}
			return
		}
		for _, out := range res.Files {
			if err := validate.Documents(out.Path, out.Data); err != nil {
				t.Fatalf("invalid output for %q: %v", data, err)
			}
		}
	})
}
