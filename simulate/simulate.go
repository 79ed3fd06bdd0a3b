// Package simulate runs PipelineRuns offline through tektoncd/pipeline v1.15.0's own
// controller code (the packages the PipelineRun and TaskRun reconcilers call, with fake
// clientsets), after Pipelines-as-Code's own code has chosen and expanded them for an
// event, and reports which tasks would start, in what order, with what.
package simulate

import "fmt"

// Namespace is where the simulated cluster holds everything.
const Namespace = "default"

// Event describes the forge event being simulated.
type Event struct {
	Type          string `json:"type"`                    // push, pull_request, tag or incoming
	Branch        string `json:"branch,omitempty"`        // pushed branch; a pull request's head branch; incoming: the branch
	TargetBranch  string `json:"targetBranch,omitempty"`  // a pull request's base branch
	Tag           string `json:"tag,omitempty"`           // tag events
	DefaultBranch string `json:"defaultBranch,omitempty"` // the repository's default branch: PaC starting nothing on a push to it is an error
	PipelineRun   string `json:"pipelineRun,omitempty"`   // incoming: the run the webhook names
}

// Options are the simulation's inputs beyond the files.
type Options struct {
	Event Event
	// Params override (or add) PipelineRun params after Pipelines-as-Code's expansion.
	Params map[string]string
	// Fail lists pipeline tasks whose steps fail.
	Fail map[string]bool
	// Results gives result values, keyed "task.result"; others get "<task>.<result>".
	Results map[string]string
}

// Pos is a position in an input file.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// Error is an error Tekton's controller (or PaC) would raise, with the document it is about.
type Error struct {
	Pos
	// Reason is the condition reason the controller sets (ParameterMissing, ...).
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

func (e Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, max(e.Col, 1), e.Reason, e.Message)
}

// Report is the outcome of one simulation.
type Report struct {
	Event Event `json:"event"`
	// PaC is true when the inputs follow the Pipelines-as-Code layout (runs annotated
	// on-event / on-cel-expression); then only the runs PaC selects are simulated.
	PaC bool `json:"pac"`
	// NotSelected names the PaC runs the event does not start.
	NotSelected []string `json:"notSelected,omitempty"`
	Runs        []Run    `json:"runs"`
	Errors      []Error  `json:"errors,omitempty"`
	// Unresolved are references outside what the simulation holds (a resolver ref to
	// anything but the shipped catalog): a cluster may resolve them, so they are no
	// error, but the run is not simulated past them.
	Unresolved []Error `json:"unresolved,omitempty"`
}

// Run is one simulated PipelineRun.
type Run struct {
	Pos
	Name     string `json:"name"`
	Pipeline string `json:"pipeline,omitempty"`
	// Status is the run's final Succeeded condition: True, False (or Unknown when the
	// controller stopped on an error), with its reason.
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message,omitempty"`
	Tasks   []Task `json:"tasks"`
}

// Task states.
const (
	WouldRun = "would run"
	Skipped  = "skipped"
	Failed   = "failed"
	Ignored  = "failed, ignored" // onError: continue
)

// Task is one pipeline task of a run.
type Task struct {
	Name    string `json:"name"`
	Finally bool   `json:"finally,omitempty"`
	// Wave is the controller pass that creates its TaskRuns (1 = at the start); 0 if never.
	Wave   int    `json:"wave,omitempty"`
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
	// Params are the task's params after substitution (one cell's matrix params excluded).
	Params []Param `json:"params,omitempty"`
	// Matrix lists the params of each TaskRun a matrix fans out to.
	Matrix         [][]Param         `json:"matrix,omitempty"`
	Workspaces     []Workspace       `json:"workspaces,omitempty"`
	ServiceAccount string            `json:"serviceAccount,omitempty"`
	NodeSelector   map[string]string `json:"nodeSelector,omitempty"`
	TaskRuns       []string          `json:"taskRuns,omitempty"`
	// Results are the values its (first) TaskRun produced, and where each came from.
	Results []Result `json:"results,omitempty"`
}

// Result is a task result value: computed by running a tkn-migrate when guard for the
// event, given with --result, or a placeholder.
type Result struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Origin string `json:"origin"`
}

// Param is a resolved param value (arrays and objects as JSON).
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Workspace is a task workspace and the volume behind it.
type Workspace struct {
	Name   string `json:"name"`
	Volume string `json:"volume"`
}
