package jenkins

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/pacmatch"
	"github.com/tkn-migrate/tkn-migrate/lint"
)

// TestCorpusLint: lint finds no error and no workspace race (TKN601) in what the corpus converts
// to (concurrent branches and matrix cells each write their own directory), and every
// PipelineRun carries both on-event and on-target-branch, which PaC needs to match it.
func TestCorpusLint(t *testing.T) {
	var files, races, errs int
	for _, set := range []string{"jenkins-declarative", "jenkinsfile", "jenkins-xml"} {
		kind := convert.KindJenkinsfile
		if set == "jenkins-xml" {
			kind = convert.KindJenkinsXML
		}
		for _, f := range corpusFiles(t, set) {
			res, _, err := convertFile(t, f, kind)
			if err != nil || len(res.Files) == 0 {
				continue
			}
			files++
			var in []lint.File
			for _, o := range res.Files {
				in = append(in, lint.File{Path: o.Path, Data: o.Data})
				runs, err := pacmatch.Decode(o.Data)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range runs {
					a := r.GetAnnotations()
					if a["pipelinesascode.tekton.dev/on-event"] == "" || a["pipelinesascode.tekton.dev/on-target-branch"] == "" {
						t.Errorf("%s: run %s lacks on-event or on-target-branch (PaC needs both)", f, r.Name)
					}
				}
			}
			fs, lerrs := lint.Run(in)
			for _, e := range lerrs {
				t.Errorf("%s: %v", f, e)
			}
			for _, x := range fs {
				if x.Severity == lint.Error || x.Rule == "TKN601" {
					t.Errorf("%s:%d: %s %s: %s", x.File, x.Line, x.Rule, x.Name, x.Message)
					if x.Rule == "TKN601" {
						races++
					} else {
						errs++
					}
				}
			}
		}
	}
	t.Logf("%d converted files linted: %d errors, %d TKN601", files, errs, races)
}

// TestLintConcurrentWriters: TKN601 reports inline tasks that may run together and write one
// directory of a workspace, and a matrix task whose cells all write it (TestCorpusLint shows
// the converted corpus, which gives each its own directory, has none).
func TestLintConcurrentWriters(t *testing.T) {
	const racy = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: p
spec:
  workspaces:
    - name: source
  tasks:
    - name: fetch
      taskRef:
        name: git-clone
      workspaces:
        - name: output
          workspace: source
    - name: a
      runAfter: [fetch]
      workspaces:
        - name: source
          workspace: source
      taskSpec:
        workspaces:
          - name: source
        steps:
          - image: alpine
            script: git clean -dfx
    - name: b
      runAfter: [fetch]
      workspaces:
        - name: source
          workspace: source
      taskSpec:
        workspaces:
          - name: source
        steps:
          - image: alpine
            script: gradle clean build
    - name: m
      runAfter: [a, b]
      matrix:
        params:
          - name: X
            value: ["1", "2"]
      workspaces:
        - name: source
          workspace: source
      taskSpec:
        params:
          - name: X
        workspaces:
          - name: source
        steps:
          - image: alpine
            script: make
`
	fs, errs := lint.Run([]lint.File{{Path: "p.yaml", Data: []byte(racy)}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, f := range fs {
		if f.Rule == "TKN601" {
			got = append(got, fmt.Sprintf("%d: %s", f.Line, f.Message))
		}
	}
	want := []string{
		`29: tasks "a" and "b" of pipeline "p" may run at the same time and both write workspace "source" with no subPath between them: give each its own directory (subPath) or order them with runAfter`,
		`44: the cells of matrix task "m" of pipeline "p" run at the same time and all write workspace "source": give each its own directory (a subPath, and a working directory per cell)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
