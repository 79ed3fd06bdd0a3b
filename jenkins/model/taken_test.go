package model

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/jenkins/groovy"
)

// takenTraps put a `pipeline { stages { stage ... } }` where the model does not read a
// Pipeline's stages, or break the statements around taken stages: each must be built as
// the whole tree builds it.
var takenTraps = map[string]string{
	"second pipeline": "pipeline { agent any\n stages { stage('a') { steps { sh 'a' } } } }\n" +
		"pipeline { stages { stage('b') { steps { sh 'b' } } } }\n",
	"pipeline in if":      "if (x) {\n pipeline { stages { stage('a') { steps { sh 'a' } } } }\n}\n",
	"stages in if":        "pipeline {\n if (x) {\n  stages { stage('a') { steps { sh 'a' } } }\n }\n}\n",
	"two closures":        "pipeline {\n stages { stage('a') { steps { sh 'a' } } } { stage('b') { } }\n}\n",
	"broken stages":       "pipeline {\n stages { stage('a') { steps { sh 'a' } } } )\n}\n",
	"broken pipeline":     "pipeline {\n stages { stage('a') { steps { sh 'a' } } }\n} + ]\n",
	"pipeline call chain": "pipeline {\n stages { stage('a') { steps { sh 'a' } } }\n}.foo()\n",
	"two stages blocks": "pipeline {\n stages { stage('a') { steps { sh 'a' } } }\n" +
		" stages { stage('b') { steps { sh 'b' } }\n stage('c') { } } }\n",
	"library call": "def call() {\n pipeline {\n  stages { stage('a') { steps { library 'x@1'; sh 'a' } } }\n }\n}\n",
	"call and pipeline": "def call() {\n pipeline {\n  stages { stage('a') { steps { sh 'a' } } }\n }\n}\n" +
		"pipeline { stages { stage('b') { steps { sh 'b' } } } }\n",
	"in a closure":     "node { pipeline { stages { stage('a') { steps { sh 'a' } } } } }\n",
	"bad stage":        "pipeline {\n stages {\n  stage('a') { steps { sh 'a' } } ]\n  stage('b') { steps { sh 'b' } }\n }\n}\n",
	"not stages":       "pipeline {\n stages {\n  echo 'x'\n  stage('a') { steps { sh 'a' } }\n  parallel { }\n }\n}\n",
	"unclosed":         "pipeline {\n stages {\n  stage('a') { steps { sh 'a' } }\n",
	"comments":         "// head\npipeline { // p\n stages { // s\n  // a\n  stage('a') { steps { sh 'a' } } // after a\n  /* b */ stage('b') { steps { sh 'b' } }\n  // tail\n }\n}\n",
	"libraries around": "@Library('z') _\nlibrary 'y'\npipeline {\n stages { stage('a') { steps { library 'x' } } }\n}\nlibrary 'w'\n",
}

// takenInputs are the corpus Jenkinsfiles, the goldens' Jenkinsfiles, the model and parser
// test inputs and the traps.
func takenInputs(t *testing.T) map[string][]byte {
	in := map[string][]byte{}
	paths := corpusFiles(t)
	for _, g := range []string{"testdata/model/*.groovy", "../groovy/testdata/*/*.groovy", "../testdata/*/Jenkinsfile*"} {
		m, _ := filepath.Glob(g)
		paths = append(paths, m...)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		in[p] = b
	}
	for name, src := range takenTraps {
		in["trap: "+name] = []byte(src)
	}
	return in
}

// wholeTree is the model built from the whole syntax tree, as Parse did before ParseTaking.
func wholeTree(path string, src []byte) (*File, error) {
	g, err := groovy.Parse(path, src)
	if err != nil {
		return nil, err
	}
	return fromAST(g, true), nil
}

// TestTakenStagesExact: the model built from stages taken while parsing is the model of the
// whole tree (every field, and the same error) on every input; the taken path holds on most
// declarative files and gives way on every trap that misplaces a taken stage.
func TestTakenStagesExact(t *testing.T) {
	taken, n := 0, 0
	for name, src := range takenInputs(t) {
		n++
		got, ok, err := parseTaking(name, src)
		want, werr := wholeTree(name, src)
		if fmt.Sprint(err) != fmt.Sprint(werr) {
			t.Errorf("%s: error %v, whole tree %v", name, err, werr)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: model differs from the whole tree's:\n--- whole\n%s\n--- taken\n%s", name, Dump(want), Dump(got))
		}
		if ok {
			taken++
		}
		trap := strings.TrimPrefix(name, "trap: ")
		wantOK := map[string]bool{"two stages blocks": true, "library call": true, "bad stage": true,
			"not stages": true, "comments": true, "libraries around": true}
		if _, isTrap := takenTraps[trap]; isTrap && trap != name && err == nil && ok != wantOK[trap] {
			t.Errorf("%s: taken path held %v, want %v", name, ok, wantOK[trap])
		}
	}
	if n < 100 || taken < n/4 {
		t.Errorf("the taken path held on %d of %d inputs", taken, n)
	}
	t.Logf("taken path held on %d of %d inputs", taken, n)
}

// FuzzTakenStages: on any input the model from taken stages is the whole tree's.
func FuzzTakenStages(f *testing.F) {
	for _, src := range takenTraps {
		f.Add([]byte(src))
	}
	seeds, _ := filepath.Glob("testdata/model/*.groovy")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got, _, err := parseTaking("fuzz", src)
		want, werr := wholeTree("fuzz", src)
		if fmt.Sprint(err) != fmt.Sprint(werr) {
			t.Fatalf("error %v, whole tree %v", err, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("model differs:\n--- whole\n%s\n--- taken\n%s", Dump(want), Dump(got))
		}
	})
}
