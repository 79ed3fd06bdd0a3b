package frontends

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestCorpusBatch converts the whole corpus in one run on several workers, as platform
// teams do; under -race it shows the converters share no unsynchronised state.
func TestCorpusBatch(t *testing.T) {
	corpus := corpusDir(t)
	root := t.TempDir()
	n := 0
	corpusName := map[string]string{} // written path → corpus file name
	for set, name := range placement {
		entries, err := os.ReadDir(filepath.Join(corpus, set))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(corpus, set, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			// One repository per file: the Tekton sets hold the same examples at several
			// versions, and names resolve within a repository (the directory holding .git).
			repo := filepath.Join(root, set, e.Name())
			dst := filepath.Join(repo, name(e.Name()))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			corpusName[dst] = e.Name()
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	e := &convert.Engine{Converters: All(), Options: convert.Options{To: "v1", Placeholders: true}, Workers: 4}
	all, errs := e.Inputs([]string{root})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var ins []convert.Input
	for _, in := range all {
		if e.Converters[in.Kind] != nil && !strings.HasPrefix(expected[corpusName[in.Path]], "error") {
			ins = append(ins, in)
		}
	}
	converted := 0
	err := e.Run(ins, func(o *convert.Outcome) error {
		if o.Err != nil {
			t.Error(o.Err)
		} else {
			converted++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if converted == 0 {
		t.Fatalf("%d inputs from %d files, none converted", len(ins), n)
	}
	t.Logf("%d corpus files, %d inputs, %d converted in one batch", n, len(ins), converted)
}
