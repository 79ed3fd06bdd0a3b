package jenkins

import (
	"errors"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
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

// TestMatrixTooBig: Tekton refuses a matrix of more than 256 cells; the error points at the matrix.
func TestMatrixTooBig(t *testing.T) {
	axis := func(name string) string {
		return "axis { name '" + name + "'; values 'a', 'b', 'c', 'd', 'e', 'f', 'g' }\n"
	}
	src := "pipeline {\n  agent any\n  stages {\n    stage('m') {\n      matrix {\n        axes {\n" +
		axis("X") + axis("Y") + axis("Z") +
		"        }\n        stages { stage('s') { steps { sh 'make' } } }\n      }\n    }\n  }\n}\n"
	_, err := Converter{}.Convert(convert.Source{Path: "Jenkinsfile", Data: []byte(src), Kind: convert.KindJenkinsfile}, convert.Options{Placeholders: true})
	want := "Jenkinsfile:5:7: matrix has 343 cells, over Tekton's limit of 256 (default-max-matrix-combinations-count); split its axes over several matrix stages"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
