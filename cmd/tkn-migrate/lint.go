package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/report"
	"github.com/tkn-migrate/tkn-migrate/lint"
)

// LintOptions holds what `lint` needs.
type LintOptions struct {
	IO         *IOStreams
	Paths      []string
	Report     string
	ReportFile string
	MaxSize    int64
	Config     string // --config; "" reads .tkn-migrate.yaml if present
	MaxWarn    int    // --max-warnings; -1 means no limit
	Baseline   string // --baseline: an earlier JSON report
}

func newCmdLint(ios *IOStreams, runF func(*LintOptions) error) *cobra.Command {
	opts := &LintOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "lint [flags] <path>...",
		Short: "Find the pitfalls Tekton users hit, without rewriting anything",
		Long: ruleTable("lint reads Tekton YAML (and the Secrets and ServiceAccounts beside it) and reports what\n" +
			"Tekton's own validation rejects, references between files that don't match (params,\n" +
			"results, workspaces, refs), and the pitfalls that break runs. It exits 1 when any finding\n" +
			"is an error. A # tkn-migrate:ignore RULE comment on the line above a finding suppresses it.\n\nRules:\n"),
		Example: "  $ tkn-migrate lint .tekton/\n  $ tkn-migrate lint --report sarif --report-file lint.sarif manifests/\n" +
			"  $ tkn-migrate lint --report json --report-file baseline.json . && tkn-migrate lint --baseline baseline.json .",
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Paths = args
			if _, ok := lintReports[opts.Report]; !ok {
				return flagErrorf("--report must be text, json, markdown or sarif, not %q", opts.Report)
			}
			if runF != nil {
				return runF(opts)
			}
			return lintRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Report, "report", "text", "report format: text, json, markdown or sarif")
	f.StringVar(&opts.ReportFile, "report-file", "", "write the report to `FILE` instead of stdout")
	f.Int64Var(&opts.MaxSize, "max-size", convert.DefaultMaxSize, "largest input file read, in `bytes`")
	f.StringVar(&opts.Config, "config", "", "rule levels, disabled rules and generated paths from `FILE` (default "+lint.ConfigFile+" if present)")
	f.IntVar(&opts.MaxWarn, "max-warnings", -1, "exit 1 when there are more than `N` warnings (-1: no limit)")
	f.StringVar(&opts.Baseline, "baseline", "", "report only findings not in `FILE`, an earlier --report json")
	return cmd
}

// ruleTable is head followed by one line per rule, columns padded as %-20s and %-7s would:
// every command builds lint's help at start-up, and fmt made that a third of the command tree.
func ruleTable(head string) string {
	var b strings.Builder
	b.Grow(len(head) + len(lint.Rules)*128)
	b.WriteString(head)
	pad := func(s string, width int) {
		b.WriteString(s)
		for n := utf8.RuneCountInString(s); n < width; n++ {
			b.WriteByte(' ')
		}
		b.WriteByte(' ')
	}
	for _, r := range lint.Rules {
		b.WriteString("  ")
		pad(r.ID, 0)
		pad(r.Name, 20)
		pad(string(r.Severity), 7)
		b.WriteString(r.Summary)
		b.WriteByte('\n')
	}
	return b.String()
}

func lintRun(o *LintOptions) error {
	cfgFile := o.Config
	if cfgFile == "" {
		cfgFile = lint.ConfigFile
	}
	cfg, err := lint.LoadConfig(cfgFile, o.Config != "")
	if err != nil {
		return flagErrorf("--config: %v", err)
	}
	files, findings, errs := lintFiles(o.Paths, o.MaxSize, o.IO.In, o.Report == "markdown")
	findings = cfg.Apply(findings)
	if o.Baseline != "" {
		if findings, err = lint.Baseline(o.Baseline, findings); err != nil {
			return flagErrorf("--baseline: %v", err)
		}
	}
	for _, err := range errs {
		fmt.Fprintln(o.IO.ErrOut, report.Terminal(err.Error()))
	}
	var colors report.Colors
	if o.ReportFile == "" && colorEnabled(o.IO.OutTTY) {
		colors = report.ANSI
	}
	if err := toReportFile(o.IO.Out, o.ReportFile, func(w io.Writer) error {
		return lintReports[o.Report](w, files, errs, findings, colors)
	}); err != nil {
		return err
	}
	switch {
	case len(errs) > 0:
		return exitCodeError{exitError}
	case lint.HasErrors(findings):
		return exitCodeError{exitChanges}
	case o.MaxWarn >= 0 && warnings(findings) > o.MaxWarn:
		fmt.Fprintf(o.IO.ErrOut, "%d warnings, more than --max-warnings %d\n", warnings(findings), o.MaxWarn)
		return exitCodeError{exitChanges}
	}
	return nil
}

// toReportFile runs write on file (--report-file) when one is named, else on out.
func toReportFile(out io.Writer, file string, write func(io.Writer) error) error {
	if file == "" {
		return write(out)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	return write(f)
}

func warnings(fs []lint.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == lint.Warning {
			n++
		}
	}
	return n
}

// readYAML collects every YAML file under paths ("-" is stdin): lint needs Secrets and
// ServiceAccounts too, not only Tekton kinds.
func readYAML(paths []string, maxSize int64, stdin io.Reader) ([]lint.File, []error) {
	var files []lint.File
	errs := convert.ReadYAML(paths, maxSize, stdin, func(path string, data []byte) {
		files = append(files, lint.File{Path: path, Data: data})
	})
	return files, errs
}

// lintFiles lints every YAML file under paths as it is read, keeping a file's bytes only for
// the markdown report (which draws every file) or from stdin: lint reads a file again when its
// documents must be checked against files read after it (lint.Linter).
func lintFiles(paths []string, maxSize int64, stdin io.Reader, keep bool) ([]lint.File, []lint.Finding, []error) {
	l := lint.NewLinter()
	var files []lint.File
	var sums [][sha256.Size]byte
	errs := convert.ReadYAML(paths, maxSize, stdin, func(path string, data []byte) {
		l.Add(lint.File{Path: path, Data: data})
		f := lint.File{Path: path}
		if keep || path == convert.StdinPath {
			f.Data = data
		}
		files = append(files, f)
		sums = append(sums, sha256.Sum256(data))
	})
	findings, lerrs := l.Finish(reread(files, sums, maxSize))
	return files, findings, append(errs, lerrs...)
}

// reread gives file i's bytes again, from disk when they were not kept, refusing bytes that
// are no longer those first linted: findings from two versions of one file would mix.
func reread(files []lint.File, sums [][sha256.Size]byte, maxSize int64) func(i int) ([]byte, error) {
	return func(i int) ([]byte, error) {
		if files[i].Data != nil {
			return files[i].Data, nil
		}
		f, err := os.Open(files[i].Path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		data, err := convert.ReadLimited(files[i].Path, f, maxSize)
		if err != nil {
			return nil, err
		}
		if sha256.Sum256(data) != sums[i] {
			return nil, fmt.Errorf("%s: changed on disk while lint read it; run lint again", files[i].Path)
		}
		return data, nil
	}
}

// lintReport renders findings; colors apply to the text format only.
type lintReport func(w io.Writer, files []lint.File, errs []error, fs []lint.Finding, c report.Colors) error

var lintReports = map[string]lintReport{
	"text": func(w io.Writer, files []lint.File, errs []error, fs []lint.Finding, c report.Colors) error {
		var b strings.Builder
		counts := map[lint.Severity]int{}
		color := map[lint.Severity]string{lint.Error: c.Error, lint.Warning: c.Warn, lint.Info: c.Info}
		for _, f := range fs {
			pos := f.File
			if f.Line > 0 {
				pos = fmt.Sprintf("%s:%d:%d", f.File, f.Line, max(f.Col, 1))
			}
			fmt.Fprintf(&b, "%s: %s%s%s: %s [%s %s]\n", report.Terminal(pos), color[f.Severity], f.Severity, c.Reset, report.Terminal(f.Message), f.Rule, f.Name)
			if f.Action != "" {
				fmt.Fprintf(&b, "    run: %s\n", report.Terminal(f.Action))
			}
			counts[f.Severity]++
		}
		fmt.Fprintf(&b, "%d %s: %d %s, %d %s, %d info\n", len(files), plural(len(files), "file", "files"),
			counts[lint.Error], plural(counts[lint.Error], "error", "errors"),
			counts[lint.Warning], plural(counts[lint.Warning], "warning", "warnings"), counts[lint.Info])
		_, err := io.WriteString(w, b.String())
		return err
	},
	"json": func(w io.Writer, files []lint.File, errs []error, fs []lint.Finding, c report.Colors) error {
		if fs == nil {
			fs = []lint.Finding{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			SchemaVersion int            `json:"schemaVersion"`
			Tool          string         `json:"tool"`
			Files         int            `json:"files"`
			Findings      []lint.Finding `json:"findings"`
		}{1, "tkn-migrate lint", len(files), fs})
	},
	"markdown": func(w io.Writer, files []lint.File, errs []error, fs []lint.Finding, c report.Colors) error {
		rep := lintAsReport(files, fs)
		defer rep.Close()
		return report.Markdown(w, rep)
	},
	"sarif": func(w io.Writer, files []lint.File, errs []error, fs []lint.Finding, c report.Colors) error {
		return lintSARIF(w, errs, fs)
	},
}

// lintAsReport carries lint findings into the conversion report, so markdown and SARIF render both alike.
func lintAsReport(files []lint.File, fs []lint.Finding) *report.Report {
	byFile := map[string][]convert.Finding{}
	for _, f := range fs {
		byFile[f.File] = append(byFile[f.File], f.Convert())
	}
	var outcomes []*convert.Outcome
	for _, f := range files {
		outcomes = append(outcomes, &convert.Outcome{
			Source: convert.Source{Path: f.Path, Kind: convert.KindTekton},
			Result: convert.Result{Files: []convert.File{{Path: f.Path, Data: f.Data}}, Findings: byFile[f.Path]},
		})
	}
	return report.New(report.Options{Draw: true}, outcomes...)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
