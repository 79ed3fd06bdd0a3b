package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// convertedOutputs gathers the converters' golden output in this repository:
// each .tekton directory is one set, each upgrade case's expected.yaml is one, and
// each "=== path" section of the emitter's goldens is a file of one set.
func convertedOutputs(t *testing.T) map[string][]File {
	sets := map[string][]File{}
	filepath.Walk("..", func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		if info.IsDir() && (info.Name() == ".git" || info.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if info.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		switch {
		case filepath.Base(filepath.Dir(path)) == ".tekton" && strings.HasSuffix(path, ".yaml"):
			dir := filepath.Dir(filepath.Dir(path))
			sets[dir] = append(sets[dir], File{Path: path, Data: data})
		case filepath.Base(path) == "expected.yaml" && strings.Contains(filepath.ToSlash(path), "convert/upgrade/testdata/"):
			// Each upgrade golden case is one repository's worth of converted Tekton.
			sets[path] = append(sets[path], File{Path: path, Data: data})
		case strings.HasSuffix(path, ".golden") && bytes.HasPrefix(data, []byte("=== ")) && strings.Contains(path, "convert/pipeline"):
			for _, sec := range strings.Split("\n"+string(data), "\n=== ")[1:] {
				name, body, _ := strings.Cut(sec, "\n")
				sets[path] = append(sets[path], File{Path: path + ":" + name, Data: []byte(body)})
			}
		}
		return nil
	})
	return sets
}

// sortedOutputs is convertedOutputs with its set names in order; it skips the test
// when the checkout has no converter goldens.
func sortedOutputs(t *testing.T) (map[string][]File, []string) {
	sets := convertedOutputs(t)
	if len(sets) == 0 {
		t.Skip("no converter goldens in this checkout")
	}
	var names []string
	for n := range sets {
		names = append(names, n)
	}
	sort.Strings(names)
	return sets, names
}

// TestConvertedOutput: what the converters emit must have no error-level finding.
func TestConvertedOutput(t *testing.T) {
	sets, names := sortedOutputs(t)
	total := 0
	for _, n := range names {
		fs, errs := Run(sets[n])
		for _, err := range errs {
			t.Errorf("%v", err)
		}
		for _, f := range fs {
			total++
			if f.Severity == Error {
				t.Errorf("%s:%d: %s %s: %s", f.File, f.Line, f.Rule, f.Name, f.Message)
			}
		}
	}
	t.Logf("%d output sets, %d findings, none error-level", len(sets), total)
}
