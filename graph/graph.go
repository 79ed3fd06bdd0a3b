// Package graph reads Tekton Pipelines (v1, v1beta1 or v1alpha1, hand-written or
// converted) into a small dependency model and draws it as Mermaid or Graphviz DOT.
package graph

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Pipeline is one Pipeline's task graph.
type Pipeline struct {
	File string
	Line int
	Kind string // "Pipeline", or "PipelineRun" for an embedded pipelineSpec
	Name string
	// Workspaces are the Pipeline's declared workspace names.
	Workspaces []string
	Tasks      []*Task
	Finally    []*Task

	once sync.Once
	all  []*Task
	pos  map[string]int
	anc  [][]uint64 // anc[i] has bit j when task j finishes before task i starts
}

// Task is one PipelineTask.
type Task struct {
	Name    string
	Line    int
	Finally bool
	// Ref says what the task runs ("git-clone 1.7.0 (hub)"); empty for an embedded taskSpec.
	Ref    string
	When   []string // when expressions and old Conditions, as text
	Matrix *Matrix
	// Deps are the tasks this one waits for, sorted by name.
	Deps       []Dep
	Workspaces []WorkspaceUse
	Node       *yaml.Node // the PipelineTask mapping, for rules that look deeper
}

// Dep is one incoming edge.
type Dep struct {
	Task     string
	RunAfter bool     // listed in runAfter
	From     bool     // an old resources.inputs[].from
	Results  []string // results of Task this one reads (params, matrix, when, taskSpec)
}

// Matrix is a task's fan-out.
type Matrix struct {
	Params  []MatrixParam
	Include int // number of include entries
}

// MatrixParam is one fanned-out parameter; Values is -1 when it is a reference, not a literal list.
type MatrixParam struct {
	Name   string
	Values int
}

// WorkspaceUse is a PipelineTask's binding of a Pipeline workspace.
type WorkspaceUse struct {
	Name      string // the Task's workspace
	Workspace string // the Pipeline's workspace
	SubPath   string
	Line      int
}

// Task returns the task (or finally task) named name, or nil.
func (p *Pipeline) Task(name string) *Task {
	p.index()
	if i, ok := p.pos[name]; ok {
		return p.all[i]
	}
	return nil
}

// All is Tasks followed by Finally.
func (p *Pipeline) All() []*Task {
	return append(append([]*Task(nil), p.Tasks...), p.Finally...)
}

// index numbers the tasks and computes, as bit sets, which tasks finish before
// each one starts; rules ask this for every pair of tasks, so it must be cheap.
func (p *Pipeline) index() {
	p.once.Do(func() {
		p.all = p.All()
		p.pos = map[string]int{}
		for i, t := range p.all {
			if _, dup := p.pos[t.Name]; !dup {
				p.pos[t.Name] = i
			}
		}
		words := (len(p.all) + 63) / 64
		p.anc = make([][]uint64, len(p.all))
		state := make([]byte, len(p.all)) // 0 new, 1 in progress (a cycle stops here), 2 done
		var visit func(i int)
		visit = func(i int) {
			if state[i] != 0 {
				return
			}
			state[i] = 1
			set := make([]uint64, words)
			deps := []int{}
			for _, d := range p.all[i].Deps {
				if j, ok := p.pos[d.Task]; ok {
					deps = append(deps, j)
				}
			}
			if p.all[i].Finally {
				for j := range p.Tasks {
					deps = append(deps, j)
				}
			}
			for _, j := range deps {
				visit(j)
				set[j/64] |= 1 << (j % 64)
				if p.anc[j] != nil {
					for w := range set {
						set[w] |= p.anc[j][w]
					}
				}
			}
			p.anc[i] = set
			state[i] = 2
		}
		for i := range p.all {
			visit(i)
		}
	})
}

// Before reports that task a always finishes before task b starts: b depends on
// a through runAfter, results or from, directly or not, or b is a finally task.
func (p *Pipeline) Before(a, b string) bool {
	p.index()
	i, ok1 := p.pos[a]
	j, ok2 := p.pos[b]
	if !ok1 || !ok2 || i == j {
		return false
	}
	return p.anc[j][i/64]&(1<<(i%64)) != 0
}

// Ordered reports whether one of a and b always finishes before the other starts.
func (p *Pipeline) Ordered(a, b string) bool {
	return p.Before(a, b) || p.Before(b, a)
}

// Parse reads every Pipeline in a YAML stream: Pipeline documents, and
// PipelineRuns with an embedded pipelineSpec (TriggerTemplates' included).
// Other documents are skipped.
func Parse(path string, data []byte) ([]*Pipeline, error) {
	docs, err := yamldoc.Parse(path, data)
	var out []*Pipeline
	for _, d := range docs {
		if p := FromDoc(d); p != nil {
			out = append(out, p)
		}
		// A Triggers TriggerTemplate stamps out runs that may embed a pipelineSpec.
		if d.Kind == "TriggerTemplate" && strings.Contains(d.APIVersion, "tekton.dev/") {
			for _, r := range yamldoc.Items(d.Root, "spec", "resourcetemplates") {
				e := &yamldoc.Doc{Path: d.Path, Root: r, APIVersion: yamldoc.Str(r, "apiVersion"),
					Kind: yamldoc.Str(r, "kind"), Name: yamldoc.Str(r, "metadata", "name")}
				if p := FromDoc(e); p != nil {
					out = append(out, p)
				}
			}
		}
	}
	return out, err
}

// FromDoc returns the Pipeline a document defines or embeds, or nil.
func FromDoc(d *yamldoc.Doc) *Pipeline {
	if !strings.HasPrefix(d.APIVersion, "tekton.dev/") {
		return nil
	}
	var spec *yaml.Node
	switch d.Kind {
	case "Pipeline":
		spec = yamldoc.Get(d.Root, "spec")
	case "PipelineRun":
		spec = yamldoc.Get(d.Root, "spec", "pipelineSpec")
	}
	if spec == nil || spec.Kind != yaml.MappingNode {
		return nil
	}
	name := d.Name
	if name == "" {
		name = yamldoc.Str(d.Root, "metadata", "generateName")
	}
	p := &Pipeline{File: d.Path, Line: d.Line(), Kind: d.Kind, Name: name}
	for _, w := range yamldoc.Items(spec, "workspaces") {
		if n := yamldoc.Str(w, "name"); n != "" {
			p.Workspaces = append(p.Workspaces, n)
		}
	}
	p.Tasks = tasks(yamldoc.Items(spec, "tasks"), false)
	p.Finally = tasks(yamldoc.Items(spec, "finally"), true)
	known := map[string]bool{}
	for _, t := range p.All() {
		known[t.Name] = true
	}
	for _, t := range p.All() {
		kept := t.Deps[:0]
		for _, dep := range t.Deps {
			if known[dep.Task] && dep.Task != t.Name {
				kept = append(kept, dep)
			}
		}
		t.Deps = kept
	}
	return p
}

var resultRef = lazyre.New(`\$\(\s*tasks\.([A-Za-z0-9_-]+)\.results\.([A-Za-z0-9_-]+)`)

func tasks(items []*yaml.Node, finally bool) []*Task {
	var out []*Task
	for _, n := range items {
		if n.Kind != yaml.MappingNode {
			continue
		}
		t := &Task{Name: yamldoc.Str(n, "name"), Line: n.Line, Finally: finally, Node: n}
		t.Ref = ref(n)
		t.When = when(n)
		t.Matrix = matrix(n)
		deps := map[string]*Dep{}
		dep := func(name string) *Dep {
			if deps[name] == nil {
				deps[name] = &Dep{Task: name}
			}
			return deps[name]
		}
		for _, r := range yamldoc.Items(n, "runAfter") {
			if r.Kind == yaml.ScalarNode && r.Value != "" {
				dep(r.Value).RunAfter = true
			}
		}
		// Old PipelineResources ordered tasks through from:.
		for _, in := range yamldoc.Items(n, "resources", "inputs") {
			for _, f := range yamldoc.Items(in, "from") {
				if f.Kind == yaml.ScalarNode && f.Value != "" {
					dep(f.Value).From = true
				}
			}
		}
		yamldoc.Walk(n, func(x *yaml.Node) {
			if x.Kind != yaml.ScalarNode {
				return
			}
			for _, m := range resultRef.FindAllStringSubmatch(x.Value, -1) {
				d := dep(m[1])
				if !contains(d.Results, m[2]) {
					d.Results = append(d.Results, m[2])
				}
			}
		})
		for _, d := range deps {
			sort.Strings(d.Results)
			t.Deps = append(t.Deps, *d)
		}
		sort.Slice(t.Deps, func(i, j int) bool { return t.Deps[i].Task < t.Deps[j].Task })
		for _, w := range yamldoc.Items(n, "workspaces") {
			name := yamldoc.Str(w, "name")
			ws := yamldoc.Str(w, "workspace")
			if ws == "" {
				ws = name // v1 lets workspace default to the task workspace's name
			}
			if ws == "" {
				continue
			}
			t.Workspaces = append(t.Workspaces, WorkspaceUse{Name: name, Workspace: ws, SubPath: yamldoc.Str(w, "subPath"), Line: w.Line})
		}
		out = append(out, t)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ref describes what a PipelineTask runs.
func ref(n *yaml.Node) string {
	if r := yamldoc.Get(n, "taskRef"); r != nil {
		return refText(r, "")
	}
	if r := yamldoc.Get(n, "pipelineRef"); r != nil {
		return refText(r, "pipeline ")
	}
	if yamldoc.Get(n, "pipelineSpec") != nil {
		return "pipeline (embedded)"
	}
	return ""
}

func refText(r *yaml.Node, prefix string) string {
	name := yamldoc.Str(r, "name")
	if b := yamldoc.Str(r, "bundle"); b != "" {
		return prefix + name + " (bundle " + b + ")"
	}
	resolver := yamldoc.Str(r, "resolver")
	if resolver == "" {
		if k := yamldoc.Str(r, "kind"); k == "ClusterTask" {
			return "ClusterTask " + name
		}
		return prefix + name
	}
	params := map[string]string{}
	for _, p := range yamldoc.Items(r, "params") {
		params[yamldoc.Str(p, "name")] = yamldoc.Str(p, "value")
	}
	var what string
	switch resolver {
	case "hub", "bundles", "cluster":
		what = strings.TrimSpace(params["name"] + " " + params["version"])
	case "git":
		what = params["pathInRepo"]
		if rev := params["revision"]; rev != "" {
			what += "@" + rev
		}
	case "http":
		what = params["url"]
	}
	if what == "" {
		return prefix + "(" + resolver + ")"
	}
	return prefix + what + " (" + resolver + ")"
}

func when(n *yaml.Node) []string {
	var out []string
	for _, w := range yamldoc.Items(n, "when") {
		if cel := yamldoc.Str(w, "cel"); cel != "" {
			out = append(out, "cel: "+cel)
			continue
		}
		var vals []string
		for _, v := range yamldoc.Items(w, "values") {
			vals = append(vals, v.Value)
		}
		out = append(out, fmt.Sprintf("%s %s [%s]", yamldoc.Str(w, "input"), yamldoc.Str(w, "operator"), strings.Join(vals, ", ")))
	}
	for _, c := range yamldoc.Items(n, "conditions") {
		out = append(out, "condition "+yamldoc.Str(c, "conditionRef"))
	}
	return out
}

func matrix(n *yaml.Node) *Matrix {
	m := yamldoc.Get(n, "matrix")
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := &Matrix{Include: len(yamldoc.Items(m, "include"))}
	for _, p := range yamldoc.Items(m, "params") {
		mp := MatrixParam{Name: yamldoc.Str(p, "name"), Values: -1}
		if v := yamldoc.Get(p, "value"); v != nil && v.Kind == yaml.SequenceNode {
			mp.Values = len(v.Content)
		}
		out.Params = append(out.Params, mp)
	}
	return out
}

// Leaves are the regular tasks no other regular task waits for.
func (p *Pipeline) Leaves() []*Task {
	waited := map[string]bool{}
	for _, t := range p.Tasks {
		for _, d := range t.Deps {
			waited[d.Task] = true
		}
	}
	var out []*Task
	for _, t := range p.Tasks {
		if !waited[t.Name] {
			out = append(out, t)
		}
	}
	return out
}
