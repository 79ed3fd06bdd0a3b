package simulate

import (
	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"

	"github.com/tkn-migrate/tkn-migrate/convert/secret"
)

// redactRun masks in run's report values the plain-text secrets the run passes (its params
// and its Pipeline's param defaults, judged by name and value as convert judges them), which
// reach tasks under other names, and what secret.Redact finds by shape: a report is read far
// from the files.
func redactRun(run *Run, pr *v1.PipelineRun, ps *v1.PipelineSpec) {
	var known []string
	add := func(name string, v *v1.ParamValue) {
		if v == nil {
			return
		}
		for _, s := range append([]string{v.StringVal}, v.ArrayVal...) {
			if _, ok := secret.Value(name, s); ok {
				known = append(known, s)
			}
		}
	}
	for i := range pr.Spec.Params {
		add(pr.Spec.Params[i].Name, &pr.Spec.Params[i].Value)
	}
	if ps == nil {
		ps = pr.Spec.PipelineSpec
	}
	if ps != nil {
		for i := range ps.Params {
			add(ps.Params[i].Name, ps.Params[i].Default)
		}
	}
	redact := func(ps []Param) {
		for i := range ps {
			ps[i].Value = secret.Redact(ps[i].Value, known...)
		}
	}
	run.Message = secret.Redact(run.Message, known...)
	for i := range run.Tasks {
		t := &run.Tasks[i]
		t.Reason = secret.Redact(t.Reason, known...)
		redact(t.Params)
		for _, cell := range t.Matrix {
			redact(cell)
		}
		for j := range t.Results {
			t.Results[j].Value = secret.Redact(t.Results[j].Value, known...)
		}
	}
}
