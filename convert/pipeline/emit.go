package pipeline

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
)

const (
	sourcePath     = "$(workspaces." + SourceWorkspace + ".path)"
	paramRepoURL   = "repo-url"
	paramRevision  = "revision"
	storageRequest = "1Gi"
)

// StorageComment sits above every volumeClaimTemplate we emit: the PVC is created per run,
// which fails on clusters without dynamic provisioning.
const StorageComment = "tkn-migrate: this volumeClaimTemplate needs a default StorageClass (dynamic provisioning);\n" +
	"set spec.storageClassName here if the cluster has none marked default."

// LogsComment heads every PipelineRun: unlike Jenkins or Travis, Tekton keeps no build logs of its own.
const LogsComment = "Logs live in the TaskRun pods and vanish when runs are pruned: archive them with\n" +
	"Tekton Results (https://tekton.dev/docs/results/) or a cluster log collector."

// Emit renders p as Tekton v1 YAML files under dir/.tekton: pipeline.yaml and one file per Run.
func Emit(dir string, p *Pipeline, opts convert.Options) ([]convert.File, error) {
	if p.Name == "" {
		return nil, fmt.Errorf("pipeline has no name")
	}
	name := Sanitize(p.Name)
	out := filepath.Join(dir, ".tekton")
	doc, lazy, err := pipelineDoc(name, p, opts)
	if err != nil {
		return nil, err
	}
	data, err := encode(doc, lazy)
	if err != nil {
		return nil, err
	}
	pipelineFile, runPrefix := "pipeline", ""
	if p.FileStem != "" {
		pipelineFile, runPrefix = Sanitize(p.FileStem), Sanitize(p.FileStem)+"-"
	}
	files := []convert.File{{Path: filepath.Join(out, pipelineFile+".yaml"), Data: data}}
	seen := map[string]bool{}
	for _, r := range p.Runs {
		stem := Sanitize(r.Name)
		if seen[stem] {
			return nil, fmt.Errorf("two PipelineRuns named %q", stem)
		}
		seen[stem] = true
		data, err := encode(runDoc(name, stem, p, r, opts), nil)
		if err != nil {
			return nil, err
		}
		files = append(files, convert.File{Path: filepath.Join(out, runPrefix+stem+".yaml"), Data: data})
	}
	return files, nil
}

// CheckTaskCap refuses a Pipeline with more PipelineTasks (the checkout task, tasks and
// finally tasks: one taskRef or taskSpec line each) than opts.MaxTasks; front-ends call it
// before binding secrets and Emit, so an input over the cap costs neither.
func CheckTaskCap(p *Pipeline, opts convert.Options) error {
	n := len(p.Tasks) + len(p.Finally)
	if p.Checkout != nil {
		n++
	}
	if opts.MaxTasks > 0 && n > opts.MaxTasks {
		return &convert.TooManyTasks{N: n}
	}
	return nil
}

// apiVersion honours --to: v1 unless v1beta1 was asked for (clusters older than Tekton v0.50).
func apiVersion(opts convert.Options) string {
	if opts.To == "v1beta1" {
		return "tekton.dev/v1beta1"
	}
	return "tekton.dev/v1"
}

func header(opts convert.Options, kind, name string, comments []string) (*yaml.Node, *yaml.Node) {
	root := mapNode()
	set(root, "apiVersion", str(apiVersion(opts)), comments...)
	set(root, "kind", str(kind))
	md := mapNode()
	set(md, "name", str(name))
	set(root, "metadata", md)
	return root, md
}

func pipelineDoc(name string, p *Pipeline, opts convert.Options) (*yaml.Node, map[*yaml.Node]lazyItems, error) {
	root, _ := header(opts, "Pipeline", name, p.Comments)
	spec := mapNode()

	params := p.Params
	if p.Checkout != nil {
		params = append([]Param{
			{Name: paramRepoURL, Description: "The git repository to build."},
			{Name: paramRevision, Description: "The commit, branch or tag to check out."},
		}, params...)
	}
	if len(params) > 0 {
		set(spec, "params", paramSpecs(params))
	}

	ws := seqNode()
	if !p.PodLocalSource {
		ws.Content = append(ws.Content, workspaceSpec(Workspace{Name: SourceWorkspace, Description: "The checked-out source, shared by every task."}))
	}
	for _, w := range p.Workspaces {
		ws.Content = append(ws.Content, workspaceSpec(w))
	}
	if len(ws.Content) > 0 {
		set(spec, "workspaces", ws)
	}

	// Tasks are built while they print (see lazyItems): a big Pipeline never holds all their nodes.
	lazy := map[*yaml.Node]lazyItems{}
	count := len(p.Tasks)
	if p.Checkout != nil {
		count++
	}
	if count == 0 {
		return nil, nil, fmt.Errorf("pipeline %q has no tasks", name)
	}
	tasks := seqNode()
	lazy[tasks] = lazyItems{n: count, item: func(i int) (*yaml.Node, error) {
		if p.Checkout != nil {
			if i == 0 {
				return checkoutTask(p.Checkout, opts)
			}
			i--
		}
		return printedTask(p, p.Tasks, i, p.Checkout != nil, false)
	}}
	set(spec, "tasks", tasks)

	if len(p.Finally) > 0 {
		fin := seqNode()
		lazy[fin] = lazyItems{n: len(p.Finally), item: func(i int) (*yaml.Node, error) {
			return printedTask(p, p.Finally, i, false, true)
		}}
		set(spec, "finally", fin)
	}
	set(root, "spec", spec)
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}, lazy, nil
}

func paramSpecs(params []Param) *yaml.Node {
	s := seqNode()
	for _, p := range params {
		m := mapNode()
		set(m, "name", str(p.Name))
		set(m, "type", str("string"))
		setStr(m, "description", p.Description)
		if p.Default != nil {
			set(m, "default", str(*p.Default))
		}
		s.Content = append(s.Content, m)
	}
	return s
}

func workspaceSpec(w Workspace) *yaml.Node {
	m := mapNode()
	set(m, "name", str(w.Name))
	setStr(m, "description", w.Description)
	if w.Optional {
		set(m, "optional", boolNode(true))
	}
	if w.ReadOnly {
		set(m, "readOnly", boolNode(true))
	}
	return m
}

// bindsSource reports whether an inline task binds the source workspace itself (with a
// subPath or read-only), so the implied binding is not added.
func bindsSource(ws []Binding) bool {
	for _, w := range ws {
		if w.Name == SourceWorkspace {
			return true
		}
	}
	return false
}

func bindings(bs []Binding) *yaml.Node {
	s := seqNode()
	for _, b := range bs {
		m := mapNode()
		set(m, "name", str(b.Name))
		set(m, "value", str(b.Value))
		if b.SubPath != "" {
			set(m, "subPath", str(b.SubPath))
		}
		s.Content = append(s.Content, m)
	}
	return s
}

func refNode(r catalog.Ref) *yaml.Node {
	m := mapNode()
	set(m, "resolver", str(r.Resolver))
	ps := seqNode()
	for _, p := range r.Params {
		pm := mapNode()
		set(pm, "name", str(p.Name))
		set(pm, "value", str(p.Value))
		ps.Content = append(ps.Content, pm)
	}
	set(m, "params", ps)
	return m
}

func checkoutTask(c *Checkout, opts convert.Options) (*yaml.Node, error) {
	gc, ok := catalog.Lookup("git-clone")
	if !ok {
		return nil, fmt.Errorf("catalog has no git-clone task")
	}
	m := mapNode()
	m.HeadComment = commentBlock(c.Comments)
	set(m, "name", str(CheckoutTask))
	set(m, "taskRef", refNode(gc.Ref(refMode(opts))))
	ps := []Binding{{Name: "url", Value: "$(params." + paramRepoURL + ")"}, {Name: "revision", Value: "$(params." + paramRevision + ")"}}
	if c.Depth != "" {
		ps = append(ps, Binding{Name: "depth", Value: c.Depth})
	}
	if c.Submodules != nil {
		ps = append(ps, Binding{Name: "submodules", Value: fmt.Sprint(*c.Submodules)})
	}
	if c.Subdirectory != "" {
		ps = append(ps, Binding{Name: "subdirectory", Value: c.Subdirectory})
	}
	set(m, "params", bindings(ps))
	set(m, "workspaces", bindings([]Binding{{Name: "output", Value: SourceWorkspace}}))
	fixWorkspaceKey(m)
	return m, nil
}

func refMode(opts convert.Options) catalog.RefMode {
	if opts.CatalogRef == "" {
		return catalog.Hub
	}
	return opts.CatalogRef
}

// fixWorkspaceKey renames the "value" keys of a workspaces binding list to "workspace"
// (a new key node: key nodes are shared, see sharedKeys).
func fixWorkspaceKey(task *yaml.Node) {
	for i := 0; i+1 < len(task.Content); i += 2 {
		if task.Content[i].Value != "workspaces" {
			continue
		}
		for _, item := range task.Content[i+1].Content {
			for j := 0; j+1 < len(item.Content); j += 2 {
				if item.Content[j].Value == "value" {
					item.Content[j] = keyNode("workspace")
				}
			}
		}
	}
}

// ErrDropped is Emit's error when it needs a task again that it dropped (Pipeline.DropPrinted).
var ErrDropped = errors.New("a task the emitter dropped once printed is needed again")

// printedTask is tasks[i]'s node; with p.DropPrinted the task is dropped, unless
// taskRunSpecs needs it for the Runs (or a test's checkPrint prints the document again).
func printedTask(p *Pipeline, tasks []*Task, i int, afterCheckout, finally bool) (*yaml.Node, error) {
	t := tasks[i]
	if t == nil {
		return nil, ErrDropped
	}
	n, err := pipelineTask(p, t, afterCheckout, finally)
	if p.DropPrinted && len(t.NodeSelector) == 0 && checkPrint == nil {
		tasks[i] = nil
	}
	return n, err
}

func pipelineTask(p *Pipeline, t *Task, afterCheckout, finally bool) (*yaml.Node, error) {
	if t.Ref == nil && len(t.Steps) == 0 {
		return nil, fmt.Errorf("task %q has neither steps nor a catalog reference", t.Name)
	}
	m := mapNode()
	m.HeadComment = commentBlock(t.Comments)
	set(m, "name", str(t.Name))
	runAfter := t.RunAfter
	if len(runAfter) == 0 && afterCheckout && !finally {
		runAfter = []string{CheckoutTask}
	}
	if len(runAfter) > 0 && !finally {
		set(m, "runAfter", strSeq(runAfter))
	}
	if len(t.When) > 0 {
		set(m, "when", whenNode(t.When))
	}
	if t.Matrix != nil {
		set(m, "matrix", matrixNode(t.Matrix))
	}
	if t.Retries > 0 {
		set(m, "retries", intNode(t.Retries))
	}
	setStr(m, "timeout", t.Timeout)
	if len(t.Params) > 0 {
		set(m, "params", bindings(t.Params))
	}
	ws := t.Workspaces
	if t.Ref == nil && !p.PodLocalSource && !bindsSource(ws) {
		ws = append([]Binding{{Name: SourceWorkspace, Value: SourceWorkspace}}, ws...)
	}
	if len(ws) > 0 {
		set(m, "workspaces", bindings(ws))
		fixWorkspaceKey(m)
	}
	if t.Ref != nil {
		set(m, "taskRef", refNode(*t.Ref))
		return m, nil
	}
	set(m, "taskSpec", taskSpec(p, t, ws))
	return m, nil
}

func whenNode(ws []When) *yaml.Node {
	s := seqNode()
	for _, w := range ws {
		m := mapNode()
		if w.CEL != "" {
			set(m, "cel", str(w.CEL))
		} else {
			set(m, "input", str(w.Input))
			set(m, "operator", str(w.Operator))
			set(m, "values", strSeq(w.Values))
		}
		s.Content = append(s.Content, m)
	}
	return s
}

func matrixNode(mx *Matrix) *yaml.Node {
	m := mapNode()
	if len(mx.Params) > 0 {
		ps := seqNode()
		for _, p := range mx.Params {
			pm := mapNode()
			set(pm, "name", str(p.Name))
			set(pm, "value", strSeq(p.Values))
			ps.Content = append(ps.Content, pm)
		}
		set(m, "params", ps)
	}
	if len(mx.Include) > 0 {
		inc := seqNode()
		for _, in := range mx.Include {
			im := mapNode()
			setStr(im, "name", in.Name)
			set(im, "params", bindings(in.Params))
			inc.Content = append(inc.Content, im)
		}
		set(m, "include", inc)
	}
	return m
}

func taskSpec(p *Pipeline, t *Task, ws []Binding) *yaml.Node {
	spec := mapNode()
	if len(t.TaskParams) > 0 {
		set(spec, "params", paramSpecs(t.TaskParams))
	}
	wss := seqNode()
	for _, w := range ws {
		// A task bound to an optional pipeline workspace must run without it too.
		wss.Content = append(wss.Content, workspaceSpec(Workspace{Name: w.Name, Optional: optionalWorkspace(p, w.Value), ReadOnly: w.ReadOnly}))
	}
	if len(wss.Content) > 0 {
		set(spec, "workspaces", wss)
	}
	if len(t.Results) > 0 {
		rs := seqNode()
		for _, r := range t.Results {
			rm := mapNode()
			set(rm, "name", str(r))
			rs.Content = append(rs.Content, rm)
		}
		set(spec, "results", rs)
	}
	if len(t.Env) > 0 {
		tmpl := mapNode()
		set(tmpl, "env", envNode(t.Env))
		set(spec, "stepTemplate", tmpl)
	}
	if len(t.Sidecars) > 0 {
		sc := seqNode()
		names := NewNamer()
		for _, s := range t.Sidecars {
			sc.Content = append(sc.Content, sidecarNode(s, names.Name(s.Name)))
		}
		set(spec, "sidecars", sc)
	}
	steps := seqNode()
	names := NewNamer()
	wd := sourcePath
	if p.PodLocalSource {
		wd = "" // the image's own working directory
	}
	envs := envNodes{}
	for _, s := range t.Steps {
		steps.Content = append(steps.Content, stepNode(s, names.Name(s.Name), t.Image, wd, envs))
	}
	set(spec, "steps", steps)
	return spec
}

// envNodes shares one env node among the steps of a task holding the same env list (the
// same elements of one array), as a Travis job's steps do: the node is only read after.
type envNodes map[envList]*yaml.Node

type envList struct {
	first *Env
	n     int
}

func (ns envNodes) node(env []Env) *yaml.Node {
	k := envList{&env[0], len(env)}
	if n := ns[k]; n != nil {
		return n
	}
	n := envNode(env)
	ns[k] = n
	return n
}

func stepNode(s Step, name, defaultImage, defaultDir string, envs envNodes) *yaml.Node {
	m := mapNode()
	m.HeadComment = commentBlock(s.Comments)
	set(m, "name", str(name))
	if s.Ref != nil {
		set(m, "ref", refNode(*s.Ref))
		if len(s.Params) > 0 {
			set(m, "params", bindings(s.Params))
		}
		setStr(m, "onError", s.OnError)
		setStr(m, "timeout", s.Timeout)
		return m
	}
	image := s.Image
	if image == "" {
		image = defaultImage
	}
	set(m, "image", str(image))
	if len(s.Env) > 0 {
		set(m, "env", envs.node(s.Env))
	}
	wd := s.WorkingDir
	if wd == "" {
		wd = defaultDir
	}
	setStr(m, "workingDir", wd)
	if s.Privileged {
		set(m, "securityContext", privileged())
	}
	setStr(m, "onError", s.OnError)
	setStr(m, "timeout", s.Timeout)
	if len(s.Command) > 0 {
		set(m, "command", strSeq(s.Command))
		if len(s.Args) > 0 {
			set(m, "args", strSeq(s.Args))
		}
		return m
	}
	set(m, "script", str(script(s.Script)))
	return m
}

// script ends with a newline so that YAML renders it as a clean literal block.
func script(s string) string {
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

func privileged() *yaml.Node {
	sc := mapNode()
	set(sc, "privileged", boolNode(true))
	return sc
}

func envNode(env []Env) *yaml.Node {
	s := seqNode()
	for _, e := range env {
		m := mapNode()
		if e.Comment != "" {
			m.HeadComment = commentBlock([]string{e.Comment})
		}
		set(m, "name", str(e.Name))
		if e.SecretName != "" {
			ref := mapNode()
			set(ref, "name", str(e.SecretName))
			set(ref, "key", str(e.SecretKey))
			vf := mapNode()
			set(vf, "secretKeyRef", ref)
			set(m, "valueFrom", vf)
		} else {
			set(m, "value", str(e.Value))
		}
		s.Content = append(s.Content, m)
	}
	return s
}

func sidecarNode(s Sidecar, name string) *yaml.Node {
	m := mapNode()
	m.HeadComment = commentBlock(s.Comments)
	set(m, "name", str(name))
	set(m, "image", str(s.Image))
	if len(s.Args) > 0 {
		set(m, "args", strSeq(s.Args))
	}
	if len(s.Env) > 0 {
		set(m, "env", envNode(s.Env))
	}
	if s.Privileged {
		set(m, "securityContext", privileged())
	}
	switch {
	case s.ReadyPort > 0:
		tcp := mapNode()
		set(tcp, "port", intNode(s.ReadyPort))
		set(m, "readinessProbe", probe("tcpSocket", tcp))
	case len(s.ReadyExec) > 0:
		ex := mapNode()
		set(ex, "command", strSeq(s.ReadyExec))
		set(m, "readinessProbe", probe("exec", ex))
	}
	return m
}

func probe(kind string, handler *yaml.Node) *yaml.Node {
	p := mapNode()
	set(p, kind, handler)
	set(p, "periodSeconds", intNode(2))
	set(p, "failureThreshold", intNode(30))
	return p
}

func runDoc(pipelineName, stem string, p *Pipeline, r Run, opts convert.Options) *yaml.Node {
	root, md := header(opts, "PipelineRun", runName(pipelineName, stem), append(append([]string(nil), r.Comments...), LogsComment))
	if len(r.Annotations) > 0 {
		an := mapNode()
		for _, a := range r.Annotations {
			set(an, a.Name, str(a.Value))
		}
		set(md, "annotations", an)
	}
	spec := mapNode()
	ref := mapNode()
	set(ref, "name", str(pipelineName))
	set(spec, "pipelineRef", ref)
	params := r.Params
	if p.Checkout != nil {
		params = append([]Binding{
			{Name: paramRepoURL, Value: "{{ repo_url }}"},
			{Name: paramRevision, Value: "{{ revision }}"},
		}, params...)
	}
	if len(params) > 0 {
		set(spec, "params", bindings(params))
	}
	if p.Timeout != "" {
		to := mapNode()
		set(to, "pipeline", str(p.Timeout))
		set(spec, "timeouts", to)
	}
	if pod := podTemplate(p); pod != nil {
		if opts.To == "v1beta1" { // v1beta1 has no taskRunTemplate
			set(spec, "podTemplate", pod)
		} else {
			tmpl := mapNode()
			set(tmpl, "podTemplate", pod)
			set(spec, "taskRunTemplate", tmpl)
		}
	}
	if specs := taskRunSpecs(p, opts); specs != nil {
		set(spec, "taskRunSpecs", specs)
	}
	ws := seqNode()
	if !p.PodLocalSource {
		ws.Content = append(ws.Content, claimBinding(SourceWorkspace))
	}
	for _, w := range p.Workspaces {
		if w.VolumeClaim {
			ws.Content = append(ws.Content, claimBinding(w.Name))
		}
		if w.Secret == "" {
			continue
		}
		wm := mapNode()
		set(wm, "name", str(w.Name))
		sec := mapNode()
		set(sec, "secretName", str(w.Secret))
		set(wm, "secret", sec)
		ws.Content = append(ws.Content, wm)
	}
	if len(ws.Content) > 0 {
		set(spec, "workspaces", ws)
	}
	set(root, "spec", spec)
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
}

// claimBinding binds workspace name to a new PVC per run, saying it needs dynamic provisioning.
func claimBinding(name string) *yaml.Node {
	m := mapNode()
	m.HeadComment = commentBlock([]string{StorageComment})
	set(m, "name", str(name))
	set(m, "volumeClaimTemplate", volumeClaimTemplate())
	return m
}

func volumeClaimTemplate() *yaml.Node {
	req := mapNode()
	set(req, "storage", str(storageRequest))
	res := mapNode()
	set(res, "requests", req)
	spec := mapNode()
	set(spec, "accessModes", strSeq([]string{"ReadWriteOnce"}))
	set(spec, "resources", res)
	vct := mapNode()
	set(vct, "spec", spec)
	return vct
}

// RunName is the metadata.name Emit gives the Run stem of Pipeline pipelineName.
func RunName(pipelineName, stem string) string {
	return runName(Sanitize(pipelineName), Sanitize(stem))
}

// runName joins pipeline and event names within the 63-character limit on Tekton names.
func runName(pipelineName, stem string) string {
	name := pipelineName + "-" + stem
	if len(name) <= 63 {
		return name
	}
	keep := 63 - len(stem) - 1
	if keep < 1 {
		return Sanitize(name)
	}
	return Shorten(pipelineName, keep) + "-" + stem
}

// gitCloneUser is the UID the git-clone 1.7.0 step runs as.
const gitCloneUser = 65532

// podTemplate returns the Run's pod template, or nil when the defaults do.
func podTemplate(p *Pipeline) *yaml.Node {
	pod := mapNode()
	if p.Checkout != nil {
		sc := mapNode()
		set(sc, "fsGroup", intNode(gitCloneUser), "git-clone runs as UID 65532: fsGroup lets it write to the new volume")
		set(pod, "securityContext", sc)
	}
	if len(p.HostAliases) > 0 {
		list := seqNode()
		for _, a := range p.HostAliases {
			m := mapNode()
			set(m, "ip", str(a.IP))
			set(m, "hostnames", strSeq(a.Hostnames))
			list.Content = append(list.Content, m)
		}
		set(pod, "hostAliases", list)
	}
	if len(pod.Content) == 0 {
		return nil
	}
	return pod
}

func optionalWorkspace(p *Pipeline, name string) bool {
	for _, w := range p.Workspaces {
		if w.Name == name {
			return w.Optional
		}
	}
	return false
}

// taskRunSpecs carries per-task pod settings (node selectors) into a Run.
func taskRunSpecs(p *Pipeline, opts convert.Options) *yaml.Node {
	podKey := "podTemplate"
	if opts.To == "v1beta1" {
		podKey = "taskPodTemplate" // renamed in v1
	}
	list := seqNode()
	for _, t := range append(append([]*Task(nil), p.Tasks...), p.Finally...) {
		if t == nil || len(t.NodeSelector) == 0 { // nil: dropped once printed, having none
			continue
		}
		sel := mapNode()
		for _, b := range t.NodeSelector {
			set(sel, b.Name, str(b.Value))
		}
		pod := mapNode()
		set(pod, "nodeSelector", sel)
		m := mapNode()
		set(m, "pipelineTaskName", str(t.Name))
		set(m, podKey, pod)
		list.Content = append(list.Content, m)
	}
	if len(list.Content) == 0 {
		return nil
	}
	return list
}
