package cmddoc

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// MarkdownTree writes NAME_SUB_....md in dir for cmd and every available command under it;
// link turns a page's file name into the link other pages give it.
func MarkdownTree(cmd *cobra.Command, dir string, link func(string) string) error {
	for _, c := range cmd.Commands() {
		if !c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand() {
			continue
		}
		if err := MarkdownTree(c, dir, link); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, mdName(cmd)), Markdown(cmd, link), 0o666)
}

func mdName(cmd *cobra.Command) string {
	return strings.ReplaceAll(cmd.CommandPath(), " ", "_") + ".md"
}

// Markdown is cmd's page: its help, usage, examples, flags as `--help` prints them, and links
// to its parent and children.
func Markdown(cmd *cobra.Command, link func(string) string) []byte {
	cmd.InitDefaultHelpCmd()
	cmd.InitDefaultHelpFlag()
	b := new(bytes.Buffer)
	name := cmd.CommandPath()
	b.WriteString("## " + name + "\n\n" + cmd.Short + "\n\n")
	if cmd.Long != "" {
		b.WriteString("### Synopsis\n\n" + cmd.Long + "\n\n")
	}
	if cmd.Runnable() {
		fmt.Fprintf(b, "```\n%s\n```\n\n", cmd.UseLine())
	}
	if cmd.Example != "" {
		fmt.Fprintf(b, "### Examples\n\n```\n%s\n```\n\n", cmd.Example)
	}
	if flags := cmd.NonInheritedFlags(); flags.HasAvailableFlags() {
		b.WriteString("### Options\n\n```\n")
		flags.SetOutput(b)
		flags.PrintDefaults()
		b.WriteString("```\n\n")
	}
	if flags := cmd.InheritedFlags(); flags.HasAvailableFlags() {
		b.WriteString("### Options inherited from parent commands\n\n```\n")
		flags.SetOutput(b)
		flags.PrintDefaults()
		b.WriteString("```\n\n")
	}
	if see := seeAlso(cmd); len(see) > 0 {
		b.WriteString("### SEE ALSO\n\n")
		for _, c := range see {
			fmt.Fprintf(b, "* [%s](%s)\t - %s\n", c.CommandPath(), link(mdName(c)), c.Short)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}
