// Package convert is the engine: it finds inputs, detects their kind, runs the
// front-end for each, validates what comes out with Tekton's own code, and renders
// diffs, writes and reports.
package convert

import (
	"fmt"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert/yamlpos"
)

// Kind names the dialect of an input file.
type Kind string

const (
	KindUnknown     Kind = ""
	KindTekton      Kind = "tekton"
	KindTravis      Kind = "travis"
	KindJenkinsfile Kind = "jenkinsfile"
	KindJenkinsXML  Kind = "jenkins-xml"
)

// Source is one input file.
type Source struct {
	Path string // as the user named it (or "-" / "<stdin>")
	// Data is never written once read: converters may keep strings that share it (unsafe.String).
	Data []byte
	Kind Kind
	// Scope groups inputs that reference each other by name: the repository (nearest
	// directory holding .git), or "" for inputs outside any repository. Names are unique
	// per scope only, so a batch over many repositories may hold the same Task name in each.
	Scope string
}

// File is one output file. For an in-place upgrade Path equals the Source path.
type File struct {
	Path string
	Data []byte
	// Partial marks part of an object (a kustomize patch), which Tekton validation can't judge.
	Partial bool
}

// Class says how faithfully a source construct was converted.
type Class string

const (
	Converted    Class = "converted"
	Approximated Class = "approximated"
	Manual       Class = "manual"
	Unsupported  Class = "unsupported"
)

// Finding is one report entry about a source construct.
type Finding struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Class   Class  `json:"class"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
	// Action is a command the user must run by hand (e.g. kubectl create secret ...), never with secret values.
	Action string `json:"action,omitempty"`
}

// Result is what a front-end made of one Source.
type Result struct {
	Files    []File
	Findings []Finding
}

// Options are the conversion settings shared by every front-end.
type Options struct {
	To           string          // "v1" (default) or "v1beta1"
	CatalogRef   catalog.RefMode // how catalog Tasks are referenced
	Placeholders bool            // emit fail-loud steps for constructs that must not be skipped silently
	Mapping      map[string]any  // --mapping file contents (Jenkins library calls), decoded by the front-end
	MappingPath  string
	// MaxTasks is the engine's cap on tasks per input (--max-tasks): a front-end that knows its
	// task count before printing refuses past it with TooManyTasks, sparing the printing. 0: no cap.
	MaxTasks int
}

// TooManyTasks is a conversion refused before printing for generating N tasks, over
// Options.MaxTasks; the engine reports it as it reports the cap on printed output.
type TooManyTasks struct{ N int }

func (e *TooManyTasks) Error() string { return fmt.Sprintf("generates %d tasks", e.N) }

// Converter is a front-end: it turns one Source into output files and findings.
type Converter interface {
	Convert(src Source, opts Options) (Result, error)
}

// Indexer is implemented by converters that must see every input before converting
// any of them (old Tekton YAML: a PipelineRun binds PipelineResources defined in another file).
type Indexer interface {
	Index(src Source) error
}

// PosError is an input error with a position, printed as path:line:col: message.
type PosError struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *PosError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	if e.Col == 0 {
		e.Col = 1
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
}

// Errorf builds a PosError.
func Errorf(path string, line, col int, format string, args ...any) error {
	return &PosError{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// YAMLError positions a yaml.v3 syntax error ("yaml: line 9: ...") as path:line:col.
// yaml.v3 reports no column for syntax errors, so the column is 1.
func YAMLError(path string, err error) error {
	line, msg := yamlpos.Of(err)
	if line == 0 {
		return &PosError{Path: path, Msg: "invalid YAML: " + msg}
	}
	return &PosError{Path: path, Line: line, Col: 1, Msg: "invalid YAML: " + msg}
}
