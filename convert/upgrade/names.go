package upgrade

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Generated names are a pure function of the resource name and of what the spec
// declared before conversion, so a Task and a Pipeline converted apart still agree.

// freeName is base, or base-2, base-3, ... : the first that taken does not hold.
func freeName(base string, taken func(string) bool) string {
	if !taken(base) {
		return base
	}
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s-%d", base, i); !taken(n) {
			return n
		}
	}
}

var notParam = lazyre.New(`[^A-Za-z0-9_.-]+`)

// paramBase makes a resource name usable in a param name (Tekton: ^[a-zA-Z_][a-zA-Z0-9_.-]*$).
func paramBase(r string) string {
	r = notParam.ReplaceAllString(r, "-")
	if r == "" || !(r[0] == '_' || r[0] >= 'a' && r[0] <= 'z' || r[0] >= 'A' && r[0] <= 'Z') {
		r = "r-" + r
	}
	return r
}

// declared lists the names of a spec's params (v1alpha1 inputs.params too) or workspaces as first written.
func declared(spec *yaml.Node, field string) map[string]bool {
	out := map[string]bool{}
	for _, p := range items(get(spec, field)) {
		out[str(p, "name")] = true
	}
	if field == "params" {
		for _, p := range items(path(spec, "inputs", "params")) {
			out[str(p, "name")] = true
		}
	}
	return out
}

// resParam names the param carrying field k of resource r, avoiding params the spec already declared.
func resParam(user map[string]bool, r, k string) string {
	return freeName(paramBase(r)+"-"+k, func(n string) bool { return user[n] })
}

// resourceWS names the workspace holding every PipelineResource (and credentialsWS the one
// with a storage resource's key) so that neither takes a workspace the Pipeline declared.
func resourceWS(user map[string]bool) string {
	return freeName("pipeline-resources", func(n string) bool { return user[n] })
}

func credentialsWS(user map[string]bool, p string) string {
	shared := resourceWS(user)
	return freeName(p+"-credentials", func(n string) bool { return user[n] || n == shared })
}

// resWorkspace names the workspace that replaces resource r of a Task, avoiding the
// workspaces the Task declared (on a Run or PipelineTask: those it binds, when the Task is unknown).
func resWorkspace(user map[string]bool, r string) string {
	return freeName(r, func(n string) bool { return user[n] })
}

// taskNamer names the tasks a Pipeline gains: DNS labels, unique among its tasks.
type taskNamer struct {
	taken map[string]bool
	given map[string]string
}

func newTaskNamer(ps *yaml.Node) *taskNamer {
	n := &taskNamer{taken: map[string]bool{}, given: map[string]string{}}
	for _, pt := range pipelineTasks(ps) {
		n.taken[str(pt, "name")] = true
	}
	return n
}

// name returns the task name for prefix-p, the same one on every call.
func (n *taskNamer) name(prefix, p string) string {
	k := prefix + "\x00" + p
	if v, ok := n.given[k]; ok {
		return v
	}
	base := dnsLabel(prefix + "-" + p)
	if len(base) > 60 {
		base = dnsLabel(base[:60]) // room for a -N suffix
	}
	v := freeName(base, func(s string) bool { return n.taken[s] })
	n.taken[v] = true
	n.given[k] = v
	return v
}
