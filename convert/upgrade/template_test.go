package upgrade

import (
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// A Helm template is reported as one unsupported finding at its first template line, not
// as a parse error or a wall of validation text; Go templating inside steps is no template.
func TestTemplates(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"control line", "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t\n{{- if .Values.labels }}\n  labels:\n{{ toYaml .Values.labels | indent 4 }}\n{{- end }}\nspec:\n  steps: []\n",
			`t.yaml:5:1 unsupported template: this file is a template, not YAML Tekton reads ("{{- if .Values.labels }}"): render it first (helm template, or the tool that fills it in) and convert the rendered output; the file was left as it is` + "\n"},
		{"unquoted value", "apiVersion: tekton.dev/v1beta1\nkind: Pipeline\nmetadata:\n  name: {{ .Release.Name }}-build\nspec:\n  tasks: []\n",
			`t.yaml:4:1 unsupported template: this file is a template, not YAML Tekton reads ("name: {{ .Release.Name }}-build"): render it first (helm template, or the tool that fills it in) and convert the rendered output; the file was left as it is` + "\n"},
		{"whole unquoted value", "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: x\nspec:\n  steps:\n    - image: {{ .Values.image }}\n",
			`t.yaml:7:14 unsupported template: this file is a template, not YAML Tekton reads ("- image: {{ .Values.image }}"): render it first (helm template, or the tool that fills it in) and convert the rendered output; the file was left as it is` + "\n"},
		{"quoted value", "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: x\n  namespace: \"{{ .Release.Namespace }}\"\nspec:\n  steps: []\n",
			`t.yaml:5:14 unsupported template: this file is a template, not YAML Tekton reads ("namespace: \"{{ .Release.Namespace }}\""): render it first (helm template, or the tool that fills it in) and convert the rendered output; the file was left as it is` + "\n"},
		{"envsubst names", "apiVersion: tekton.dev/v1alpha1\nkind: PipelineRun\nmetadata:\n  name: e2e\nspec:\n  pipelineRef:\n    name: ${PIPELINE_NAME}\n  serviceAccountName: ${APP_SERVICE_ACCOUNT}\n",
			`t.yaml:7:11 unsupported template: this file is a template, not YAML Tekton reads ("name: ${PIPELINE_NAME}"): render it first (helm template, or the tool that fills it in) and convert the rendered output; the file was left as it is` + "\n"},
		{"shell and old Tekton variables", "apiVersion: tekton.dev/v1alpha1\nkind: Task\nmetadata:\n  name: x\nspec:\n  inputs:\n    params:\n      - name: n\n  steps:\n    - name: ${inputs.params.n}\n      image: ubuntu\n      args: [-c, 'echo ${HOME}']\n      env:\n        - name: A\n          value: ${B}\n", ""},
		{"go template in a step", "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: x\nspec:\n  steps:\n    - image: docker\n      args: [inspect, --format, '{{.Id}}', '{{range .items}}{{end}}']\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := convert.Source{Path: "t.yaml", Data: []byte(c.in)}
			conv := New()
			if err := conv.Index(src); err != nil {
				t.Fatal(err)
			}
			res, err := conv.Convert(src, convert.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, f := range res.Findings {
				if f.Class == convert.Unsupported {
					got += formatFindings([]convert.Finding{f})
				}
			}
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if c.want != "" && len(res.Files) != 0 {
				t.Errorf("a template got output files: %v", res.Files)
			}
		})
	}
}
