package pacmatch

import (
	"reflect"
	"testing"
)

const tekton = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: only-event
  annotations:
    pipelinesascode.tekton.dev/on-event: "[push]"
spec:
  pipelineRef: {name: p}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: push-main
  annotations:
    pipelinesascode.tekton.dev/on-event: "[push]"
    pipelinesascode.tekton.dev/on-target-branch: "[main]"
spec:
  pipelineRef: {name: p}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: pr-any-
  annotations:
    pipelinesascode.tekton.dev/on-event: "[pull_request]"
    pipelinesascode.tekton.dev/on-target-branch: "[*]"
spec:
  pipelineRef: {name: p}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: tags
  annotations:
    pipelinesascode.tekton.dev/on-cel-expression: event == "push" && target_branch.startsWith("refs/tags/")
spec:
  pipelineRef: {name: p}
`

// PaC's own matcher decides: a run with only on-event never starts (pkg/matcher getTargetBranch).
func TestMatchUsesPaCRules(t *testing.T) {
	runs, err := Decode([]byte(tekton))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ev   Event
		want []string
	}{
		{Push("main"), []string{"push-main"}},
		{Push("dev"), nil},
		{PullRequest("main", "feature"), []string{"pr-any-"}},
		{Tag("v1.0"), []string{"tags"}},
	} {
		got, err := Match(runs, c.ev)
		if err != nil {
			t.Fatalf("%+v: %v", c.ev, err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: got %v, want %v", c.ev, got, c.want)
		}
	}
}
