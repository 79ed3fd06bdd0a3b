package lint

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/graph"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// checkStorage: TKN101 (volumeClaimTemplate needs a default StorageClass), TKN102
// (a fixed PVC is shared by concurrent runs), TKN103 (two PVC workspaces on one
// TaskRun under coschedule: workspaces).
func checkStorage(in *input) {
	for _, run := range in.runs {
		for _, b := range bindings(run) {
			ws := yamldoc.Str(b, "name")
			if vct := yamldoc.Get(b, "volumeClaimTemplate"); vct != nil && yamldoc.Str(vct, "spec", "storageClassName") == "" {
				in.report("TKN101", "", run.Path, yamldoc.Key(b, "volumeClaimTemplate"), fmt.Sprintf(
					"workspace %q gets a new PersistentVolumeClaim per run: the cluster needs dynamic provisioning with a default StorageClass; "+
						"set volumeClaimTemplate.spec.storageClassName if it has none", ws))
			}
			if c := yamldoc.Str(b, "persistentVolumeClaim", "claimName"); c != "" {
				msg := fmt.Sprintf("workspace %q binds the existing PersistentVolumeClaim %q: concurrent runs share it and overwrite each other's files, "+
					"and data leaks from one run to the next; bind a volumeClaimTemplate for a volume per run", ws, c)
				if others := uniq(in.claimRuns(c)); len(others) > 1 {
					msg += fmt.Sprintf(" (runs binding it here: %s)", quoteList(others))
				}
				in.report("TKN102", "", run.Path, yamldoc.Key(b, "persistentVolumeClaim"), msg)
			}
		}
		checkAffinity(in, run)
	}
}

// checkAffinity flags a TaskRun, or PipelineTasks of a PipelineRun, that would mount two PVCs.
func checkAffinity(in *input, run *yamldoc.Doc) {
	if run.Kind == "TaskRun" {
		checkTaskRunAffinity(in, run)
		return
	}
	p := in.runPipeline(run)
	if p == nil {
		return
	}
	pvc := map[string]string{} // workspace → the PVC behind it
	for _, b := range bindings(run) {
		if id := pvcID(b); id != "" {
			pvc[yamldoc.Str(b, "name")] = id
		}
	}
	if len(pvc) < 2 {
		return
	}
	for _, t := range p.All() {
		var used []string
		claims := map[string]bool{}
		for _, w := range t.Workspaces {
			if id := pvc[w.Workspace]; id != "" {
				used = append(used, w.Workspace)
				claims[id] = true
			}
		}
		used = uniq(used)
		if len(claims) < 2 {
			continue // one claim bound under several names is one PVC
		}
		in.report("TKN103", "", run.Path, yamldoc.Key(run.Root, "spec"), fmt.Sprintf(
			"task %q of pipeline %q mounts the PVC-backed workspaces %s: under the default affinity assistant (coschedule: workspaces) "+
				"a TaskRun may mount only one PVC, so the run fails; put both on one volume with subPath, or bind one of them differently (line %d of %s)",
			t.Name, p.Name, quoteList(used), t.Line, p.File))
	}
}

// checkTaskRunAffinity: the TaskRun reconciler refuses two distinct PVCs under coschedule: workspaces,
// whether or not a PipelineRun created the TaskRun.
func checkTaskRunAffinity(in *input, run *yamldoc.Doc) {
	seen := map[string]bool{}
	var used []string
	for _, b := range bindings(run) {
		id := pvcID(b)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		used = append(used, yamldoc.Str(b, "name"))
	}
	if len(used) < 2 {
		return
	}
	in.report("TKN103", "", run.Path, yamldoc.Key(run.Root, "spec"), fmt.Sprintf(
		"TaskRun %q binds the PVC-backed workspaces %s: under the default affinity assistant (coschedule: workspaces) "+
			"a TaskRun may mount only one PVC, so it fails (\"more than one PersistentVolumeClaim is bound\"); "+
			"put them on one volume with subPath, or use emptyDir for the ones no later run reads",
		runName(run), quoteList(uniq(used))))
}

// pvcID names the PVC behind a binding: its claim, or its own template; "" for other volumes.
func pvcID(b *yaml.Node) string {
	if c := yamldoc.Str(b, "persistentVolumeClaim", "claimName"); c != "" {
		return "claim " + c
	}
	if yamldoc.Get(b, "volumeClaimTemplate") != nil {
		return "template " + yamldoc.Str(b, "name") // each template is a PVC of its own
	}
	return ""
}

// runName is a document's name, or its generateName prefix.
func runName(run *yamldoc.Doc) string {
	if run.Name != "" {
		return run.Name
	}
	return yamldoc.Str(run.Root, "metadata", "generateName")
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// checkEmptyDir: TKN501, an emptyDir bound to a workspace that two PipelineTasks use.
func checkEmptyDir(in *input) {
	for _, run := range in.runs {
		p := in.runPipeline(run)
		if p == nil {
			continue
		}
		for _, b := range bindings(run) {
			if yamldoc.Get(b, "emptyDir") == nil {
				continue
			}
			ws := yamldoc.Str(b, "name")
			users := usersOf(p, ws)
			if len(users) < 2 {
				continue
			}
			in.report("TKN501", "", run.Path, yamldoc.Key(b, "emptyDir"), fmt.Sprintf(
				"workspace %q is an emptyDir but tasks %s of pipeline %q use it: each TaskRun is its own pod with its own empty volume, "+
					"so files never cross from one task to the next; bind a volumeClaimTemplate", ws, quoteList(users), p.Name))
		}
	}
}

func usersOf(p *graph.Pipeline, ws string) []string {
	var users []string
	for _, t := range p.All() {
		for _, w := range t.Workspaces {
			if w.Workspace == ws {
				users = append(users, t.Name)
				break
			}
		}
	}
	return users
}

// checkRaces: TKN601. A task that first fills a workspace (no earlier task uses
// it) and another task using the same workspace with no ordering between them:
// the second may read before the first has written.
func checkRaces(in *input) {
	for _, p := range in.graphs {
		byWs := map[string][]use{}
		var names []string
		for _, t := range p.All() {
			for _, w := range t.Workspaces {
				if in.readOnlyWorkspace(w.Workspace) {
					continue
				}
				if byWs[w.Workspace] == nil {
					names = append(names, w.Workspace)
				}
				byWs[w.Workspace] = append(byWs[w.Workspace], use{t, w})
			}
		}
		reported := map[[2]string]bool{}
		flagged := map[string]bool{}
		for _, ws := range names {
			uses := byWs[ws]
			for _, a := range uses {
				if in.readOnly(a.t, a.w) || !first(p, a, uses) {
					continue
				}
				for _, b := range uses {
					if b.t == a.t || !overlap(a.w.SubPath, b.w.SubPath) || p.Ordered(a.t.Name, b.t.Name) {
						continue
					}
					pair := [2]string{a.t.Name, b.t.Name}
					if pair[0] > pair[1] {
						pair[0], pair[1] = pair[1], pair[0]
					}
					if reported[pair] || flagged[b.t.Name] {
						continue // one finding per pair, and per reading task
					}
					reported[pair] = true
					flagged[b.t.Name] = true
					in.report("TKN601", "", p.File, lineNode(b.w.Line), fmt.Sprintf(
						"tasks %q and %q of pipeline %q share workspace %q with no runAfter or result between them: %q may read it while %q is still writing; "+
							"add runAfter: [%s] to %q", a.t.Name, b.t.Name, p.Name, ws, b.t.Name, a.t.Name, a.t.Name, b.t.Name))
				}
			}
			in.concurrentWriters(p, ws, uses, flagged)
		}
	}
}

// concurrentWriters: TKN601 for inline tasks that may run at the same time and write one
// directory of a workspace (no disjoint subPaths), and for a matrix task writing a workspace
// with no subPath, whose cells all run at once: `git clean -dfx` in one hits the others.
// Catalog tasks are not counted as writers: what they do with a workspace is not visible here.
func (in *input) concurrentWriters(p *graph.Pipeline, ws string, uses []use, flagged map[string]bool) {
	writer := func(u use) bool { return yamldoc.Get(u.t.Node, "taskSpec") != nil && !in.readOnly(u.t, u.w) }
	for i, a := range uses {
		if !writer(a) || flagged[a.t.Name] {
			continue
		}
		if yamldoc.Get(a.t.Node, "matrix") != nil && strings.Trim(a.w.SubPath, "/") == "" {
			flagged[a.t.Name] = true
			in.report("TKN601", "", p.File, lineNode(a.w.Line), fmt.Sprintf(
				"the cells of matrix task %q of pipeline %q run at the same time and all write workspace %q: give each its own directory (a subPath, and a working directory per cell)", a.t.Name, p.Name, ws))
			continue
		}
		for _, b := range uses[i+1:] {
			if b.t == a.t || !writer(b) || flagged[b.t.Name] || !overlap(a.w.SubPath, b.w.SubPath) || p.Ordered(a.t.Name, b.t.Name) {
				continue
			}
			flagged[b.t.Name] = true
			in.report("TKN601", "", p.File, lineNode(b.w.Line), fmt.Sprintf(
				"tasks %q and %q of pipeline %q may run at the same time and both write workspace %q with no subPath between them: give each its own directory (subPath) or order them with runAfter", a.t.Name, b.t.Name, p.Name, ws))
			break
		}
	}
}

// first reports that no task using an overlapping part of the workspace runs before a.
func first(p *graph.Pipeline, a use, uses []use) bool {
	for _, u := range uses {
		if p.Before(u.t.Name, a.t.Name) && overlap(a.w.SubPath, u.w.SubPath) {
			return false
		}
	}
	return true
}

// use is one task's binding of a workspace.
type use struct {
	t *graph.Task
	w graph.WorkspaceUse
}

// overlap reports that two subPaths of one workspace share files: equal, or one inside the other.
func overlap(a, b string) bool {
	a, b = strings.Trim(a, "/"), strings.Trim(b, "/")
	return a == "" || b == "" || a == b || strings.HasPrefix(a, b+"/") || strings.HasPrefix(b, a+"/")
}

// readOnly reports that the task declares the workspace readOnly (embedded or in the input).
func (in *input) readOnly(t *graph.Task, w graph.WorkspaceUse) bool {
	spec := yamldoc.Get(t.Node, "taskSpec")
	if spec == nil {
		spec = in.task(yamldoc.Str(t.Node, "taskRef", "name"))
	}
	for _, d := range yamldoc.Items(spec, "workspaces") {
		if yamldoc.Str(d, "name") == w.Name {
			return yamldoc.Str(d, "readOnly") == "true"
		}
	}
	return false
}

func lineNode(line int) *yaml.Node { return &yaml.Node{Line: line, Column: 0} }
