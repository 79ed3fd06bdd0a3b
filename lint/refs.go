package lint

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// sig is what a caller must match of a Task, Pipeline or StepAction: its declared
// params, workspaces and results.
type sig struct {
	kind, name, path string
	embedded         bool // a taskSpec or pipelineSpec written in place
	params           []paramSig
	workspaces       []wsSig
	results          map[string]bool // nil: unknown
}

type paramSig struct {
	name, typ string // typ: string, array or object
	required  bool
	keys      []string // object properties without a default value for them
}

type wsSig struct {
	name     string
	optional bool
}

func (s *sig) param(name string) *paramSig {
	for i := range s.params {
		if s.params[i].name == name {
			return &s.params[i]
		}
	}
	return nil
}

// specSig reads the declarations of a Task, Pipeline or StepAction spec.
func specSig(kind, name, path string, spec *yaml.Node) *sig {
	s := &sig{kind: kind, name: name, path: path, results: map[string]bool{}}
	// v1alpha1 Tasks declared params under inputs.
	for _, p := range append(yamldoc.Items(spec, "params"), yamldoc.Items(spec, "inputs", "params")...) {
		n := yamldoc.Str(p, "name")
		if n == "" {
			continue
		}
		ps := paramSig{name: n, typ: yamldoc.Str(p, "type")}
		def := yamldoc.Get(p, "default")
		ps.required = def == nil
		if ps.typ == "" {
			ps.typ = "string"
			// Tekton infers array and object from the default's shape.
			if def != nil && def.Kind == yaml.SequenceNode {
				ps.typ = "array"
			} else if def != nil && def.Kind == yaml.MappingNode || yamldoc.Get(p, "properties") != nil {
				ps.typ = "object"
			}
		}
		for _, kv := range yamldoc.Pairs(p, "properties") {
			if yamldoc.Get(def, kv[0].Value) == nil {
				ps.keys = append(ps.keys, kv[0].Value)
			}
		}
		s.params = append(s.params, ps)
	}
	for _, w := range yamldoc.Items(spec, "workspaces") {
		if n := yamldoc.Str(w, "name"); n != "" {
			s.workspaces = append(s.workspaces, wsSig{n, yamldoc.Str(w, "optional") == "true"})
		}
	}
	for _, r := range yamldoc.Items(spec, "results") {
		if n := yamldoc.Str(r, "name"); n != "" {
			s.results[n] = true
		}
	}
	return s
}

// catalogSig is the signature of a catalog Task we index.
func catalogSig(t catalog.Task) *sig {
	s := &sig{kind: "Task", name: t.Name, path: "catalog:" + t.Name + "@" + t.Version, results: map[string]bool{}}
	for _, p := range t.Params {
		typ := p.Type
		if typ == "" {
			typ = "string"
		}
		s.params = append(s.params, paramSig{name: p.Name, typ: typ, required: p.Required()})
	}
	for _, w := range t.Workspaces {
		s.workspaces = append(s.workspaces, wsSig{w.Name, w.Optional})
	}
	for _, r := range t.Results {
		s.results[r] = true
	}
	return s
}

// defs indexes the documents refs may name, by kind and name.
type defs struct {
	byName map[string][]*sig // kind/name
	roots  map[string]string // directory -> repository root
}

func (in *input) indexDefs() {
	in.defs = newDefs()
	for _, d := range in.docs {
		in.defs.add(d)
	}
}

func newDefs() *defs { return &defs{byName: map[string][]*sig{}, roots: map[string]string{}} }

// add records d's signature when refs may name it.
func (x *defs) add(d *yamldoc.Doc) {
	if !tekton(d) || d.Name == "" {
		return
	}
	switch d.Kind {
	case "Task", "ClusterTask", "Pipeline", "StepAction":
		k := d.Kind + "/" + d.Name
		x.byName[k] = append(x.byName[k], specSig(d.Kind, d.Name, d.Path, yamldoc.Get(d.Root, "spec")))
	}
}

// root is the repository a path belongs to; names resolve within it.
func (x *defs) root(path string) string {
	dir := filepath.Dir(path)
	r, ok := x.roots[dir]
	if !ok {
		r = convert.RepoRoot(dir)
		x.roots[dir] = r
	}
	return r
}

// lookup finds kind/name for a reference made in file from: within its repository, the
// definition whose directory is nearest.
func (x *defs) lookup(kind, name, from string) *sig {
	var best *sig
	bestScore := -1
	root := x.root(from)
	for _, s := range x.byName[kind+"/"+name] {
		if x.root(s.path) != root {
			continue
		}
		if score := commonDirs(s.path, from); score > bestScore {
			best, bestScore = s, score
		}
	}
	return best
}

func commonDirs(a, b string) int {
	as := strings.Split(filepath.ToSlash(filepath.Dir(a)), "/")
	bs := strings.Split(filepath.ToSlash(filepath.Dir(b)), "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}

// resolve returns the signature a taskRef, pipelineRef or step ref names. checked is
// false when the reference can't be resolved offline at all (a custom task, a bundle or
// resolver reference outside the catalog); then no finding is due.
func (in *input) resolve(d *yamldoc.Doc, ref *yaml.Node, kind string) (s *sig, checked bool) {
	if k := yamldoc.Str(ref, "kind"); k != "" {
		kind = k
	}
	if yamldoc.Str(ref, "apiVersion") != "" || yamldoc.Str(ref, "bundle") != "" {
		return nil, false // a custom task or an old bundle
	}
	if r := yamldoc.Str(ref, "resolver"); r != "" {
		params := map[string]string{}
		for _, p := range yamldoc.Items(ref, "params") {
			params[yamldoc.Str(p, "name")] = yamldoc.Str(p, "value")
		}
		if kind == "Task" || kind == "task" {
			if t, ok := catalogTask(r, params); ok {
				return catalogSig(t), true
			}
		}
		return nil, false
	}
	name := yamldoc.Str(ref, "name")
	if name == "" || strings.Contains(name, "$(") {
		return nil, false
	}
	// A ClusterTask is not a namespaced Task of the same name: it names only ClusterTasks.
	return in.lookup(kind, name, d.Path), true
}

// catalogTask is the catalog Task a resolver reference points at: one of the references
// catalog.Task.Ref builds, the same object at the same version (type, kind and the hub
// catalog may be left to the resolver's defaults).
func catalogTask(resolver string, params map[string]string) (catalog.Task, bool) {
	name := params["name"]
	if resolver == "git" {
		name = strings.TrimSuffix(filepath.Base(params["pathInRepo"]), filepath.Ext(params["pathInRepo"]))
	}
	t, ok := catalog.Lookup(name)
	if !ok {
		return t, false
	}
	for _, mode := range []catalog.RefMode{catalog.Hub, catalog.Bundles, catalog.Git, catalog.Cluster} {
		ref := t.Ref(mode)
		if ref.Resolver != resolver {
			continue
		}
		match := true
		for _, p := range ref.Params {
			v, set := params[p.Name]
			switch p.Name {
			case "type", "kind":
			case "catalog":
				match = match && (!set || v == p.Value)
			default:
				match = match && v == p.Value
			}
		}
		if match {
			return t, true
		}
	}
	return t, false
}

// call is one binding of params and workspaces to a signature.
type call struct {
	d      *yamldoc.Doc
	node   *yaml.Node // the PipelineTask, run spec or step
	what   string     // for messages: `task "build"`, `PipelineRun "x"`
	callee *sig
	scope  *sig // the declarations $(params.x) refers to where the call is written
	isRun  bool
}

// checkRefs: TKN901-TKN907, TKN913-TKN914, the cross-references between documents.
func checkRefs(in *input) {
	for _, d := range in.docs {
		if !tekton(d) || d.Root.Kind != yaml.MappingNode {
			continue
		}
		spec := yamldoc.Get(d.Root, "spec")
		switch d.Kind {
		case "Pipeline":
			in.pipelineRefs(d, spec, nil)
		case "Task", "ClusterTask":
			in.taskRefs(d, spec, false, nil)
		case "PipelineRun":
			in.runRefs(d, spec, "pipelineRef", "pipelineSpec", "Pipeline")
		case "TaskRun":
			in.runRefs(d, spec, "taskRef", "taskSpec", "Task")
		}
	}
}

func (in *input) runRefs(d *yamldoc.Doc, spec *yaml.Node, refKey, specKey, kind string) {
	what := fmt.Sprintf("%s %q", d.Kind, displayName(d))
	var callee *sig
	if emb := yamldoc.Get(spec, specKey); emb != nil {
		callee = specSig(kind, "", d.Path, emb)
		callee.embedded = true
		// A run's workspaces propagate into the specs it embeds.
		var bound []string
		for _, w := range yamldoc.Items(spec, "workspaces") {
			bound = append(bound, yamldoc.Str(w, "name"))
		}
		if kind == "Pipeline" {
			in.pipelineRefs(d, emb, bound)
		} else {
			in.taskRefs(d, emb, false, bound)
		}
	} else if ref := yamldoc.Get(spec, refKey); ref != nil {
		var checked bool
		callee, checked = in.resolve(d, ref, kind)
		if callee == nil && checked {
			in.missing(d, ref, what, kind)
		}
	}
	if callee != nil {
		in.checkCall(call{d: d, node: spec, what: what, callee: callee, isRun: true})
	}
}

// displayName is a document's name, or its generateName.
func displayName(d *yamldoc.Doc) string {
	if d.Name != "" {
		return d.Name
	}
	return yamldoc.Str(d.Root, "metadata", "generateName")
}

// missing reports an unresolved reference: a warning, the object may live in the cluster.
func (in *input) missing(d *yamldoc.Doc, ref *yaml.Node, what, kind string) {
	if k := yamldoc.Str(ref, "kind"); k != "" {
		kind = k
	}
	name := yamldoc.Str(ref, "name")
	n := yamldoc.Get(ref, "name")
	in.report("TKN901", "", d.Path, n, fmt.Sprintf("%s refers to %s %q, which is not in the input: its params, workspaces and results can't be checked (it may live in the cluster)", what, kind, name))
}

// propagated are the workspaces an enclosing run binds.
func (in *input) pipelineRefs(d *yamldoc.Doc, spec *yaml.Node, propagated []string) {
	scope := specSig("Pipeline", d.Name, d.Path, spec)
	for _, w := range scope.workspaces {
		propagated = append(propagated, w.name)
	}
	callees := map[string]*sig{}
	for _, sec := range []string{"tasks", "finally"} {
		for _, pt := range yamldoc.Items(spec, sec) {
			name := yamldoc.Str(pt, "name")
			what := fmt.Sprintf("pipeline task %q", name)
			var callee *sig
			switch {
			case yamldoc.Get(pt, "taskSpec") != nil:
				ts := yamldoc.Get(pt, "taskSpec")
				if yamldoc.Str(ts, "apiVersion") != "" {
					continue // a custom task's spec
				}
				callee = specSig("Task", name, d.Path, ts)
				callee.embedded = true
				in.taskRefs(d, ts, true, propagated)
			case yamldoc.Get(pt, "taskRef") != nil:
				ref := yamldoc.Get(pt, "taskRef")
				var checked bool
				if callee, checked = in.resolve(d, ref, "Task"); callee == nil && checked {
					in.missing(d, ref, what, "Task")
				}
			case yamldoc.Get(pt, "pipelineRef") != nil:
				ref := yamldoc.Get(pt, "pipelineRef")
				var checked bool
				if callee, checked = in.resolve(d, ref, "Pipeline"); callee == nil && checked {
					in.missing(d, ref, what, "Pipeline")
				}
			case yamldoc.Get(pt, "pipelineSpec") != nil:
				callee = specSig("Pipeline", name, d.Path, yamldoc.Get(pt, "pipelineSpec"))
			}
			callees[name] = callee
			in.checkMatrix(d, pt)
			if callee != nil {
				in.checkCall(call{d: d, node: pt, what: what, callee: callee, scope: scope})
			}
		}
	}
	in.checkResults(d, spec, callees)
	in.checkContext(d, spec, pipelineContext)
	if strings.HasSuffix(d.APIVersion, "/v1alpha1") {
		in.checkOrder(d, spec, callees)
	}
}

// checkOrder: TKN908 for v1alpha1 Pipelines, which Tekton's code no longer validates:
// runAfter and resources.inputs[].from naming no task.
func (in *input) checkOrder(d *yamldoc.Doc, spec *yaml.Node, tasks map[string]*sig) {
	for _, pt := range yamldoc.Items(spec, "tasks") {
		refs := yamldoc.Items(pt, "runAfter")
		for _, r := range yamldoc.Items(pt, "resources", "inputs") {
			refs = append(refs, yamldoc.Items(r, "from")...)
		}
		for _, r := range refs {
			if _, ok := tasks[r.Value]; !ok && r.Kind == yaml.ScalarNode {
				in.report("TKN908", "", d.Path, r, fmt.Sprintf("pipeline task %q waits for %q, which is not a task of this Pipeline", yamldoc.Str(pt, "name"), r.Value))
			}
		}
	}
}

// resultVar matches $(tasks.T.results.R...) and the tasks.T.results.R of a when input.
var resultVar = lazyre.New(`\$\(\s*tasks\.([A-Za-z0-9_-]+)\.results\.([A-Za-z0-9_-]+)`)

// checkResults: TKN906, a result read from a task whose Task declares no such result;
// in a when expression it is TKN913, the task will never run.
func (in *input) checkResults(d *yamldoc.Doc, spec *yaml.Node, callees map[string]*sig) {
	var visit func(n *yaml.Node, inWhen bool)
	visit = func(n *yaml.Node, inWhen bool) {
		n = yamldoc.Deref(n)
		if n == nil {
			return
		}
		if n.Kind == yaml.ScalarNode {
			for _, m := range resultVar.FindAllStringSubmatch(n.Value, -1) {
				callee, ok := callees[m[1]]
				if !ok || callee == nil || callee.results[m[2]] {
					continue
				}
				id, msg := "TKN906", fmt.Sprintf("%s: %s %q declares no result %q", m[0]+")", callee.kind, callee.name, m[2])
				if inWhen {
					id, msg = "TKN913", msg+"; this when expression can never be resolved, so the task never runs"
				}
				in.report(id, "", d.Path, n, msg)
			}
			return
		}
		for i, c := range n.Content {
			w := inWhen
			if n.Kind == yaml.MappingNode && i%2 == 1 && n.Content[i-1].Value == "when" {
				w = true
			}
			if n.Kind == yaml.MappingNode && i%2 == 1 && (n.Content[i-1].Value == "taskSpec" || n.Content[i-1].Value == "pipelineSpec") {
				continue // its own scope
			}
			visit(c, w)
		}
	}
	for _, sec := range []string{"tasks", "finally", "results"} {
		visit(yamldoc.Get(spec, sec), false)
	}
	in.checkConstantWhen(d, spec)
}

// checkConstantWhen: TKN913, a when expression without any variable is decided when written.
func (in *input) checkConstantWhen(d *yamldoc.Doc, spec *yaml.Node) {
	for _, sec := range []string{"tasks", "finally"} {
		for _, pt := range yamldoc.Items(spec, sec) {
			for _, w := range yamldoc.Items(pt, "when") {
				input := yamldoc.Get(w, "input")
				values := yamldoc.Get(w, "values")
				op := yamldoc.Str(w, "operator")
				if input == nil || values == nil || values.Kind != yaml.SequenceNode || strings.Contains(input.Value, "$(") {
					continue
				}
				found := false
				for _, v := range values.Content {
					if strings.Contains(v.Value, "$(") {
						found = true // decided at run time
						op = ""
						break
					}
					if v.Value == input.Value {
						found = true
					}
				}
				if op != "in" && op != "notin" {
					continue
				}
				if (op == "in") != found {
					in.report("TKN913", Warning, d.Path, input, fmt.Sprintf("when input %q %s %s holds no variable and is always false: pipeline task %q never runs", input.Value, op, flow(values), yamldoc.Str(pt, "name")))
				}
			}
		}
	}
}

func flow(n *yaml.Node) string {
	var vs []string
	for _, v := range n.Content {
		vs = append(vs, v.Value)
	}
	return "[" + strings.Join(vs, ", ") + "]"
}

// checkCall: TKN902-TKN904 and TKN907 for one binding.
func (in *input) checkCall(c call) {
	callee := c.callee
	calleeName := fmt.Sprintf("%s %q", callee.kind, callee.name)
	if callee.embedded {
		calleeName = "its embedded " + callee.kind
	}
	passed := map[string]bool{}
	for _, p := range yamldoc.Items(c.node, "params") {
		name := yamldoc.Str(p, "name")
		passed[name] = true
		decl := callee.param(name)
		if decl == nil {
			if !callee.embedded { // params propagate into embedded specs
				in.report("TKN902", "", c.d.Path, yamldoc.Get(p, "name"), fmt.Sprintf("%s passes param %q, which %s does not declare", c.what, name, calleeName))
			}
			continue
		}
		v := yamldoc.Get(p, "value")
		if got := c.valueType(v); got != "" && got != decl.typ {
			in.report("TKN904", "", c.d.Path, v, fmt.Sprintf("%s passes %s param %q a%s %s", c.what, calleeName, name, article(got), got)+fmt.Sprintf(" but it is declared %s", decl.typ))
		} else if decl.typ == "object" && v != nil && v.Kind == yaml.MappingNode {
			var miss []string
			for _, k := range decl.keys {
				if yamldoc.Get(v, k) == nil {
					miss = append(miss, k)
				}
			}
			if len(miss) > 0 {
				in.report("TKN904", "", c.d.Path, v, fmt.Sprintf("%s passes object param %q without key(s) %s, which %s declares without a default", c.what, name, quoteList(miss), calleeName))
			}
		}
	}
	for _, p := range yamldoc.Items(c.node, "matrix", "params") {
		name := yamldoc.Str(p, "name")
		passed[name] = true
		if decl := callee.param(name); decl == nil {
			in.report("TKN902", "", c.d.Path, yamldoc.Get(p, "name"), fmt.Sprintf("%s fans out param %q, which %s does not declare", c.what, name, calleeName))
		} else if decl.typ != "string" {
			in.report("TKN904", "", c.d.Path, yamldoc.Get(p, "name"), fmt.Sprintf("%s fans out param %q one string at a time, but %s declares it %s", c.what, name, calleeName, decl.typ))
		}
	}
	for _, inc := range yamldoc.Items(c.node, "matrix", "include") {
		for _, p := range yamldoc.Items(inc, "params") {
			passed[yamldoc.Str(p, "name")] = true
		}
	}
	var missing []string
	for _, p := range callee.params {
		if p.required && !passed[p.name] {
			missing = append(missing, p.name)
		}
	}
	if len(missing) > 0 {
		in.report("TKN903", "", c.d.Path, c.anchor(), fmt.Sprintf("%s does not pass %s required param(s) %s (no default)", c.what, calleeName, quoteList(missing)))
	}
	in.checkWorkspaces(c, calleeName)
}

func article(s string) string {
	if strings.IndexByte("aeiou", s[0]) >= 0 {
		return "n"
	}
	return ""
}

// anchor is where a finding about the whole call goes: its name, or the node.
func (c call) anchor() *yaml.Node {
	if n := yamldoc.Get(c.node, "name"); n != nil {
		return n
	}
	return c.node
}

// wholeRef is a value that is exactly one reference, which keeps the referred type.
var wholeRef = lazyre.New(`^\$\(\s*(params\.([A-Za-z0-9_-]+)|tasks\.[A-Za-z0-9_-]+\.results\.[A-Za-z0-9_-]+)(\[\*\])?\s*\)$`)

// onlyVar is a value that is one variable of any kind.
var onlyVar = lazyre.New(`^\$\([^()]*\)$`)

// valueType is the type of a passed value, or "" when only run time knows it.
func (c call) valueType(v *yaml.Node) string {
	switch v = yamldoc.Deref(v); {
	case v == nil:
		return ""
	case v.Kind == yaml.SequenceNode:
		return "array"
	case v.Kind == yaml.MappingNode:
		return "object"
	case v.Kind != yaml.ScalarNode:
		return ""
	}
	val := strings.TrimSpace(v.Value)
	m := wholeRef.FindStringSubmatch(val)
	switch {
	case m == nil && onlyVar.MatchString(val):
		return "" // $(tt.params.x) and the like: a TriggerTemplate may put a list there
	case m == nil:
		return "string"
	case m[2] == "" || c.scope == nil:
		return "" // a result: its type is the producing Task's business
	}
	p := c.scope.param(m[2])
	switch {
	case p == nil:
		return ""
	case m[3] == "[*]":
		return p.typ
	case p.typ == "string":
		return "string"
	}
	return ""
}

// checkWorkspaces: TKN907, bindings against declarations.
func (in *input) checkWorkspaces(c call, calleeName string) {
	bound := map[string]bool{}
	for _, w := range yamldoc.Items(c.node, "workspaces") {
		name := yamldoc.Str(w, "name")
		bound[name] = true
		found := false
		for _, ws := range c.callee.workspaces {
			found = found || ws.name == name
		}
		if !found && !c.callee.embedded { // Tekton declares what an embedded spec is bound
			sev := Severity("")
			if c.isRun {
				sev = Warning // Tekton ignores a run's extra binding
			}
			in.report("TKN907", sev, c.d.Path, yamldoc.Get(w, "name"), fmt.Sprintf("%s binds workspace %q, which %s does not declare", c.what, name, calleeName))
		}
	}
	var unbound []string
	for _, ws := range c.callee.workspaces {
		if !ws.optional && !bound[ws.name] {
			unbound = append(unbound, ws.name)
		}
	}
	if len(unbound) > 0 {
		in.report("TKN907", "", c.d.Path, c.anchor(), fmt.Sprintf("%s does not bind %s required workspace(s) %s", c.what, calleeName, quoteList(unbound)))
	}
}

// maxMatrixCells is Tekton's default max-matrix-combinations-count.
const maxMatrixCells = 256

// checkMatrix: TKN914, matrix params that are not arrays, or too many cells.
func (in *input) checkMatrix(d *yamldoc.Doc, pt *yaml.Node) {
	cells, known := 1, true
	for _, p := range yamldoc.Items(pt, "matrix", "params") {
		v := yamldoc.Get(p, "value")
		switch {
		case v == nil:
		case v.Kind == yaml.SequenceNode:
			cells *= len(v.Content)
		case v.Kind == yaml.ScalarNode && wholeRef.MatchString(strings.TrimSpace(v.Value)) && strings.Contains(v.Value, "[*]"):
			known = false
		default:
			in.report("TKN914", "", d.Path, v, fmt.Sprintf("matrix param %q of pipeline task %q is not an array: a matrix fans out over a list (or an array $(params.x[*]) / $(tasks.t.results.r[*]))", yamldoc.Str(p, "name"), yamldoc.Str(pt, "name")))
			known = false
		}
	}
	if known && cells > maxMatrixCells {
		in.reportOnce("TKN914", d.Path, yamldoc.Key(pt, "matrix"), fmt.Sprintf("pipeline task %q has a matrix of %d cells; Tekton runs at most %d (default max-matrix-combinations-count)", yamldoc.Str(pt, "name"), cells, maxMatrixCells))
	}
}

// Context variables Tekton substitutes; anything else under $(context.) stays literal.
var (
	taskContext     = []string{"taskRun.name", "taskRun.namespace", "taskRun.uid", "task.name", "task.retry-count"}
	pipelineContext = append([]string{"pipelineRun.name", "pipelineRun.namespace", "pipelineRun.uid", "pipeline.name", "pipelineTask.retries"}, taskContext...)
	contextVar      = lazyre.New(`\$\(\s*context\.([A-Za-z0-9_.-]+)\s*\)`)
	stepVar         = lazyre.New(`\$\(\s*steps\.([A-Za-z0-9_-]+)\.(results\.([A-Za-z0-9_-]+)|exitCode\.path)`)
	workspaceVar    = lazyre.New(`\$\(\s*workspaces\.([A-Za-z0-9_-]+)\.(path|bound|claim|volume)\s*\)`)
)

// checkContext: TKN905, $(context.x) Tekton does not know.
func (in *input) checkContext(d *yamldoc.Doc, n *yaml.Node, known []string) {
	substituted(n, func(x *yaml.Node) {
		for _, m := range contextVar.FindAllStringSubmatch(x.Value, -1) {
			if !slices.Contains(known, m[1]) {
				in.reportOnce("TKN905", d.Path, x, fmt.Sprintf("%s is not a context variable Tekton substitutes here (known: %s)", strings.TrimSpace(m[0]), strings.Join(known, ", ")))
			}
		}
	})
}

// taskRefs checks a Task spec: step refs to StepActions, $(steps.*), $(workspaces.*),
// undeclared volumes, duplicate env, scripts without a shebang. An embedded taskSpec
// leaves $(context.*) to its Pipeline, where pipeline variables are known too, and
// may use the propagated workspaces without declaring them (Tekton binds those it uses).
func (in *input) taskRefs(d *yamldoc.Doc, spec *yaml.Node, inPipeline bool, propagated []string) {
	scope := specSig("Task", d.Name, d.Path, spec)
	steps := map[string]*sig{} // step name -> its StepAction, or a sig of its own results
	exits := map[string]bool{} // container names $(steps.X.exitCode.path) takes
	for i, st := range yamldoc.Items(spec, "steps") {
		name := yamldoc.Str(st, "name")
		if name == "" {
			exits[fmt.Sprintf("step-unnamed-%d", i)] = true
		} else {
			exits["step-"+name] = true
		}
		s := specSig("Step", name, d.Path, st)
		if ref := yamldoc.Get(st, "ref"); ref != nil {
			what := fmt.Sprintf("step %q", name)
			callee, checked := in.resolve(d, ref, "StepAction")
			if callee == nil && checked {
				in.missing(d, ref, what, "StepAction")
			}
			if callee != nil {
				in.checkCall(call{d: d, node: st, what: what, callee: callee, scope: scope})
			}
			s = callee
		} else if yamldoc.Get(st, "results") == nil {
			s.results = nil // results of an inline step are undeclared unless listed
		}
		steps[name] = s
	}
	volumes := map[string]bool{}
	for _, v := range yamldoc.Items(spec, "volumes") {
		volumes[yamldoc.Str(v, "name")] = true
	}
	workspaces := map[string]bool{}
	for _, w := range scope.workspaces {
		workspaces[w.name] = true
	}
	for _, w := range propagated {
		workspaces[w] = true
	}
	containers := append(append(yamldoc.Items(spec, "steps"), yamldoc.Items(spec, "sidecars")...), yamldoc.Get(spec, "stepTemplate"))
	for _, c := range containers {
		if c == nil {
			continue
		}
		for _, m := range yamldoc.Items(c, "volumeMounts") {
			if n := yamldoc.Str(m, "name"); n != "" && !volumes[n] && !in.podVolume(n) && !strings.Contains(n, "$(") {
				in.report("TKN915", "", d.Path, yamldoc.Get(m, "name"), fmt.Sprintf("volumeMount %q names no volume of the Task's spec.volumes: the pod is rejected", n))
			}
		}
		seen := map[string]bool{}
		for _, e := range yamldoc.Items(c, "env") {
			n := yamldoc.Str(e, "name")
			if seen[n] {
				in.report("TKN910", Warning, d.Path, yamldoc.Get(e, "name"), fmt.Sprintf("env %q is set twice in one container; the last one wins", n))
			}
			seen[n] = true
		}
		if s := yamldoc.Get(c, "script"); s != nil && s.Kind == yaml.ScalarNode && !strings.HasPrefix(strings.TrimLeft(s.Value, " \t\r\n"), "#!") {
			what := "an unnamed step"
			if n := yamldoc.Str(c, "name"); n != "" {
				what = fmt.Sprintf("%q", n)
			}
			in.report("TKN916", "", d.Path, yamldoc.Key(c, "script"), fmt.Sprintf("script of %s has no #! line: Tekton runs it with sh, not bash", what))
		}
	}
	substituted(spec, func(x *yaml.Node) {
		for _, m := range stepVar.FindAllStringSubmatch(x.Value, -1) {
			s, ok := steps[m[1]]
			switch {
			case m[2] == "exitCode.path":
				if !exits[m[1]] {
					in.reportOnce("TKN905", d.Path, x, fmt.Sprintf("%s): the Task has no step whose container is %q (steps.step-<name> or steps.step-unnamed-<index>)", m[0], m[1]))
				}
			case !ok:
				in.reportOnce("TKN905", d.Path, x, fmt.Sprintf("%s: the Task has no step %q", m[0]+")", m[1]))
			case m[3] != "" && s != nil && s.results != nil && !s.results[m[3]]:
				in.reportOnce("TKN906", d.Path, x, fmt.Sprintf("%s: step %q declares no result %q", m[0]+")", m[1], m[3]))
			}
		}
		for _, m := range workspaceVar.FindAllStringSubmatch(x.Value, -1) {
			if !workspaces[m[1]] {
				in.reportOnce("TKN905", d.Path, x, fmt.Sprintf("%s: the Task declares no workspace %q", m[0], m[1]))
			}
		}
	})
	if !inPipeline {
		in.checkContext(d, spec, taskContext)
	}
}

// substituted calls fn on every scalar under n that Tekton substitutes variables in:
// all but descriptions, whose text may name variables in prose.
func substituted(n *yaml.Node, fn func(*yaml.Node)) {
	n = yamldoc.Deref(n)
	switch {
	case n == nil:
	case n.Kind == yaml.ScalarNode:
		fn(n)
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value != "description" {
				substituted(n.Content[i+1], fn)
			}
		}
	default:
		for _, c := range n.Content {
			substituted(c, fn)
		}
	}
}

// reportOnce reports unless Tekton's own validation already flagged rule id at that node.
func (in *input) reportOnce(id, path string, n *yaml.Node, msg string) {
	if !in.at[at{id, path, n.Line, n.Column}] {
		in.report(id, "", path, n, msg)
	}
}
