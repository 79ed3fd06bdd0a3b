// Package pipeline is the model that the Travis and Jenkins front-ends build, and the
// emitter that turns it into Tekton v1 YAML (.tekton/ in the Pipelines-as-Code layout).
package pipeline

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/catalog"
)

// SourceWorkspace is the shared workspace git-clone fills and every task works in.
const SourceWorkspace = "source"

// CheckoutTask is the name of the git-clone PipelineTask the emitter adds.
const CheckoutTask = "fetch-source"

// Pos is a location in the source file.
type Pos struct {
	File string
	Line int
}

// Pipeline is one generated Tekton Pipeline plus the PipelineRuns that start it.
type Pipeline struct {
	Name     string   // metadata.name; sanitised by the emitter
	Comments []string // head comments on the document, e.g. "from .travis.yml:1"
	Params   []Param
	// Workspaces declared beyond SourceWorkspace (e.g. an optional cache).
	Workspaces []Workspace
	// Checkout adds the catalog git-clone task first; nil means the source is not cloned.
	Checkout *Checkout
	Tasks    []*Task
	Finally  []*Task
	Timeout  string // each Run's timeouts.pipeline, a Go duration ("1h0m0s"); empty = Tekton default
	Runs     []Run
	// HostAliases go into every Run's pod template (/etc/hosts entries for all task pods).
	HostAliases []HostAlias
	// PodLocalSource: no shared source workspace. Each task brings its own checkout into
	// its pod (a clone step), so no PVC is needed unless another workspace asks for one.
	PodLocalSource bool
	// FileStem names the output files <stem>.yaml and <stem>-<run>.yaml instead of
	// pipeline.yaml and <run>.yaml, so several sources in one directory don't collide.
	FileStem string
	// DropPrinted lets Emit drop each task once printed, for a caller with no other use for
	// the Pipeline: a big one then never holds all its tasks and its text at once. Where the
	// printing needs a task again (yaml.v3 printing the whole document), Emit fails with
	// ErrDropped and the caller prints a fresh Pipeline.
	DropPrinted bool
}

// HostAlias is one /etc/hosts entry.
type HostAlias struct {
	IP        string
	Hostnames []string
}

// Checkout configures the git-clone task.
type Checkout struct {
	Depth      string // "" keeps git-clone's default
	Submodules *bool
	// Subdirectory clones into a directory of the source workspace instead of its root.
	Subdirectory string
	Comments     []string
}

// Workspace is a Pipeline workspace.
type Workspace struct {
	Name        string
	Description string
	Optional    bool
	ReadOnly    bool // only in an inline taskSpec
	// Secret binds the workspace to this Secret in every Run (credential files, SSH keys).
	Secret string
	// VolumeClaim binds it to a new PVC per Run (volumeClaimTemplate), like the source workspace.
	VolumeClaim bool
}

// Param declares a Pipeline or Task parameter.
type Param struct {
	Name        string
	Description string
	Default     *string
}

// Binding binds a value to a parameter, or a Pipeline workspace (Value) to a task workspace.
type Binding struct {
	Name  string
	Value string
	// SubPath, for a workspace, gives the task its own directory of the volume (disjoint data).
	SubPath string
	// ReadOnly, for a workspace of an inline task, declares it readOnly in the taskSpec.
	ReadOnly bool
}

// Task is one PipelineTask. Either Steps (an inline taskSpec) or Ref (a catalog Task) is set.
type Task struct {
	Name     string
	Comments []string // head comments: source position, markers
	RunAfter []string
	When     []When
	Matrix   *Matrix
	Retries  int
	Timeout  string    // Go duration
	Params   []Binding // values for the task's params (inline or catalog)
	// TaskParams declares params of an inline taskSpec (matrix params must be declared here).
	TaskParams []Param
	Steps      []Step
	Sidecars   []Sidecar
	Results    []string
	// Workspaces lists pipeline workspaces this task mounts under the same name; SourceWorkspace is implied for inline tasks.
	Workspaces []Binding // Name = task workspace, Value = pipeline workspace
	Ref        *catalog.Ref
	// Image is the default image for steps that set none.
	Image string
	// Env is set on every step of an inline task (its stepTemplate), instead of on each step.
	Env []Env
	// NodeSelector pins the task's pods (e.g. kubernetes.io/arch: arm64); emitted as Run taskRunSpecs.
	NodeSelector []Binding
}

// Step is one container in an inline Task, or a StepAction reference (Ref with Params).
type Step struct {
	Name     string
	Comments []string
	Ref      *catalog.Ref
	Params   []Binding // the StepAction's params; only with Ref
	Image    string
	Script   string
	// Command and Args run a command without a shell (e.g. cmd.exe on Windows); Script must be empty then.
	Command    []string
	Args       []string
	Env        []Env
	WorkingDir string // default $(workspaces.source.path)
	OnError    string // "continue" or ""
	Timeout    string
	Privileged bool
}

// Env is a step environment variable: a literal value, or a Secret key reference.
type Env struct {
	Name       string
	Value      string
	SecretName string // when set, valueFrom.secretKeyRef
	SecretKey  string
	Comment    string
}

// Sidecar is a service container running beside the steps.
type Sidecar struct {
	Name       string
	Comments   []string
	Image      string
	Env        []Env
	Args       []string
	Privileged bool
	// Readiness: a TCP port, or an exec command; both zero means no probe.
	ReadyPort int
	ReadyExec []string
}

// When is a Tekton when expression: either Input/Operator/Values or CEL.
type When struct {
	Input    string
	Operator string // "in" or "notin"
	Values   []string
	CEL      string
}

// Matrix fans a task out over parameter combinations.
type Matrix struct {
	Params  []MatrixParam
	Include []MatrixInclude
}

// MatrixParam is one matrix axis.
type MatrixParam struct {
	Name   string
	Values []string
}

// MatrixInclude is one explicitly listed combination.
type MatrixInclude struct {
	Name   string
	Params []Binding
}

// Run is a PipelineRun for one kind of event.
type Run struct {
	Name        string // file and metadata.name stem, e.g. "push", "pull-request"
	Comments    []string
	Annotations []Binding // ordered, e.g. pipelinesascode.tekton.dev/on-event
	Params      []Binding
}

// HoistEnv moves the env entries that open every step of an inline task into its
// stepTemplate (Task.Env), so a stage's shared environment is written once.
func (t *Task) HoistEnv() {
	if len(t.Steps) < 2 || len(t.Env) > 0 {
		return
	}
	n := len(t.Steps[0].Env)
	for _, s := range t.Steps[1:] {
		n = min(n, commonPrefix(t.Steps[0].Env, s.Env))
	}
	// Tekton places a step's own entries before the template's, and Kubernetes expands
	// $(NAME) only from earlier entries: a remaining entry must not refer to a hoisted one.
	for n > 0 && refersTo(t.Steps, n) {
		n--
	}
	if n == 0 {
		return
	}
	t.Env = append([]Env(nil), t.Steps[0].Env[:n]...)
	for i := range t.Steps {
		t.Steps[i].Env = t.Steps[i].Env[n:]
	}
}

func commonPrefix(a, b []Env) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// refersTo reports whether an entry after the first n of any step reads one of those n.
func refersTo(steps []Step, n int) bool {
	for _, s := range steps {
		for _, e := range s.Env[n:] {
			for _, h := range steps[0].Env[:n] {
				if strings.Contains(e.Value, "$("+h.Name+")") {
					return true
				}
			}
		}
	}
	return false
}
