package upgrade

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// pipeline rewrites the resources of one Pipeline spec.
func (f pipelineResources) pipeline(ps *yaml.Node) {
	s := f.s
	declKey := keyNode(ps, "resources")
	types := map[string]string{}
	optional := map[string]bool{}
	var order []string
	for _, d := range items(get(ps, "resources")) {
		types[str(d, "name")] = normType(str(d, "type"))
		optional[str(d, "name")] = str(d, "optional") == "true"
		order = append(order, str(d, "name"))
	}
	anyBinding := false
	for _, pt := range pipelineTasks(ps) {
		if get(pt, "resources") != nil {
			anyBinding = true
		}
	}
	if declKey == nil && !anyBinding {
		return
	}
	user := declared(ps, "params")
	s.wsUser = declared(ps, "workspaces")
	pn := func(p, k string) string { return resParam(user, p, k) }
	names := newTaskNamer(ps)
	var pparams, pws []*yaml.Node
	// One workspace for every resource: two PVCs on one TaskRun fail under the default affinity assistant.
	var shared *yaml.Node
	for _, p := range order {
		t := types[p]
		if _, ok := resourceParams[t]; !ok {
			at := keyNode(ps, "tasks")
			if at == nil {
				at = ps.Content[0]
			}
			s.markerAbove(at, declKey, "unresolved-resource", "resource %s of type %s has no replacement in Tekton v1 and was removed; tasks binding it get nothing in its place", p, t)
		}
		for _, d := range resourceParams[t] {
			def := d.def
			if d.self {
				def = opt(p)
			}
			if def == nil && optional[p] {
				def = opt("") // an optional resource may be left unbound: its fetch task is then skipped
			}
			pparams = append(pparams, paramSpec(pn(p, d.key), d.key+" of the former "+t+" resource "+p, def))
		}
		if hasWorkspace(t) {
			if shared == nil {
				shared = mapping("name", resourceWS(s.wsUser), "description", "holds what the PipelineResources provided, each in a subPath named after its resource")
				pws = append(pws, shared)
			}
		}
		if t == "storage" {
			pws = append(pws, mapping("name", credentialsWS(s.wsUser, p), "description", "Secret with the service account key for "+p))
		}
	}
	// The shared workspace stays required even when every resource is optional: the catalog
	// tasks bound to it require theirs, and v1's ValidateOptionalWorkspaces refuses an optional
	// Pipeline workspace bound to a required Task workspace (RequiredWorkspaceMarkedOptional).
	// Runs that bind no resource give it an emptyDir (unboundShared).
	fetch := map[string]bool{}
	added := map[*yaml.Node]bool{} // runAfter entries this conversion wrote
	clusterNames := clusterNames(ps, types)
	copies := freshCopies(ps, types)
	var copyFetch [][2]string // resource, task: a clone of its own
	sharers := sharedFetches(ps, types, copies)
	for _, p := range order {
		ts := sharers[p]
		if ts == nil {
			continue
		}
		s.note(declKey, convert.Approximated, "shared-copy", "tasks %s each fetched resource %s afresh; they run one after another and now share one copy: what one changes, the next sees", strings.Join(ts, ", "), p)
	}
	for _, p := range order {
		if len(copies[p]) > 0 {
			var ts []string
			for t := range copies[p] {
				ts = append(ts, t)
			}
			sort.Strings(ts)
			s.note(declKey, convert.Converted, "fresh-copy", "tasks %s may run at the same time and each fetched resource %s afresh: each gets its own copy (subPath %s/<task>) instead of sharing one", strings.Join(ts, ", "), p, p)
		}
	}
	type upload struct {
		res       string
		producers []string
	}
	var uploads []upload
	uploadIdx := map[string]int{}
	var notify []string
	finally := map[*yaml.Node]bool{}
	for _, pt := range items(get(ps, "finally")) {
		finally[pt] = true // finally tasks run after every task: they take no runAfter
	}
	for _, pt := range pipelineTasks(ps) {
		bindKey := keyNode(pt, "resources")
		bind := get(pt, "resources")
		if bind == nil {
			continue
		}
		tname := str(pt, "name")
		ds, used, tuser, known := f.taskInfo(pt)
		taskWS := declared(pt, "workspaces") // what it binds: the Task's own names when the Task is unknown
		if spec := f.taskSpecOf(pt); spec != nil {
			taskWS = declared(spec, "workspaces")
		}
		single := 0
		for _, o := range items(get(bind, "outputs")) {
			if types[str(o, "resource")] == "image" {
				single++
			}
		}
		var params, ws, after []*yaml.Node
		addWS := func(r, sub string) {
			if name := resWorkspace(taskWS, r); byName(seq(ws...), name) == nil {
				ws = append(ws, f.wsBinding(name, sub))
			}
		}
		bindKeys := func(r, p string) {
			if !known {
				// Which fields the Task reads is unknown: pass every conventional param, as Tekton ignores extra ones.
				if types[p] == "image" {
					return // its url is passed above
				}
				// A catalog Task's params are known though its resources are not: pass only those it declares.
				ct, isCatalog := catalog.Lookup(str(get(pt, "taskRef"), "name"))
				for _, d := range resourceParams[types[p]] {
					if d.extra {
						continue
					}
					name := resParam(tuser, r, d.key)
					if _, ok := ct.Param(name); isCatalog && !ok {
						continue
					}
					params = append(params, mapping("name", name, "value", "$(params."+pn(p, d.key)+")"))
				}
				return
			}
			for _, k := range sortedKeys(used[r]) {
				if k == "name" || k == "type" || (types[p] == "image" && k == "url") {
					continue
				}
				v := "$(params." + pn(p, k) + ")"
				if !hasParam(types[p], k) {
					s.markerAbove(keyNode(pt, "name"), bindKey, "resource-field", "task %s reads field %s of resource %s, which has no replacement; bind param %s", tname, k, r, resParam(tuser, r, k))
					continue
				}
				params = append(params, mapping("name", resParam(tuser, r, k), "value", v))
			}
		}
		// The resources key goes away: markers about its bindings go above the task's name.
		ptMarker := func(format string, args ...any) {
			s.markerAbove(keyNode(pt, "name"), bindKey, "unresolved-resource", format, args...)
		}
		undeclared := func(r, p string) bool {
			if _, ok := types[p]; !ok {
				ptMarker("task %s binds %s to resource %s, which the Pipeline does not declare; it was removed", tname, r, p)
				return true
			}
			return false
		}
		// Comments on a binding move to what replaces it: its workspace, else its first param.
		carry := func(b *yaml.Node, do func()) {
			np, nw := len(params), len(ws)
			do()
			carryComments(b, append(append([]*yaml.Node(nil), ws[nw:]...), params[np:]...))
		}
		bindIn := func(in *yaml.Node) {
			r, p := str(in, "name"), str(in, "resource")
			t := types[p]
			if undeclared(r, p) {
				return
			}
			from := items(get(in, "from"))
			for _, x := range from {
				after = append(after, scalar(x.Value))
			}
			switch {
			case hasWorkspace(t):
				sub := p
				switch {
				case len(from) == 0 && copies[p][tname]:
					sub = p + "/" + tname
					copyFetch = append(copyFetch, [2]string{p, tname})
					after = append(after, scalar(names.name(fetchPrefix(t), p+"-"+tname)))
				case len(from) == 0:
					fetch[p] = true
					after = append(after, scalar(names.name(fetchPrefix(t), p)))
				}
				if len(from) == 0 {
					s.recordFetch(tname, after[len(after)-1].Value)
				}
				if len(from) > 0 && copies[p][from[0].Value] {
					sub = p + "/" + from[0].Value // what that task made of its own clone
				}
				addWS(r, sub)
			case t == "image":
				v := "$(params." + pn(p, "url") + ")"
				if len(from) > 0 {
					v = "$(tasks." + from[0].Value + ".results." + f.producerResult(ps, from[0].Value, p) + ")"
				}
				params = append(params, mapping("name", resParam(tuser, r, "url"), "value", v))
			}
			bindKeys(r, p)
			_ = ds
		}
		for _, in := range items(get(bind, "inputs")) {
			carry(in, func() { bindIn(in) })
		}
		bindOut := func(out *yaml.Node) {
			r, p := str(out, "name"), str(out, "resource")
			t := types[p]
			if undeclared(r, p) {
				return
			}
			switch {
			case hasWorkspace(t):
				if copies[p][tname] {
					addWS(r, p+"/"+tname)
				} else {
					addWS(r, p)
				}
				if t == "storage" || t == "pullRequest" {
					if i, ok := uploadIdx[p]; ok {
						uploads[i].producers = append(uploads[i].producers, tname)
					} else {
						uploadIdx[p] = len(uploads)
						uploads = append(uploads, upload{p, []string{tname}})
					}
				}
			case t == "image":
				ipn, _, _ := imageNames(r, single == 1)
				params = append(params, mapping("name", ipn, "value", "$(params."+pn(p, "url")+")"))
			case t == "cloudEvent":
				if !contains(notify, p) {
					notify = append(notify, p)
				}
			}
			bindKeys(r, p)
		}
		for _, out := range items(get(bind, "outputs")) {
			carry(out, func() { bindOut(out) })
		}
		del(pt, "resources")
		if !known {
			s.note(bindKey, convert.Approximated, "resource-binding", "task %s: its Task is not in the input; workspaces and params follow the naming convention (every field of each resource is passed as param <resource>-<field>)", tname)
		}
		for _, p := range params {
			ps := ensureSeq(pt, "params", "workspaces", "when", "timeout")
			if byName(ps, str(p, "name")) == nil {
				ps.Content = append(ps.Content, p)
			}
		}
		if len(ws) > 0 {
			w := ensureSeq(pt, "workspaces", "when", "timeout")
			for _, x := range ws {
				if byName(w, str(x, "name")) == nil {
					w.Content = append(w.Content, x)
				}
			}
		}
		if len(after) > 0 && !finally[pt] {
			ra := ensureSeq(pt, "runAfter", "params", "workspaces")
			for _, a := range after {
				if !containsNode(ra, a.Value) && a.Value != tname {
					ra.Content = append(ra.Content, a)
					added[a] = true
				}
			}
		}
	}
	del(ps, "resources")

	// New tasks: fetches first, uploads after their producers, notifications in finally.
	var pre, post, fin []*yaml.Node
	for _, p := range order {
		if fetch[p] {
			pp := func(k string) string { return "$(params." + pn(p, k) + ")" }
			s.clones = s.clones || types[p] == "git"
			ft := f.fetchTask(types[p], p, names.name(fetchPrefix(types[p]), p), pp)
			if types[p] == "cluster" {
				f.clusterContext(ft, declKey, p, clusterNames[p])
				if s.kubeconfigTasks == nil {
					s.kubeconfigTasks = map[string]string{}
				}
				s.kubeconfigTasks[p] = str(ft, "name")
			}
			if optional[p] {
				key := resourceParams[types[p]][0].key
				set(ft, "when", seq(mapping("input", pp(key), "operator", "notin", "values", seq(quoted("")))), "taskRef")
			}
			pre = append(pre, ft)
		}
		for _, c := range copyFetch {
			if c[0] != p {
				continue
			}
			pp := func(k string) string { return "$(params." + pn(p, k) + ")" }
			s.clones = s.clones || types[p] == "git"
			ft := f.fetchTask(types[p], p, names.name(fetchPrefix(types[p]), p+"-"+c[1]), pp)
			retarget(ft, p, p+"/"+c[1])
			if optional[p] {
				key := resourceParams[types[p]][0].key
				set(ft, "when", seq(mapping("input", pp(key), "operator", "notin", "values", seq(quoted("")))), "taskRef")
			}
			pre = append(pre, ft)
		}
	}
	for _, u := range uploads {
		pp := func(k string) string { return "$(params." + pn(u.res, k) + ")" }
		t := f.uploadTask(types[u.res], u.res, names.name("upload", u.res), pp, u.producers)
		if types[u.res] == "storage" {
			s.note(declKey, convert.Approximated, "storage-upload", "storage output %s: when its dir param is false, old Tekton copied only the files at the top of the output directory (gsutil cp <dir>/*); gcs-upload copies the directory recursively", u.res)
		}
		if copies[u.res][u.producers[0]] {
			retarget(t, u.res, u.res+"/"+u.producers[0])
		}
		if types[u.res] == "pullRequest" {
			// Old Tekton uploaded as the producer's last step, so only when it succeeded;
			// finally runs after failures too, and a later task's failure must not stop it.
			wl := seq()
			for _, p := range u.producers {
				wl.Content = append(wl.Content, mapping("input", "$(tasks."+p+".status)", "operator", "in", "values", strSeq("Succeeded")))
			}
			set(t, "when", wl, "taskRef")
			fin = append(fin, t)
		} else {
			post = append(post, t)
		}
	}
	for _, p := range notify {
		fin = append(fin, f.notifyTask(names.name("notify", p), "$(params."+pn(p, "targetURI")+")"))
	}
	if len(pre)+len(post) > 0 {
		tasks := ensureSeq(ps, "tasks", "finally")
		tasks.Content = append(append(pre, tasks.Content...), post...)
	}
	pruneRunAfter(ps, added)
	if len(fin) > 0 {
		fl := ensureSeq(ps, "finally")
		fl.Content = append(fl.Content, fin...)
	}
	// Only the params a task reads: a field no fetch task or Task takes would be declared for nothing.
	refs := referencedParams(ps)
	pparams = keepNamed(pparams, refs)
	s.runParams = declared(ps, "params")
	for _, p := range pparams {
		s.runParams[str(p, "name")] = true
	}
	if len(pparams) > 0 {
		pl := ensureSeq(ps, "params", "workspaces", "tasks", "finally", "results")
		for _, p := range pparams {
			if byName(pl, str(p, "name")) == nil {
				pl.Content = append(pl.Content, p)
			}
		}
	}
	// Likewise only the workspaces some task binds.
	bound := map[string]bool{}
	for _, pt := range pipelineTasks(ps) {
		for _, w := range items(get(pt, "workspaces")) {
			bound[str(w, "workspace")] = true
		}
	}
	pws = keepNamed(pws, bound)
	s.runWorkspaces = declared(ps, "workspaces")
	for _, w := range pws {
		s.runWorkspaces[str(w, "name")] = true
	}
	if len(pws) > 0 {
		wl := ensureSeq(ps, "workspaces", "tasks", "finally", "results")
		for _, w := range pws {
			if byName(wl, str(w, "name")) == nil {
				wl.Content = append(wl.Content, w)
			}
		}
	}
	if declKey != nil {
		s.note(declKey, convert.Converted, "pipeline-resources", "PipelineResources became params, workspaces and catalog tasks")
	}
}

func hasParam(t, k string) bool {
	for _, d := range resourceParams[t] {
		if d.key == k {
			return true
		}
	}
	return false
}

func contains(l []string, v string) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

func containsNode(s *yaml.Node, v string) bool {
	for _, it := range items(s) {
		if it.Value == v {
			return true
		}
	}
	return false
}

// taskInfo finds the Task a pipeline task runs: embedded, or indexed by name.
func (f pipelineResources) taskInfo(pt *yaml.Node) ([]*decl, map[string]map[string]bool, map[string]bool, bool) {
	spec := f.taskSpecOf(pt)
	if spec == nil {
		return nil, nil, map[string]bool{}, false
	}
	return taskDecls(spec), usedKeys(spec), declared(spec, "params"), true
}

// taskSpecOf is the spec of the Task a pipeline task runs, embedded or indexed, or nil.
func (f pipelineResources) taskSpecOf(pt *yaml.Node) *yaml.Node {
	if spec := get(pt, "taskSpec"); spec != nil {
		return spec
	}
	if e := f.s.idx.lookup("Task", str(get(pt, "taskRef"), "name")); e != nil {
		return get(e.node, "spec")
	}
	return nil
}

// producerResult names the result that carries image resource p out of pipeline task producer.
func (f pipelineResources) producerResult(ps *yaml.Node, producer, p string) string {
	for _, pt := range pipelineTasks(ps) {
		if str(pt, "name") != producer {
			continue
		}
		var outs []string
		for _, o := range items(path(pt, "resources", "outputs")) {
			if t := str(o, "resource"); t == p || true {
				if typ := f.typeOf(ps, str(o, "resource")); typ == "image" {
					outs = append(outs, str(o, "name")+"\x00"+str(o, "resource"))
				}
			}
		}
		for _, o := range outs {
			var r, res string
			for i := range o {
				if o[i] == 0 {
					r, res = o[:i], o[i+1:]
				}
			}
			if res == p {
				_, url, _ := imageNames(r, len(outs) == 1)
				return url
			}
		}
	}
	return "IMAGE_URL"
}

func (f pipelineResources) typeOf(ps *yaml.Node, p string) string {
	if d := byName(get(ps, "resources"), p); d != nil {
		return normType(str(d, "type"))
	}
	return ""
}

func (s *docState) recordFetch(task, fetch string) {
	if s.fetchFor == nil {
		s.fetchFor = map[string][]string{}
	}
	s.fetchFor[task] = append(s.fetchFor[task], fetch)
}

// runPipeline is the state of converting the Pipeline a PipelineRun runs: embedded (converted
// just before), or indexed, converted here on a copy; nil when the Pipeline is unknown.
func (f pipelineResources) runPipeline(spec *yaml.Node) *docState {
	if get(spec, "pipelineSpec") != nil {
		return f.s
	}
	e := f.s.idx.lookup("Pipeline", str(get(spec, "pipelineRef"), "name"))
	if e == nil {
		return nil
	}
	scratch := &docState{path: f.s.path, opts: f.s.opts, to: f.s.to, idx: f.s.idx, kind: "Pipeline", shares: f.s.shares}
	ps := clone(get(e.node, "spec"))
	conditionsToWhen{scratch}.pipeline(ps) // check tasks bind resources too
	pipelineResources{scratch}.pipeline(ps)
	return scratch
}

var paramRef = lazyre.New(`\$\(params\.([A-Za-z0-9_.-]+)\)`)

// keepNamed keeps the items of l whose name ok holds.
func keepNamed(l []*yaml.Node, ok map[string]bool) []*yaml.Node {
	var out []*yaml.Node
	for _, n := range l {
		if ok[str(n, "name")] {
			out = append(out, n)
		}
	}
	return out
}

// referencedParams lists the params a Pipeline spec's values read.
func referencedParams(ps *yaml.Node) map[string]bool {
	out := map[string]bool{}
	walkValues(ps, func(n *yaml.Node) {
		for _, m := range paramRef.FindAllStringSubmatch(n.Value, -1) {
			out[m[1]] = true
		}
	})
	return out
}

// fetchServiceAccounts runs each fetch task under the ServiceAccount of the tasks it fetches for:
// old Tekton fetched inside the task's own pod, whose ServiceAccount's Secrets creds-init read.
func (f pipelineResources) fetchServiceAccounts(spec, at *yaml.Node, fetchFor map[string][]string) {
	sa := map[string]string{}
	for _, trs := range items(get(spec, "taskRunSpecs")) {
		if v := str(trs, "taskServiceAccountName"); v != "" {
			sa[str(trs, "pipelineTaskName")] = v
		}
	}
	if len(sa) == 0 {
		return
	}
	users := map[string][]string{} // fetch task → the tasks it fetches for
	var fetches []string
	var tasks []string
	for t := range fetchFor {
		tasks = append(tasks, t)
	}
	sort.Strings(tasks)
	for _, t := range tasks {
		for _, ft := range fetchFor[t] {
			if users[ft] == nil {
				fetches = append(fetches, ft)
			}
			users[ft] = append(users[ft], t)
		}
	}
	sort.Strings(fetches)
	trs := ensureSeq(spec, "taskRunSpecs", "workspaces")
	for _, ft := range fetches {
		var accounts []string
		for _, t := range users[ft] {
			if !contains(accounts, sa[t]) {
				accounts = append(accounts, sa[t])
			}
		}
		if len(accounts) == 1 && accounts[0] == "" {
			continue
		}
		if len(accounts) > 1 {
			f.s.markerAbove(trs.Content[0].Content[0], at, "fetch-service-account", "fetch task %s clones for tasks %s, which run under different ServiceAccounts; old Tekton cloned in each task's pod with its own: give %s the one whose Secrets can read the repository", ft, strings.Join(users[ft], ", "), ft)
			continue
		}
		if byKeyValue(trs, "pipelineTaskName", ft) == nil {
			trs.Content = append(trs.Content, mapping("pipelineTaskName", ft, "taskServiceAccountName", accounts[0]))
			f.s.note(at, convert.Converted, "fetch-service-account", "fetch task %s runs under ServiceAccount %s, as task %s fetched its resource with it (its Secrets reach git-clone through creds-init unless disable-creds-init is set)", ft, accounts[0], strings.Join(users[ft], ", "))
		}
	}
}

func byKeyValue(s *yaml.Node, k, v string) *yaml.Node {
	for _, it := range items(s) {
		if str(it, k) == v {
			return it
		}
	}
	return nil
}

// pruneRunAfter drops each runAfter entry we added that another entry of the same task
// already implies (it runs after a task that runs after it).
func pruneRunAfter(ps *yaml.Node, added map[*yaml.Node]bool) {
	deps := dependents(ps)
	for _, pt := range items(get(ps, "tasks")) {
		ra := get(pt, "runAfter")
		var keep []*yaml.Node
		for _, x := range items(ra) {
			implied := false
			for _, y := range items(ra) {
				implied = implied || added[x] && y != x && contains(closure(deps, x.Value), y.Value)
			}
			if !implied {
				keep = append(keep, x)
			}
		}
		if ra != nil {
			ra.Content = keep
		}
	}
}

// freshCopies lists, per resource, the tasks that each need a clone of their own: old Tekton
// fetched a resource afresh into every task taking it without from, and tasks that may run
// at the same time must not now share one mutable checkout.
func freshCopies(ps *yaml.Node, types map[string]string) map[string]map[string]bool {
	fresh, order := freshConsumers(ps, types)
	deps := dependents(ps)
	reach := func(a, b string) bool { return contains(closure(deps, a), b) }
	out := map[string]map[string]bool{}
	for _, p := range order {
		ts := fresh[p]
		for i := range ts {
			for j := i + 1; j < len(ts); j++ {
				if !reach(ts[i], ts[j]) && !reach(ts[j], ts[i]) {
					if out[p] == nil {
						out[p] = map[string]bool{}
					}
					out[p][ts[i]], out[p][ts[j]] = true, true
				}
			}
		}
	}
	return out
}

// freshConsumers lists, per resource (in first-use order), the tasks that fetched it afresh:
// an input without from, of a type with files (a kubeconfig is read, never changed).
func freshConsumers(ps *yaml.Node, types map[string]string) (map[string][]string, []string) {
	fresh := map[string][]string{}
	var order []string
	for _, pt := range items(get(ps, "tasks")) {
		for _, in := range items(path(pt, "resources", "inputs")) {
			p, t := str(in, "resource"), types[str(in, "resource")]
			if hasWorkspace(t) && t != "cluster" && get(in, "from") == nil && !contains(fresh[p], str(pt, "name")) {
				if fresh[p] == nil {
					order = append(order, p)
				}
				fresh[p] = append(fresh[p], str(pt, "name"))
			}
		}
	}
	return fresh, order
}

// sharedFetches lists, per resource, the tasks without a copy of their own that each fetched it afresh, when more than one.
func sharedFetches(ps *yaml.Node, types map[string]string, copies map[string]map[string]bool) map[string][]string {
	fresh, _ := freshConsumers(ps, types)
	out := map[string][]string{}
	for p, ts := range fresh {
		var shared []string
		for _, t := range ts {
			if !copies[p][t] {
				shared = append(shared, t)
			}
		}
		if len(shared) > 1 {
			out[p] = shared
		}
	}
	return out
}

// retarget moves a generated task's bindings of resource p's subPath to sub.
func retarget(pt *yaml.Node, p, sub string) {
	for _, w := range items(get(pt, "workspaces")) {
		if n := get(w, "subPath"); n != nil && n.Value == p {
			n.Value = sub
		}
	}
}

// clusterNames lists, per cluster resource of Pipeline spec ps, the names the tasks that
// take it as input declare it under, in task order.
func clusterNames(ps *yaml.Node, types map[string]string) map[string][]string {
	out := map[string][]string{}
	for _, pt := range pipelineTasks(ps) {
		for _, in := range items(path(pt, "resources", "inputs")) {
			if p, r := str(in, "resource"), str(in, "name"); types[p] == "cluster" && !contains(out[p], r) {
				out[p] = append(out[p], r)
			}
		}
	}
	return out
}

// clusterContext names the kubeconfig's cluster and context as old Tekton (v0.14 on) did:
// after the resource's name in the Task, which its steps select (kubectl --context, or the
// /workspace/<name>/kubeconfig path).
func (f pipelineResources) clusterContext(ft, at *yaml.Node, p string, names []string) {
	name := p
	if len(names) > 0 {
		name = names[0]
	}
	ps := get(ft, "params")
	ps.Content = append([]*yaml.Node{mapping("name", "name", "value", name)}, ps.Content...)
	if name != p {
		f.s.note(at, convert.Approximated, "cluster-context", "the kubeconfig of cluster resource %s has context %s, the Task's name for it, as Tekton v0.14 on named it (v0.10 to v0.13 used the PipelineResource's own name)", p, name)
	}
	if len(names) > 1 {
		f.s.markerAt(get(ft, "name"), at, "cluster-context", "the tasks take cluster resource %s under the names %s; old Tekton wrote one kubeconfig per task with context named after each, this one kubeconfig has context %s: steps that select another context by name need %s", p, strings.Join(names, ", "), name, name)
	}
}

// wsBinding binds task workspace name to resource p's part of the shared workspace
// (pipeline-resources unless the Pipeline declared that name).
func (f pipelineResources) wsBinding(name, p string) *yaml.Node {
	return mapping("name", name, "workspace", resourceWS(f.s.wsUser), "subPath", p)
}

// credBinding binds a gcs task's credentials workspace to storage resource p's.
func (f pipelineResources) credBinding(p string) *yaml.Node {
	return mapping("name", "credentials", "workspace", credentialsWS(f.s.wsUser, p))
}

func fetchPrefix(t string) string {
	if t == "cluster" {
		return "kubeconfig"
	}
	return "fetch"
}

// fetchTask fills resource p's subPath; pp gives the reference to the Pipeline param of field k.
func (f pipelineResources) fetchTask(t, p, name string, pp func(k string) string) *yaml.Node {
	param := func(name, v string) *yaml.Node { return mapping("name", name, "value", v) }
	// all passes every field of the resource to the catalog param of the same name.
	all := func(ps *yaml.Node) *yaml.Node {
		for _, d := range resourceParams[t] {
			ps.Content = append(ps.Content, param(d.key, pp(d.key)))
		}
		return ps
	}
	switch t {
	case "git":
		ref, _ := f.s.catalogRef("git-clone")
		return mapping("name", name, "taskRef", ref, "params", all(seq()),
			"workspaces", seq(f.wsBinding("output", p)))
	case "pullRequest":
		ref, _ := f.s.catalogRef("pull-request")
		return mapping("name", name, "taskRef", ref, "params", all(seq(param("mode", "download"))),
			"workspaces", seq(f.wsBinding("pr", p)))
	case "storage":
		ref, _ := f.s.catalogRef("gcs-download")
		return mapping("name", name, "taskRef", ref,
			"params", seq(param("path", "."), param("location", pp("location")), param("typeDir", pp("dir"))),
			"workspaces", seq(f.wsBinding("output", p), f.credBinding(p)))
	case "cluster":
		ref, _ := f.s.catalogRef("kubeconfig-creator")
		return mapping("name", name, "taskRef", ref, "params", all(seq()),
			"workspaces", seq(f.wsBinding("output", p)))
	}
	return nil
}

func (f pipelineResources) uploadTask(t, p, name string, pp func(k string) string, producers []string) *yaml.Node {
	param := func(name, v string) *yaml.Node { return mapping("name", name, "value", v) }
	if t == "pullRequest" {
		ref, _ := f.s.catalogRef("pull-request")
		ps := seq(param("mode", "upload"))
		for _, d := range resourceParams[t] {
			ps.Content = append(ps.Content, param(d.key, pp(d.key)))
		}
		return mapping("name", name, "taskRef", ref, "params", ps,
			"workspaces", seq(f.wsBinding("pr", p)))
	}
	ref, _ := f.s.catalogRef("gcs-upload")
	// A dir resource was mirrored (gsutil rsync -d -r, gcs.go): files gone from the directory went from the bucket too.
	return mapping("name", name, "runAfter", strSeq(producers...), "taskRef", ref,
		"params", seq(param("path", "."), param("location", pp("location")), param("deleteExtraFiles", pp("dir"))),
		"workspaces", seq(f.wsBinding("source", p), f.credBinding(p)))
}

func (f pipelineResources) notifyTask(name, sink string) *yaml.Node {
	ref, t := f.s.catalogRef("cloudevent")
	n := mapping("name", name, "taskRef", ref, "params", seq(
		mapping("name", "sink", "value", sink),
		mapping("name", "eventID", "value", "$(context.pipelineRun.uid)"),
		mapping("name", "eventType", "value", "dev.tekton.event.pipelinerun.finished"),
		mapping("name", "data", "value", `{"status": "$(tasks.status)"}`)))
	addComment(get(n, "name"), "# "+t.Note)
	return n
}

// kubeconfigEnvs are the variables kubeconfigwriter (the image of kubeconfig-creator 0.2)
// reads besides its -clusterConfig; the cluster resource set one per Secret field, upper-cased.
var kubeconfigEnvs = map[string]bool{"TOKEN": true, "CADATA": true, "USERNAME": true, "PASSWORD": true}

// clusterEnv passes the cluster resource's Secret fields to the kubeconfig task as old Tekton
// did, as env from the Secret (valueFrom secretKeyRef), and a token written in plain text
// through a Secret too: a param value would put it in the PipelineRun for anyone to read.
func (f pipelineResources) clusterEnv(b *yaml.Node, p string, r resolved, manual *[]unresolvedBinding) []*yaml.Node {
	var env []*yaml.Node
	for _, field := range r.fields {
		if sec := r.secrets[field]; kubeconfigEnvs[strings.ToUpper(field)] {
			env = append(env, secretEnv(strings.ToUpper(field), sec.name, sec.key))
			f.s.note(b, convert.Converted, "cluster-secret", "binding %s: Secret %s (key %s) reaches the kubeconfig writer as env %s, as the cluster resource passed it", p, sec.name, sec.key, strings.ToUpper(field))
		}
	}
	if r.plainToken && !r.hasSecret("token") {
		name := dnsLabel(p + "-cluster")
		env = append(env, secretEnv("TOKEN", name, "token"))
		*manual = append(*manual, unresolvedBinding{at: b, msg: fmt.Sprintf("binding %s: the cluster resource held its token in plain text; it is no longer written into the run: the kubeconfig writer reads env TOKEN from Secret %s (key token), which you create", p, name),
			action: fmt.Sprintf("kubectl create secret generic %s --from-literal=token=<token>", name)})
	}
	return env
}

func secretEnv(name, secret, key string) *yaml.Node {
	return mapping("name", name, "valueFrom", mapping("secretKeyRef", mapping("name", secret, "key", key)))
}

// kubeconfigTask names the kubeconfig task of cluster resource p in the run's Pipeline.
func kubeconfigTask(run *docState, p string) string {
	if run != nil && run.kubeconfigTasks[p] != "" {
		return run.kubeconfigTasks[p]
	}
	return dnsLabel(fetchPrefix("cluster") + "-" + p) // the convention, with the Pipeline unknown
}

// kubeconfigEnv gives the pods of pipeline task task the env (podTemplate.env reaches every step).
func (f pipelineResources) kubeconfigEnv(spec, at *yaml.Node, task string, env []*yaml.Node) {
	trs := ensureSeq(spec, "taskRunSpecs", "workspaces")
	var ts *yaml.Node
	for _, it := range items(trs) {
		if str(it, "pipelineTaskName") == task {
			ts = it
		}
	}
	if ts == nil {
		ts = mapping("pipelineTaskName", task)
		trs.Content = append(trs.Content, ts)
	}
	pt := get(ts, "taskPodTemplate")
	if pt == nil {
		pt = get(ts, "podTemplate")
	}
	if pt == nil {
		pt = ensureMap(ts, "taskPodTemplate")
	}
	el := ensureSeq(pt, "env")
	for _, e := range env {
		if byName(el, str(e, "name")) == nil {
			el.Content = append(el.Content, e)
		}
	}
}

// secretRef is one entry of a resource's secrets: the Secret and the key in it.
type secretRef struct{ name, key string }

// resolved is a PipelineResource's type and params, from the index or a resourceSpec.
type resolved struct {
	typ     string
	params  map[string]string
	secrets map[string]secretRef // by fieldName
	fields  []string             // secret fieldNames in source order
	found   bool
	sub     string // storage sub-type other than gcs
	// plainToken: the resource wrote a token in plain text (kept out of params by literal).
	plainToken bool
}

func (f pipelineResources) resolve(b *yaml.Node) resolved {
	spec := get(b, "resourceSpec")
	if spec == nil {
		if e := f.s.idx.lookup("PipelineResource", str(get(b, "resourceRef"), "name")); e != nil {
			spec = get(e.node, "spec")
		}
	}
	if spec == nil {
		return resolved{}
	}
	r := resolved{typ: normType(str(spec, "type")), params: map[string]string{}, secrets: map[string]secretRef{}, found: true}
	for _, p := range items(get(spec, "params")) {
		name, value := str(p, "name"), str(p, "value")
		r.params[name] = f.s.literal(b, name, value)
		if name == "token" && value != "" {
			r.plainToken = true // clusterEnv has the kubeconfig task read it from a Secret instead
		}
	}
	if r.typ == "storage" && r.params["type"] != "" && r.params["type"] != "gcs" {
		r.sub = r.params["type"] // build-gcs and other storage types have no catalog task
	}
	for _, s := range items(get(spec, "secrets")) {
		r.secrets[str(s, "fieldName")] = secretRef{name: str(s, "secretName"), key: str(s, "secretKey")}
		r.fields = append(r.fields, str(s, "fieldName"))
	}
	if r.typ == "cluster" && r.params["cadata"] == "" && !r.hasSecret("cadata") {
		// cluster_resource.go: without CA data the kubeconfig skipped TLS verification, whatever insecure said.
		r.params["insecure"] = "true"
	}
	if sec := r.secrets["authToken"]; r.typ == "pullRequest" && sec.name != "" {
		r.params["secret-key-ref"] = sec.name
	}
	if r.typ == "storage" {
		if _, ok := r.params["dir"]; ok {
			r.params["dir"] = "true"
		}
	}
	return r
}

// hasSecret reports a secret for field k (old Tekton matched field names case-insensitively).
func (r resolved) hasSecret(k string) bool {
	for _, f := range r.fields {
		if strings.EqualFold(f, k) {
			return true
		}
	}
	return false
}

func vctWorkspace(name string) *yaml.Node {
	w := mapping("name", name, "volumeClaimTemplate", mapping("spec", mapping(
		"accessModes", strSeq("ReadWriteOnce"),
		"resources", mapping("requests", mapping("storage", "1Gi")))))
	addComment(w.Content[1], "# one volume for every resource (each in a subPath); needs a default StorageClass (dynamic provisioning)")
	return w
}

// pipelineRun turns resource bindings into params and workspaces.
func (f pipelineResources) pipelineRun(spec *yaml.Node) {
	s := f.s
	bk := keyNode(spec, "resources")
	if bk == nil {
		if ws := f.unboundShared(spec, f.runPipeline(spec), nil); ws != nil {
			wl := ensureSeq(spec, "workspaces", "taskRunTemplate", "serviceAccountName", "podTemplate", "timeouts", "timeout", "taskRunSpecs")
			wl.Content = append(wl.Content, ws)
		}
		return
	}
	binds := items(get(spec, "resources"))
	run := f.runPipeline(spec)
	declType := func(p string) string {
		if t, ok := s.embeddedDecls[p]; ok {
			return t
		}
		if e := s.idx.lookup("Pipeline", str(get(spec, "pipelineRef"), "name")); e != nil {
			if d := byName(path(e.node, "spec", "resources"), p); d != nil {
				return normType(str(d, "type"))
			}
		}
		return ""
	}
	user, wsUser := s.embeddedParams, s.embeddedWorkspaces
	if user == nil {
		user, wsUser = map[string]bool{}, map[string]bool{}
		if e := s.idx.lookup("Pipeline", str(get(spec, "pipelineRef"), "name")); e != nil {
			user = declared(get(e.node, "spec"), "params")
			wsUser = declared(get(e.node, "spec"), "workspaces")
		} else {
			// The Pipeline declares at least what its runs bind: the same names are taken there.
			wsUser = declared(spec, "workspaces")
		}
	}
	shared := resourceWS(wsUser)
	var params, ws []*yaml.Node
	var manual []unresolvedBinding
	gitBound := false
	// Comments on a binding move to what replaces it: its first param, else the workspace.
	carry := func(b *yaml.Node, do func()) {
		np, nw := len(params), len(ws)
		do()
		carryComments(b, append(append([]*yaml.Node(nil), params[np:]...), ws[nw:]...))
	}
	bindOne := func(b *yaml.Node) {
		p := str(b, "name")
		r := f.resolve(b)
		t := r.typ
		if t == "" {
			t = declType(p)
		}
		if _, ok := resourceParams[t]; !ok {
			if t == "" {
				manual = append(manual, unresolvedBinding{at: b, msg: "binding " + p + ": PipelineResource " + str(get(b, "resourceRef"), "name") + " is defined nowhere in the input; pass its fields as params " + p + "-<field> (for git: " + p + "-url, " + p + "-revision) and bind workspace " + shared})
			} else {
				manual = append(manual, unresolvedBinding{at: b, msg: "binding " + p + ": resource type " + t + " has no replacement"})
			}
			return
		}
		if r.sub != "" {
			manual = append(manual, unresolvedBinding{at: b, msg: "binding " + p + ": storage type " + r.sub + " has no catalog task; fill workspace " + p + " yourself"})
		}
		var env []*yaml.Node
		if t == "cluster" {
			env = f.clusterEnv(b, p, r, &manual)
		}
		for _, d := range resourceParams[t] {
			v, ok := r.params[d.key]
			if t == "cluster" && d.key == "token" {
				continue // never a param value: clusterEnv passes it from a Secret
			}
			if !ok {
				if d.def != nil || d.self {
					continue
				}
				name := resParam(user, p, d.key)
				pn := mapping("name", name, "value", "")
				if r.found {
					s.markerAt(pn.Content[3], b, "resource-param", "set %s: resource %s has no %s", name, p, d.key)
				} else {
					s.markerAt(pn.Content[3], b, "resource-param", "set %s: PipelineResource %s is defined nowhere in the input", name, str(get(b, "resourceRef"), "name"))
				}
				params = append(params, pn)
				continue
			}
			params = append(params, mapping("name", resParam(user, p, d.key), "value", v))
		}
		var fields []string
		for k := range r.params {
			fields = append(fields, k)
		}
		sort.Strings(fields)
		for _, k := range fields {
			if t == "cluster" && strings.EqualFold(k, "name") {
				s.note(b, convert.Approximated, "cluster-name", "binding %s: field name (%q) of the cluster resource is dropped: Tekton v0.14 on ignored it too, naming the kubeconfig's context after the resource's name in the Task", p, r.params[k])
				continue
			}
			if !hasParam(t, k) && !(t == "storage" && k == "type") {
				manual = append(manual, unresolvedBinding{at: b, msg: fmt.Sprintf("binding %s: field %s (%q) of the %s resource has no replacement and was dropped", p, k, r.params[k], t)})
			}
		}
		manual = append(manual, secretFindings(b, p, t, r, func(k string) string { return resParam(user, p, k) })...)
		if len(env) > 0 {
			f.kubeconfigEnv(spec, b, kubeconfigTask(run, p), env)
		}
		if hasWorkspace(t) {
			gitBound = gitBound || t == "git"
			if byName(seq(ws...), shared) == nil {
				ws = append(ws, vctWorkspace(shared))
			}
			if t == "storage" {
				cred := credentialsWS(wsUser, p)
				cw := mapping("name", cred)
				if sec := r.secrets["GOOGLE_APPLICATION_CREDENTIALS"]; sec.name != "" {
					sv := mapping("secretName", sec.name)
					if sec.key != "" && sec.key != gcsKeyFile {
						// gcs-download and gcs-upload read service_account.json: mount the key under that name.
						sv.Content = append(sv.Content, scalar("items"), seq(mapping("key", sec.key, "path", gcsKeyFile)))
					}
					cw.Content = append(cw.Content, scalar("secret"), sv)
					s.note(b, convert.Converted, "storage-credentials", "Secret %s (key %s) is mounted as workspace %s", sec.name, orDefault(sec.key, gcsKeyFile), cred)
					s.findings[len(s.findings)-1].Action = gcsSecretAction(sec.name, orDefault(sec.key, gcsKeyFile))
				} else {
					cw.Content = append(cw.Content, scalar("emptyDir"), mapping())
					s.markerAt(cw.Content[1], b, "storage-credentials", "bind the Secret with the GCS service account key as workspace %s", cred)
					s.findings[len(s.findings)-1].Action = gcsSecretAction(p+"-credentials", gcsKeyFile)
				}
				ws = append(ws, cw)
			}
		}
	}
	for _, b := range binds {
		carry(b, func() { bindOne(b) })
	}
	del(spec, "resources")
	if i := indexByName(ws, shared); i >= 0 {
		ps := get(spec, "pipelineSpec")
		if ps == nil {
			if e := s.idx.lookup("Pipeline", str(get(spec, "pipelineRef"), "name")); e != nil {
				ps = get(e.node, "spec")
			}
		}
		ws[i] = f.onePVC(spec, ws[i], pvcPartners(ps, shared, declType))
	}
	if run != nil && run.runParams != nil {
		params, ws = keepNamed(params, run.runParams), keepNamed(ws, run.runWorkspaces)
	}
	if w := f.unboundShared(spec, run, ws); w != nil {
		ws = append(ws, w)
	}
	f.addRunParamsWorkspaces(spec, bk, params, ws, manual)
	if run != nil {
		f.fetchServiceAccounts(spec, bk, run.fetchFor)
	}
	if run != nil {
		gitBound = run.clones // the Pipeline is known: what matters is whether it runs git-clone
	}
	if gitBound {
		f.fsGroup(spec)
	}
}

// unboundShared is the binding a run needs when its converted Pipeline declares the resources'
// workspace (always required: see pipeline) but the run binds no resource that fills it: an
// emptyDir, since nothing is fetched into it. nil when the run binds it, or needs none.
func (f pipelineResources) unboundShared(spec *yaml.Node, run *docState, ws []*yaml.Node) *yaml.Node {
	if run == nil || run.runWorkspaces == nil {
		return nil
	}
	shared := resourceWS(run.wsUser)
	if !run.runWorkspaces[shared] || indexByName(ws, shared) >= 0 || byName(get(spec, "workspaces"), shared) != nil {
		return nil
	}
	w := mapping("name", shared, "emptyDir", mapping())
	addComment(w.Content[1], "# no PipelineResource bound: the fetch tasks are skipped and nothing lands here")
	return w
}

func indexByName(l []*yaml.Node, name string) int {
	for i, n := range l {
		if str(n, "name") == name {
			return i
		}
	}
	return -1
}

// pvcPartners lists, per other workspace of Pipeline spec ps, the tasks that mount it
// together with the resources' workspace shared (ps converted or not: typeOf types a resource).
func pvcPartners(ps *yaml.Node, shared string, typeOf func(string) string) map[string][]string {
	out := map[string][]string{}
	for _, pt := range pipelineTasks(ps) {
		withRes := false
		bind := get(pt, "resources")
		for _, b := range append(items(get(bind, "inputs")), items(get(bind, "outputs"))...) {
			withRes = withRes || hasWorkspace(typeOf(str(b, "resource")))
		}
		var own []string
		for _, w := range items(get(pt, "workspaces")) {
			if str(w, "workspace") == shared {
				withRes = true
			} else if !contains(own, str(w, "workspace")) {
				own = append(own, str(w, "workspace"))
			}
		}
		if withRes {
			for _, w := range own {
				out[w] = append(out[w], str(pt, "name"))
			}
		}
	}
	return out
}

// onePVC keeps each task on one PVC, as the affinity assistant requires: when a task also
// mounts a workspace the run binds to a PersistentVolumeClaim, the resources' workspace
// becomes a subPath of that claim; when that workspace has a volumeClaimTemplate, a marker.
func (f pipelineResources) onePVC(spec, vct *yaml.Node, partners map[string][]string) *yaml.Node {
	for _, rb := range items(get(spec, "workspaces")) {
		tasks := partners[str(rb, "name")]
		if len(tasks) == 0 {
			continue
		}
		name := str(vct, "name")
		if claim := str(get(rb, "persistentVolumeClaim"), "claimName"); claim != "" {
			f.s.note(rb, convert.Converted, "one-pvc", "task %s mounts workspace %s too: %s is subPath %s of the same claim %s, since a TaskRun may mount only one PVC under the affinity assistant", strings.Join(tasks, ", "), str(rb, "name"), name, name, claim)
			return mapping("name", name, "persistentVolumeClaim", mapping("claimName", claim), "subPath", name)
		}
		if get(rb, "volumeClaimTemplate") != nil {
			vct.Content[1].LineComment = "" // the marker says more than the storage note
			f.s.markerAt(vct.Content[1], rb, "one-pvc", "task %s also mounts workspace %s, bound to a volumeClaimTemplate too: two PVCs in one TaskRun fail under the default affinity assistant; bind %s to a persistentVolumeClaim (then give %s the same claim with subPath %s), or set coschedule: pipelineruns in ConfigMap feature-flags", strings.Join(tasks, ", "), str(rb, "name"), str(rb, "name"), name, name)
			return vct
		}
	}
	return vct
}

// fsGroup lets later tasks use the files git-clone 1.7.0 writes as UID 65532.
func (f pipelineResources) fsGroup(spec *yaml.Node) {
	pt := get(spec, "podTemplate")
	if trt := get(spec, "taskRunTemplate"); trt != nil {
		pt = get(trt, "podTemplate")
	}
	if path(pt, "securityContext", "fsGroup") != nil {
		return
	}
	if pt == nil {
		pt = ensureMap(spec, "podTemplate", "timeouts", "timeout", "taskRunSpecs", "workspaces")
	}
	sc := ensureMap(pt, "securityContext")
	fg := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "65532"}
	set(sc, "fsGroup", fg)
	addComment(fg, "# git-clone 1.7.0 runs as UID 65532; later tasks need to read and write its files")
}

// unresolvedBinding is a Run's binding to a PipelineResource we could not find.
type unresolvedBinding struct {
	at     *yaml.Node
	msg    string
	action string // a command for the report's checklist, without secret values
}

const gcsKeyFile = "service_account.json"

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func gcsSecretAction(name, key string) string {
	return fmt.Sprintf("kubectl create secret generic %s --from-file=%s=<service account key file>", name, key)
}

// secretFindings covers the resource secrets no workspace carries: a catalog task that
// reads another key, fields only a param can take, and fields nothing takes.
func secretFindings(b *yaml.Node, p, t string, r resolved, param func(k string) string) []unresolvedBinding {
	var out []unresolvedBinding
	for _, field := range r.fields {
		sec := r.secrets[field]
		switch {
		case t == "storage" && field == "GOOGLE_APPLICATION_CREDENTIALS":
			// mounted as the credentials workspace
		case t == "pullRequest" && field == "authToken":
			if sec.key != "" && sec.key != "token" {
				out = append(out, unresolvedBinding{at: b, msg: fmt.Sprintf("binding %s: pull-request reads key token of Secret %s, but the resource read key %s; add a token key to the Secret", p, sec.name, sec.key),
					action: fmt.Sprintf("kubectl create secret generic %s --from-literal=token=<token> --dry-run=client -o yaml | kubectl apply -f -", sec.name)})
			}
		case t == "cluster" && kubeconfigEnvs[strings.ToUpper(field)]:
			// the kubeconfig task reads it as env from the same Secret (clusterEnv)
		case t == "cluster" && hasParam(t, field):
			out = append(out, unresolvedBinding{at: b, msg: fmt.Sprintf("binding %s: the cluster resource passed %s (Secret %s, key %s) as env %s, which its kubeconfig writer never read; kubeconfig-creator 0.2 takes it only as param %s, which would put it in the run: keep a whole kubeconfig in a Secret and bind it as workspace %s instead", p, field, sec.name, sec.key, strings.ToUpper(field), param(field), p)})
		default:
			// No action: nothing in the output reads such a Secret.
			out = append(out, unresolvedBinding{at: b, msg: fmt.Sprintf("binding %s: secret field %s (Secret %s, key %s) of the %s resource has no replacement and was dropped", p, field, sec.name, sec.key, t)})
		}
	}
	return out
}

func (f pipelineResources) addRunParamsWorkspaces(spec, bk *yaml.Node, params, ws []*yaml.Node, manual []unresolvedBinding) {
	s := f.s
	before := []string{"taskRunTemplate", "serviceAccountName", "podTemplate", "timeouts", "timeout", "taskRunSpecs", "workspaces"}
	if len(params) > 0 {
		pl := ensureSeq(spec, "params", before...)
		for _, p := range params {
			if byName(pl, str(p, "name")) == nil {
				pl.Content = append(pl.Content, p)
			}
		}
	}
	for _, m := range manual {
		// The binding is gone; its marker goes above the params (or the reference) of the Run.
		at := keyNode(spec, "params")
		if at == nil {
			at = spec.Content[0]
		}
		s.markerAbove(at, m.at, "unresolved-resource", "%s", m.msg)
		s.findings[len(s.findings)-1].Action = m.action
	}
	if len(ws) > 0 {
		wl := ensureSeq(spec, "workspaces", "taskRunTemplate", "serviceAccountName", "podTemplate", "timeouts", "timeout", "taskRunSpecs")
		for _, w := range ws {
			if byName(wl, str(w, "name")) == nil {
				wl.Content = append(wl.Content, w)
			}
		}
	}
	s.note(bk, convert.Converted, "resource-bindings", "resource bindings became params and workspaces")
}

// taskRun turns a TaskRun's resource bindings into params and workspaces.
func (f pipelineResources) taskRun(spec *yaml.Node) {
	s := f.s
	bk := keyNode(spec, "resources")
	if bk == nil {
		return
	}
	var tspec *yaml.Node
	if ts := get(spec, "taskSpec"); ts != nil {
		tspec = ts
	} else if e := s.idx.lookup("Task", str(get(spec, "taskRef"), "name")); e != nil {
		tspec = get(e.node, "spec")
	}
	ds := taskDecls(tspec)
	used := usedKeys(tspec)
	user := declared(tspec, "params")
	taskWS := declared(spec, "workspaces") // what it binds: the Task's own names when the Task is unknown
	if tspec != nil {
		taskWS = declared(tspec, "workspaces")
	}
	single := imageOutputs(ds) == 1
	res := get(spec, "resources")
	var params, ws []*yaml.Node
	var manual []unresolvedBinding
	carry := func(b *yaml.Node, do func()) {
		np, nw := len(params), len(ws)
		do()
		carryComments(b, append(append([]*yaml.Node(nil), ws[nw:]...), params[np:]...))
	}
	handle := func(b *yaml.Node, output bool) {
		rname := str(b, "name")
		r := f.resolve(b)
		t := r.typ
		var d *decl
		for _, x := range ds {
			if x.name == rname {
				d = x
			}
		}
		if t == "" && d != nil {
			t = d.typ
		}
		if !r.found {
			manual = append(manual, unresolvedBinding{at: b, msg: "binding " + rname + ": PipelineResource " + str(get(b, "resourceRef"), "name") + " is defined nowhere in the input; pass the fields the Task reads as params " + rname + "-<field> and bind workspace " + rname})
			return
		}
		// An embedded Task can run the step old Tekton added for the resource; a referenced one is shared.
		inline := (t == "pullRequest" || t == "storage" || (t == "cluster" || t == "git") && !output) && get(spec, "taskSpec") != nil && r.sub == ""
		if wname := resWorkspace(taskWS, rname); inline {
			if byName(seq(ws...), wname) == nil {
				ws = append(ws, mapping("name", wname, "emptyDir", mapping()))
			}
			switch t {
			case "storage":
				f.storageStep(get(spec, "taskSpec"), b, rname, wname, r, output)
			case "git":
				f.gitStep(get(spec, "taskSpec"), b, rname, wname, r)
			case "cluster":
				f.kubeconfigStep(get(spec, "taskSpec"), b, rname, wname, r, f.clusterEnv(b, rname, r, &manual))
			default:
				f.pullRequestStep(get(spec, "taskSpec"), b, rname, wname, r, output)
			}
		} else if hasWorkspace(t) {
			if byName(seq(ws...), wname) == nil {
				// A TaskRun is one pod: emptyDir volumes need no PVC, so the affinity assistant has nothing to bind.
				w := mapping("name", wname, "emptyDir", mapping())
				ws = append(ws, w)
				if r.sub != "" {
					s.markerAt(w.Content[1], b, "resource-fetch", "storage type %s of resource %s has no catalog task; fill workspace %s yourself", r.sub, rname, wname)
				} else if !output {
					s.markerAt(w.Content[1], b, "resource-fetch", "the %s resource %s (%s) is no longer fetched into this TaskRun; run a %s task first (for example in a PipelineRun) to fill workspace %s%s", t, rname, r.params["url"]+r.params["location"], fetchTaskName(t), wname, setFields(r, t, rname))
				} else if t == "storage" || t == "pullRequest" {
					up := map[string]string{"storage": "gcs-upload", "pullRequest": "pull-request (mode upload)"}[t]
					s.markerAt(w.Content[1], b, "resource-upload", "the %s output %s (%s) is no longer uploaded after this TaskRun, and an emptyDir ends with the pod; run it in a PipelineRun with a %s task after it", t, rname, r.params["url"]+r.params["location"], up)
				}
			}
		}
		if t == "image" && output {
			pn, _, _ := imageNames(rname, single || d == nil)
			params = append(params, mapping("name", pn, "value", r.params["url"]))
		} else if t == "image" {
			params = append(params, mapping("name", resParam(user, rname, "url"), "value", r.params["url"]))
		}
		if _, ok := resourceParams[t]; !ok {
			manual = append(manual, unresolvedBinding{at: b, msg: "binding " + rname + ": resource type " + t + " has no replacement"})
			return
		}
		if t == "cloudEvent" {
			manual = append(manual, unresolvedBinding{at: b, msg: fmt.Sprintf("cloudEvent resource %s: a TaskRun can't run a follow-up task; set sink %q in the config-events ConfigMap to get run events", rname, r.params["targetURI"])})
		}
		if !inline { // else the step reads the Secret, as the resource did
			manual = append(manual, taskRunSecrets(b, rname, t, r, func(k string) string { return resParam(user, rname, k) })...)
		}
		keys := sortedKeys(used[rname])
		if tspec == nil {
			// Which fields the Task reads is unknown: pass every one the resource sets, as Tekton ignores extra params.
			keys = nil
			for _, d := range resourceParams[t] {
				if _, set := r.params[d.key]; set {
					keys = append(keys, d.key)
				}
			}
		}
		for _, k := range keys {
			if k == "name" || k == "type" || (t == "image" && k == "url") {
				continue
			}
			if t == "cluster" && k == "token" {
				manual = append(manual, unresolvedBinding{at: b, msg: fmt.Sprintf("binding %s: the cluster token is not written into the run as param %s; pass it from a Secret (env valueFrom secretKeyRef) to the steps that need it", rname, resParam(user, rname, k))})
				continue
			}
			if pn := resParam(user, rname, k); byName(seq(params...), pn) == nil {
				params = append(params, mapping("name", pn, "value", r.params[k]))
			}
		}
	}
	for _, b := range items(get(res, "inputs")) {
		carry(b, func() { handle(b, false) })
	}
	for _, b := range items(get(res, "outputs")) {
		carry(b, func() { handle(b, true) })
	}
	del(spec, "resources")
	if tspec == nil && len(items(get(res, "inputs")))+len(items(get(res, "outputs"))) > 0 {
		s.note(bk, convert.Approximated, "resource-binding", "its Task is not in the input; params follow the naming convention (every field each resource sets is passed as param <resource>-<field>)")
	}
	f.addRunParamsWorkspaces(spec, bk, params, ws, manual)
}

// pullrequestInit is the image pull-request 0.2 runs (pipeline v0.20.1's pullrequest-init).
const pullrequestInit = "ghcr.io/tektoncd/github.com/tektoncd/pipeline/cmd/pullrequest-init@sha256:69633ecd0e948f6462c61bb9e008b940a05b143ef51c67e6e4093278a23dac53"

// pullRequestStep gives a TaskRun's embedded Task the step old Tekton added for a pullRequest
// resource (pull_request_resource.go getSteps): a download before the steps, an upload after
// them, which runs only when every step before it succeeded.
func (f pipelineResources) pullRequestStep(ts, b *yaml.Node, rname, ws string, r resolved, output bool) {
	mode := "download"
	if output {
		mode = "upload"
	}
	args := strSeq("-url", r.params["url"], "-path", "$(workspaces."+ws+".path)", "-mode", mode)
	if p := r.params["provider"]; p != "" {
		args.Content = append(args.Content, scalar("-provider"), scalar(p))
	}
	if strings.EqualFold(r.params["insecure-skip-tls-verify"], "true") {
		args.Content = append(args.Content, scalar("-insecure-skip-tls-verify=true"))
	}
	env := seq(mapping("name", "TEKTON_RESOURCE_NAME", "value", rname))
	for _, field := range r.fields {
		if sec := r.secrets[field]; strings.EqualFold(field, "authToken") {
			env.Content = append(env.Content, secretEnv("AUTH_TOKEN", sec.name, sec.key))
		}
	}
	steps := ensureSeq(ts, "steps")
	name := freeName(dnsLabel(mode+"-"+rname), func(n string) bool { return byName(steps, n) != nil })
	st := mapping("name", name, "image", pullrequestInit, "command", strSeq("/ko-app/pullrequest-init"), "args", args, "env", env)
	if output {
		steps.Content = append(steps.Content, st)
	} else {
		f.s.prependStep(steps, st)
	}
	f.s.note(b, convert.Converted, "pull-request-step", "binding %s: the Task runs the pullrequest-init %s step old Tekton added for the pullRequest resource, %s its steps", rname, mode, map[bool]string{false: "before", true: "after"}[output])
}

// prependStep puts a fetch step before the Task's own steps, after the fetch steps already
// there: old Tekton kept the inputs' steps in declaration order.
func (s *docState) prependStep(steps, st *yaml.Node) {
	if s.prepended == nil {
		s.prepended = map[*yaml.Node]int{}
	}
	i := s.prepended[steps]
	steps.Content = append(steps.Content[:i], append([]*yaml.Node{st}, steps.Content[i:]...)...)
	s.prepended[steps] = i + 1
}

// gitInit is the image git-clone 1.7.0 runs git-init from.
const gitInit = "ghcr.io/tektoncd-catalog/git-clone:v1.7.0"

// gitStep gives a TaskRun's embedded Task the git-init step old Tekton added for a git input
// (git_resource.go), with the same flags, proxies and HOME.
func (f pipelineResources) gitStep(ts, b *yaml.Node, rname, ws string, r resolved) {
	args := strSeq("-url", r.params["url"], "-path", "$(workspaces."+ws+".path)")
	add := func(v ...string) { args.Content = append(args.Content, strSeq(v...).Content...) }
	if v := r.params["revision"]; v != "" {
		add("-revision", v)
	}
	if v := r.params["refspec"]; v != "" {
		add("-refspec", v)
	}
	if v, ok := r.params["submodules"]; ok && strings.EqualFold(v, "false") {
		add("-submodules=false")
	}
	if v, ok := r.params["depth"]; ok && v != "1" {
		add("-depth", v)
	}
	if v, ok := r.params["sslVerify"]; ok && strings.EqualFold(v, "false") {
		add("-sslVerify=false")
	}
	env := seq(mapping("name", "TEKTON_RESOURCE_NAME", "value", rname), mapping("name", "HOME", "value", "/tekton/home"))
	for _, p := range [][2]string{{"httpProxy", "HTTP_PROXY"}, {"httpsProxy", "HTTPS_PROXY"}, {"noProxy", "NO_PROXY"}} {
		if v := r.params[p[0]]; v != "" {
			env.Content = append(env.Content, mapping("name", p[1], "value", v))
		}
	}
	steps := ensureSeq(ts, "steps")
	st := mapping("name", freeName(dnsLabel("git-source-"+rname), func(n string) bool { return byName(steps, n) != nil }),
		"image", gitInit, "command", strSeq("/ko-app/git-init"), "args", args, "workingDir", "/workspace", "env", env)
	f.s.prependStep(steps, st)
	f.s.note(b, convert.Converted, "git-step", "binding %s: the Task runs the git-init step old Tekton added for the git resource, before its steps (git-clone 1.7.0's image)", rname)
}

// kubeconfigWriter is the image kubeconfig-creator 0.2 runs (pipeline v0.20.1's kubeconfigwriter).
const kubeconfigWriter = "ghcr.io/tektoncd/github.com/tektoncd/pipeline/cmd/kubeconfigwriter@sha256:b2c6d0962cda88fb3095128b6202da9b0e6c9c0df3ef6cf7863505ffd25072fd"

// kubeconfigStep gives a TaskRun's embedded Task the kubeconfigwriter step old Tekton added for a
// cluster resource (cluster_resource.go): its fields as -clusterConfig JSON, its Secrets as env.
func (f pipelineResources) kubeconfigStep(ts, b *yaml.Node, rname, ws string, r resolved, env []*yaml.Node) {
	cfg := map[string]any{"name": rname, "Insecure": strings.EqualFold(r.params["insecure"], "true")}
	for _, k := range []string{"url", "username", "password", "namespace", "cadata", "clientKeyData", "clientCertificateData"} {
		if v := r.params[k]; v != "" {
			cfg[k] = v
		}
	}
	js, _ := json.Marshal(cfg) // a map of strings and a bool always marshals
	steps := ensureSeq(ts, "steps")
	st := mapping("name", freeName(dnsLabel("kubeconfig-"+rname), func(n string) bool { return byName(steps, n) != nil }),
		"image", kubeconfigWriter, "command", strSeq("/ko-app/kubeconfigwriter"),
		"args", strSeq("-clusterConfig", string(js), "-destinationDir", "$(workspaces."+ws+".path)"))
	if len(env) > 0 {
		st.Content = append(st.Content, scalar("env"), seq(env...))
	}
	f.s.prependStep(steps, st)
	f.s.note(b, convert.Converted, "kubeconfig-step", "binding %s: the Task runs the kubeconfigwriter step old Tekton added for the cluster resource, before its steps", rname)
}

// gsutilImage is the image gcs-upload 0.3 runs gsutil from.
const gsutilImage = "gcr.io/google.com/cloudsdktool/cloud-sdk:379.0.0-slim@sha256:d844877c7aaa06a0072979230c68417ddb0f27087277f29747c7169d6ed0d2b9"

// storageStep gives a TaskRun's embedded Task the step old Tekton added for a gcs storage
// resource (gcs.go): gsutil rsync -d -r for a dir, cp otherwise, with GOOGLE_APPLICATION_CREDENTIALS
// and BOTO_CONFIG from the resource's Secrets mounted under /var/secret (secret.go).
func (f pipelineResources) storageStep(ts, b *yaml.Node, rname, ws string, r resolved, output bool) {
	path, loc := "$(workspaces."+ws+".path)", r.params["location"]
	env, mounts := seq(), seq()
	for _, field := range r.fields {
		sec := r.secrets[field]
		if field != "GOOGLE_APPLICATION_CREDENTIALS" && field != "BOTO_CONFIG" || byName(env, field) != nil {
			continue
		}
		dir := "/var/secret/" + sec.name
		env.Content = append(env.Content, mapping("name", field, "value", dir+"/"+sec.key))
		vol := dnsLabel("volume-" + rname + "-" + sec.name)
		if byName(mounts, vol) == nil {
			mounts.Content = append(mounts.Content, mapping("name", vol, "mountPath", dir))
			if vols := ensureSeq(ts, "volumes"); byName(vols, vol) == nil {
				vols.Content = append(vols.Content, mapping("name", vol, "secret", mapping("secretName", sec.name)))
			}
		}
	}
	env.Content = append(env.Content, mapping("name", "HOME", "value", "/tekton/home"))
	steps := ensureSeq(ts, "steps")
	var st *yaml.Node
	if output {
		args := strSeq("cp", path+"/*", loc)
		if r.params["dir"] == "true" {
			args = strSeq("rsync", "-d", "-r", path, loc)
		}
		st = mapping("name", freeName(dnsLabel("upload-"+rname), func(n string) bool { return byName(steps, n) != nil }),
			"image", gsutilImage, "command", strSeq("gsutil"), "args", args, "env", env)
		steps.Content = append(steps.Content, st)
	} else {
		cmd := "gsutil cp " + loc + " " + path
		if r.params["dir"] == "true" {
			cmd = "gsutil rsync -d -r " + loc + " " + path
		}
		sc := scalar("#!/usr/bin/env bash\nif [[ \"${GOOGLE_APPLICATION_CREDENTIALS}\" != \"\" ]]; then\n  echo GOOGLE_APPLICATION_CREDENTIALS is set, activating Service Account...\n  gcloud auth activate-service-account --key-file=${GOOGLE_APPLICATION_CREDENTIALS}\nfi\n" + cmd + "\n")
		sc.Style = yaml.LiteralStyle
		st = mapping("name", freeName(dnsLabel("fetch-"+rname), func(n string) bool { return byName(steps, n) != nil }),
			"image", gsutilImage, "env", env, "script", sc)
		f.s.prependStep(steps, st)
	}
	if len(mounts.Content) > 0 {
		set(st, "volumeMounts", mounts, "script")
	}
	f.s.note(b, convert.Converted, "storage-step", "binding %s: the Task runs the gsutil %s step old Tekton added for the storage resource, %s its steps", rname, map[bool]string{false: "download", true: "upload"}[output], map[bool]string{false: "before", true: "after"}[output])
}

// setFields lists the fields of a resource a fetch task needs besides its url or location.
func setFields(r resolved, t, rname string) string {
	var l []string
	if t == "cluster" {
		l = append(l, "name="+rname) // the context the Task's steps select (v0.14 on)
	}
	for _, k := range sortedKeys(boolSet(r.params)) {
		if k != "url" && k != "location" && k != "type" {
			l = append(l, k+"="+r.params[k])
		}
	}
	if len(l) == 0 {
		return ""
	}
	return " (with " + strings.Join(l, ", ") + ")"
}

func boolSet(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// taskRunSecrets reports the Secrets of a TaskRun's resource: no fetch or upload task runs
// in a TaskRun, so even those a Pipeline would mount need a hand.
func taskRunSecrets(b *yaml.Node, p, t string, r resolved, param func(k string) string) []unresolvedBinding {
	out := secretFindings(b, p, t, r, param)
	for _, field := range r.fields {
		sec := r.secrets[field]
		switch {
		case t == "storage" && field == "GOOGLE_APPLICATION_CREDENTIALS":
			out = append(out, unresolvedBinding{at: b, msg: fmt.Sprintf("binding %s: Secret %s (key %s) held the GCS service account key; no gcs task runs in a TaskRun: in a PipelineRun, the gcs task that replaces the resource takes it as its credentials workspace (file %s)", p, sec.name, orDefault(sec.key, gcsKeyFile), gcsKeyFile)})
		case t == "cluster" && kubeconfigEnvs[strings.ToUpper(field)]:
			out = append(out, unresolvedBinding{at: b, msg: fmt.Sprintf("binding %s: Secret %s (key %s) gave the cluster resource its %s; no kubeconfig task runs in a TaskRun: in a PipelineRun, give kubeconfig-creator env %s from that Secret (taskRunSpecs[].podTemplate.env)", p, sec.name, sec.key, field, strings.ToUpper(field))})
		case t == "pullRequest" && field == "authToken" && (sec.key == "" || sec.key == "token"):
			out = append(out, unresolvedBinding{at: b, msg: fmt.Sprintf("binding %s: Secret %s held the SCM token; no pull-request task runs in a TaskRun: in a PipelineRun, the pull-request task that replaces the resource reads it as param secret-key-ref (key token)", p, sec.name)})
		}
	}
	return out
}

func fetchTaskName(t string) string {
	switch t {
	case "git":
		return "git-clone"
	case "pullRequest":
		return "pull-request"
	case "storage":
		return "gcs-download"
	case "cluster":
		return "kubeconfig-creator"
	}
	return t
}
