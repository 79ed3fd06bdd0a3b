// Package corpustest gives tests the shared corpus (../shared/corpus beside the module), each
// file placed where a user's repository holds it; tests skip when the corpus is absent.
package corpustest

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Placement names a corpus file, by its set, the way a user's repository holds it.
var Placement = map[string]func(base string) string{
	"tekton-v1alpha1":     func(b string) string { return b },
	"tekton-v1beta1":      func(b string) string { return b },
	"travis":              func(string) string { return ".travis.yml" },
	"jenkinsfile":         func(string) string { return "Jenkinsfile" },
	"jenkins-declarative": func(string) string { return "Jenkinsfile" },
	"jenkins-xml":         func(string) string { return filepath.Join("job", "config.xml") },
}

// Dir is the corpus directory, absolute, found beside the module root above the test's
// directory; the test is skipped when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = up
	}
	corpus := filepath.Join(filepath.Dir(dir), "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("shared corpus not present:", corpus)
	}
	return corpus
}

// File is one corpus input.
type File struct {
	Set, Name string // corpus directory and file name
	Place     string // path inside the repository
	Data      []byte
}

// Files lists every corpus input, by set and name; the parser models (*.json) beside the
// Jenkins pipelines are test oracles, not inputs.
func Files(t testing.TB) []File {
	t.Helper()
	corpus := Dir(t)
	var files []File
	for _, set := range slices.Sorted(maps.Keys(Placement)) {
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
			files = append(files, File{Set: set, Name: e.Name(), Place: Placement[set](e.Name()), Data: data})
		}
	}
	return files
}

// WriteRepo writes f into the repository repo (marked by .git, as a checkout is) and
// returns the file's path.
func (f File) WriteRepo(t testing.TB, repo string) string {
	t.Helper()
	dst := filepath.Join(repo, f.Place)
	for _, d := range []string{filepath.Dir(dst), filepath.Join(repo, ".git")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(dst, f.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// Sub is the corpus set named sub; the test is skipped when it is absent.
func Sub(t testing.TB, sub string) string {
	t.Helper()
	d := filepath.Join(Dir(t), sub)
	if _, err := os.Stat(d); err != nil {
		t.Skipf("corpus %s absent", d)
	}
	return d
}
