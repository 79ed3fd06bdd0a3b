package model

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
)

// corpusFiles lists the Jenkinsfiles of both corpus directories.
func corpusFiles(t testing.TB) []string {
	var files []string
	for _, sub := range []string{"jenkinsfile", "jenkins-declarative"} {
		d := corpustest.Sub(t, sub)
		ents, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			n := e.Name()
			if e.IsDir() || strings.HasSuffix(n, ".json") || n == "SOURCES.tsv" || strings.HasSuffix(n, ".md") {
				continue
			}
			files = append(files, filepath.Join(d, n))
		}
	}
	sort.Strings(files)
	return files
}

// TestCorpusParses: every corpus Jenkinsfile parses, and every pipeline {} file is declarative.
func TestCorpusParses(t *testing.T) {
	files := corpusFiles(t)
	kinds := map[Kind]int{}
	opaque := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(filepath.Base(path), src)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		kinds[f.Kind]++
		if strings.Contains(string(src), "\npipeline {") && f.Kind != Declarative {
			t.Errorf("%s: has pipeline { but parsed as %s", path, f.Kind)
		}
		if f.Kind == Declarative && len(f.Pipeline.Stages) == 0 {
			t.Errorf("%s: declarative without stages", path)
		}
		all := append([]*Step{}, f.Script.Stmts...)
		if f.Pipeline != nil {
			forStages(f.Pipeline.Stages, func(s *Stage) { all = append(all, s.Steps...) })
		}
		Walk(all, func(s *Step) bool {
			if s.Kind == Opaque {
				opaque++
				t.Logf("%s:%d: opaque %.60q", filepath.Base(path), s.Line, s.Raw)
			}
			return true
		})
	}
	t.Logf("%d files: %d declarative, %d scripted, %d opaque statements", len(files), kinds[Declarative], kinds[Scripted], opaque)
}

func forStages(stages []*Stage, fn func(*Stage)) {
	for _, s := range stages {
		fn(s)
		forStages(s.Parallel, fn)
		forStages(s.Stages, fn)
		if s.Matrix != nil {
			forStages(s.Matrix.Stages, fn)
		}
	}
}
