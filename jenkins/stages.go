package jenkins

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// stages converts sequential stages: each runs after the tails of the one before.
func (c *conv) stages(ss []*model.Stage, after []string, sc scope, prefix string) []string {
	for i, s := range ss {
		after = c.stage(s, after, sc, prefix)
		if c.dropStages {
			ss[i] = nil
		}
	}
	return after
}

// stageScope applies a stage's agent, tools, environment and when to the inherited scope.
func (c *conv) stageScope(s *model.Stage, sc scope) scope {
	sc.comments = nil
	c.agent(s.Agent, &sc, false)
	if s.When != nil {
		sc = c.when(s.When, sc, s.Name)
	}
	sc = c.environment(s.Environment, sc)
	sc.tools = c.toolSet(s.Tools, sc.tools, sc)
	return sc
}

// stage converts one stage and returns the names of its last tasks.
func (c *conv) stage(s *model.Stage, after []string, sc scope, prefix string) []string {
	name := s.Name
	if prefix != "" {
		name = prefix + "-" + s.Name
	}
	sc = c.stageScope(s, sc)
	sc = c.optionWrappers(s.Options, sc)
	sc.stage = fmt.Sprintf("line:%d", s.Line)
	head := append([]string{c.from(s.Line, fmt.Sprintf("stage(%s)", quoteGroovy(s.Name)))}, sc.comments...)
	sc.comments = nil
	for _, o := range s.Other {
		head = append(head, c.otherMarker(o, "stage"))
	}
	before := len(c.p.Tasks)
	var tails []string
	switch {
	case s.Matrix != nil:
		tails = c.matrix(s, name, head, after, sc)
	case len(s.Parallel) > 0:
		if s.FailFast {
			c.find(s.Line, s.Col, convert.Approximated, "fail-fast", "failFast: Tekton starts no new tasks after a failure but lets running branches finish")
		} else if hasSequential(s.Parallel) {
			c.find(s.Line, s.Col, convert.Approximated, "parallel", "parallel stage %s: once a branch fails Tekton starts no new tasks, so later stages of other branches are skipped (Jenkins ran them without failFast)", s.Name)
		}
		for _, b := range s.Parallel {
			first := len(c.p.Tasks)
			tails = append(tails, c.stage(b, after, sc, name)...)
			c.isolate(c.p.Tasks[first:], name+"-"+b.Name, b.Line, b.Col)
		}
	case len(s.Stages) > 0:
		tails = c.stages(s.Stages, after, sc, name)
	default:
		ch := c.newChain(name, head, after, sc)
		c.options(s.Options, ch, &sc)
		if ch.retries == 0 && c.pipelineRetries > 0 {
			ch.retries = c.pipelineRetries
		}
		for _, m := range sc.comments {
			ch.comment(m)
		}
		sc.comments = nil
		if s.Input != nil {
			c.input(ch, s.Input, sc)
		}
		c.steps(ch, s.Steps, sc)
		if ch.cur == nil && len(ch.tasks) == 0 {
			ch.step(sc, pipeline.Step{Name: "empty", Script: "true\n", Comments: []string{"the stage has no steps"}})
		}
		tails = ch.close()
	}
	if s.Matrix == nil && (len(s.Parallel) > 0 || len(s.Stages) > 0) {
		// Options, input and head comments of a parent stage go onto its first task.
		created := c.p.Tasks[before:]
		if len(created) > 0 {
			created[0].Comments = append(head, created[0].Comments...)
			ch := &chain{c: c}
			c.options(s.Options, ch, &sc)
			for _, t := range created {
				if ch.timeout != "" && t.Timeout == "" {
					t.Timeout = ch.timeout
				}
				if ch.retries > 0 && t.Retries == 0 {
					t.Retries = ch.retries
				}
			}
			if s.Input != nil {
				created[0].Comments = append(created[0].Comments, c.marker(s.Input.Line, s.Input.Col, convert.Manual, "input", "input %s pauses for approval before this stage group; Tekton has no pause (use an approval task such as openshift-pipelines manual-approval-gate)", oneLine(s.Input.Raw)))
			}
		}
	}
	if len(s.Post) > 0 {
		c.post(s.Post, sc, taskNames(c.p.Tasks[before:]), s.Line)
	}
	return tails
}

func taskNames(ts []*pipeline.Task) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

func hasSequential(bs []*model.Stage) bool {
	for _, b := range bs {
		if len(b.Stages) > 1 {
			return true
		}
	}
	return false
}

func quoteGroovy(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// input is a stage input directive: an approval gate Tekton core lacks.
func (c *conv) input(ch *chain, in *model.Step, sc scope) {
	msg, _ := litArg(in, "message", 0)
	m := c.marker(in.Line, in.Col, convert.Manual, "input", "input %q waits for a person; Tekton has no pause (use an approval task such as openshift-pipelines manual-approval-gate, or split the pipeline)", msg)
	if !c.opts.Placeholders {
		ch.comment(m)
		return
	}
	ch.step(sc, c.placeholder(in.Line, "input", m, "manual approval (input "+msg+") was not converted"))
}

// placeholder is a fail-loud step: it prints why and exits 1.
func (c *conv) placeholder(line int, name, marker, why string) pipeline.Step {
	return pipeline.Step{Name: "todo-" + name, Comments: []string{marker},
		Script: fmt.Sprintf("echo %s >&2\nexit 1\n", shellQuote(fmt.Sprintf("tkn-migrate: not converted (%s:%d): %s", c.base, line, why)))}
}

// matrix converts a matrix stage to one task fanned out with Tekton matrix; the cell's stages
// become its steps, since one Tekton matrix fans out a single task.
func (c *conv) matrix(s *model.Stage, name string, head []string, after []string, sc scope) []string {
	m := s.Matrix
	msc := sc
	var axes []pipeline.Param
	var env []pipeline.Env
	total := 1
	for _, a := range m.Axes {
		axes = append(axes, pipeline.Param{Name: paramName(a.Name)})
		env = append(env, pipeline.Env{Name: a.Name, Value: paramRef(a.Name)})
		if total <= maxCells {
			total *= len(a.Values)
		}
	}
	// Axis values are env vars in every cell (visible to the agent, when, env and steps).
	msc = msc.withEnv(env...)
	c.agent(m.Agent, &msc, false)
	if m.When != nil {
		msc = c.cellWhen(m.When, msc, s.Name, &head)
	}
	msc = c.environment(m.Environment, msc)
	for _, o := range m.Other {
		head = append(head, c.otherMarker(o, "matrix"))
	}
	msc.tools = c.toolSet(m.Tools, msc.tools, msc)
	msc = c.optionWrappers(m.Options, msc)
	ch := c.newChain(name, head, after, msc)
	c.options(s.Options, ch, &msc)
	c.options(m.Options, ch, &msc)
	if ch.retries == 0 && c.pipelineRetries > 0 {
		ch.retries = c.pipelineRetries
	}
	for _, cm := range msc.comments {
		ch.comment(cm)
	}
	msc.comments = nil
	if m.Input != nil {
		c.input(ch, m.Input, msc)
	}
	var kept [][]string
	if total <= maxCells { // a bigger matrix is refused below
		for _, cell := range cells(m.Axes) {
			if !excluded(cell, m.Axes, m.Excludes) {
				kept = append(kept, cell)
			}
		}
	}
	mx := &pipeline.Matrix{}
	if (len(m.Excludes) == 0 && total <= maxMatrix) || total > maxCells {
		for _, a := range m.Axes {
			mx.Params = append(mx.Params, pipeline.MatrixParam{Name: paramName(a.Name), Values: a.Values})
		}
		c.find(m.Line, m.Col, convert.Converted, "matrix", "matrix of %d cells → Tekton matrix", total)
	} else {
		// Tekton matrix has no exclude: list the surviving cells.
		for _, cell := range kept {
			inc := pipeline.MatrixInclude{Name: cellName(m.Axes, cell)}
			for i, a := range m.Axes {
				inc.Params = append(inc.Params, pipeline.Binding{Name: paramName(a.Name), Value: cell[i]})
			}
			mx.Include = append(mx.Include, inc)
		}
		c.find(m.Line, m.Col, convert.Converted, "matrix", "matrix of %d cells minus %d excluded → %d cells in matrix.include", total, total-len(kept), len(kept))
	}
	n := len(kept) // every cell when nothing is excluded
	if total > maxCells {
		n = total
	}
	if n > maxCells {
		c.failAt(m.Line, m.Col, "matrix has %d cells, more than the %d tkn-migrate splits into matrix tasks of %d (Tekton's default-max-matrix-combinations-count); split its axes over several matrix stages", n, maxCells, maxMatrix)
	}
	if len(axes) > 0 { // no axes: Jenkins makes no cells, the stages run once
		ch.matrix, ch.axes = mx, axes
	}
	c.cellStages(ch, m.Stages, msc)
	if ch.cur == nil && len(ch.tasks) == 0 {
		ch.step(msc, pipeline.Step{Name: "empty", Script: "true\n"})
	}
	if len(m.Post) > 0 {
		c.cellPost(ch, m.Post, msc, m.Line, m.Col)
	}
	ch.flush()
	if len(mx.Include) > maxMatrix {
		if len(ch.tasks) != 1 {
			c.failAt(m.Line, m.Col, "matrix has %d cells, over Tekton's limit of %d, and its cell runs in several tasks: split its axes over several matrix stages", len(mx.Include), maxMatrix)
		} else {
			ch.tasks = c.splitMatrix(ch.tasks[0], mx, m.Line, m.Col)
		}
	}
	for _, t := range ch.tasks {
		c.isolateCells(t, ch.axes, m.Line, m.Col)
	}
	return ch.close()
}

// maxMatrix is Tekton's default-max-matrix-combinations-count: the cells one matrix task may have.
const maxMatrix = 256

// maxCells bounds the cells we enumerate (and split into matrix tasks of maxMatrix cells).
const maxCells = 4096

// splitMatrix splits a matrix task of more than maxMatrix cells into matrix tasks of at most
// maxMatrix cells each, in cell order, all after the same tasks: together they run every cell,
// as the one Jenkins matrix did. A stage post reads all of them.
func (c *conv) splitMatrix(t *pipeline.Task, mx *pipeline.Matrix, line, col int) []*pipeline.Task {
	inc := mx.Include
	var out []*pipeline.Task
	for i := 0; i < len(inc); i += maxMatrix {
		part := *t
		if i > 0 {
			part.Name = c.names.Name(t.Name + "-" + itoa(i/maxMatrix+1))
			part.Comments = nil
			if len(t.Comments) > 0 {
				part.Comments = []string{t.Comments[0] + fmt.Sprintf(" (cells %d-%d)", i+1, min(i+maxMatrix, len(inc)))}
			}
			// Own steps and params: each part gets its own working directories below.
			part.TaskParams = append([]pipeline.Param(nil), t.TaskParams...)
			part.Params = append([]pipeline.Binding(nil), t.Params...)
			part.Steps = append([]pipeline.Step(nil), t.Steps...)
			for j := range part.Steps {
				part.Steps[j].Env = append([]pipeline.Env(nil), t.Steps[j].Env...)
			}
		}
		part.Matrix = &pipeline.Matrix{Include: inc[i:min(i+maxMatrix, len(inc))]}
		out = append(out, &part)
	}
	c.find(line, col, convert.Converted, "matrix-split", "matrix of %d cells is over Tekton's limit of %d per matrix task: split into %d matrix tasks (%s ...) that run together after the same tasks", len(inc), maxMatrix, len(out), out[0].Name)
	return out
}

// cells lists the axis combinations in Jenkins' order: the first axis varies fastest.
func cells(axes []model.Axis) [][]string {
	out := [][]string{{}}
	for _, a := range axes {
		var next [][]string
		for _, v := range a.Values {
			for _, prev := range out {
				cell := append(append([]string(nil), prev...), v)
				next = append(next, cell)
			}
		}
		out = next
	}
	if len(axes) == 0 {
		return nil
	}
	return out
}

// excluded reports whether an exclude removes the cell: every axis it names must match.
func excluded(cell []string, axes []model.Axis, excludes [][]model.AxisCond) bool {
	idx := map[string]int{}
	for i, a := range axes {
		idx[a.Name] = i
	}
	for _, ex := range excludes {
		all := len(ex) > 0
		for _, cond := range ex {
			i, ok := idx[cond.Name]
			if !ok {
				all = false
				break
			}
			in := false
			for _, v := range cond.Values {
				if v == cell[i] {
					in = true
				}
			}
			if in == cond.Not {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// cellName is Jenkins' name for a cell: PLATFORM = 'linux', BROWSER = 'chrome'.
func cellName(axes []model.Axis, cell []string) string {
	parts := make([]string, len(axes))
	for i, a := range axes {
		parts[i] = fmt.Sprintf("%s = '%s'", a.Name, cell[i])
	}
	return strings.Join(parts, ", ")
}

var _ = sort.Strings

// cellStages adds a matrix cell's stages, nested ones included, as steps of the matrix task in order.
func (c *conv) cellStages(ch *chain, stages []*model.Stage, msc scope) {
	for _, st := range stages {
		w := st.When
		st2 := *st
		st2.When = nil // evaluated per cell below, not as a Tekton when on the whole matrix
		ssc := c.stageScope(&st2, msc)
		if w != nil {
			var head []string
			ssc = c.cellWhen(w, ssc, st.Name, &head)
			for _, m := range head {
				ch.comment(m)
			}
		}
		for _, cm := range ssc.comments {
			ch.comment(cm)
		}
		ssc.comments = nil
		first := len(ch.open().Steps)
		c.steps(ch, st.Steps, ssc)
		if ch.cur != nil && first < len(ch.cur.Steps) {
			ch.cur.Steps[first].Comments = append([]string{c.from(st.Line, "stage("+quoteGroovy(st.Name)+")")}, ch.cur.Steps[first].Comments...)
		}
		c.cellStages(ch, st.Stages, ssc)
		if len(st.Parallel) > 0 {
			ch.comment(c.marker(st.Line, st.Col, convert.Approximated, "matrix-parallel", "parallel stages inside matrix stage %q run one after another in the cell's task", st.Name))
			c.cellStages(ch, st.Parallel, ssc)
		}
		if len(st.Post) > 0 {
			var raw []string
			for _, pc := range st.Post {
				for _, x := range pc.Steps {
					raw = append(raw, pc.Condition+": "+strings.TrimSpace(x.Raw))
				}
			}
			ch.comment(c.marker(st.Line, st.Col, convert.Manual, "matrix-post", "post of stage %q inside a matrix cell is not converted: %s", st.Name, strings.Join(raw, "; ")))
		}
	}
}

// cellWhen evaluates a when inside a matrix per cell: a shell test every step of the stage
// checks first, since a Tekton when applies to all cells of the matrix task at once.
func (c *conv) cellWhen(w *model.When, sc scope, stage string, head *[]string) scope {
	r := c.allOf(w.Conditions, sc)
	if !r.ok {
		*head = append(*head, c.marker(w.Line, w.Col, convert.Manual, "matrix-when", "when on %q is not converted (%s): its steps run in every cell", stage, r.why))
		return sc
	}
	for _, a := range r.approx {
		c.find(w.Line, w.Col, convert.Approximated, "when", "%s", a)
	}
	c.find(w.Line, w.Col, convert.Converted, "matrix-when", "when on %q → shell test per matrix cell before each step", stage)
	sc = sc.withEnv(r.env...)
	if sc.guard != "" {
		sc.guard = sc.guard + " && " + r.shell
	} else {
		sc.guard = r.shell
	}
	return sc
}

// badEnv says why a statement of environment {} that is no NAME = value sets nothing; it names
// the statement by its text before any value (envHead), which may be a secret.
const badEnv = "environment entry %s... is no NAME = value, which Jenkins refuses; nothing is set"

// envHead is a statement's text before its first quote or =.
func envHead(raw string) string {
	if i := strings.IndexAny(raw, "='\"$("); i >= 0 {
		raw = raw[:i]
	}
	return strings.TrimSpace(oneLine(raw))
}

// otherMarker is the marker of a directive of a stage or matrix the model kept verbatim.
func (c *conv) otherMarker(o *model.Step, where string) string {
	if o.Name == "environment" {
		return c.marker(o.Line, o.Col, convert.Unsupported, "environment", badEnv, envHead(o.Raw))
	}
	return c.marker(o.Line, o.Col, convert.Unsupported, "directive", "%s directive %s is not converted", where, oneLine(o.Raw))
}
