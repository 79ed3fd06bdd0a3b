package main

import (
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/tkn-migrate/tkn-migrate/audit"
	"github.com/tkn-migrate/tkn-migrate/convert"
)

// AuditOptions holds what `audit` needs, gathered from flags.
type AuditOptions struct {
	IO         *IOStreams
	Paths      []string
	ReposIn    bool
	Format     string
	ReportFile string
	Mapping    string
	MaxSize    int64
}

func newCmdAudit(ios *IOStreams) *cobra.Command {
	opts := &AuditOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "audit [flags] PATH...",
		Short: "Report how far a fleet of repositories converts, and the work left to people",
		Long: "audit converts every CI file under PATH in memory and writes nothing. Each directory holding .git is one\n" +
			"repository (or each child directory of PATH, with --repos-in). It reports per repository and file a status\n" +
			"(converted, partially converted, manual work, unsupported, failed), the Jenkins steps found (known, mapped\n" +
			"by --mapping, unknown), fleet totals, the manual work grouped by kind (Secrets, storage classes, node pools,\n" +
			"service accounts, cron jobs) and the unknown Jenkins steps to map next.",
		Example: "  # every checkout under ~/src, one child directory per repository\n  $ tkn-migrate audit --repos-in ~/src\n\n" +
			"  # a spreadsheet of the fleet\n  $ tkn-migrate audit --format csv --report-file fleet.csv --repos-in ~/src",
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Paths = args
			if audit.Formats[opts.Format] == nil {
				return flagErrorf("--format must be one of %s, not %q", strings.Join(auditFormats(), ", "), opts.Format)
			}
			if slices.Contains(args, "-") {
				return flagErrorf("audit reads repositories, not standard input")
			}
			if opts.MaxSize <= 0 {
				return flagErrorf("--max-size must be positive")
			}
			return auditRun(opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.ReposIn, "repos-in", false, "treat each child directory of every PATH as one repository")
	f.StringVar(&opts.Format, "format", "markdown", "report format: "+strings.Join(auditFormats(), ", "))
	f.StringVar(&opts.ReportFile, "report-file", "", "write the report to `FILE` instead of stdout")
	f.StringVar(&opts.Mapping, "mapping", "", "YAML `FILE` mapping Jenkins steps and library calls to Tekton, as convert takes it")
	f.Int64Var(&opts.MaxSize, "max-size", convert.DefaultMaxSize, "largest input file read, in `bytes`")
	return cmd
}

func auditFormats() []string {
	names := make([]string, 0, len(audit.Formats))
	for n := range audit.Formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func auditRun(o *AuditOptions) error {
	co := &ConvertOptions{IO: o.IO, To: "v1", CatalogRef: "hub", Mapping: o.Mapping, MaxSize: o.MaxSize}
	eng, err := co.engine()
	if err != nil {
		return err
	}
	inputs, repos, inputErrs := audit.Inputs(eng, o.Paths, o.ReposIn)
	var bar *progressbar.ProgressBar
	if len(inputs) > progressThreshold && o.IO.ErrTTY && (o.ReportFile != "" || !o.IO.OutTTY) {
		bar = progressbar.NewOptions(len(inputs), progressbar.OptionSetWriter(o.IO.ErrOut),
			progressbar.OptionSetDescription("auditing"), progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(), progressbar.OptionEnableColorCodes(colorEnabled(true)))
	}
	rep, err := audit.Run(eng, inputs, repos, inputErrs, func() {
		if bar != nil {
			_ = bar.Add(1)
		}
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	return toReportFile(o.IO.Out, o.ReportFile, func(w io.Writer) error { return audit.Formats[o.Format](w, rep) })
}
