package upgrade

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
)

// catalogTaskOf names the catalog Task a resolver reference points at, if it is one of ours.
func catalogTaskOf(ref *yaml.Node) (catalog.Task, bool) {
	params := map[string]string{}
	for _, p := range items(get(ref, "params")) {
		params[str(p, "name")] = str(p, "value")
	}
	name := params["name"]
	if str(ref, "resolver") == "git" {
		parts := strings.Split(params["pathInRepo"], "/")
		if len(parts) > 1 {
			name = parts[1]
		}
	}
	t, ok := catalog.Lookup(name)
	if !ok {
		return t, false
	}
	for _, mode := range []catalog.RefMode{catalog.Hub, catalog.Bundles, catalog.Git, catalog.Cluster} {
		want := t.Ref(mode)
		if want.Resolver != str(ref, "resolver") {
			continue
		}
		same := len(want.Params) == len(params)
		for _, p := range want.Params {
			same = same && params[p.Name] == p.Value
		}
		if same {
			return t, true
		}
	}
	return t, false
}

// checkCatalogBindings proves that every param and workspace we bind on a catalog Task
// exists there, and that its required params and workspaces are bound.
func checkCatalogBindings(t *testing.T, name string, data []byte) int {
	t.Helper()
	docs, err := splitDocs(name, data)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range docs {
		if d.node == nil {
			continue
		}
		r := root(d.node)
		for _, ps := range append(pipelineSpecs(str(r, "kind"), r), pipelineSpecs("PipelineRun", r)...) {
			for _, pt := range pipelineTasks(ps) {
				task, ok := catalogTaskOf(get(pt, "taskRef"))
				if !ok {
					continue
				}
				n++
				bound := map[string]bool{}
				for _, p := range items(get(pt, "params")) {
					bound[str(p, "name")] = true
					if _, ok := task.Param(str(p, "name")); !ok {
						t.Errorf("%s: task %s binds param %s, which %s %s does not declare", name, str(pt, "name"), str(p, "name"), task.Name, task.Version)
					}
				}
				for _, p := range task.Params {
					if p.Required() && !bound[p.Name] {
						t.Errorf("%s: task %s leaves required param %s of %s unbound", name, str(pt, "name"), p.Name, task.Name)
					}
				}
				wbound := map[string]bool{}
				for _, w := range items(get(pt, "workspaces")) {
					wbound[str(w, "name")] = true
					if _, ok := task.Workspace(str(w, "name")); !ok {
						t.Errorf("%s: task %s binds workspace %s, which %s does not declare", name, str(pt, "name"), str(w, "name"), task.Name)
					}
				}
				for _, w := range task.Workspaces {
					if !w.Optional && !wbound[w.Name] {
						t.Errorf("%s: task %s leaves required workspace %s of %s unbound", name, str(pt, "name"), w.Name, task.Name)
					}
				}
			}
		}
	}
	return n
}

func TestCatalogBindings(t *testing.T) {
	ins, _ := filepath.Glob("testdata/*/input.yaml")
	total := 0
	for _, in := range ins {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		opts := caseOptions(t, filepath.Dir(in))
		for _, mode := range []catalog.RefMode{catalog.Hub, catalog.Bundles, catalog.Git, catalog.Cluster} {
			opts.CatalogRef = mode
			res, err := New().Convert(convert.Source{Path: in, Data: data}, opts)
			if err != nil {
				t.Fatal(err)
			}
			total += checkCatalogBindings(t, in, res.Files[0].Data)
		}
	}
	if total == 0 {
		t.Fatal("no catalog task checked")
	}
	t.Logf("%d catalog task uses checked", total)
}
