package upgrade

import (
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestOnePVCTemplateMarker: a run binding a task's other workspace to a volumeClaimTemplate
// can't share it with the resources' workspace, so the conversion says so where it binds it.
// (No golden: the output is knowingly left with two PVCs, which lint reports as an error.)
func TestOnePVCTemplateMarker(t *testing.T) {
	pipeline := `apiVersion: tekton.dev/v1beta1
kind: Pipeline
metadata:
  name: p
spec:
  workspaces:
    - name: shared
  resources:
    - {name: src, type: git}
  tasks:
    - name: build
      workspaces:
        - {name: w, workspace: shared}
      taskSpec:
        workspaces: [{name: w}]
        resources:
          inputs: [{name: src, type: git}]
        steps:
          - {name: s, image: "alpine:3.19", script: "ls $(resources.inputs.src.path)"}
      resources:
        inputs: [{name: src, resource: src}]
`
	run := `apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata:
  name: on-a-template
spec:
  pipelineRef:
    name: p
  workspaces:
    - name: shared
      volumeClaimTemplate:
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
  resources:
    - name: src
      resourceSpec: {type: git, params: [{name: url, value: "https://github.com/o/a"}]}
`
	for _, tc := range []struct{ name, input string }{
		{"same file", pipeline + "---\n" + run},
		{"embedded", strings.Replace(run, "  pipelineRef:\n    name: p\n", "  pipelineSpec:\n"+indent(pipeline[strings.Index(pipeline, "spec:\n")+6:], "  "), 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := New().Convert(convert.Source{Path: "input.yaml", Data: []byte(tc.input), Kind: convert.KindTekton}, convert.Options{})
			if err != nil {
				t.Fatal(err)
			}
			out := string(res.Files[0].Data)
			if err := validateOutput("input.yaml", res.Files[0].Data); err != nil {
				t.Fatal(err)
			}
			const msg = "task build also mounts workspace shared, bound to a volumeClaimTemplate too: two PVCs in one TaskRun fail under the default affinity assistant; bind shared to a persistentVolumeClaim (then give pipeline-resources the same claim with subPath pipeline-resources), or set coschedule: pipelineruns in ConfigMap feature-flags"
			var found []convert.Finding
			for _, f := range res.Findings {
				if f.Rule == "one-pvc" {
					found = append(found, f)
				}
			}
			if len(found) != 1 || found[0].Class != convert.Manual || found[0].Message != msg {
				t.Fatalf("one-pvc findings = %+v, want one manual: %s", found, msg)
			}
			want := "    - name: pipeline-resources # tkn-migrate: manual: " + msg + " (input.yaml:" + itoa(found[0].Line) + ")\n      volumeClaimTemplate:\n"
			if !strings.Contains(out, want) {
				t.Errorf("output lacks\n%s\ngot:\n%s", want, out)
			}
		})
	}
}

func indent(s, by string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "")
}
