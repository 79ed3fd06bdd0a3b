package simulate

import (
	"testing"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	corev1 "k8s.io/api/core/v1"
)

// guardSpec is a when guard as jenkins/when.go writes it, after Tekton's substitution.
func guardSpec(condition string, env ...corev1.EnvVar) *v1.TaskSpec {
	return &v1.TaskSpec{Results: []v1.TaskResult{{Name: "run"}}, Steps: []v1.Step{{Name: "evaluate", Env: env,
		Script: "if " + condition + "; then run=true; else run=false; fi\necho \"stage Deploy \\\"x\\\" runs: $run\"\nprintf %s \"$run\" > \"/tekton/results/run\"\n"}}}
}

// TestGuard: only generated guards whose tests read their env run, and they decide
// their result the way sh does in the Pod.
func TestGuard(t *testing.T) {
	branch := func(v string) corev1.EnvVar { return corev1.EnvVar{Name: "BRANCH_NAME", Value: v} }
	for _, c := range []struct {
		cond, branch string
		want         string // "" when the guard is not run
	}{
		{`{ printf '%s' "$BRANCH_NAME" | grep -Eiqx 'main'; }`, "MAIN", "true"},
		{`{ printf '%s' "$BRANCH_NAME" | grep -Eiqx 'main'; }`, "PR-1", "false"},
		{`{ ! { [ "$BRANCH_NAME" = 'it'\''s' ]; } && [ -n "$BRANCH_NAME" ]; }`, "it's", "false"},
		{`{ { [ "$(printf '%s' "$BRANCH_NAME" | tr A-Z a-z)" = 'dev' ]; } || { false; }; }`, "Dev", "true"},
		{`{ printf '%s' "$BRANCH_NAME" | grep -Eqx 'release/.*'; }`, "release/1", "true"},
		// The workspace's files are not there offline.
		{`{ [ -e 'pom.xml' ]; }`, "main", ""},
		// Anything but the converter's tests never runs.
		{`{ touch x; }`, "main", ""},
		{`{ [ "$BRANCH_NAME" = "$(id)" ]; }`, "main", ""},
		{`{ [ "$BRANCH_NAME" = 'a' ] ; rm -r 'x' ; }`, "main", ""},
	} {
		got, ok := runGuard(guardSpec(c.cond, branch(c.branch)))
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("%s with BRANCH_NAME=%s: got %q, want %q", c.cond, c.branch, got, c.want)
		}
	}
	if _, ok := runGuard(guardSpec("true", corev1.EnvVar{Name: "X", ValueFrom: &corev1.EnvVarSource{}})); ok {
		t.Error("a guard reading a Secret ran")
	}
}
