package lint

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

const (
	basicAuth = "kubernetes.io/basic-auth"
	sshAuth   = "kubernetes.io/ssh-auth"
)

// credAnnotation is one tekton.dev/git-N or docker-N annotation of a Secret.
type credAnnotation struct {
	key, kind, url string // kind is "git" or "docker"
	node           *yaml.Node
}

func credAnnotations(s *yamldoc.Doc) []credAnnotation {
	var out []credAnnotation
	for _, kv := range yamldoc.Pairs(s.Root, "metadata", "annotations") {
		k := kv[0].Value
		for _, kind := range []string{"git", "docker"} {
			if strings.HasPrefix(k, "tekton.dev/"+kind+"-") {
				out = append(out, credAnnotation{key: k, kind: kind, url: strings.TrimSpace(kv[1].Value), node: kv[0]})
			}
		}
	}
	return out
}

// normURL compares annotation URLs the way users mean them: scheme and trailing slash aside.
func normURL(u string) string {
	return strings.TrimSuffix(strings.ToLower(u), "/")
}

// checkCredentials: TKN201 (two basic-auth Secrets with one URL on one
// ServiceAccount), TKN202 (a credentials Secret creds-init ignores), TKN203 (an
// annotated Secret on no ServiceAccount a run uses).
func checkCredentials(in *input) {
	secrets := map[string]*yamldoc.Doc{}
	for _, s := range in.secrets {
		secrets[s.Name] = s
	}
	// TKN201
	var saNames []string
	for n := range in.sas {
		saNames = append(saNames, n)
	}
	sort.Strings(saNames)
	for _, name := range saNames {
		sa := in.sas[name]
		seen := map[string]string{} // kind+url -> first Secret
		for _, ref := range saSecrets(sa) {
			s := secrets[ref]
			if s == nil || yamldoc.Str(s.Root, "type") != basicAuth {
				continue
			}
			for _, a := range credAnnotations(s) {
				k := a.kind + " " + normURL(a.url)
				prev, dup := seen[k]
				if !dup {
					seen[k] = s.Name
					continue
				}
				if prev == s.Name {
					continue
				}
				in.report("TKN201", "", sa.Path, yamldoc.Key(sa.Root, "secrets"), fmt.Sprintf(
					"ServiceAccount %q lists basic-auth Secrets %q and %q, both annotated tekton.dev/%s-N: %s; every step of its runs fails with "+
						"\"multiple entries for url\"; give each Secret its own ServiceAccount, or bind the credentials as Secret-backed workspaces",
					sa.Name, prev, s.Name, a.kind, a.url))
			}
		}
	}
	// TKN202 and TKN203
	used := in.runSummary().serviceAccounts
	onUsedSA := map[string]bool{}
	for sa := range used {
		if d := in.sas[sa]; d != nil {
			for _, s := range saSecrets(d) {
				onUsedSA[s] = true
			}
		}
	}
	for _, s := range in.secrets {
		typ := yamldoc.Str(s.Root, "type")
		if typ != basicAuth && typ != sshAuth {
			continue
		}
		anns := credAnnotations(s)
		if in.secretNames[s.Name] {
			continue // mounted or read directly: creds-init is not how it is used
		}
		if len(anns) == 0 {
			in.report("TKN202", "", s.Path, yamldoc.Key(s.Root, "metadata"), fmt.Sprintf(
				"Secret %q (%s) has no tekton.dev/git-N or tekton.dev/docker-N annotation, so Tekton's credential initialisation ignores it; "+
					"annotate it (tekton.dev/git-0: https://github.com) or bind it to the task as a Secret-backed workspace", s.Name, typ))
			continue
		}
		if in.runSummary().n == 0 || onUsedSA[s.Name] {
			continue
		}
		var names []string
		for n := range used {
			names = append(names, n)
		}
		sort.Strings(names)
		in.report("TKN203", "", s.Path, yamldoc.Key(s.Root, "metadata"), fmt.Sprintf(
			"Secret %q is annotated for Tekton credentials but no ServiceAccount the runs here use (%s) lists it, so no step gets it; "+
				"add it to that ServiceAccount's secrets, or bind it as a Secret-backed workspace", s.Name, quoteList(names)))
	}
}

// saSecrets are the Secret names a ServiceAccount lists, deduplicated (Tekton does too).
func saSecrets(sa *yamldoc.Doc) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range yamldoc.Items(sa.Root, "secrets") {
		n := yamldoc.Str(s, "name")
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// runSummary is what checks read from every run of the input: gathered from in.runs on first
// use, or as the runs streamed past (streamRun).
func (in *input) runSummary() *runSummary {
	if in.runSum == nil {
		in.runSum = newRunSummary()
		for _, r := range in.runs {
			in.runSum.add(r)
		}
	}
	return in.runSum
}

// runSummary is what checks read from every run of the input.
type runSummary struct {
	claims          map[string][]string // claimName -> runs binding it (TKN102)
	readOnlyWs      map[string]bool     // Pipeline workspaces some run binds to a read-only volume (TKN601)
	serviceAccounts map[string]bool     // the ServiceAccounts runs use (TKN203)
	n               int                 // runs
}

func newRunSummary() *runSummary {
	return &runSummary{claims: map[string][]string{}, readOnlyWs: map[string]bool{}, serviceAccounts: map[string]bool{}}
}

func (s *runSummary) add(run *yamldoc.Doc) {
	s.n++
	for _, b := range bindings(run) {
		if c := yamldoc.Str(b, "persistentVolumeClaim", "claimName"); c != "" {
			s.claims[c] = append(s.claims[c], runName(run))
		}
		if yamldoc.Get(b, "secret") != nil || yamldoc.Get(b, "configMap") != nil || yamldoc.Get(b, "projected") != nil {
			s.readOnlyWs[yamldoc.Str(b, "name")] = true
		}
	}
	// The ServiceAccounts the run uses ("default" when unset).
	spec := yamldoc.Get(run.Root, "spec")
	names := []string{
		yamldoc.Str(spec, "serviceAccountName"),                    // TaskRun, v1beta1 PipelineRun
		yamldoc.Str(spec, "taskRunTemplate", "serviceAccountName"), // v1 PipelineRun
	}
	for _, t := range yamldoc.Items(spec, "taskRunSpecs") {
		names = append(names, yamldoc.Str(t, "serviceAccountName"), yamldoc.Str(t, "taskServiceAccountName"))
	}
	for _, t := range yamldoc.Items(spec, "serviceAccountNames") { // v1alpha1
		names = append(names, yamldoc.Str(t, "serviceAccountName"))
	}
	if names[0] == "" && names[1] == "" {
		names = append(names, "default")
	}
	for _, n := range names {
		if n != "" {
			s.serviceAccounts[n] = true
		}
	}
}
