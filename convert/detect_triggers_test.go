package convert

import "testing"

// Triggers files are Tekton input: left undetected, they were reported unchanged.
func TestDetectTriggers(t *testing.T) {
	cases := []struct {
		data string
		want Kind
	}{
		{"apiVersion: triggers.tekton.dev/v1alpha1\nkind: EventListener\n", KindTekton},
		{"apiVersion: \"triggers.tekton.dev/v1beta1\"\nkind: TriggerTemplate\n", KindTekton},
		{"apiVersion: tekton.dev/v1alpha1\nkind: TriggerBinding\n", KindTekton},
		{"apiVersion: mytriggers.tekton.dev/v1\nkind: X\n", KindUnknown},
	}
	for _, c := range cases {
		if got := Detect("t.yaml", []byte(c.data)); got != c.want {
			t.Errorf("%q: got %q, want %q", c.data, got, c.want)
		}
		if got := sniff([]byte(c.data)); got != c.want {
			t.Errorf("stdin %q: got %q, want %q", c.data, got, c.want)
		}
	}
	if n := CountTektonDocs([]byte("apiVersion: triggers.tekton.dev/v1beta1\n---\napiVersion: tekton.dev/v1\n")); n != 2 {
		t.Errorf("CountTektonDocs = %d, want 2", n)
	}
}

// A kustomization is Tekton input when its patches can name Tekton fields.
func TestDetectKustomization(t *testing.T) {
	cases := []struct {
		path, data string
		want       Kind
	}{
		{"overlays/prod/kustomization.yaml", "patches:\n  - target:\n      kind: PipelineRun\n    path: p.yaml\n", KindTekton},
		{"Kustomization", "patchesStrategicMerge:\n  - |\n    apiVersion: tekton.dev/v1beta1\n", KindTekton},
		{"kustomization.yaml", "resources:\n  - deployment.yaml\n", KindUnknown},
	}
	for _, c := range cases {
		if got := Detect(c.path, []byte(c.data)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.path, got, c.want)
		}
	}
}
