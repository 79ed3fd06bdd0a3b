package validate

import (
	"context"
	"strings"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	corev1 "k8s.io/api/core/v1"
	"knative.dev/pkg/apis"
)

// Tekton v1.15.0 compiles a regexp for every string of a step it checks, once per variable
// prefix, and generated steps carry many plain env values (a Travis step about fifteen): most
// of a Pipeline's admission. A step's env entry is read by Validate only
//   - for its Value, by patterns that all begin with a literal "$(" (substitution's
//     brace-matching, entire-variable and array-indexing patterns, VariableSubstitutionRegex
//     for result references, the artifact patterns and their "$(" literals);
//   - as "is Env nil" (env beside a StepAction ref);
//   - through a stepTemplate's strategic merge, keyed by name.
//
// So an entry with no valueFrom and no "$" in its value changes no verdict of Validate on a
// taskSpec without a stepTemplate: admitCut drops such entries (keeping Env non-nil), and
// takes a pass of the cut object as the pass of the whole. A failure of the cut object is
// never reported: the whole object, restored, is validated again for Tekton's own words.

// AdmitCut is Admit, with the plain env values of a v1 Pipeline's or Task's steps left out
// of Validate when that can change no verdict (see above); it returns what Admit returns.
func AdmitCut(obj Object) *apis.FieldError {
	generatedName(obj)
	ctx := context.Background()
	obj.SetDefaults(ctx)
	if restore := cutEnv(obj); restore != nil {
		fe := obj.Validate(ctx)
		restore()
		if fe == nil {
			return nil
		}
	}
	return obj.Validate(ctx)
}

// cutEnv drops the plain env entries of obj's steps in place; the func puts them back (nil:
// nothing was dropped).
func cutEnv(obj Object) func() {
	var specs []*v1.TaskSpec
	switch o := obj.(type) {
	case *v1.Pipeline:
		for _, ts := range [][]v1.PipelineTask{o.Spec.Tasks, o.Spec.Finally} {
			for i := range ts {
				if ts[i].TaskSpec != nil {
					specs = append(specs, &ts[i].TaskSpec.TaskSpec)
				}
			}
		}
	case *v1.Task:
		specs = append(specs, &o.Spec)
	default:
		return nil
	}
	type saved struct {
		step *v1.Step
		env  []corev1.EnvVar
	}
	var undo []saved
	for _, ts := range specs {
		if ts.StepTemplate != nil {
			continue
		}
		for i := range ts.Steps {
			s := &ts.Steps[i]
			if kept, cut := plainEnvCut(s.Env); cut {
				undo = append(undo, saved{s, s.Env})
				s.Env = kept
			}
		}
	}
	if undo == nil {
		return nil
	}
	return func() {
		for _, u := range undo {
			u.step.Env = u.env
		}
	}
}

// plainEnvCut is env without its plain entries (non-nil when env is); false when it has none.
func plainEnvCut(env []corev1.EnvVar) ([]corev1.EnvVar, bool) {
	n := 0
	for _, e := range env {
		if plainEnv(e) {
			n++
		}
	}
	if n == 0 {
		return env, false
	}
	kept := make([]corev1.EnvVar, 0, len(env)-n)
	for _, e := range env {
		if !plainEnv(e) {
			kept = append(kept, e)
		}
	}
	return kept, true
}

// plainEnv is an entry Validate reads for nothing but being there: no valueFrom, no "$".
func plainEnv(e corev1.EnvVar) bool {
	return e.ValueFrom == nil && !strings.Contains(e.Value, "$")
}
