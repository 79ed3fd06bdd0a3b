// Package cli is the simulate command. It runs as its own program, tkn-migrate-simulate,
// which `tkn-migrate simulate` executes: Tekton's controller packages more than double
// the binary and the start-up of every other command, so only this program links them.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/simulate"
	"github.com/tkn-migrate/tkn-migrate/simulate/render"
)

// Exit codes, as tkn-migrate's.
const (
	exitOK    = 0
	exitError = 2
)

var reports = map[string]func(io.Writer, *simulate.Report) error{
	"text": render.Text, "json": render.JSON, "markdown": render.Markdown,
}

// Main runs the command with os.Args and returns the exit code.
func Main() int {
	return Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// errExit ends the command with exit code 2 after its output has been printed.
var errExit = errors.New("exit 2")

// Run runs the command line args.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := New(stdin, stdout, stderr)
	cmd.SetArgs(args)
	switch err := cmd.Execute(); {
	case err == nil:
		return exitOK
	case errors.Is(err, errExit):
	default:
		fmt.Fprintln(stderr, "tkn-migrate:", err)
	}
	return exitError
}

// New returns the simulate command.
func New(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var (
		opts            simulate.Options
		params, results []string
		fails           []string
		reportFmt       string
		maxSize         int64
	)
	cmd := &cobra.Command{
		Use:   "simulate [flags] <path>...",
		Short: "Show what Tekton would run for an event, offline, with Tekton's own controller code",
		Long: "simulate reads Tekton YAML (a .tekton/ directory or any files), lets Pipelines-as-Code's own code\n" +
			"choose and expand the PipelineRuns the event starts, then runs each through tektoncd/pipeline's\n" +
			"controller code with fake clients: DAG, params, results, when/CEL, matrix, finally and Pod\n" +
			"construction. Every step succeeds unless --fail names its task; results are \"<task>.<result>\"\n" +
			"unless --result sets them. An error the controller would raise exits 2.",
		Example: "  $ tkn-migrate simulate .tekton/\n" +
			"  $ tkn-migrate simulate --event pull_request --branch feature --target-branch main .tekton/\n" +
			"  $ tkn-migrate simulate --fail test --report markdown .tekton/",
		Args:          cobra.MinimumNArgs(1),
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(_ *cobra.Command, args []string) error {
			write := reports[reportFmt]
			if write == nil {
				return fmt.Errorf("--report must be text, json or markdown, not %q", reportFmt)
			}
			var err error
			if opts.Params, err = keyValues("--param", params); err != nil {
				return err
			}
			if opts.Results, err = keyValues("--result", results); err != nil {
				return err
			}
			opts.Fail = map[string]bool{}
			for _, f := range fails {
				opts.Fail[f] = true
			}
			files, errs := readFiles(args, maxSize, stdin)
			rep := simulate.Simulate(files, opts)
			for _, err := range errs {
				fmt.Fprintln(stderr, err)
			}
			if err := write(stdout, rep); err != nil {
				return err
			}
			if len(errs) > 0 || len(rep.Errors) > 0 {
				return errExit
			}
			return nil
		},
	}
	cmd.SetIn(stdin)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	f := cmd.Flags()
	f.StringVar(&opts.Event.Type, "event", "push", "event: push, pull_request, tag or incoming")
	f.StringVar(&opts.Event.Branch, "branch", "main", "pushed branch, or the pull request's head branch")
	f.StringVar(&opts.Event.TargetBranch, "target-branch", "main", "the pull request's base branch")
	f.StringVar(&opts.Event.Tag, "tag", "", "the pushed tag (--event tag)")
	f.StringVar(&opts.Event.DefaultBranch, "default-branch", "main", "the repository's default branch: a push to it that starts no run is an error")
	f.StringVar(&opts.Event.PipelineRun, "pipelinerun", "", "the run an incoming webhook names (--event incoming)")
	f.StringArrayVar(&params, "param", nil, "set PipelineRun param `k=v` (repeatable)")
	f.StringArrayVar(&fails, "fail", nil, "make pipeline `TASK` fail (repeatable)")
	f.StringArrayVar(&results, "result", nil, "give result `task.name=value` (repeatable)")
	f.StringVar(&reportFmt, "report", "text", "report format: text, json or markdown")
	f.Int64Var(&maxSize, "max-size", convert.DefaultMaxSize, "largest input file read, in `bytes`")
	return cmd
}

// keyValues parses repeated k=v flags.
func keyValues(flag string, list []string) (map[string]string, error) {
	m := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%s wants key=value, not %q", flag, kv)
		}
		m[k] = v
	}
	return m, nil
}

// readFiles reads the YAML files under paths (directories walked as convert walks them; - is stdin).
func readFiles(paths []string, maxSize int64, stdin io.Reader) ([]simulate.File, []error) {
	var files []simulate.File
	errs := convert.ReadYAML(paths, maxSize, stdin, func(path string, data []byte) {
		files = append(files, simulate.File{Path: path, Data: data})
	})
	return files, errs
}
