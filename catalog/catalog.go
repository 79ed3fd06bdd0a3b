// Package catalog indexes the Tekton catalog Tasks the converters target and builds
// references to them for each resolver.
package catalog

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// RefMode selects how a catalog Task is referenced.
type RefMode string

const (
	Hub     RefMode = "hub"     // hub resolver, type: artifact (default)
	Bundles RefMode = "bundles" // OCI bundles resolver
	Git     RefMode = "git"     // git resolver against the catalog repository
	Cluster RefMode = "cluster" // a Task already installed in the cluster
)

// ParseRefMode accepts the --catalog-ref values; "" means Hub.
func ParseRefMode(s string) (RefMode, error) {
	switch m := RefMode(s); m {
	case "":
		return Hub, nil
	case Hub, Bundles, Git, Cluster:
		return m, nil
	}
	return "", fmt.Errorf("unknown catalog reference mode %q (want hub, bundles, git or cluster)", s)
}

// Param is a resolver parameter.
type Param struct{ Name, Value string }

// Ref is a resolver reference: taskRef: {resolver: R, params: [...]}.
type Ref struct {
	Resolver string
	Params   []Param
}

// Get returns the value of the resolver param name, or "".
func (r Ref) Get(name string) string {
	for _, p := range r.Params {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// ParamSpec is one declared Task param. Default nil (and ArrayDefault nil) means required.
type ParamSpec struct {
	Name         string
	Default      *string
	Type         string   // "" (string) or "array"
	ArrayDefault []string // default of an array param; non-nil (possibly empty) when it has one
}

// Required reports whether a binding must supply the param.
func (p ParamSpec) Required() bool { return p.Default == nil && p.ArrayDefault == nil }

// WorkspaceSpec is one declared Task workspace.
type WorkspaceSpec struct {
	Name     string
	Optional bool
}

// Task is one catalog Task we emit references to.
type Task struct {
	Name, Version string
	Params        []ParamSpec
	Workspaces    []WorkspaceSpec
	Results       []string
	Note          string // shown to the user when the Task is used (deprecations, setup)
	Deprecated    bool   // annotated tekton.dev/deprecated upstream
}

// Param returns the declared param name.
func (t Task) Param(name string) (ParamSpec, bool) {
	for _, p := range t.Params {
		if p.Name == name {
			return p, true
		}
	}
	return ParamSpec{}, false
}

// Workspace returns the declared workspace name.
func (t Task) Workspace(name string) (WorkspaceSpec, bool) {
	for _, w := range t.Workspaces {
		if w.Name == name {
			return w, true
		}
	}
	return WorkspaceSpec{}, false
}

// HasResult reports whether the Task declares result name.
func (t Task) HasResult(name string) bool {
	for _, r := range t.Results {
		if r == name {
			return true
		}
	}
	return false
}

// Where the catalog Tasks live. Revisions are commits, so a git reference is reproducible.
const (
	catalogRepo     = "https://github.com/tektoncd/catalog.git"
	catalogRevision = "55dd80ef1b83861613dce9080dfdf6656f1aecd4"
	catalogBundle   = "ghcr.io/tektoncd/catalog/upstream/tasks/"
	catalogHub      = "tekton-catalog-tasks" // Artifact Hub repository of tektoncd/catalog

	// The maintained git-clone moved to its own repository (tag v1.7.0).
	gitCloneRepo     = "https://github.com/tektoncd-catalog/git-clone.git"
	gitCloneRevision = "c166e56217829ecc2062059030a8a0fcc0e1a88f"
	gitCloneBundle   = "ghcr.io/tektoncd-catalog/git-clone/bundle:v1.7.0"
	gitCloneHub      = "git-clone"
)

// ClusterNamespace is the namespace the cluster resolver reads catalog Tasks from;
// the cluster resolver has no usable default, so we name one and say so in the report.
const ClusterNamespace = "tekton-catalog"

// Ref builds the resolver reference to t for mode ("" means Hub).
func (t Task) Ref(mode RefMode) Ref {
	verified := t.Name == "git-clone"
	switch mode {
	case Bundles:
		bundle := catalogBundle + t.Name + ":" + t.Version
		if verified {
			bundle = gitCloneBundle
		}
		return BundleRef(bundle, t.Name, "task")
	case Git:
		url, rev, path := catalogRepo, catalogRevision, "task/"+t.Name+"/"+t.Version+"/"+t.Name+".yaml"
		if verified {
			url, rev, path = gitCloneRepo, gitCloneRevision, "task/git-clone/git-clone.yaml"
		}
		return Ref{Resolver: "git", Params: []Param{{"url", url}, {"revision", rev}, {"pathInRepo", path}}}
	case Cluster:
		return ClusterRef("task", t.Name, ClusterNamespace)
	}
	hub := catalogHub
	if verified {
		hub = gitCloneHub
	}
	return Ref{Resolver: "hub", Params: []Param{
		{"catalog", hub}, {"type", "artifact"}, {"kind", "task"}, {"name", t.Name}, {"version", t.Version},
	}}
}

// BundleRef references name of kind ("task" or "pipeline") inside an OCI bundle.
func BundleRef(bundle, name, kind string) Ref {
	return Ref{Resolver: "bundles", Params: []Param{{"bundle", bundle}, {"name", name}, {"kind", strings.ToLower(kind)}}}
}

// ClusterRef references an object already installed in namespace through the cluster resolver.
func ClusterRef(kind, name, namespace string) Ref {
	return Ref{Resolver: "cluster", Params: []Param{{"kind", strings.ToLower(kind)}, {"name", name}, {"namespace", namespace}}}
}

// Lookup returns the catalog Task called name.
func Lookup(name string) (Task, bool) {
	sorted := sorted()
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i].Name >= name })
	if i < len(sorted) && sorted[i].Name == name {
		return sorted[i], true
	}
	return Task{}, false
}

// All returns every indexed Task, sorted by name.
func All() []Task { return append([]Task(nil), sorted()...) }

// MustLookup is Lookup for names the converters hard-code; a miss is a programming error.
func MustLookup(name string) Task {
	t, ok := Lookup(name)
	if !ok {
		panic("catalog: no task " + name)
	}
	return t
}

var sorted = sync.OnceValue(func() []Task {
	out := append([]Task(nil), index()...)
	for i := range out {
		out[i].Note, out[i].Deprecated = notes[out[i].Name], deprecated[out[i].Name]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
})

var deprecated = map[string]bool{"kaniko": true, "golang-build": true, "golang-test": true}

var notes = map[string]string{
	"git-clone":          "maintained tektoncd-catalog/git-clone (verified tier); it runs as UID 65532, so set podTemplate.securityContext.fsGroup: 65532 for later tasks to use the files",
	"kaniko":             "kaniko is archived upstream and every catalog version is deprecated; use buildah 0.9 (same IMAGE param and IMAGE_URL/IMAGE_DIGEST results)",
	"cloudevent":         "the controller can emit run lifecycle CloudEvents itself: set sink in ConfigMap config-events",
	"pull-request":       "needs an Opaque Secret with key token, named by the secret-key-ref param",
	"kubeconfig-creator": "takes credentials as plain params; keep secret values out of manifests",
	"gcs-download":       "bind the service account key Secret as the credentials workspace",
	"gcs-upload":         "bind the service account key Secret as the credentials workspace",
	"golang-build":       "deprecated upstream",
	"golang-test":        "deprecated upstream",
}

func s(v string) *string { return &v }
