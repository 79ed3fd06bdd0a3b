package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/spf13/cobra"
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
