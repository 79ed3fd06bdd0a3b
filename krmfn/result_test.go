package krmfn

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The message a failed function's error carries, in framework.Result's format.
func TestResultsError(t *testing.T) {
	ref := &yaml.ResourceIdentifier{TypeMeta: yaml.TypeMeta{APIVersion: "tekton.dev/v1beta1", Kind: "Task"},
		NameMeta: yaml.NameMeta{Name: "build", Namespace: "ci"}}
	rs := Results{
		{Message: "cannot unmarshal bool", Severity: Error, ResourceRef: ref},
		{Message: "no resource"},
	}
	want := "[error] tekton.dev/v1beta1/Task/ci/build: cannot unmarshal bool\n\n[info]: no resource"
	if got := rs.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if rs.ExitCode() != 1 || rs[1:].ExitCode() != 0 {
		t.Errorf("ExitCode = %d, %d; want 1, 0", rs.ExitCode(), rs[1:].ExitCode())
	}
}
