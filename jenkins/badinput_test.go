package jenkins

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/lint"
)

// TestBadInput: malformed Jenkinsfiles give path:line:col errors, never a panic.
func TestBadInput(t *testing.T) {
	cases := map[string]string{
		"unbalanced":   "pipeline {\n  agent any\n  stages {\n",
		"unterminated": "pipeline {\n  agent any\n  stages { stage('x') { steps { sh 'oops } } }\n}\n",
		"binary":       "\x00\x01\x02\x03PK\x03\x04\xff\xfe",
		"long line":    "node { sh '" + strings.Repeat("x", 1<<20) + "\n",
		"deep":         strings.Repeat("a {", 10000) + strings.Repeat("}", 10000),
	}
	for name, src := range cases {
		_, err := Converter{}.Convert(convert.Source{Path: "Jenkinsfile", Data: []byte(src), Kind: convert.KindJenkinsfile}, convert.Options{Placeholders: true})
		var pe *convert.PosError
		if err == nil || !errors.As(err, &pe) || pe.Line == 0 {
			t.Errorf("%s: want a path:line:col error, got %v", name, err)
		} else if !strings.HasPrefix(err.Error(), "Jenkinsfile:") {
			t.Errorf("%s: error %q does not start with the path", name, err)
		}
	}
}

// TestBadMapping: a malformed --mapping is a usage error naming the file.
func TestBadMapping(t *testing.T) {
	for _, m := range []map[string]any{
		{"steps": map[string]any{"x": map[string]any{"image": "i"}}},
		{"steps": map[string]any{"x": map[string]any{"task": "no-such-task"}}},
		{"steps": map[string]any{"x": map[string]any{"task": "maven", "image": "i", "script": "s"}}},
		{"stepz": map[string]any{}},
		{"steps": map[string]any{"x": map[string]any{"task": "maven", "workspaces": map[string]any{"source": "other"}}}},
	} {
		_, err := Converter{}.Convert(convert.Source{Path: "Jenkinsfile", Data: []byte("node { sh 'x' }"), Kind: convert.KindJenkinsfile},
			convert.Options{Mapping: m, MappingPath: "map.yaml"})
		if err == nil || !strings.HasPrefix(err.Error(), "map.yaml: mapping:") {
			t.Errorf("%v: got %v", m, err)
		}
	}
}

func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"pipeline { agent any\n stages { stage('a') { steps { sh 'make' } } } }",
		"node { stage('b') { sh \"echo ${env.BRANCH_NAME}\" }\n parallel a: { sh 'x' }, b: { dir('d') { sh 'y' } } }",
		"pipeline { agent none\n stages { stage('m') { matrix { axes { axis { name 'A'; values '1', '2' } }\n stages { stage('s') { steps { echo 'hi' } } } } } }\n post { always { sh 'z' } } }",
		"pipeline { agent any\n stages { stage('w') { when { anyOf { branch 'r/*'; not { tag 'v*' } } }\n steps { withCredentials([string(credentialsId: 'c', variable: 'V')]) { sh 'echo' } } } } }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Converter{}.Convert(convert.Source{Path: "Jenkinsfile", Data: data, Kind: convert.KindJenkinsfile}, convert.Options{Placeholders: true})
		if err != nil {
			var pe *convert.PosError
			if !errors.As(err, &pe) {
				// Emitter errors are programming errors: the converter must hand it valid models.
				t.Fatalf("non-positional error: %v", err)
			}
			return
		}
		// Whatever converts must be valid Tekton: the engine rejects the file otherwise.
		for _, f := range res.Files {
			if err := validate.Documents(f.Path, f.Data); err != nil {
				t.Fatalf("invalid output for %q: %v", data, err)
			}
		}
	})
}

// TestMatrixSplit: a matrix over Tekton's 256 cells per matrix task (real pipelines have 300
// and over 1,000) is split into matrix tasks of at most 256 cells that together list every
// cell once; the output is valid and lint finds no workspace race. Over 4,096 cells is refused.
func TestMatrixSplit(t *testing.T) {
	values := func(n int) string {
		v := make([]string, n)
		for i := range v {
			v[i] = fmt.Sprintf("'v%d'", i)
		}
		return strings.Join(v, ", ")
	}
	src := func(a, b, c int) string {
		return "pipeline {\n  agent any\n  stages {\n    stage('m') {\n      matrix {\n        axes {\n" +
			"axis { name 'X'; values " + values(a) + " }\naxis { name 'Y'; values " + values(b) + " }\naxis { name 'Z'; values " + values(c) + " }\n" +
			"        }\n        stages { stage('s') { steps { sh 'make' } } }\n        post { always { sh 'echo cell done' } }\n      }\n      post { failure { echo 'some cell failed' } }\n    }\n  }\n}\n"
	}
	for _, c := range []struct {
		a, b, c, tasks int
	}{{10, 10, 3, 2}, {16, 16, 4, 4}} {
		cells := c.a * c.b * c.c
		res, err := Converter{}.Convert(convert.Source{Path: "Jenkinsfile", Data: []byte(src(c.a, c.b, c.c)), Kind: convert.KindJenkinsfile}, convert.Options{Placeholders: true})
		if err != nil {
			t.Fatalf("%d cells: %v", cells, err)
		}
		var files []lint.File
		for _, f := range res.Files {
			if err := validate.Documents(f.Path, f.Data); err != nil {
				t.Errorf("%d cells: %v", cells, err)
			}
			files = append(files, lint.File{Path: f.Path, Data: f.Data})
		}
		p, _, err := Pipeline("Jenkinsfile", []byte(src(c.a, c.b, c.c)), convert.Options{Placeholders: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		tasks := 0
		for _, task := range p.Tasks {
			if task.Matrix == nil {
				continue
			}
			tasks++
			if len(task.Matrix.Include) > 256 {
				t.Errorf("%d cells: task %s has %d cells", cells, task.Name, len(task.Matrix.Include))
			}
			for _, in := range task.Matrix.Include {
				if seen[in.Name] {
					t.Errorf("%d cells: cell %s twice", cells, in.Name)
				}
				seen[in.Name] = true
			}
		}
		if len(seen) != cells || tasks != c.tasks {
			t.Errorf("%d cells: %d cells in %d matrix tasks, want %d in %d", cells, len(seen), tasks, cells, c.tasks)
		}
		found := false
		for _, f := range res.Findings {
			found = found || f.Rule == "jenkins/matrix-split"
		}
		if !found {
			t.Errorf("%d cells: no matrix-split finding", cells)
		}
		fs, _ := lint.Run(files)
		for _, f := range fs {
			if f.Severity == lint.Error || f.Rule == "TKN601" {
				t.Errorf("%d cells: lint %s: %s", cells, f.Rule, f.Message)
			}
		}
	}
	_, err := Converter{}.Convert(convert.Source{Path: "Jenkinsfile", Data: []byte(src(17, 17, 17)), Kind: convert.KindJenkinsfile}, convert.Options{Placeholders: true})
	want := "Jenkinsfile:5:7: matrix has 4913 cells, more than the 4096 tkn-migrate splits into matrix tasks of 256 (Tekton's default-max-matrix-combinations-count); split its axes over several matrix stages"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
