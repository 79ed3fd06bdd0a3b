package upgrade

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
)

// Every Triggers file of the corpus upgrades to what tektoncd/triggers v0.34.0 serves and
// passes its validation; none is left at an old version.
func TestCorpusTriggers(t *testing.T) {
	c := corpustest.Dir(t)
	n := 0
	filepath.WalkDir(c, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !convert.IsYAML(p) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := splitDocs(p, data)
		if err != nil || !hasTriggers(docs) {
			return nil
		}
		n++
		rel, _ := filepath.Rel(c, p)
		res, err := New().Convert(convert.Source{Path: rel, Data: data}, convert.Options{})
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		out := res.Files[0].Data
		if err := validate.Documents(rel, out); err != nil {
			t.Errorf("%s: output fails validation: %v", rel, err)
		}
		if m := oldDocs(t, out); m != "" {
			t.Errorf("%s: output still has %s", rel, m)
		}
		after, _ := splitDocs(rel, out)
		for _, d := range after {
			if d.node == nil || !isTriggers(d.node) {
				continue
			}
			av, kind := apiVersionKind(d.node)
			want := "triggers.tekton.dev/v1beta1"
			if strings.HasSuffix(kind, "Interceptor") {
				want = "triggers.tekton.dev/v1alpha1"
			}
			if av != want {
				t.Errorf("%s: %s left at %s", rel, kind, av)
			}
			if kind == "TriggerTemplate" && strings.Contains(d.text, "$(params.") {
				t.Errorf("%s: TriggerTemplate still uses $(params.X), which Triggers v0.8 and later leave alone", rel)
			}
		}
		return nil
	})
	if n == 0 {
		t.Fatal("no Triggers file in the corpus")
	}
	t.Logf("%d corpus Triggers files upgraded and valid", n)
}

func hasTriggers(docs []document) bool {
	for _, d := range docs {
		if d.node != nil && isTriggers(d.node) {
			return true
		}
	}
	return false
}

// Documents Triggers v0.34.0 serves as written come out byte-identical, with nothing to report.
func TestTriggersCurrentIdentical(t *testing.T) {
	in := `apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata:
  name: l
spec:
  triggers:
    - name: t   # keep
      interceptors:
        - ref: {name: cel}
          params:
            - name: filter
              value: "true"
      bindings:
        - {ref: b, kind: ClusterTriggerBinding}
        - name: x
          value: $(body.x)
      template:
        ref: tt
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata:
  name: tt
spec:
  params:
    - name: x
  resourcetemplates:
    - apiVersion: tekton.dev/v1
      kind: PipelineRun
      metadata:
        generateName: run-$(uid)-
      spec:
        pipelineRef: {name: p}
        params:
          - name: x
            value: $(tt.params.x)
---
apiVersion: triggers.tekton.dev/v1alpha1
kind: ClusterInterceptor
metadata:
  name: ci
spec:
  clientConfig:
    url: http://ci.example
`
	res, err := New().Convert(convert.Source{Path: "t.yaml", Data: []byte(in)}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Files[0].Data) != in || len(res.Findings) != 0 {
		t.Errorf("changed or reported:\n%s\n%s", res.Files[0].Data, formatFindings(res.Findings))
	}
	if err := validate.Documents("t.yaml", []byte(in)); err != nil {
		t.Fatal(err)
	}
}
