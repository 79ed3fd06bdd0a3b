package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tkn-migrate/tkn-migrate/catalog"
)

func newCmdCatalog(ios *IOStreams) *cobra.Command {
	var refMode string
	cmd := &cobra.Command{
		Use:   "catalog [list | show <name>]",
		Short: "Show the catalog Tasks the converters target",
		Example: "  # every Task, with its pinned version\n  $ tkn-migrate catalog list\n\n" +
			"  # params, workspaces, results and the reference we emit\n  $ tkn-migrate catalog show git-clone --catalog-ref git",
		Args: cobra.MaximumNArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			mode, err := catalog.ParseRefMode(refMode)
			if err != nil {
				return flagError{err}
			}
			switch {
			case len(args) == 0 || (args[0] == "list" && len(args) == 1):
				w := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "NAME\tVERSION\tPARAMS\tWORKSPACES\tRESULTS")
				for _, t := range catalog.All() {
					fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\n", t.Name, t.Version, len(t.Params), len(t.Workspaces), len(t.Results))
				}
				return w.Flush()
			case args[0] == "show" && len(args) == 2:
				t, ok := catalog.Lookup(args[1])
				if !ok {
					return flagErrorf("no catalog Task named %q (see: tkn-migrate catalog list)", args[1])
				}
				showTask(ios, t, mode)
				return nil
			}
			return flagErrorf("usage: tkn-migrate catalog [list | show <name>]")
		},
	}
	cmd.Flags().StringVar(&refMode, "catalog-ref", "hub", "reference style to show: hub, bundles, git or cluster")
	return cmd
}

func showTask(ios *IOStreams, t catalog.Task, mode catalog.RefMode) {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\nversion: %s\n", t.Name, t.Version)
	if t.Note != "" {
		fmt.Fprintf(&b, "note: %s\n", t.Note)
	}
	b.WriteString("params:\n")
	for _, p := range t.Params {
		req := ""
		if p.Required() {
			req = " (required)"
		}
		fmt.Fprintf(&b, "  - %s%s\n", p.Name, req)
	}
	b.WriteString("workspaces:\n")
	for _, w := range t.Workspaces {
		opt := ""
		if w.Optional {
			opt = " (optional)"
		}
		fmt.Fprintf(&b, "  - %s%s\n", w.Name, opt)
	}
	b.WriteString("results:\n")
	for _, r := range t.Results {
		fmt.Fprintf(&b, "  - %s\n", r)
	}
	ref := t.Ref(mode)
	fmt.Fprintf(&b, "taskRef:\n  resolver: %s\n  params:\n", ref.Resolver)
	for _, p := range ref.Params {
		fmt.Fprintf(&b, "    - name: %s\n      value: %q\n", p.Name, p.Value)
	}
	fmt.Fprint(ios.Out, b.String())
}
