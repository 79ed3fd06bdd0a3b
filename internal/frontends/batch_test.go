package frontends

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
)

// TestCorpusBatch converts the whole corpus in one run on several workers, as platform
// teams do; under -race it shows the converters share no unsynchronised state.
func TestCorpusBatch(t *testing.T) {
	root := t.TempDir()
	files := corpustest.Files(t)
	corpusName := map[string]string{} // written path → corpus file name
	for _, f := range files {
		// One repository per file: the Tekton sets hold the same examples at several
		// versions, and names resolve within a repository (the directory holding .git).
		corpusName[f.WriteRepo(t, filepath.Join(root, f.Set, f.Name))] = f.Name
	}
	e := &convert.Engine{Converters: All(), Options: convert.Options{To: "v1", Placeholders: true}, Workers: 4}
	all, errs := e.Inputs([]string{root})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(all) != len(files) {
		t.Errorf("%d of %d corpus files detected as inputs", len(all), len(files))
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
		t.Fatalf("%d inputs from %d files, none converted", len(ins), len(files))
	}
	t.Logf("%d corpus files, %d inputs, %d converted in one batch", len(files), len(ins), converted)
}
