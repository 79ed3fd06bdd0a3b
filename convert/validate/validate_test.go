package validate

import (
	"testing"
)

func TestDocuments(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"valid task", `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  steps:
    - name: s
      image: alpine:3.20
      script: echo hi
`, ""},
		{"generateName stands in for name", `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  generateName: run-
spec:
  taskRef:
    name: t
`, ""},
		{"no name at all", `apiVersion: tekton.dev/v1
kind: TaskRun
spec:
  taskRef:
    name: t
`, `in.yaml:1:1: TaskRun "" fails Tekton validation: invalid resource name "": must be a valid DNS label: metadata.name`},
		{"v1beta1 CustomRun is Tekton's own kind", `apiVersion: tekton.dev/v1beta1
kind: CustomRun
metadata:
  name: r
spec:
  customRef:
    apiVersion: example.dev/v1alpha1
    kind: Example
    name: e
  podTemplate: {}
`, `in.yaml:1:1: CustomRun "r" fails Tekton validation: json: unknown field "podTemplate"`},
		{"CustomRun names its custom task's kind", `apiVersion: tekton.dev/v1beta1
kind: CustomRun
metadata:
  name: r
spec:
  customSpec:
    apiVersion: example.dev/v1alpha1
`, `in.yaml:7:5: CustomRun "r" fails Tekton validation: missing field(s): spec.customSpec.kind`},
		{"plain on is a YAML 1.1 bool for kubectl", `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  steps:
    - name: s
      image: alpine:3.20
      env:
        - name: GO111MODULE
          value: on
`, `in.yaml:1:1: Task "t" fails Tekton validation: json: cannot unmarshal bool into Go struct field EnvVar.spec.steps.env.value of type string`},
		{"positioned at the field Tekton names", `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: p
spec:
  tasks:
    - name: ok
      taskRef: {name: a}
    - name: Not_A_Label
      taskRef: {name: b}
`, `in.yaml:9:13: Pipeline "p" fails Tekton validation: invalid value "Not_A_Label": spec.tasks[1].name
Pipeline Task name must be a valid DNS Label.For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names`},
		{"block scalar with an indentation indicator is read from its own bytes", `# lead comment
---
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  steps:
    - name: sh
      image: alpine:3.20
      script: |2
                  cat <<'EOT'
          text
        EOT
`, ""},
		{"triggers kinds are checked by the Triggers module", `apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: tt
spec:
  params:
    - name: rev
`, `in.yaml:6:3: TriggerTemplate "tt" fails Tekton validation: missing field(s): spec.resourcetemplates`},
		{"not tekton passes", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n", ""},
		{"unknown field", `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  bogus: 1
  steps:
    - name: s
      image: alpine:3.20
`, `in.yaml:1:1: Task "t" fails Tekton validation: json: unknown field "bogus"`},
		{"second document invalid", `apiVersion: v1
kind: ConfigMap
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: p
spec:
  tasks: []
`, `in.yaml:9:3: Pipeline "p" fails Tekton validation: expected at least one, got none: spec.description, spec.params, spec.resources, spec.tasks, spec.workspaces`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Documents("in.yaml", []byte(tt.in))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Fatalf("got %q\nwant %q", got, tt.wantErr)
			}
		})
	}
}
