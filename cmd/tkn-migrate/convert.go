package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/diff"
	"github.com/tkn-migrate/tkn-migrate/convert/report"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
	"github.com/tkn-migrate/tkn-migrate/lint"
)

// ConvertOptions holds everything `convert` needs, gathered from flags before it runs.
type ConvertOptions struct {
	IO    *IOStreams
	Paths []string

	List   bool
	Write  bool
	Check  bool
	Output string

	From           string
	To             string
	CatalogRef     string
	Report         string
	ReportFile     string
	Strict         bool
	NoPlaceholders bool
	MaxSize        int64
	MaxDocs        int
	MaxTasks       int
	Mapping        string
	Force          bool

	PR          PROptions          // --pr-branch and its companions (prbranch.go)
	Consolidate ConsolidateOptions // --consolidate and its companions (consolidate.go)

	mirrored map[string]string // -o DIR: relative output path → the output it holds
}

// newCmdConvert builds the command; runF replaces the behaviour in flag tests.
func newCmdConvert(ios *IOStreams, runF func(*ConvertOptions) error) *cobra.Command {
	opts := &ConvertOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "convert [flags] <path>...",
		Short: "Convert CI definitions to Tekton v1 and show the diff",
		Long: "convert reads files, walks directories (skipping .git, vendor and node_modules) or reads - (stdin).\n" +
			"Old Tekton YAML is upgraded in place; .travis.yml, Jenkinsfiles and job config.xml produce .tekton/\n" +
			"beside the source. By default it prints a unified diff and changes nothing.",
		Example: "  # review the upgrade of a directory of manifests\n  $ tkn-migrate convert manifests/\n\n" +
			"  # apply it\n  $ tkn-migrate convert -w manifests/\n\n" +
			"  # fail CI while anything old is left\n  $ tkn-migrate convert --check .\n\n" +
			"  # translate a Jenkinsfile, print the resulting YAML\n  $ tkn-migrate convert -o - Jenkinsfile",
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Paths = args
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return convertRun(opts)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&opts.List, "list", "l", false, "list the files that would change")
	f.BoolVarP(&opts.Write, "write", "w", false, "write the changes (old Tekton in place, others to .tekton/)")
	f.BoolVar(&opts.Check, "check", false, "print only the summary; exit 1 if any file would change")
	f.StringVarP(&opts.Output, "output", "o", "", "write every resulting file under `DIR`, or print the YAML with -")
	f.StringVar(&opts.From, "from", "", "force the input kind: tekton, travis, jenkinsfile or jenkins-xml")
	f.StringVar(&opts.To, "to", "v1", "target Tekton API version: v1 or v1beta1")
	f.StringVar(&opts.CatalogRef, "catalog-ref", "hub", "how catalog Tasks are referenced: hub, bundles, git or cluster")
	f.StringVar(&opts.Report, "report", "text", "report format: "+strings.Join(reportFormats(), ", "))
	f.StringVar(&opts.ReportFile, "report-file", "", "write the report to `FILE` instead of stderr")
	f.BoolVar(&opts.Strict, "strict", false, "exit 1 when manual items remain (new findings or markers already in the files)")
	f.BoolVar(&opts.NoPlaceholders, "no-placeholders", false, "do not emit fail-loud steps for constructs that need a human")
	f.Int64Var(&opts.MaxSize, "max-size", convert.DefaultMaxSize, "largest input file read, in `bytes`")
	f.IntVar(&opts.MaxDocs, "max-docs", convert.DefaultMaxDocs, "most Tekton documents one input may hold or generate")
	f.IntVar(&opts.MaxTasks, "max-tasks", convert.DefaultMaxTasks, "most tasks one input may generate")
	f.BoolVar(&opts.Force, "force", false, "with -w, also replace read-only files, and rewrite hard-linked files in place")
	f.StringVar(&opts.Mapping, "mapping", "", "YAML `FILE` mapping Jenkins steps and library calls to Tekton (see jenkins/MAPPING.md)")
	opts.PR.flags(f)
	opts.Consolidate.flags(f)
	return cmd
}

func (o *ConvertOptions) validate() error {
	modes := 0
	for _, on := range []bool{o.List, o.Write, o.Check, o.Output != ""} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return flagErrorf("-l, -w, -o and --check exclude each other")
	}
	if err := o.PR.validate(modes, o.Paths); err != nil {
		return err
	}
	if err := o.Consolidate.validate(o.PR.Branch != "", o.Paths); err != nil {
		return err
	}
	if (o.Write || o.Output != "" && o.Output != "-") && slices.Contains(o.Paths, "-") {
		// as gofmt: standard input has no file to write beside
		return flagErrorf("-w and -o DIR can't write standard input's result; use -o - or the default diff")
	}
	if o.To != "v1" && o.To != "v1beta1" {
		return flagErrorf("--to must be v1 or v1beta1, not %q", o.To)
	}
	if _, err := catalog.ParseRefMode(o.CatalogRef); err != nil {
		return flagError{err}
	}
	if o.From != "" {
		if _, ok := convert.ParseKind(o.From); !ok {
			return flagErrorf("--from must be tekton, travis, jenkinsfile or jenkins-xml, not %q", o.From)
		}
	}
	if reportWriter(o.Report) == nil {
		return flagErrorf("--report must be one of %s, not %q", strings.Join(reportFormats(), ", "), o.Report)
	}
	if o.MaxSize <= 0 || o.MaxDocs <= 0 || o.MaxTasks <= 0 {
		return flagErrorf("--max-size, --max-docs and --max-tasks must be positive")
	}
	return nil
}

func (o *ConvertOptions) engine() (*convert.Engine, error) {
	mode, _ := catalog.ParseRefMode(o.CatalogRef)
	from, _ := convert.ParseKind(o.From)
	copts := convert.Options{To: o.To, CatalogRef: mode, Placeholders: !o.NoPlaceholders, MappingPath: o.Mapping}
	if o.Mapping != "" {
		m, err := loadMapping(o.Mapping)
		if err != nil {
			return nil, err
		}
		copts.Mapping = m
	}
	eng := &convert.Engine{
		Converters: frontends.All(),
		Options:    copts,
		From:       from,
		MaxSize:    o.MaxSize,
		MaxDocs:    o.MaxDocs,
		MaxTasks:   o.MaxTasks,
		Stdin:      o.IO.In,
		// -o emits every resulting file, current ones too: all it emits has passed validation.
		EmitCurrent: o.Output != "",
	}
	if o.Output != "" && o.Output != "-" {
		eng.Skip = []string{o.Output} // output written inside an input tree is not read back
	}
	return eng, nil
}

func convertRun(o *ConvertOptions) error {
	eng, err := o.engine()
	if err != nil {
		return err
	}
	if o.PR.Branch != "" {
		return prRun(o, eng)
	}
	if o.Consolidate.Dir != "" {
		return consolidateRun(o, eng)
	}
	inputs, inputErrs := eng.Inputs(o.Paths)
	// A json, markdown or sarif report on stderr must parse: errors go into it, not beside it.
	inline := o.Report == "text" || o.ReportFile != ""
	rep := o.newReport(o.Report == "markdown")
	defer rep.Close() // its entries may have gone to a temporary file
	unchecked := false
	for _, err := range inputErrs {
		var skipped *convert.Skipped
		if errors.As(err, &skipped) {
			// A warning: the file is named in the report, and counts under --strict; one this run
			// cannot vouch for (a symlink out of the tree) also fails --check.
			if skipped.Unchecked {
				unchecked = true
			}
			f := convert.Finding{File: skipped.Path, Class: convert.Unsupported, Rule: "skipped", Message: skipped.Msg}
			rep.Add(&convert.Outcome{Source: convert.Source{Path: skipped.Path}, Result: convert.Result{Findings: []convert.Finding{f}}})
			if inline {
				fmt.Fprintf(o.IO.ErrOut, "%s: warning: %s\n", report.Terminal(skipped.Path), report.Terminal(skipped.Msg))
			}
			continue
		}
		if inline {
			fmt.Fprintln(o.IO.ErrOut, report.Cut(err.Error()))
		}
		rep.Add(&convert.Outcome{Source: convert.Source{Path: errorPath(err)}, Err: err})
	}
	changed := unchecked
	bar := o.progress(len(inputs))
	eng.Prepare = o.prepare // linting and diffs run on the workers, in parallel
	err = eng.Run(inputs, func(out *convert.Outcome) error {
		fatal := o.handle(out)
		rep.Add(out)
		if bar != nil {
			_ = bar.Add(1)
		}
		if out.Err != nil {
			if bar != nil {
				_ = bar.Clear()
			}
			if inline {
				fmt.Fprintln(o.IO.ErrOut, report.Cut(out.Err.Error()))
			}
			return fatal
		}
		if len(out.Changes) > 0 {
			changed = true
		}
		return fatal
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	if err := o.writeReport(rep); err != nil {
		return err
	}
	return o.exit(rep, changed)
}

// exit is the run's end: 2 on any error, 1 when --check found work or --strict manual items.
func (o *ConvertOptions) exit(rep *report.Report, changed bool) error {
	s := rep.Summary
	switch {
	case s.Errors > 0:
		return exitCodeError{exitError}
	case o.Check && changed:
		return exitCodeError{exitChanges}
	case o.Strict && s.Manual+s.Unsupported+s.Markers > 0:
		return exitCodeError{exitChanges}
	}
	return nil
}

// progressThreshold is the batch size from which a terminal user gets a progress bar.
const progressThreshold = 5

// progress returns a progress bar on stderr for big batches on a terminal, when stdout
// is not printing to the same terminal; otherwise nil.
func (o *ConvertOptions) progress(n int) *progressbar.ProgressBar {
	quietStdout := o.Check || o.Write || (o.Output != "" && o.Output != "-") || !o.IO.OutTTY
	if n <= progressThreshold || !o.IO.ErrTTY || !quietStdout {
		return nil
	}
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(o.IO.ErrOut),
		progressbar.OptionSetDescription("converting"),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionEnableColorCodes(colorEnabled(true)),
	)
}

// handle emits one outcome. A file that can't be written, or a panic, fails that file
// alone (out.Err); only a failure to print on stdout stops the batch.
func (o *ConvertOptions) handle(out *convert.Outcome) (fatal error) {
	defer func() {
		if r := recover(); r != nil {
			out.Err = convert.Errorf(out.Source.Path, 0, 0, "internal error, please report it: %v", r)
			fatal = nil
		}
	}()
	if out.Err != nil {
		return nil
	}
	err := o.emit(out)
	var we *writeError
	if errors.As(err, &we) {
		out.Err = convert.RedactError(we.err)
		return nil
	}
	return err
}

// writeError is a file the batch could not write: that input fails, the batch goes on.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

// emit handles one outcome in the selected output mode, following gofmt's -l/-w contract.
func (o *ConvertOptions) emit(out *convert.Outcome) error {
	switch {
	case o.Check:
		return nil
	case o.List:
		for _, c := range out.Changes {
			fmt.Fprintln(o.IO.Out, c.Path)
		}
	case o.Write:
		for _, c := range out.Changes {
			if err := convert.WriteChange(c, o.Force); err != nil {
				return &writeError{err}
			}
		}
	case o.Output == "-":
		for _, f := range out.Result.Files {
			data := strings.TrimPrefix(string(f.Data), "---\n")
			name := filepath.ToSlash(f.Path)
			if strings.ContainsAny(name, "\n\r") {
				name = strconv.Quote(name) // a newline would end the comment and start YAML
			}
			fmt.Fprintf(o.IO.Out, "---\n# %s\n%s", name, data)
		}
	case o.Output != "":
		if o.mirrored == nil {
			o.mirrored = map[string]string{}
		}
		for _, f := range out.Result.Files {
			rel := mirrorPath(f.Path)
			if by, ok := o.mirrored[rel]; ok && by != f.Path {
				// /a/x.yaml and a/x.yaml both mirror to DIR/a/x.yaml: never overwrite one with the other.
				return &writeError{convert.Errorf(f.Path, 0, 0, "not written: %s would also receive %s", filepath.Join(o.Output, rel), by)}
			}
			o.mirrored[rel] = f.Path
			if sameFile(filepath.Join(o.Output, rel), out.Source.Path) {
				// -o . mirrors each input onto itself: replacing it would pass by -w's refusals.
				return &writeError{convert.Errorf(f.Path, 0, 0, "not written: %s is the input itself; -w rewrites inputs in place", filepath.Join(o.Output, rel))}
			}
			if err := convert.WriteUnder(o.Output, rel, f.Data); err != nil {
				return &writeError{err}
			}
		}
	default:
		for _, c := range out.Changes {
			if c.Diff == nil {
				c.Diff = unified(c)
			}
			if _, err := o.IO.Out.Write(c.Diff); err != nil {
				return err
			}
		}
	}
	return nil
}

// prepare is the per-outcome work of a convert run that needs no order: lint of the
// output and, when diffs are printed, their formatting. It runs on the engine's workers.
func (o *ConvertOptions) prepare(out *convert.Outcome) {
	lint.Output(out)
	if o.Check || o.List || o.Write || o.Output != "" {
		return
	}
	for i := range out.Changes {
		out.Changes[i].Diff = unified(out.Changes[i])
	}
}

// unified is a change as the unified diff convert prints.
func unified(c convert.Change) []byte {
	name := filepath.ToSlash(filepath.Clean(c.Path))
	old := "a/" + name
	if c.Created {
		old = "/dev/null"
	}
	return diff.Unified(old, "b/"+name, c.Old, c.New)
}

// mirrorPath makes an output path relative, so -o DIR never writes outside DIR.
func mirrorPath(p string) string {
	p = filepath.Clean(p)
	if filepath.IsAbs(p) {
		p = strings.TrimPrefix(p, filepath.VolumeName(p))
	}
	parts := strings.Split(filepath.ToSlash(p), "/")
	for len(parts) > 0 && (parts[0] == "" || parts[0] == ".." || parts[0] == ".") {
		parts = parts[1:]
	}
	return filepath.FromSlash(strings.Join(parts, "/"))
}

// newReport is an empty report to add outcomes to; a markdown one also draws the
// generated Pipelines and simulates what runs on push and on pull request.
func (o *ConvertOptions) newReport(markdown bool) *report.Report {
	if !markdown {
		return report.Build(nil)
	}
	return report.New(report.Options{Draw: true, Simulate: simulator()})
}

func (o *ConvertOptions) writeReport(rep *report.Report) error {
	t := reportTarget{w: o.IO.ErrOut, tty: o.IO.ErrTTY, stderr: true, summary: o.Check}
	if o.ReportFile != "" {
		f, err := os.Create(o.ReportFile)
		if err != nil {
			return err
		}
		defer f.Close()
		t = reportTarget{w: f}
	}
	return reportWriter(o.Report)(t, rep)
}

// reportTarget is where the report goes; on stderr, errors were already printed as they happened.
type reportTarget struct {
	w           io.Writer
	tty, stderr bool
	summary     bool // --check: the text report is the summary line alone
}

type reportFunc func(t reportTarget, r *report.Report) error

var reportFuncs = map[string]reportFunc{
	"text": func(t reportTarget, r *report.Report) error {
		opts := report.TextOptions{OmitErrors: t.stderr, SummaryOnly: t.summary}
		if colorEnabled(t.tty) {
			opts.Colors = report.ANSI
		}
		return report.Text(t.w, r, opts)
	},
	"json":     func(t reportTarget, r *report.Report) error { return report.JSON(t.w, r) },
	"markdown": func(t reportTarget, r *report.Report) error { return report.Markdown(t.w, r) },
	"sarif":    func(t reportTarget, r *report.Report) error { return report.SARIF(t.w, r) },
}

func reportWriter(name string) reportFunc { return reportFuncs[name] }

func reportFormats() []string {
	names := make([]string, 0, len(reportFuncs))
	for n := range reportFuncs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// errorPath is the input an error is about, for its entry in the report.
func errorPath(err error) string {
	var pe *convert.PosError
	var fe *fs.PathError
	switch {
	case errors.As(err, &pe):
		return pe.Path
	case errors.As(err, &fe):
		return fe.Path
	}
	return ""
}
