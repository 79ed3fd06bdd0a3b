package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes, as DESIGN.md section 2 fixes them.
const (
	exitOK      = 0
	exitChanges = 1 // --check found work, --strict found manual items, lint found problems
	exitError   = 2 // usage, unreadable or invalid input, invalid output
)

// IOStreams carries the process's standard streams, so tests can swap them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY and ErrTTY say whether the streams are terminals (colour, progress bar).
	OutTTY, ErrTTY bool
}

// exitCodeError ends the command with a code after its output has been printed.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// flagError is a usage mistake: it prints the message and exits 2.
type flagError struct{ err error }

func (e flagError) Error() string { return e.err.Error() }

func flagErrorf(format string, args ...any) error { return flagError{fmt.Errorf(format, args...)} }

// Main runs the command line and returns the exit code; it never calls os.Exit, so tests can run it.
func Main() int {
	return run(os.Args[1:], systemStreams())
}

func run(args []string, ios *IOStreams) int {
	root := newCmdRoot(ios)
	root.SetArgs(args)
	err := root.Execute()
	var ec exitCodeError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ec):
		return ec.code
	default:
		fmt.Fprintln(ios.ErrOut, "tkn-migrate:", err)
		return exitError
	}
}

func newCmdRoot(ios *IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "tkn-migrate <command> [flags]",
		Short: "Move CI definitions to Tekton v1",
		Long: "tkn-migrate upgrades old Tekton YAML (v1alpha1, v1beta1, PipelineResources, Conditions, ClusterTasks)\n" +
			"to tekton.dev/v1 in place, and translates .travis.yml, Jenkinsfiles and Jenkins job config.xml\n" +
			"into Tekton Pipelines. It shows a reviewable diff first; -w writes it.",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return flagError{err} })
	root.AddCommand(newCmdConvert(ios, nil))
	root.AddCommand(newCmdLint(ios, nil))
	root.AddCommand(newCmdGraph(ios))
	root.AddCommand(newCmdCatalog(ios))
	root.AddCommand(newCmdSimulate(ios))
	root.AddCommand(newCmdVersion(ios))
	root.AddCommand(newCmdAudit(ios))
	root.AddCommand(newCmdDocs())
	root.AddCommand(newCmdFn(ios))
	return root
}
