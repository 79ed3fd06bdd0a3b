// Package report turns conversion outcomes into the report formats users read:
// text on a terminal, and a stable JSON schema for scripts (markdown and SARIF sit beside them).
package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// SchemaVersion changes only when a JSON field changes meaning or disappears.
const SchemaVersion = 1

// Report is the whole run. Its per-file entries are spooled as they are added (in memory,
// then in a temporary file past spoolMemory) and read back by the renderers, so what a
// report holds on the heap does not grow with the batch; Close removes the file.
type Report struct {
	SchemaVersion int
	Tool          string
	Summary       Summary

	files spool
	// What the renderers must know before they read the entries back: SARIF's rule table
	// and section sizes that head their lists.
	rules   map[string]bool // rule ids of manual and unsupported findings
	errored int             // entries with an error message
	residue int             // findings not converted exactly
	manual  int             // manual and unsupported findings whose fix is no Secret to create
	secrets int             // findings whose fix is creating a Secret

	// md is what Markdown draws from the generated files, gathered as each outcome is
	// added so the files themselves are never kept; nil unless Options.Draw.
	md *drawing
}

// Options say what a report gathers beyond its per-file summaries.
type Options struct {
	// Draw gathers, outcome by outcome, what Markdown needs from the generated files:
	// Pipeline graphs and checklist items.
	Draw bool
	// Simulate, with Draw, adds what runs on a push and on a pull request for each
	// generated .tekton/ directory (see Simulator).
	Simulate *Simulator
}

// File is one input's entry.
type File struct {
	Path     string            `json:"path"`
	Kind     convert.Kind      `json:"kind"`
	Status   string            `json:"status"` // unchanged | changed | error
	Error    string            `json:"error,omitempty"`
	Outputs  []string          `json:"outputs,omitempty"` // files that are new or differ
	Findings []convert.Finding `json:"findings"`

	storage []item // the checklist's storage items found in this input's generated files
}

// Summary counts what the run did.
type Summary struct {
	Files        int `json:"files"`
	Changed      int `json:"changed"`
	Errors       int `json:"errors"`
	Resources    int `json:"resources"` // Tekton documents in the output
	Converted    int `json:"converted"`
	Approximated int `json:"approximated"`
	Manual       int `json:"manual"`
	Unsupported  int `json:"unsupported"`
	// Markers counts "tkn-migrate: manual" comments left in the output, old and new.
	Markers int `json:"markers"`
}

// Status values of File.
const (
	StatusUnchanged = "unchanged"
	StatusChanged   = "changed"
	StatusError     = "error"
)

// Build assembles the per-file summaries (all the text, JSON and SARIF reports use)
// from per-input outcomes, in input order.
func Build(outcomes []*convert.Outcome) *Report { return New(Options{}, outcomes...) }

// New is Build with options: a markdown report needs Options.Draw.
func New(opts Options, outcomes ...*convert.Outcome) *Report {
	r := &Report{SchemaVersion: SchemaVersion, Tool: "tkn-migrate", rules: map[string]bool{}}
	if opts.Draw {
		r.md = &drawing{seenSA: map[string]bool{}, sim: newSimulation(opts.Simulate)}
	}
	for _, o := range outcomes {
		r.Add(o)
	}
	return r
}

// Add appends one outcome; callers that stream outcomes use it instead of Build. The
// outcome is not kept: its entry is encoded into the report's spool.
func (r *Report) Add(o *convert.Outcome) {
	f := File{Path: o.Source.Path, Kind: o.Source.Kind, Status: StatusUnchanged, Findings: o.Result.Findings}
	switch {
	case o.Err != nil:
		f.Status = StatusError
		f.Error = o.Err.Error()
		r.Summary.Errors++
	case len(o.Changes) > 0:
		f.Status = StatusChanged
		r.Summary.Changed++
	}
	if f.Error != "" {
		r.errored++
	}
	for _, c := range o.Changes {
		f.Outputs = append(f.Outputs, c.Path)
	}
	if o.Err == nil {
		for _, out := range o.Result.Files {
			r.Summary.Resources += convert.CountTektonDocs(out.Data)
			r.Summary.Markers += convert.CountMarkers(out.Data)
		}
		if r.md != nil {
			f.storage = r.md.add(o)
		}
	}
	for _, fd := range f.Findings {
		switch fd.Class {
		case convert.Converted:
			r.Summary.Converted++
		case convert.Approximated:
			r.Summary.Approximated++
		case convert.Manual:
			r.Summary.Manual++
		case convert.Unsupported:
			r.Summary.Unsupported++
		}
		if fd.Class != convert.Converted {
			r.residue++
		}
		manual := fd.Class == convert.Manual || fd.Class == convert.Unsupported
		if manual {
			r.rules[fd.Rule] = true
		}
		switch {
		case isSecretAction(fd):
			r.secrets++
		case manual:
			r.manual++
		}
	}
	r.Summary.Files++
	r.files.add(&f)
}

// Close removes the temporary file the report's entries went to, if they outgrew memory.
// Call it once the report is rendered (or abandoned); rendering it after fails.
func (r *Report) Close() error { return r.files.close() }

// each calls f with every entry, in input order.
func (r *Report) each(f func(*File) error) error { return r.files.each(f) }

// JSON writes the report as indented JSON, an entry at a time: the bytes are those of
// encoding/json with two-space indent over the whole report.
func JSON(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\n  \"schemaVersion\": %d,\n  \"tool\": %s,\n  \"files\": [", r.SchemaVersion, jsonString(r.Tool))
	sep := "\n    "
	err := r.each(func(f *File) error {
		if f.Findings == nil {
			f.Findings = []convert.Finding{}
		}
		data, err := json.MarshalIndent(f, "    ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString(sep)
		sep = ",\n    "
		_, err = bw.Write(data)
		return err
	})
	if err != nil {
		return err
	}
	if r.Summary.Files > 0 {
		bw.WriteString("\n  ")
	}
	summary, err := json.MarshalIndent(r.Summary, "  ", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "],\n  \"summary\": %s\n}\n", summary)
	return bw.Flush()
}

// jsonString is s as a JSON string, escaped as encoding/json escapes it.
func jsonString(s string) string {
	data, _ := json.Marshal(s)
	return string(data)
}

// Colors for Text; the zero value prints plain text.
type Colors struct{ Error, Warn, Info, Reset string }

// TextOptions tune the text report.
type TextOptions struct {
	Colors Colors
	// OmitErrors leaves out input errors, for when they were already printed as they happened.
	OmitErrors bool
	// SummaryOnly leaves out findings (--check prints the summary; errors still show).
	SummaryOnly bool
}

// ANSI is the palette used on a terminal.
var ANSI = Colors{Error: "\x1b[31m", Warn: "\x1b[33m", Info: "\x1b[36m", Reset: "\x1b[0m"}

// Text writes one line per error and finding, then the summary.
func Text(w io.Writer, r *Report, opts TextOptions) error {
	c := opts.Colors
	b := bufio.NewWriter(w)
	if !opts.SummaryOnly || !opts.OmitErrors {
		err := r.each(func(f *File) error {
			if f.Error != "" && !opts.OmitErrors {
				fmt.Fprintf(b, "%serror%s: %s\n", c.Error, c.Reset, Cut(f.Error))
			}
			if opts.SummaryOnly {
				return nil
			}
			for _, fd := range sortedFindings(f.Findings) {
				if fd.Class == convert.Converted {
					continue
				}
				color := c.Info
				if fd.Class == convert.Manual || fd.Class == convert.Unsupported {
					color = c.Warn
				}
				fmt.Fprintf(b, "%s: %s%s%s: %s [%s]\n", Terminal(position(fd)), color, fd.Class, c.Reset, Terminal(fd.Message), fd.Rule)
				if fd.Action != "" {
					fmt.Fprintf(b, "    run: %s\n", Terminal(fd.Action))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	s := r.Summary
	fmt.Fprintf(b, "%d %s: %d changed, %d %s; %d Tekton %s; %d approximated, %d manual, %d unsupported; %d %s in output\n",
		s.Files, plural(s.Files, "file", "files"), s.Changed, s.Errors, plural(s.Errors, "error", "errors"),
		s.Resources, plural(s.Resources, "resource", "resources"),
		s.Approximated, s.Manual, s.Unsupported, s.Markers, plural(s.Markers, "marker", "markers"))
	return b.Flush()
}

func position(f convert.Finding) string {
	switch {
	case f.Line > 0 && f.Col > 0:
		return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Col)
	case f.Line > 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return f.File
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
