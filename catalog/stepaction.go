package catalog

import "sync"

// StepAction is a catalog StepAction we emit references to (a step's ref:).
type StepAction struct {
	Name, Version string
	Params        []ParamSpec
	Results       []string
	Hub           string // Artifact Hub repository
	Bundle        string // OCI bundle holding it
	Repo, Rev     string // git repository and commit
	Path          string // pathInRepo
}

// stepActions records the interface of each StepAction, taken from its YAML at the pinned
// source (../shared/corpus/stepaction); stepaction_test.go proves it matches.
var stepActions = sync.OnceValue(func() []StepAction {
	return []StepAction{
		{Name: "git-clone", Version: "1.7.0",
			Params: []ParamSpec{
				{Name: "output-path"},
				{Name: "ssh-directory-path", Default: s("")},
				{Name: "basic-auth-path", Default: s("")},
				{Name: "ssl-ca-directory-path", Default: s("")},
				{Name: "url"},
				{Name: "revision", Default: s("")},
				{Name: "refspec", Default: s("")},
				{Name: "submodules", Default: s("true")},
				{Name: "submodulePaths", Default: s("")},
				{Name: "depth", Default: s("1")},
				{Name: "sslVerify", Default: s("true")},
				{Name: "crtFileName", Default: s("ca-bundle.crt")},
				{Name: "subdirectory", Default: s("")},
				{Name: "sparseCheckoutDirectories", Default: s("")},
				{Name: "deleteExisting", Default: s("true")},
				{Name: "httpProxy", Default: s("")},
				{Name: "httpsProxy", Default: s("")},
				{Name: "noProxy", Default: s("")},
				{Name: "verbose", Default: s("true")},
				{Name: "userFriendlyErrors", Default: s("true")},
				{Name: "gitInitImage", Default: s("ghcr.io/tektoncd-catalog/git-clone:v1.7.0")},
				{Name: "userHome", Default: s("/tekton/home")},
			},
			Results: []string{"commit", "url", "committer-date"},
			Hub:     "git-clone-stepaction",
			Bundle:  gitCloneBundle,
			Repo:    gitCloneRepo, Rev: gitCloneRevision, Path: "stepaction/git-clone/git-clone.yaml",
		},
	}
})

// LookupStepAction returns the catalog StepAction called name.
func LookupStepAction(name string) (StepAction, bool) {
	for _, a := range stepActions() {
		if a.Name == name {
			return a, true
		}
	}
	return StepAction{}, false
}

// Ref builds the resolver reference to a for mode ("" means Hub), as Task.Ref does for Tasks;
// the hub, bundles and cluster resolvers take kind stepaction (tektoncd/pipeline v1.15.0).
func (a StepAction) Ref(mode RefMode) Ref {
	switch mode {
	case Bundles:
		return BundleRef(a.Bundle, a.Name, "stepaction")
	case Git:
		return Ref{Resolver: "git", Params: []Param{{"url", a.Repo}, {"revision", a.Rev}, {"pathInRepo", a.Path}}}
	case Cluster:
		return ClusterRef("stepaction", a.Name, ClusterNamespace)
	}
	return Ref{Resolver: "hub", Params: []Param{
		{"catalog", a.Hub}, {"type", "artifact"}, {"kind", "stepaction"}, {"name", a.Name}, {"version", a.Version},
	}}
}
