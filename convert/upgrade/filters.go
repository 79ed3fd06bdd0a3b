package upgrade

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// taskSpecs returns every Task spec in a document: the spec of a Task, and the
// embedded taskSpecs of TaskRuns, Pipelines and PipelineRuns.
func taskSpecs(kind string, r *yaml.Node) []*yaml.Node {
	spec := get(r, "spec")
	switch kind {
	case "Task", "ClusterTask":
		return []*yaml.Node{spec}
	case "TaskRun":
		if ts := get(spec, "taskSpec"); ts != nil {
			return []*yaml.Node{ts}
		}
	case "Pipeline", "PipelineRun":
		var out []*yaml.Node
		for _, ps := range pipelineSpecs(kind, r) {
			for _, pt := range pipelineTasks(ps) {
				if ts := get(pt, "taskSpec"); ts != nil {
					out = append(out, ts)
				}
			}
		}
		return out
	}
	return nil
}

// pipelineSpecs returns the spec of a Pipeline or the embedded pipelineSpec of a PipelineRun.
func pipelineSpecs(kind string, r *yaml.Node) []*yaml.Node {
	spec := get(r, "spec")
	switch kind {
	case "Pipeline":
		if spec != nil {
			return []*yaml.Node{spec}
		}
	case "PipelineRun":
		if ps := get(spec, "pipelineSpec"); ps != nil {
			return []*yaml.Node{ps}
		}
	}
	return nil
}

func pipelineTasks(ps *yaml.Node) []*yaml.Node {
	return append(append([]*yaml.Node(nil), items(get(ps, "tasks"))...), items(get(ps, "finally"))...)
}

// legacyFields upgrades fields renamed before v1beta1 existed.
type legacyFields struct{ s *docState }

func (f legacyFields) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	s, spec := f.s, get(rn.YNode(), "spec")
	if md := get(rn.YNode(), "metadata"); spec != nil && (s.kind == "Task" || s.kind == "ClusterTask" || s.kind == "Pipeline") {
		// Early catalog Tasks put description under metadata, which old Tekton ignored and
		// today's API server refuses; spec.description is where it belongs.
		if k := keyNode(md, "description"); k != nil {
			v := del(md, "description")
			if keyIndex(spec, "description") < 0 {
				set(spec, "description", v, firstKey(spec))
				s.note(k, convert.Converted, "metadata-description", "metadata.description moved to spec.description")
			} else {
				s.note(k, convert.Approximated, "metadata-description", "metadata.description dropped: spec.description is already set")
			}
		}
	}
	if s.kind != "TaskRun" && s.kind != "PipelineRun" {
		return rn, nil
	}
	if k := keyNode(spec, "serviceAccount"); k != nil {
		if keyIndex(spec, "serviceAccountName") < 0 {
			rename(spec, "serviceAccount", "serviceAccountName")
		} else {
			del(spec, "serviceAccount")
		}
		s.note(k, convert.Converted, "legacy-service-account", "spec.serviceAccount became serviceAccountName")
	}
	if k := keyNode(spec, "trigger"); k != nil {
		del(spec, "trigger")
		s.note(k, convert.Converted, "legacy-trigger", "spec.trigger was removed in Tekton v0.5 and is dropped")
	}
	if k := keyNode(spec, "serviceAccountNames"); k != nil && s.kind == "PipelineRun" {
		v := del(spec, "serviceAccountNames")
		trs := ensureSeq(spec, "taskRunSpecs", "timeout", "timeouts", "workspaces")
		for _, it := range items(v) {
			trs.Content = append(trs.Content, mapping("pipelineTaskName", str(it, "taskName"), "taskServiceAccountName", str(it, "serviceAccountName")))
		}
		s.note(k, convert.Converted, "service-account-names", "spec.serviceAccountNames became taskRunSpecs[].serviceAccountName")
	}
	return rn, nil
}

// alphaInputsOutputs moves v1alpha1 inputs/outputs to params and resources.
type alphaInputsOutputs struct{ s *docState }

func (f alphaInputsOutputs) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	r := rn.YNode()
	specs := taskSpecs(f.s.kind, r)
	if f.s.kind == "TaskRun" {
		specs = append(specs, get(r, "spec"))
	}
	for _, spec := range specs {
		f.move(spec)
	}
	return rn, nil
}

func (f alphaInputsOutputs) move(spec *yaml.Node) {
	in, out := get(spec, "inputs"), get(spec, "outputs")
	if in == nil && out == nil {
		return
	}
	var params, inRes, outRes *yaml.Node
	if in != nil {
		params, inRes = get(in, "params"), get(in, "resources")
	}
	if out != nil {
		outRes = get(out, "resources")
		if rs := keyNode(out, "results"); rs != nil {
			f.s.note(rs, convert.Approximated, "alpha-output-results", "outputs.results (test result files) has no Tekton v1 equivalent and is dropped")
		}
	}
	// New keys go where the first of inputs/outputs was; outputs may come first.
	at := keyIndex(spec, "inputs")
	if o := keyIndex(spec, "outputs"); at < 0 || (o >= 0 && o < at) {
		at = o
	}
	at0 := spec.Content[at]
	del(spec, "inputs")
	del(spec, "outputs")
	var kv []*yaml.Node
	key := func(k string) *yaml.Node { // new keys take the position of the key they replace
		n := scalar(k)
		n.Line, n.Column = at0.Line, at0.Column
		return n
	}
	if len(items(params)) > 0 && keyIndex(spec, "params") < 0 {
		kv = append(kv, key("params"), params)
	}
	if inRes != nil || outRes != nil {
		res := mapping()
		if inRes != nil {
			res.Content = append(res.Content, scalar("inputs"), inRes)
		}
		if outRes != nil {
			res.Content = append(res.Content, scalar("outputs"), outRes)
		}
		kv = append(kv, key("resources"), res)
	}
	spec.Content = append(spec.Content[:at], append(kv, spec.Content[at:]...)...)
}

// variables rewrites v1alpha1 variable forms in every string of the document.
type variables struct{ s *docState }

var alphaVars = strings.NewReplacer(
	"$(inputs.params.", "$(params.",
	"$(inputs.resources.", "$(resources.inputs.",
	"$(outputs.resources.", "$(resources.outputs.",
)

// oldSyntax is the ${...} form Tekton dropped in v0.7; only Tekton's own prefixes, so
// shell variables like ${HOME} stay.
var oldSyntax = lazyre.New(`\$\{((?:inputs|outputs)\.(?:params|resources)\.[^}\s]+)\}`)

func (f variables) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	walkValues(get(rn.YNode(), "spec"), func(n *yaml.Node) {
		if !strings.Contains(n.Value, "puts.") {
			return
		}
		if v := oldSyntax.ReplaceAllString(n.Value, "$$($1)"); v != n.Value {
			f.s.note(n, convert.Converted, "old-variable-syntax", "${...} variables stopped working in Tekton v0.7; rewritten as $(...)")
			n.Value = v
		}
		n.Value = alphaVars.Replace(n.Value)
	})
	return rn, nil
}

// clusterTask turns a ClusterTask into a namespaced Task.
type clusterTask struct{ s *docState }

func (f clusterTask) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	r := rn.YNode()
	if f.s.kind != "ClusterTask" {
		return rn, nil
	}
	k := get(r, "kind")
	k.Value = "Task"
	f.s.kind = "Task"
	// A ClusterTask was visible from every namespace; a Task is seen from its own, which only the user knows.
	f.s.marker(k, "cluster-task", "ClusterTask %q became a namespaced Task, which converted references name in the run's own namespace: apply it in every namespace whose runs use it, or apply it once to a namespace you choose and reference it there with the cluster resolver", str(get(r, "metadata"), "name"))
	return rn, nil
}

// refResolvers turns taskRef.kind: ClusterTask and bundle references into resolver references.
type refResolvers struct{ s *docState }

func (f refResolvers) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	r := rn.YNode()
	spec := get(r, "spec")
	var refs []*yaml.Node
	switch f.s.kind {
	case "TaskRun":
		refs = append(refs, get(spec, "taskRef"))
	case "PipelineRun":
		if pr := get(spec, "pipelineRef"); pr != nil {
			f.fixPipelineRef(pr)
		}
	}
	for _, ps := range pipelineSpecs(f.s.kind, r) {
		for _, pt := range pipelineTasks(ps) {
			refs = append(refs, get(pt, "taskRef"))
		}
	}
	for _, ref := range refs {
		if ref != nil {
			f.fixTaskRef(ref)
		}
	}
	return rn, nil
}

func (f refResolvers) fixTaskRef(ref *yaml.Node) {
	name, kind, bundle := str(ref, "name"), str(ref, "kind"), str(ref, "bundle")
	switch {
	case bundle != "":
		k := strings.ToLower(kind)
		if k == "" || k == "clustertask" {
			k = "task"
		}
		f.s.note(keyNode(ref, "bundle"), convert.Converted, "bundle-resolver", "taskRef.bundle became the bundles resolver")
		replaceRef(ref, mapping("resolver", "bundles", "params", seq(
			mapping("name", "bundle", "value", bundle), mapping("name", "name", "value", name), mapping("name", "kind", "value", k))))
	case kind == "ClusterTask":
		k := keyNode(ref, "kind")
		del(ref, "kind") // a Task by name, in the run's namespace: where the converted ClusterTask goes
		if f.s.idx.lookup("Task", name) != nil {
			f.s.note(k, convert.Approximated, "cluster-task-ref", "taskRef to ClusterTask %q now names Task %q in the run's namespace, where the converted ClusterTask must be applied", name, name)
			return
		}
		f.s.markerAt(get(ref, "name"), k, "cluster-task-ref", "ClusterTask %q is not in the input: apply it as a Task in the run's namespace, or reference the namespace that holds it with the cluster resolver (params kind, name, namespace)", name)
	}
}

func (f refResolvers) fixPipelineRef(ref *yaml.Node) {
	if bundle := str(ref, "bundle"); bundle != "" {
		f.s.note(keyNode(ref, "bundle"), convert.Converted, "bundle-resolver", "pipelineRef.bundle became the bundles resolver")
		replaceRef(ref, mapping("resolver", "bundles", "params", seq(
			mapping("name", "bundle", "value", bundle), mapping("name", "name", "value", str(ref, "name")), mapping("name", "kind", "value", "pipeline"))))
	}
}

// replaceRef swaps the content of a ref mapping, keeping the node (and its comments).
func replaceRef(ref, with *yaml.Node) {
	ref.Content = with.Content
	ref.Style = 0
}

// betaToV1 applies the v1beta1 → v1 renames and moves.
type betaToV1 struct{ s *docState }

func (f betaToV1) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	if f.s.to != "v1" {
		return rn, nil
	}
	r := rn.YNode()
	spec := get(r, "spec")
	for _, ts := range taskSpecs(f.s.kind, r) {
		computeResources(ts)
	}
	switch f.s.kind {
	case "PipelineRun":
		if i := keyIndex(spec, "timeout"); i >= 0 {
			del(spec, "timeouts") // v1beta1 forbids both; Tekton's conversion keeps timeout
			i = keyIndex(spec, "timeout")
			spec.Content[i].Value = "timeouts"
			spec.Content[i+1] = mapping("pipeline", spec.Content[i+1])
		}
		var moved []*yaml.Node
		for _, key := range []string{"serviceAccountName", "podTemplate"} {
			if k := keyNode(spec, key); k != nil {
				moved = append(moved, k, get(spec, key))
			}
		}
		if len(moved) > 0 {
			trt := mapping()
			trt.Content = moved
			pos := len(spec.Content)
			for i := 0; i < len(moved); i += 2 {
				if at := keyIndex(spec, moved[i].Value); at < pos {
					pos = at // every moved key sits at or after pos, so deleting them keeps pos valid
				}
			}
			for i := 0; i < len(moved); i += 2 {
				del(spec, moved[i].Value)
			}
			if old := get(spec, "taskRunTemplate"); old != nil {
				old.Content = append(old.Content, moved...)
			} else {
				spec.Content = append(spec.Content[:pos], append([]*yaml.Node{scalar("taskRunTemplate"), trt}, spec.Content[pos:]...)...)
			}
		}
		for _, trs := range items(get(spec, "taskRunSpecs")) {
			rename(trs, "taskServiceAccountName", "serviceAccountName")
			rename(trs, "taskPodTemplate", "podTemplate")
			overrides(trs)
		}
	case "TaskRun":
		overrides(spec)
	}
	return rn, nil
}

// overrides renames stepOverrides/sidecarOverrides to stepSpecs/sidecarSpecs.
func overrides(m *yaml.Node) {
	for _, p := range [][2]string{{"stepOverrides", "stepSpecs"}, {"sidecarOverrides", "sidecarSpecs"}} {
		if rename(m, p[0], p[1]) {
			for _, it := range items(get(m, p[1])) {
				rename(it, "resources", "computeResources")
			}
		}
	}
}

// computeResources renames resources on steps, stepTemplate and sidecars.
func computeResources(ts *yaml.Node) {
	for _, st := range items(get(ts, "steps")) {
		rename(st, "resources", "computeResources")
	}
	for _, st := range items(get(ts, "sidecars")) {
		rename(st, "resources", "computeResources")
	}
	rename(get(ts, "stepTemplate"), "resources", "computeResources")
}

// deprecatedStepFields removes container fields that v1 Steps no longer have.
type deprecatedStepFields struct{ s *docState }

var deprecatedStep = []string{"ports", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
	"terminationMessagePath", "terminationMessagePolicy", "stdin", "stdinOnce", "tty"}

func (f deprecatedStepFields) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	if f.s.to != "v1" {
		return rn, nil
	}
	for _, ts := range taskSpecs(f.s.kind, rn.YNode()) {
		for _, st := range items(get(ts, "steps")) {
			var at *yaml.Node
			if len(st.Content) > 0 {
				at = st.Content[0]
			}
			f.strip(st, at, deprecatedStep, "step "+str(st, "name"))
		}
		f.strip(get(ts, "stepTemplate"), keyNode(ts, "stepTemplate"), append([]string{"name"}, deprecatedStep...), "stepTemplate")
	}
	return rn, nil
}

func (f deprecatedStepFields) strip(st, markAt *yaml.Node, fields []string, where string) {
	var gone []string
	var at *yaml.Node
	for _, fl := range fields {
		if k := keyNode(st, fl); k != nil {
			if at == nil {
				at = k
			}
			gone = append(gone, fl)
			f.s.note(k, convert.Manual, "deprecated-step-field", "%s: %s is not a v1 Step field and was removed", where, fl)
		}
	}
	if len(gone) == 0 {
		return
	}
	for _, fl := range gone {
		del(st, fl)
	}
	// The marker goes on the step's first key (its name, usually) or on stepTemplate.
	if markAt != nil {
		addComment(markAt, "# tkn-migrate: manual: removed "+strings.Join(gone, ", ")+" (not in v1 Steps; use a sidecar or drop it) ("+baseName(f.s.path)+":"+itoa(f.s.line(at))+")")
	}
}

// dropStatus removes status: a manifest to apply never carries it.
type dropStatus struct{ s *docState }

func (f dropStatus) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	if k := keyNode(rn.YNode(), "status"); k != nil {
		del(rn.YNode(), "status")
		f.s.note(k, convert.Converted, "drop-status", "status is runtime state and was dropped")
	}
	return rn, nil
}

// apiVersion sets the target version on the four kinds v1 serves.
type apiVersion struct{ s *docState }

func (f apiVersion) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	switch f.s.kind {
	case "Task", "Pipeline", "TaskRun", "PipelineRun":
		if av := get(rn.YNode(), "apiVersion"); av != nil && av.Value != "tekton.dev/"+f.s.to {
			if f.s.version == "v1" && f.s.to == "v1beta1" {
				return rn, nil // never downgrade
			}
			av.Value = "tekton.dev/" + f.s.to
		}
	}
	return rn, nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// kanikoNote points users of kaniko, archived upstream, at buildah.
type kanikoNote struct{ s *docState }

func (f kanikoNote) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	r := rn.YNode()
	if f.s.version == f.s.to {
		return rn, nil // advice comes with an upgrade, not on every later run
	}
	note := catalog.MustLookup("kaniko").Note
	for _, ts := range taskSpecs(f.s.kind, r) {
		for _, st := range items(get(ts, "steps")) {
			if img := get(st, "image"); img != nil && strings.Contains(img.Value, "kaniko-project/executor") {
				f.s.note(img, convert.Approximated, "kaniko-archived", "step %s: %s", str(st, "name"), note)
			}
		}
	}
	var refs []*yaml.Node
	if f.s.kind == "TaskRun" {
		refs = append(refs, path(r, "spec", "taskRef"))
	}
	for _, ps := range pipelineSpecs(f.s.kind, r) {
		for _, pt := range pipelineTasks(ps) {
			refs = append(refs, get(pt, "taskRef"))
		}
	}
	for _, ref := range refs {
		if f.s.idx.lookup("Task", str(ref, "name")) != nil {
			continue // the repository's own Task of that name, not the catalog's: its steps get the note if they run kaniko
		}
		if n := get(ref, "name"); n != nil && n.Value == "kaniko" {
			f.s.note(n, convert.Approximated, "kaniko-archived", "%s", note)
		}
	}
	return rn, nil
}
