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
// Each of those reads a value alone against its taskSpec's variables, or adds its references
// to a set. So on a taskSpec without a stepTemplate an entry with no valueFrom changes no
// verdict of Validate when its value has no "$", or repeats a value kept before in the
// taskSpec and has no "$(step" (a step's results or artifacts, which another step could read
// otherwise): AdmitCut drops such entries (keeping Env non-nil), and takes a pass of the cut
// object as the pass of the whole. A failure of the cut object is
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
	var undo []savedEnv
	for _, ts := range specs {
		undo = cutSpecEnv(ts, undo)
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

// savedEnv is a step's env before the cut.
type savedEnv struct {
	step *v1.Step
	env  []corev1.EnvVar
}

// cutSpecEnv drops from the steps of ts (none with a stepTemplate) the env entries Validate
// reads for nothing but being there, appending what it changed to undo.
func cutSpecEnv(ts *v1.TaskSpec, undo []savedEnv) []savedEnv {
	if ts.StepTemplate != nil {
		return undo
	}
	seen := map[string]bool{}
	for i := range ts.Steps {
		s := &ts.Steps[i]
		var kept []corev1.EnvVar
		for k, e := range s.Env {
			if !idleEnv(e, seen) {
				if kept != nil {
					kept = append(kept, e)
				}
				continue
			}
			if kept == nil {
				kept = append(make([]corev1.EnvVar, 0, len(s.Env)), s.Env[:k]...)
			}
		}
		if kept != nil {
			undo = append(undo, savedEnv{s, s.Env})
			s.Env = kept // non-nil, as s.Env was
		}
	}
	return undo
}

// idleEnv reports an entry that changes no verdict of Validate on its taskSpec: no valueFrom,
// and no "$" or a value seen (kept) before in the taskSpec with no "$(step" (a step's results or
// artifacts, which could read otherwise in another step). Every check that reads a value
// reads it alone, against the taskSpec's own variables, or adds its references to a set.
func idleEnv(e corev1.EnvVar, seen map[string]bool) bool {
	if e.ValueFrom != nil {
		return false
	}
	if !strings.Contains(e.Value, "$") {
		return true
	}
	if strings.Contains(e.Value, "$(step") {
		return false
	}
	if seen[e.Value] {
		return true
	}
	seen[e.Value] = true
	return false
}
