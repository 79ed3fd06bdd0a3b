package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tkn-migrate/tkn-migrate/internal/cmddoc"
)

// DocsOptions says where `docs` writes.
type DocsOptions struct {
	Man, Markdown string
}

func newCmdDocs() *cobra.Command {
	opts := &DocsOptions{}
	cmd := &cobra.Command{
		Use:   "docs (--man DIR | --markdown DIR)",
		Short: "Generate man pages or markdown for every command",
		Long: "docs writes one page per command, generated from the command definitions. The man pages' date is\n" +
			"SOURCE_DATE_EPOCH when set (reproducible builds), else today.",
		Example: "  $ tkn-migrate docs --man /usr/local/share/man/man1\n  $ tkn-migrate docs --markdown docs/cli",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Man == "" && opts.Markdown == "" {
				return flagErrorf("docs needs --man DIR or --markdown DIR")
			}
			return genDocs(cmd.Root(), *opts)
		},
	}
	cmd.Flags().StringVar(&opts.Man, "man", "", "write man pages (section 1) to `DIR`")
	cmd.Flags().StringVar(&opts.Markdown, "markdown", "", "write markdown pages to `DIR`")
	return cmd
}

// genDocs writes the pages of root and every command under it. The generation tag carries
// a date, so it is left out: regenerating unchanged commands changes no file.
func genDocs(root *cobra.Command, o DocsOptions) error {
	root.DisableAutoGenTag = true
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	if o.Man != "" {
		if err := os.MkdirAll(o.Man, 0o755); err != nil {
			return err
		}
		hdr := cmddoc.ManHeader{Title: strings.ToUpper(root.Name()), Section: "1", Source: "tkn-migrate", Manual: "tkn-migrate manual"}
		if err := cmddoc.ManTree(root, hdr, o.Man); err != nil {
			return err
		}
	}
	if o.Markdown != "" {
		if err := os.MkdirAll(o.Markdown, 0o755); err != nil {
			return err
		}
		return cmddoc.MarkdownTree(root, o.Markdown, filepath.Base)
	}
	return nil
}
