package vars

import (
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"strings"
)

// Binder collects the task params one inline task needs, and the Pipeline params those need.
type Binder struct {
	Checkout bool // the git-clone task runs, so its results can be used
	order    []string
	values   map[string]string
	// needs are Pipeline params (name → PaC value) the bound values refer to.
	needs map[string]string
}

// NewBinder returns an empty Binder.
func NewBinder(checkout bool) *Binder {
	return &Binder{Checkout: checkout, values: map[string]string{}, needs: map[string]string{}}
}

func (b *Binder) add(name, value string) string {
	if _, ok := b.values[name]; !ok {
		b.order = append(b.order, name)
		b.values[name] = value
	}
	return "$(params." + name + ")"
}

// Var binds a Jenkins variable and returns the expression a step env uses to read it.
func (b *Binder) Var(v Var) string {
	val := v.Value
	if b.Checkout && v.Checkout != "" {
		val = v.Checkout
	} else if v.PipelineParam != "" {
		b.needs[v.PipelineParam] = v.RunValue
	}
	return b.add(ParamName(v.Name), val)
}

// Param binds Pipeline param name and returns the expression a step env uses to read it.
func (b *Binder) Param(name string) string { return b.add(name, "$(params."+name+")") }

// Empty reports whether nothing was bound.
func (b *Binder) Empty() bool { return len(b.order) == 0 }

// Apply declares the bound params on the inline task and binds their values.
func (b *Binder) Apply(t *pipeline.Task) {
	for _, n := range b.order {
		t.TaskParams = append(t.TaskParams, pipeline.Param{Name: n})
		t.Params = append(t.Params, pipeline.Binding{Name: n, Value: b.values[n]})
	}
}

// Needs returns the Pipeline params (name → PaC value) the bindings refer to.
func (b *Binder) Needs() map[string]string { return b.needs }

// Declare adds Pipeline params the tasks need (with PaC values bound in every Run), keeping
// the order of first use; names already declared are left alone.
func Declare(p *pipeline.Pipeline, needs []string, runValue map[string]string) {
	have := map[string]bool{}
	for _, q := range p.Params {
		have[q.Name] = true
	}
	empty := ""
	for _, n := range needs {
		if have[n] {
			continue
		}
		have[n] = true
		desc := "set by Pipelines-as-Code from " + runValue[n]
		if runValue[n] == "" {
			desc = "no Pipelines-as-Code variable gives it: empty unless set by hand"
		}
		p.Params = append(p.Params, pipeline.Param{Name: n, Description: desc, Default: &empty})
		for i := range p.Runs {
			p.Runs[i].Params = append(p.Runs[i].Params, pipeline.Binding{Name: n, Value: RunValue(n, runValue[n], p.Runs[i])})
		}
	}
}

// RunValue is the value run r binds Pipeline param n to, v being its value on a branch push.
func RunValue(n, v string, r pipeline.Run) string {
	m, ok := multibranch[n]
	switch {
	case onTag(r) && ok:
		return m.tag
	case onTag(r) && PullRequestOnly(n):
		return ""
	case onPullRequest(r) && ok:
		return m.pr
	case PullRequestOnly(n) && !onPullRequest(r):
		return ""
	}
	return v
}

// onTag reports whether PaC starts r on tag pushes only.
func onTag(r pipeline.Run) bool {
	for _, a := range r.Annotations {
		if a.Name == "pipelinesascode.tekton.dev/on-target-branch" {
			return a.Value == "["+TagRef+"]"
		}
	}
	return false
}

// onPullRequest reports whether PaC starts r on pull-request events.
func onPullRequest(r pipeline.Run) bool {
	for _, a := range r.Annotations {
		if a.Name == "pipelinesascode.tekton.dev/on-event" && strings.Contains(a.Value, "pull_request") {
			return true
		}
	}
	return false
}
