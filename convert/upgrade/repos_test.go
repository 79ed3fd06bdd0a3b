package upgrade

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
)

// repoFile is a corpus file placed where its repository holds it (SOURCES.tsv).
type repoFile struct {
	repo string
	src  convert.Source
}

// corpusRepos reads the Tekton corpus sets back into their repositories' layouts.
func corpusRepos(t *testing.T) map[string][]repoFile {
	c := corpustest.Dir(t)
	tsv, err := os.ReadFile(filepath.Join(c, "SOURCES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]bool{"tekton-v1alpha1": true, "tekton-v1beta1": true, "catalog": true, "stepaction": true}
	out := map[string][]repoFile{}
	for _, l := range strings.Split(strings.TrimSpace(string(tsv)), "\n")[1:] {
		f := strings.Split(l, "\t")
		if len(f) < 5 || !sets[f[0]] || !convert.IsYAML(f[4]) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(c, f[4]))
		if err != nil {
			t.Fatal(err)
		}
		out[f[1]] = append(out[f[1]], repoFile{f[1], convert.Source{Path: f[2], Data: data, Kind: convert.KindTekton, Scope: f[1]}})
	}
	for _, fs := range out {
		sort.Slice(fs, func(i, j int) bool { return fs[i].src.Path < fs[j].src.Path })
	}
	return out
}

// The Tekton corpus converted a repository at a time, as users run it, gives no error:
// the same kind and name defined twice (examples/v1alpha1 beside examples/v1beta1, a
// catalog Task at several versions) resolves by proximity.
func TestCorpusByRepository(t *testing.T) {
	repos := corpusRepos(t)
	names := make([]string, 0, len(repos))
	for r := range repos {
		names = append(names, r)
	}
	sort.Strings(names)
	files, errs, ambiguous := 0, 0, 0
	for _, r := range names {
		c := New()
		for _, f := range repos[r] {
			if err := c.Index(f.src); err != nil {
				t.Errorf("index %s/%s: %v", r, f.src.Path, err)
				errs++
			}
		}
		for _, f := range repos[r] {
			files++
			res, err := c.Convert(f.src, convert.Options{})
			if err != nil {
				t.Errorf("%s/%s: %v", r, f.src.Path, err)
				errs++
				continue
			}
			if err := validateOutput(f.src.Path, res.Files[0].Data); err != nil {
				t.Errorf("%s/%s: output fails validation: %v", r, f.src.Path, err)
				errs++
			}
			for _, fd := range res.Findings {
				if fd.Rule == "ambiguous-reference" {
					ambiguous++
					t.Logf("%s/%s:%d: %s", r, f.src.Path, fd.Line, fd.Message)
				}
			}
		}
	}
	t.Logf("%d repositories, %d files: %d errors, %d ambiguous references", len(names), files, errs, ambiguous)
}
