package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/tkn-migrate/tkn-migrate/convert/report"
)

// simulateProgram runs `simulate`. Tekton's controller packages would more than double
// this binary and the start-up of every command, so they live in that program alone.
const simulateProgram = "tkn-migrate-simulate"

func newCmdSimulate(ios *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:                "simulate [flags] <path>...",
		Short:              "Show what Tekton would run for an event, offline, with Tekton's own controller code",
		DisableFlagParsing: true, // the program parses them (and prints --help)
		RunE: func(_ *cobra.Command, args []string) error {
			path, err := findSimulate()
			if err != nil {
				return err
			}
			c := exec.Command(path, args...)
			c.Stdin, c.Stdout, c.Stderr = ios.In, ios.Out, ios.ErrOut
			var ee *exec.ExitError
			switch err := c.Run(); {
			case err == nil:
				return nil
			case errors.As(err, &ee):
				return exitCodeError{ee.ExitCode()}
			default:
				return err
			}
		},
	}
}

// findSimulate looks beside this executable first (go install puts both there), then on PATH.
func findSimulate() (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), simulateProgram)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(simulateProgram); err == nil {
		return p, nil
	}
	return "", errors.New("simulate needs the " + simulateProgram + " program beside tkn-migrate or on PATH: go install ./cmd/...")
}

// simulator runs the simulate program for convert's markdown report, or says why it can't.
func simulator() *report.Simulator {
	path, err := findSimulate()
	if err != nil {
		return &report.Simulator{Missing: err}
	}
	return &report.Simulator{Run: func(dir string, args []string) ([]byte, []byte, error) {
		var stdout, stderr bytes.Buffer
		c := exec.Command(path, args...)
		c.Dir, c.Stdout, c.Stderr = dir, &stdout, &stderr
		err := c.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 2 && stdout.Len() > 0 {
			err = nil // a report of the errors Tekton would raise
		}
		return stdout.Bytes(), stderr.Bytes(), err
	}}
}
