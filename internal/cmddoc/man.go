// Package cmddoc writes a man page and a markdown page for each command of a cobra tree, laid
// out as cobra's doc package lays them out, without linking it: its man pages go through
// go-md2man and blackfriday, whose init (regexps, entity table) every command paid for at
// start-up. Help text is written for a terminal, so it is set as text, not read as markdown:
// see (*page).text for the little structure it keeps.
package cmddoc

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ManHeader is the page's .TH line; a zero Date is SOURCE_DATE_EPOCH when set, else now.
type ManHeader struct {
	Title, Section, Source, Manual string
	Date                           time.Time
}

// ManTree writes NAME-SUB-....SECTION in dir for cmd and every available command under it.
func ManTree(cmd *cobra.Command, h ManHeader, dir string) error {
	for _, c := range cmd.Commands() {
		if !c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand() {
			continue
		}
		if err := ManTree(c, h, dir); err != nil {
			return err
		}
	}
	page, err := Man(cmd, h)
	if err != nil {
		return err
	}
	name := strings.ReplaceAll(cmd.CommandPath(), " ", "-") + "." + section(h)
	return os.WriteFile(filepath.Join(dir, name), page, 0o666)
}

func section(h ManHeader) string {
	if h.Section == "" {
		return "1"
	}
	return h.Section
}

// Man is cmd's man page.
func Man(cmd *cobra.Command, h ManHeader) ([]byte, error) {
	cmd.InitDefaultHelpCmd()
	cmd.InitDefaultHelpFlag()
	date := h.Date
	if date.IsZero() {
		date = time.Now()
		if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
			sec, err := strconv.ParseInt(epoch, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("invalid SOURCE_DATE_EPOCH: %v", err)
			}
			date = time.Unix(sec, 0)
		}
	}
	sec := section(h)
	dashed := strings.ReplaceAll(cmd.CommandPath(), " ", "-")
	title := h.Title
	if title == "" {
		title = strings.ToUpper(dashed)
	}

	var b page
	b.WriteString(".nh\n.TH " + roffLine(fmt.Sprintf(`"%s" "%s" "%s" "%s" "%s"`, title, sec, date.Format("Jan 2006"), h.Source, h.Manual)))
	b.heading(1, "NAME")
	b.para(roffLine(dashed + " - " + cmd.Short))
	b.heading(1, "SYNOPSIS")
	b.para(bold(roffLine(cmd.UseLine())))
	b.heading(1, "DESCRIPTION")
	description := cmd.Long
	if description == "" {
		description = cmd.Short
	}
	b.text(description)
	if flags := cmd.NonInheritedFlags(); flags.HasAvailableFlags() {
		b.heading(1, "OPTIONS")
		b.flags(flags)
	}
	if flags := cmd.InheritedFlags(); flags.HasAvailableFlags() {
		b.heading(1, "OPTIONS INHERITED FROM PARENT COMMANDS")
		b.flags(flags)
	}
	if cmd.Example != "" {
		b.heading(1, "EXAMPLE")
		b.display(cmd.Example)
	}
	if see := seeAlso(cmd); len(see) > 0 {
		b.heading(1, "SEE ALSO")
		var refs []string
		for _, c := range see {
			refs = append(refs, bold(roffLine(strings.ReplaceAll(c.CommandPath(), " ", "-")+"("+sec+")")))
		}
		b.para(strings.Join(refs, ", "))
	}
	return []byte(b.String()), nil
}

// page is roff in the layout go-md2man gave cobra's pages: each block starts with its own
// line break, so a paragraph right after a heading has no .PP.
type page struct {
	strings.Builder
	afterHeading bool
}

// heading starts a section (level 1 and 2) or a subsection.
func (b *page) heading(level int, title string) {
	switch level {
	case 1:
		b.WriteString("\n\n.SH ")
	case 2:
		b.WriteString("\n.SH ")
	default:
		b.WriteString("\n.SS ")
	}
	b.WriteString(roffLine(title))
	b.afterHeading = true
}

// para writes a paragraph of roff.
func (b *page) para(roff string) {
	if b.afterHeading {
		b.WriteString("\n")
	} else {
		b.WriteString("\n.PP\n")
	}
	b.WriteString(roff + "\n")
	b.afterHeading = false
}

// display writes lines of text as they are (.EX).
func (b *page) display(text string) {
	b.WriteString("\n.EX\n" + roffLines(text) + "\n.EE\n")
	b.afterHeading = false
}

// flags lists each visible flag as a paragraph: its names, =default, and the usage on an
// indented line, the argument name (pflag's backquoted word) in bold.
func (b *page) flags(flags *pflag.FlagSet) {
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Deprecated != "" || f.Hidden {
			return
		}
		names := bold("--" + f.Name)
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			names = bold("-"+f.Shorthand) + ", " + names
		}
		def := f.DefValue
		if f.Value.Type() == "string" {
			def = strconv.Quote(def)
		}
		def = "=" + def
		if f.NoOptDefVal != "" {
			def = "[" + def + "]"
		}
		b.para(names + roffLine(def) + "\n\t" + usage(f.Usage))
	})
}

// usage sets a flag's usage, the `NAME` pflag shows as the argument in bold.
func usage(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '`')
		if j < 0 {
			break
		}
		b.WriteString(roffLines(s[:i]) + `\fB` + roffLines(s[i+1:i+1+j]) + `\fR`)
		s = s[i+2+j:]
	}
	return b.String() + roffLines(s)
}

func bold(s string) string { return `\fB` + s + `\fP` }

// text sets help text as paragraphs separated by blank lines. It keeps the structure of
// cobra's completion help: a line of #s and a space starts a heading (## and less .SH, more
// .SS), and a block whose lines are all indented by a tab or four spaces is a display, shown
// without that indent. Everything else is text as written, line by line.
func (b *page) text(s string) {
	var para []string
	flush := func() {
		if len(para) > 0 {
			b.para(roffLines(strings.TrimLeft(strings.Join(para, "\n"), " ")))
			para = para[:0]
		}
	}
	lines := strings.Split(strings.TrimRight(s, " \t\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		switch {
		case l == "":
			flush()
		case headingLevel(l) > 0:
			flush()
			n := headingLevel(l)
			b.heading(n, strings.TrimSpace(strings.TrimRight(l[n:], "#")))
		case len(para) == 0 && indented(l):
			j := i
			for j < len(lines) && (indented(lines[j]) || strings.TrimSpace(lines[j]) == "") {
				j++
			}
			for strings.TrimSpace(lines[j-1]) == "" {
				j--
			}
			var code []string
			for _, c := range lines[i:j] {
				code = append(code, unindent(strings.TrimRight(c, " \t")))
			}
			b.display(strings.Join(code, "\n"))
			i = j - 1
		default:
			para = append(para, l)
		}
	}
	flush()
}

// headingLevel is the number of #s that start a heading line, else 0.
func headingLevel(l string) int {
	n := 0
	for n < len(l) && n < 6 && l[n] == '#' {
		n++
	}
	if n == 0 || n >= len(l) || l[n] != ' ' {
		return 0
	}
	return n
}

func indented(l string) bool {
	return strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "    ")
}

func unindent(l string) string {
	if strings.HasPrefix(l, "\t") {
		return l[1:]
	}
	return strings.TrimPrefix(l, "    ")
}

// roffLines escapes each line of text.
func roffLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = roffLine(l)
	}
	return strings.Join(lines, "\n")
}

// roffLine escapes one line of text: a backslash is doubled, and a line that would start with a
// control character (. or ') starts with the zero-width \& instead.
func roffLine(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// seeAlso is cmd's parent, then its available children by name.
func seeAlso(cmd *cobra.Command) []*cobra.Command {
	var see []*cobra.Command
	if cmd.HasParent() {
		see = append(see, cmd.Parent())
	}
	children := append([]*cobra.Command(nil), cmd.Commands()...)
	sort.SliceStable(children, func(i, j int) bool { return children[i].Name() < children[j].Name() })
	for _, c := range children {
		if c.IsAvailableCommand() && !c.IsAdditionalHelpTopicCommand() {
			see = append(see, c)
		}
	}
	return see
}
