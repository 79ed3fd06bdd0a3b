package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// plainRun is Run without convert/validate's verdicts.
func plainRun(files []File) ([]Finding, []error) {
	useVerdicts = false
	defer func() { useVerdicts = true }()
	return Run(files)
}

// verdictRuns lints files as the verdicts let lint do: cold (lint admits and remembers each
// pass), warm (the passes remembered), and as convert's lint of its output (each file
// validated first); each must equal the plain path. It returns how many Tekton documents
// the memo passed, which the warm and validated runs then did not admit.
func verdictRuns(t *testing.T, name string, files []File) int {
	t.Helper()
	want, wantErrs := plainRun(files)
	validate.ForgetVerdicts()
	cold, coldErrs := Run(files)
	warm, warmErrs := Run(files)
	passed := countPassed(files)
	validate.ForgetVerdicts()
	for _, f := range files {
		validate.Documents(f.Path, f.Data)
	}
	checked, checkedErrs := Run(files)
	for _, got := range []struct {
		how  string
		fs   []Finding
		errs []error
	}{{"cold", cold, coldErrs}, {"warm", warm, warmErrs}, {"validated", checked, checkedErrs}} {
		if !reflect.DeepEqual(got.fs, want) || fmt.Sprint(got.errs) != fmt.Sprint(wantErrs) {
			t.Errorf("%s, %s: with verdicts\n%s%v\nwithout\n%s%v", name, got.how, format(got.fs), got.errs, format(want), wantErrs)
		}
	}
	return passed
}

// countPassed is the number of Tekton documents of files whose text the memo passes.
func countPassed(files []File) int {
	n := 0
	for _, f := range files {
		docs, _ := yamldoc.Parse(f.Path, f.Data)
		for i, text := range docTexts(f.Data, docs) {
			if tekton(docs[i]) && validate.Passed(text) {
				n++
			}
		}
	}
	return n
}

// TestVerdictsExact: lint that skips admitting the documents convert/validate passed reports
// exactly what admitting them all reports, on the converters' goldens, every lint golden
// case, the corpus inputs, and the corpus converted as convert's lint of its output sees it.
func TestVerdictsExact(t *testing.T) {
	defer validate.ForgetVerdicts()
	passed, sets := 0, 0
	goldens, names := sortedOutputs(t)
	for _, n := range names {
		passed += verdictRuns(t, n, goldens[n])
		sets++
	}
	cases, _ := filepath.Glob("testdata/TKN*/*.yaml")
	dirs, _ := filepath.Glob("testdata/TKN*/*")
	for _, d := range dirs {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			cases = append(cases, d)
		}
	}
	sort.Strings(cases)
	for _, c := range cases {
		passed += verdictRuns(t, c, load(t, c))
		sets++
	}
	for _, f := range yamlFiles(t, corpusDir(t)) {
		passed += verdictRuns(t, f.Path, []File{f})
		sets++
	}
	if !testing.Short() { // converts the whole corpus
		_, outs := convertCorpus(t)
		for _, o := range outs {
			passed += verdictRuns(t, o[0].Path, o)
			sets++
		}
	}
	t.Logf("%d input sets, %d Tekton documents passed by the memo", sets, passed)
	if passed < 500 {
		t.Errorf("only %d documents passed by the memo: the verdicts are not used", passed)
	}
}

// FuzzVerdictsExact compares lint with and without the verdicts on one file, seeded with the
// streams where the document cut and yaml.v3 could disagree.
func FuzzVerdictsExact(f *testing.F) {
	task := "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine\n      script: |\n        echo hi\n"
	bad := strings.Replace(task, "name: s\n", "name: Bad_S\n", 1) // Tekton refuses the step name
	for _, s := range []string{
		task, bad, task + "---\n" + bad, bad + "---\n" + task, task + "...\n%YAML 1.2\n---\n" + bad,
		strings.ReplaceAll(task+"---\n"+bad, "\n", "\r"), strings.ReplaceAll(task+"---\n"+bad, "\n", "\r\n"),
		"--- |\n  x\n---\n" + task, "\ufeff" + task + "--- # c\n" + bad, strings.Replace(task, "echo hi", "echo hi\n---\n"+bad, 1),
		strings.Replace(bad, "name: t", "name: other", 1) + "---\n" + task, task + "\u2028---\u2028" + bad,
		strings.Replace(task, "kind: Task\nmetadata:\n  name: t", "metadata:\n  name: &k Task\nkind: *k", 1), // Tekton reads the alias, validate's type pick not
		strings.Replace(task, "echo hi", "echo 1.15.x", 1) + "---\n" + strings.Replace(bad, "image: alpine", "image: alpine\n      env: [{name: V, value: 1.15.x}]", 1),
	} {
		f.Add([]byte(s))
	}
	paths, _ := filepath.Glob("testdata/*/*.yaml")
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		verdictRuns(t, "f.yaml", []File{{Path: "f.yaml", Data: data}})
	})
}
