package lint

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update):\n%s", path, got)
	}
}

// format prints findings one per line, as the goldens hold them.
func format(fs []Finding) []byte {
	var b bytes.Buffer
	for _, f := range fs {
		pos := fmt.Sprintf("%s:%d", f.File, f.Line)
		if f.Col > 0 {
			pos += fmt.Sprintf(":%d", f.Col)
		}
		fmt.Fprintf(&b, "%s: %s %s/%s: %s\n", pos, f.Severity, f.Rule, f.Name, f.Message)
		if f.Action != "" {
			fmt.Fprintf(&b, "    run: %s\n", f.Action)
		}
	}
	return b.Bytes()
}

// load reads a case: one YAML file, or every YAML file of a directory.
func load(t *testing.T, path string) []File {
	t.Helper()
	var paths []string
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		paths, _ = filepath.Glob(filepath.Join(path, "*.yaml"))
		sort.Strings(paths)
	} else {
		paths = []string{path}
	}
	var files []File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Path: filepath.ToSlash(p), Data: data})
	}
	return files
}

// TestRules runs each testdata/<RULE-name>/{positive,negative} case and keeps the
// findings of that rule. A positive case must find something, a negative case nothing.
func TestRules(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/TKN*")
	seen := map[string]bool{}
	for _, dir := range dirs {
		id, _, _ := strings.Cut(filepath.Base(dir), "-")
		seen[id] = true
		for _, c := range []string{"positive", "negative"} {
			t.Run(filepath.Base(dir)+"/"+c, func(t *testing.T) {
				path := filepath.Join(dir, c)
				if _, err := os.Stat(path); err != nil {
					path += ".yaml"
				}
				all, errs := Run(load(t, path))
				if len(errs) > 0 {
					t.Fatal(errs)
				}
				var fs []Finding
				for _, f := range all {
					if f.Rule == id {
						fs = append(fs, f)
					}
				}
				if (c == "positive") != (len(fs) > 0) {
					t.Errorf("%s: %d findings of %s", c, len(fs), id)
				}
				golden(t, filepath.Join(dir, c+".golden"), format(fs))
			})
		}
	}
	for _, r := range Rules {
		if !seen[r.ID] {
			t.Errorf("rule %s has no testdata", r.ID)
		}
	}
}

func TestBadFileDoesNotStopOthers(t *testing.T) {
	fs, errs := Run([]File{
		{Path: "bad.yaml", Data: []byte("kind: [\n")},
		{Path: "ok.yaml", Data: []byte("apiVersion: tekton.dev/v1alpha1\nkind: Task\nmetadata:\n  name: t\n")},
	})
	if len(errs) != 1 {
		t.Fatalf("errs: %v", errs)
	}
	if pe, ok := errs[0].(*convert.PosError); !ok || pe.Path != "bad.yaml" || pe.Line == 0 {
		t.Errorf("want a positioned error for bad.yaml, got %v", errs[0])
	}
	if len(fs) != 1 || fs[0].Rule != "TKN401" || fs[0].Line != 1 || !HasErrors(fs) {
		t.Errorf("findings: %s", format(fs))
	}
	c := fs[0].Convert()
	if c.Class != convert.Unsupported || c.Rule != "TKN401/leftover" || c.Action != "tkn-migrate convert -w ok.yaml" {
		t.Errorf("Convert: %+v", c)
	}
}

// corpusDir is the shared corpus seen from this package.
func corpusDir(t *testing.T) string {
	root := filepath.Join("..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		t.Skip("corpus absent")
	}
	return root
}

// TestCorpus lints each corpus directory as one input set: nothing may crash, and
// the old Tekton directories must show their leftovers.
func TestCorpus(t *testing.T) {
	root := corpusDir(t)
	for _, dir := range []string{"tekton-v1alpha1", "tekton-v1beta1", "catalog"} {
		var files []File
		filepath.Walk(filepath.Join(root, dir), func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, File{Path: path, Data: data})
			}
			return nil
		})
		fs, errs := Run(files)
		for _, err := range errs {
			t.Errorf("%v", err)
		}
		counts := map[string]int{}
		for _, f := range fs {
			counts[f.Rule]++
		}
		t.Logf("%s: %d files, %d findings %v", dir, len(files), len(fs), counts)
		if dir != "catalog" && counts["TKN401"] == 0 {
			t.Errorf("%s: no leftovers found in old Tekton YAML", dir)
		}
	}
}

func FuzzRun(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*/*.yaml")
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Run([]File{{Path: "f.yaml", Data: data}})
	})
}

// TestScale lints a Pipeline of 3000 tasks sharing one workspace: a chain, a fan
// and independent roots. Pairwise rules must stay near-linear in findings and time.
func TestScale(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: big\nspec:\n  workspaces:\n    - name: ws\n  tasks:\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "    - name: t%d\n      taskRef:\n        name: x\n      workspaces:\n        - name: ws\n", i)
		switch {
		case i > 0 && i < 1000: // a chain
			fmt.Fprintf(&b, "      runAfter: [t%d]\n", i-1)
		case i >= 1000 && i < 2000: // a fan after the chain
			b.WriteString("      runAfter: [t999]\n")
		}
		// 2000 and up: independent roots, each racing the others
	}
	fs, errs := Run([]File{{Path: "big.yaml", Data: []byte(b.String())}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	n := 0
	for _, f := range fs {
		if f.Rule == "TKN601" {
			n++
		}
	}
	if n < 1000 || n > 3000 {
		t.Errorf("%d race findings, want one per racing task", n)
	}
}
