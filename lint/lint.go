// Package lint finds the pitfalls Tekton users hit in their YAML: storage that
// needs provisioning or races, credentials creds-init ignores or rejects, script
// injection, removed API leftovers, unpinned images and logs that vanish. It sees
// every input at once because rules cross files (a Secret, the ServiceAccount
// that lists it, and the run that uses the ServiceAccount).
package lint

import (
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/secret"
	"github.com/tkn-migrate/tkn-migrate/graph"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// Severity of a finding. Only errors make `tkn-migrate lint` exit 1.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Rule describes one check.
type Rule struct {
	ID       string   // TKN101
	Name     string   // storage-class
	Severity Severity // the usual severity; a finding may differ (see TKN401)
	Summary  string
}

// Rules lists every check, in id order.
var Rules = []Rule{
	{"TKN001", "unknown-field", Error, "a field Tekton's strict decoding does not know (each one, with the nearest known name)"},
	{"TKN002", "wrong-type", Error, "a field whose YAML type Tekton can't decode (a string where a list is expected, ...)"},
	{"TKN003", "missing-field", Error, "Tekton validation: a required field is missing"},
	{"TKN004", "disallowed-field", Error, "Tekton validation: a field that must not be set here"},
	{"TKN005", "invalid-value", Error, "Tekton validation: a value Tekton refuses"},
	{"TKN006", "one-of", Error, "Tekton validation: exactly one of several fields must be set"},
	{"TKN007", "invalid", Error, "Tekton validation: any other failure of SetDefaults and Validate"},
	{"TKN101", "storage-class", Info, "volumeClaimTemplate workspaces need dynamic provisioning (a default StorageClass)"},
	{"TKN102", "shared-pvc", Warning, "a persistentVolumeClaim workspace is shared by every concurrent run"},
	{"TKN103", "affinity-two-pvc", Error, "a TaskRun mounts two PVC-backed workspaces under the default affinity assistant"},
	{"TKN201", "duplicate-cred-url", Error, "two basic-auth Secrets on one ServiceAccount carry the same tekton.dev URL"},
	{"TKN202", "cred-no-annotation", Warning, "a basic-auth or ssh-auth Secret has no tekton.dev/git-N or docker-N annotation"},
	{"TKN203", "cred-unused", Warning, "an annotated credentials Secret is on no ServiceAccount a run uses"},
	{"TKN204", "secret-literal", Warning, "a credential written in plain text as an env value, param value, param default or in a step script"},
	{"TKN301", "script-injection", Warning, "$(params.X) or $(tasks.T.results.R) pasted into a script"},
	{"TKN401", "leftover", Error, "removed or deprecated Tekton APIs (v1alpha1, v1beta1, PipelineResource, Condition, ClusterTask, bundle)"},
	{"TKN501", "emptydir-shared", Warning, "an emptyDir workspace is shared between PipelineTasks"},
	{"TKN601", "workspace-race", Warning, "tasks share a workspace with no runAfter or result dependency"},
	{"TKN701", "unpinned-image", Warning, "an image with :latest or no tag"},
	{"TKN702", "unpinned-ref", Warning, "a hub, git or bundle reference without a version"},
	{"TKN801", "log-retention", Info, "a PipelineRun with no log retention or archiving note"},
	{"TKN901", "ref-missing", Warning, "a taskRef, pipelineRef or StepAction ref names nothing in the input or the catalog, so the call can't be checked"},
	{"TKN902", "param-undeclared", Warning, "a param is passed that the Task, Pipeline or StepAction does not declare"},
	{"TKN903", "param-missing", Error, "a param declared without a default is not passed"},
	{"TKN904", "param-type", Error, "a param value's type (string, array, object, matrix fan-out) or object keys don't match the declaration"},
	{"TKN905", "var-undefined", Error, "$(params.x), $(workspaces.x.path), $(context.x) or $(steps.x) refers to nothing declared"},
	{"TKN906", "result-undeclared", Error, "$(tasks.t.results.r) or $(steps.s.results.r) reads a result its Task or step does not declare"},
	{"TKN907", "workspace-binding", Error, "a required workspace is not bound, or a binding names a workspace that is not declared"},
	{"TKN908", "task-missing", Error, "runAfter, a result reference or a when expression names a pipeline task that does not exist"},
	{"TKN909", "dag-cycle", Error, "pipeline tasks depend on each other in a cycle (runAfter and result references)"},
	{"TKN910", "duplicate", Error, "duplicate params, env names, steps, tasks, workspaces or volumes"},
	{"TKN911", "invalid-name", Error, "a name Tekton or Kubernetes refuses (DNS label rules)"},
	{"TKN912", "finally-misuse", Error, "finally tasks or pipeline results read results or execution status they may not"},
	{"TKN913", "when-unresolvable", Error, "a when expression that can never be resolved or is always false"},
	{"TKN914", "matrix", Error, "a matrix param that is not an array, or a matrix of more than 256 cells"},
	{"TKN915", "volume-undeclared", Error, "a volumeMount names a volume the Task does not declare"},
	{"TKN916", "script-shebang", Info, "a script without #!: Tekton runs it with sh, which may not be what the author meant"},
}

func rule(id string) Rule {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	panic("lint: unknown rule " + id)
}

// File is one input.
type File struct {
	Path string
	Data []byte
}

// Finding is one problem at a position.
type Finding struct {
	Rule     string   `json:"rule"`
	Name     string   `json:"name"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Col      int      `json:"col,omitempty"`
	Message  string   `json:"message"` // what is wrong and how to fix it
	Action   string   `json:"action,omitempty"`
}

// Class maps severities onto report classes so lint findings travel through the
// conversion report renderers: errors are unsupported, warnings manual, info approximated.
func (f Finding) Class() convert.Class {
	switch f.Severity {
	case Error:
		return convert.Unsupported
	case Warning:
		return convert.Manual
	}
	return convert.Approximated
}

// Convert turns f into a report finding; Rule carries the rule id and name.
func (f Finding) Convert() convert.Finding {
	return convert.Finding{File: f.File, Line: f.Line, Col: f.Col, Class: f.Class(),
		Rule: f.Rule + "/" + f.Name, Message: f.Message, Action: f.Action}
}

// HasErrors reports an error-level finding.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Run lints all files together. A file that is not valid YAML yields a
// *convert.PosError in errs and the rest of the files are still linted.
func Run(files []File) (findings []Finding, errs []error) {
	if size(files) >= streamFrom {
		findings, errs, _, _ = streamRun(files, checks, false)
		return findings, errs
	}
	findings, errs, _ = run(files, checks)
	return findings, errs
}

// run is Run with the checks given, a subsequence of checks, that also returns each file's
// documents as parsed.
func run(files []File, checks []func(*input)) (findings []Finding, errs []error, parsed [][]*yamldoc.Doc) {
	in := newInput()
	for i, f := range files {
		in.order[f.Path] = i
		var docs []*yamldoc.Doc
		err := parseFile(f.Path, f.Data, func(d *yamldoc.Doc) { docs = append(docs, d) })
		if err != nil {
			errs = append(errs, err)
		}
		for j, t := range docTexts(f.Data, docs) {
			in.texts[docs[j]] = t
		}
		for _, d := range docs {
			in.add(d)
		}
		parsed = append(parsed, docs)
	}
	in.index()
	in.indexDefs()
	for _, check := range checks {
		check(in)
	}
	sort.SliceStable(in.findings, func(i, j int) bool {
		a, b := in.findings[i], in.findings[j]
		if a.File != b.File {
			return in.order[a.File] < in.order[b.File]
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Rule < b.Rule
	})
	findings, errs = redacted(suppressed(files, in.findings), errs)
	return findings, errs, parsed
}

func newInput() *input {
	return &input{
		pipelines:   map[string]*graph.Pipeline{},
		tasks:       map[string]*yaml.Node{},
		sas:         map[string]*yamldoc.Doc{},
		secretNames: map[string]bool{},
		podVolumes:  map[string]bool{},
		order:       map[string]int{},
		at:          map[at]bool{},
		templated:   map[*yamldoc.Doc]bool{},
		texts:       map[*yamldoc.Doc][]byte{},
	}
}

var checks = []func(*input){
	checkTekton, checkRefs, checkStorage, checkCredentials, checkSecretLiterals, checkScripts, checkLeftovers,
	checkEmptyDir, checkRaces, checkPinning, checkRetention,
}

// errorChecks are the checks that can report an error, in checks' order. The others
// (TKN204, TKN301, TKN501, TKN601, TKN701, TKN702, TKN801) report only warnings and
// information and change no state the others read (the positions of findings that reportOnce
// and checkTekton consult are of other rules), and the findings' sort is stable: so a run of
// these alone finds the errors a run of all checks finds, in the same order (TestErrorChecksExact).
var errorChecks = []func(*input){checkTekton, checkRefs, checkStorage, checkCredentials, checkLeftovers}

// input is every document of the run, indexed for cross-file rules.
type input struct {
	docs        []*yamldoc.Doc
	runs        []*yamldoc.Doc // PipelineRuns and TaskRuns, embedded ones included
	secrets     []*yamldoc.Doc
	sas         map[string]*yamldoc.Doc
	pipelines   map[string]*graph.Pipeline // Pipeline documents by name
	graphs      []*graph.Pipeline          // every Pipeline, embedded specs included
	tasks       map[string]*yaml.Node      // Task and ClusterTask specs by name
	secretNames map[string]bool            // Secrets mounted or read directly (not through creds-init)
	podVolumes  map[string]bool            // volumes the runs' podTemplates add to every pod they make
	order       map[string]int
	defs        *defs
	templated   map[*yamldoc.Doc]bool   // runs a TriggerTemplate stamps out, $(tt.params) unsubstituted
	texts       map[*yamldoc.Doc][]byte // each document's own text, as convert/validate keys its verdicts
	runSum      *runSummary
	held        *[]func() bool // what a document checked as the input streams read of the others (streamRun)
	findings    []Finding
	at          map[at]bool // rule and position of every finding
}

type at struct {
	rule, path string
	line, col  int
}

func (in *input) add(d *yamldoc.Doc) {
	in.docs = append(in.docs, d)
	// TriggerTemplates stamp out runs: lint what they would create.
	if d.Kind == "TriggerTemplate" && strings.Contains(d.APIVersion, "tekton.dev/") {
		for _, r := range yamldoc.Items(d.Root, "spec", "resourcetemplates") {
			if r.Kind == yaml.MappingNode {
				e := &yamldoc.Doc{Path: d.Path, Root: r, APIVersion: yamldoc.Str(r, "apiVersion"),
					Kind: yamldoc.Str(r, "kind"), Name: yamldoc.Str(r, "metadata", "name")}
				in.templated[e] = true
				in.add(e)
			}
		}
	}
}

func (in *input) index() {
	for _, d := range in.docs {
		if p := in.indexShared(d); p != nil {
			in.graphs = append(in.graphs, p)
		}
		if isRun(d) {
			in.runs = append(in.runs, d)
		}
	}
}

func isRun(d *yamldoc.Doc) bool { return tekton(d) && (d.Kind == "PipelineRun" || d.Kind == "TaskRun") }

// indexShared records what checks read across documents (Secrets, ServiceAccounts, Task specs,
// Pipelines by name, the Secrets and pod volumes runs use) and returns the Pipeline d defines
// or embeds.
func (in *input) indexShared(d *yamldoc.Doc) *graph.Pipeline {
	switch {
	case d.APIVersion == "v1" && d.Kind == "Secret":
		in.secrets = append(in.secrets, d)
		return nil
	case d.APIVersion == "v1" && d.Kind == "ServiceAccount":
		in.sas[d.Name] = d
		return nil
	case !tekton(d):
		return nil
	}
	switch d.Kind {
	case "PipelineRun", "TaskRun":
		in.addPodTemplateVolumes(d)
	case "Task", "ClusterTask":
		in.tasks[d.Name] = yamldoc.Get(d.Root, "spec")
	}
	p := graph.FromDoc(d)
	if p != nil && d.Kind == "Pipeline" {
		in.pipelines[d.Name] = p
	}
	// Secrets mounted as workspaces or volumes, or read into env, bypass creds-init.
	yamldoc.Walk(d.Root, func(n *yaml.Node) {
		if n.Kind != yaml.MappingNode {
			return
		}
		if s := yamldoc.Str(n, "secretName"); s != "" {
			in.secretNames[s] = true
		}
		if s := yamldoc.Str(n, "secretKeyRef", "name"); s != "" {
			in.secretNames[s] = true
		}
		if s := yamldoc.Str(n, "secretRef", "name"); s != "" {
			in.secretNames[s] = true
		}
	})
	return p
}

func tekton(d *yamldoc.Doc) bool { return strings.HasPrefix(d.APIVersion, "tekton.dev/") }

// report records a finding of rule id at node n (nil: the document's first line).
func (in *input) report(id string, sev Severity, path string, n *yaml.Node, msg string) *Finding {
	r := rule(id)
	if sev == "" {
		sev = r.Severity
	}
	f := Finding{Rule: r.ID, Name: r.Name, Severity: sev, File: path, Message: msg}
	if n != nil {
		f.Line, f.Col = n.Line, n.Column
	}
	in.findings = append(in.findings, f)
	in.at[at{f.Rule, f.File, f.Line, f.Col}] = true
	return &in.findings[len(in.findings)-1]
}

// runPipeline is the Pipeline a PipelineRun runs, if it is embedded or in the input.
func (in *input) runPipeline(run *yamldoc.Doc) *graph.Pipeline {
	if run.Kind != "PipelineRun" {
		return nil
	}
	if p := graph.FromDoc(run); p != nil {
		return p
	}
	return in.pipeline(yamldoc.Str(run.Root, "spec", "pipelineRef", "name"))
}

// bindings are a run's workspace bindings by name.
func bindings(run *yamldoc.Doc) []*yaml.Node {
	var out []*yaml.Node
	for _, w := range yamldoc.Items(run.Root, "spec", "workspaces") {
		if w.Kind == yaml.MappingNode {
			out = append(out, w)
		}
	}
	return out
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "\"" + n + "\""
	}
	return strings.Join(q, ", ")
}

// addPodTemplateVolumes records the volumes a run's podTemplates declare (spec.podTemplate,
// taskRunTemplate.podTemplate, taskRunSpecs[].podTemplate): Tekton adds them to the pod, so a
// Task's volumeMount may name one.
func (in *input) addPodTemplateVolumes(d *yamldoc.Doc) {
	yamldoc.Walk(d.Root, func(n *yaml.Node) {
		if pt := yamldoc.Get(n, "podTemplate"); n.Kind == yaml.MappingNode && pt != nil {
			for _, v := range yamldoc.Items(pt, "volumes") {
				in.podVolumes[yamldoc.Str(v, "name")] = true
			}
		}
	})
}

// redacted masks credentials in what lint reports: its messages quote keys, values and names
// from the files, which may hold secrets. Every finding and error leaves run and Finish here.
func redacted(fs []Finding, errs []error) ([]Finding, []error) {
	for i := range fs {
		fs[i].Message = secret.Redact(fs[i].Message)
		fs[i].Action = secret.Redact(fs[i].Action)
	}
	for i, err := range errs {
		errs[i] = convert.RedactError(err)
	}
	return fs, errs
}
