package validate

import (
	"context"
	"crypto/sha256"
	"slices"
	"strings"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/runtime"
	"knative.dev/pkg/apis"
)

// A big tekton.dev/v1 Pipeline whose pieces are its spec.tasks (or spec.finally) is admitted
// one task at a time, never holding its whole typed object (12 bytes per byte of a generated
// Jenkinsfile): each task is decoded, defaulted and put through every check of Tekton
// v1.15.0's Pipeline.Validate that reads its steps or sidecars, then kept with those cut,
// and the Pipeline of cut tasks is validated whole. Only a pass is taken from this; any
// failure goes to the whole path, which gives Tekton's words and position.
//
// Why a pass here is Tekton's pass on the whole Pipeline:
//   - SetDefaults: PipelineSpec.SetDefaults defaults its params, then each task on its own
//     (PipelineTask.SetDefaults reads only the task and the context).
//   - Decode: the tasks' array is decoded element by element into fresh PipelineTasks, and
//     the hole's key is the only one the decoder matches to its field (checked).
//   - Validate is one errs.Also chain: nil only when every part is empty. In Tekton v1.15.0
//     (pipeline_validation.go, resultref.go, task_validation.go) a task's steps and sidecars
//     are read by exactly: PipelineTask.Validate (validateEmbeddedOrType, and TaskSpec.Validate
//     through validateTask), validateUsageOfDeclaredPipelineTaskParameters, and
//     PipelineTaskResultRefs (through PipelineTask.GetVarSubstitutionExpressions, for
//     validateGraph's Deps and validatePipelineRefResultReferencesDisallowed). The first two
//     run here on the whole task, with the same contexts and pipeline params; a task whose
//     steps or sidecars hold a result reference keeps them, so the third reads the same.
//   - Outside those two, the Pipeline-level checks read of a taskSpec only whether it is set
//     and its results, which the cut task keeps (its kind and apiVersion, params and steps
//     are read only inside them); everything else of the task is kept as it is.
//     PipelineTask.Validate and the parameter-usage check also run on the cut task: they
//     may refuse it (the whole path then decides), never accept for the whole.
//   - The dag package, which validateGraph builds, reads a task's name and Deps only.

// admitInParts reports that Tekton admits the document: a tekton.dev/v1 Pipeline whose
// pieces are its tasks or finally tasks, each admitted alone; with the document's renamedKey.
// pass false says nothing about the verdict.
func (p *pieces) admitInParts() (nameKey [sha256.Size]byte, named, pass bool) {
	root := p.skel
	if root.Kind != yaml.MappingNode || scalar(root, "apiVersion") != "tekton.dev/v1" || scalar(root, "kind") != "Pipeline" {
		return nameKey, false, false
	}
	spec := onlyKey(root, "spec")
	field := ""
	for _, f := range []string{"tasks", "finally"} {
		if spec != nil && spec.Kind == yaml.MappingNode && onlyKey(spec, f) == p.hole {
			field = f
		}
	}
	if field == "" {
		return nameKey, false, false
	}
	skel, ok := jsonWriter{hole: p.hole, fill: func(b []byte) ([]byte, bool) { return append(b, "[]"...), true }}.append(nil, root)
	if !ok {
		return nameKey, false, false
	}
	var pl v1.Pipeline
	if StrictDecode(skel, &pl) != nil {
		return nameKey, false, false
	}
	generatedName(&pl)
	ctx := context.Background()
	pl.SetDefaults(ctx) // the hole's tasks are not there yet: each is defaulted as it is read
	bare := &v1.EmbeddedTask{TypeMeta: runtime.TypeMeta{APIVersion: "cut.tkn-migrate.invalid/v1", Kind: "Cut"}}
	cut := p.skelCut(root, true)
	tasks := make([]v1.PipelineTask, 0, len(p.items))
	var buf []byte
	ok = p.eachItem(true, func(sp span) { cut = append(cut, sp) }, func(i int, n *yaml.Node) bool {
		var ok bool
		if buf, ok = appendJSON(buf[:0], n); !ok {
			return false
		}
		var pt v1.PipelineTask
		if StrictDecode(buf, &pt) != nil {
			return false
		}
		pt.SetDefaults(ctx)
		if pt.TaskSpec != nil { // a pass is all this takes (see envcut.go)
			cutSpecEnv(&pt.TaskSpec.TaskSpec, nil)
		}
		if !admitTask(ctx, &pt, pl.Spec.Params, field, i) {
			return false
		}
		pt = cutTask(pt, bare)
		if len(tasks) > 0 {
			shareWithPrevious(&pt, &tasks[len(tasks)-1])
		}
		tasks = append(tasks, pt)
		return true
	})
	if !ok {
		return nameKey, false, false
	}
	if field == "tasks" {
		pl.Spec.Tasks = tasks
	} else {
		pl.Spec.Finally = tasks
	}
	if pl.Validate(ctx) != nil {
		return nameKey, false, false
	}
	nameKey, named = cutKey(p.text, cut)
	return nameKey, named, true
}

// admitTask runs on one defaulted task the parts of Pipeline.Validate that read its steps and
// sidecars, as Pipeline.Validate runs them: true when all are empty.
func admitTask(ctx context.Context, pt *v1.PipelineTask, params v1.ParamSpecs, field string, i int) bool {
	var errs *apis.FieldError
	// PipelineTaskList.Validate, under PipelineSpec.Validate's context.
	errs = errs.Also(pt.Validate(apis.WithinSpec(ctx)).ViaFieldIndex(field, i))
	// validateUsageOfDeclaredPipelineTaskParameters, under Pipeline.Validate's.
	if pt.TaskSpec != nil {
		errs = errs.Also(v1.ValidateUsageOfDeclaredParameters(ctx, pt.TaskSpec.Steps, append(pt.TaskSpec.Params, params...)).ViaFieldIndex(field, i))
	}
	return errs == nil
}

// cutTask is pt as the rest of Pipeline.Validate reads it: its taskSpec cut to its results,
// unless its steps or sidecars hold a result reference, which makes a dependency in the graph.
// The cut taskSpec is a custom task's (bare), so that PipelineTask.Validate, which ran on the
// whole task, does not validate stub steps again: Tekton compiles regexps for every field of
// a step, as costly for a stub as for the task's own.
func cutTask(pt v1.PipelineTask, bare *v1.EmbeddedTask) v1.PipelineTask {
	if pt.TaskSpec == nil || len(v1.NewResultRefs(pt.GetVarSubstitutionExpressions())) > 0 {
		return pt
	}
	if len(pt.TaskSpec.Results) == 0 {
		pt.TaskSpec = bare
	} else {
		c := *bare
		c.Results = pt.TaskSpec.Results
		pt.TaskSpec = &c
	}
	return pt
}

// shareWithPrevious points pt's workspace bindings and runAfter names at prev's equal ones,
// so that a generated Pipeline's tasks, which bind the same workspaces and run after the task
// before, hold them once; the values are the same, and validation only reads them.
func shareWithPrevious(pt, prev *v1.PipelineTask) {
	if len(pt.Workspaces) > 0 && slices.Equal(pt.Workspaces, prev.Workspaces) {
		pt.Workspaces = prev.Workspaces
	}
	for i, name := range pt.RunAfter {
		if name == prev.Name {
			pt.RunAfter[i] = prev.Name
		}
	}
}

// onlyKey is m's value under key when no other key of m matches it without regard to case,
// as encoding/json matches field names; else nil.
func onlyKey(m *yaml.Node, key string) *yaml.Node {
	var v *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i].Value; strings.EqualFold(k, key) {
			if k != key || v != nil {
				return nil
			}
			v = m.Content[i+1]
		}
	}
	return v
}
