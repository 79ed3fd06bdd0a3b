package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/graph"
)

func newCmdGraph(ios *IOStreams) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "graph [--format mermaid|dot] <path>...",
		Short:   "Draw the task graph of Tekton Pipelines",
		Example: "  $ tkn-migrate graph .tekton/pipeline.yaml\n  $ tkn-migrate graph --format dot .tekton/ | dot -Tsvg > pipeline.svg",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			render := map[string]func(*graph.Pipeline) string{"mermaid": graph.Mermaid, "dot": graph.DOT}[format]
			if render == nil {
				return flagErrorf("--format must be mermaid or dot, not %q", format)
			}
			files, errs := readYAML(args, convert.DefaultMaxSize, ios.In)
			var out []string
			for _, f := range files {
				ps, err := graph.Parse(f.Path, f.Data)
				if err != nil {
					errs = append(errs, err)
				}
				for _, p := range ps {
					comment := "%%"
					if format == "dot" {
						comment = "//"
					}
					out = append(out, fmt.Sprintf("%s %s %s (%s:%d)\n%s", comment, p.Kind, p.Name, p.File, p.Line, render(p)))
				}
			}
			fmt.Fprint(ios.Out, strings.Join(out, "\n"))
			for _, err := range errs {
				fmt.Fprintln(ios.ErrOut, err)
			}
			switch {
			case len(errs) > 0:
				return exitCodeError{exitError}
			case len(out) == 0:
				fmt.Fprintln(ios.ErrOut, "no Pipeline found")
				return exitCodeError{exitError}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "mermaid", "mermaid or dot")
	return cmd
}
