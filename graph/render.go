package graph

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxLabel bounds one label line so long when expressions don't swamp the picture.
const maxLabel = 60

// lines is what a task's box says, one entry per line.
func (t *Task) lines() []string {
	out := []string{t.Name}
	if t.Ref != "" {
		out = append(out, t.Ref)
	}
	if t.Matrix != nil {
		out = append(out, t.Matrix.String())
	}
	for _, w := range t.When {
		out = append(out, "when "+w)
	}
	for i := range out {
		out[i] = clip(out[i])
	}
	return out
}

// String is the fan-out in one line: "matrix: go×2, os×3 +1 include", or "matrix: 2 includes".
func (m *Matrix) String() string {
	var parts []string
	for _, p := range m.Params {
		n := "?"
		if p.Values >= 0 {
			n = fmt.Sprint(p.Values)
		}
		if len(parts) > 0 {
			parts[len(parts)-1] += ","
		}
		parts = append(parts, p.Name+"×"+n)
	}
	if m.Include > 0 {
		inc := fmt.Sprintf("%d %s", m.Include, plural(m.Include, "include", "includes"))
		if len(parts) > 0 {
			inc = "+" + inc
		}
		parts = append(parts, inc)
	}
	return "matrix: " + strings.Join(parts, " ")
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)
	return string(r[:maxLabel-1]) + "…"
}

// ids gives every task a short stable node id: names may be Mermaid keywords ("end").
func (p *Pipeline) ids() map[string]string {
	ids := map[string]string{}
	for i, t := range p.Tasks {
		ids[t.Name] = fmt.Sprintf("t%d", i+1)
	}
	for i, t := range p.Finally {
		ids[t.Name] = fmt.Sprintf("f%d", i+1)
	}
	return ids
}

// Mermaid draws p as a GitHub-renderable flowchart: runAfter and result edges
// (labelled with the results read), matrix tasks as double-edged boxes, finally
// tasks in a subgraph entered by dotted edges from the last tasks.
func Mermaid(p *Pipeline) string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	ids := p.ids()
	node := func(indent string, t *Task) {
		lines := t.lines()
		for i := range lines {
			lines[i] = mermaidEscape(lines[i])
		}
		label := `"` + strings.Join(lines, "<br/>") + `"`
		if t.Matrix != nil {
			fmt.Fprintf(&b, "%s%s[[%s]]\n", indent, ids[t.Name], label)
		} else {
			fmt.Fprintf(&b, "%s%s[%s]\n", indent, ids[t.Name], label)
		}
	}
	if len(p.Tasks)+len(p.Finally) == 0 {
		b.WriteString("  empty[\"(no tasks)\"]\n")
		return b.String()
	}
	for _, t := range p.Tasks {
		node("  ", t)
	}
	if len(p.Finally) > 0 {
		b.WriteString("  subgraph fin [\"finally\"]\n")
		for _, t := range p.Finally {
			node("    ", t)
		}
		b.WriteString("  end\n")
	}
	for _, t := range p.All() {
		for _, d := range t.Deps {
			if len(d.Results) > 0 {
				fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", ids[d.Task], mermaidEscape(clip(strings.Join(d.Results, ", "))), ids[t.Name])
			} else {
				fmt.Fprintf(&b, "  %s --> %s\n", ids[d.Task], ids[t.Name])
			}
		}
	}
	if len(p.Finally) > 0 {
		for _, t := range p.Leaves() {
			fmt.Fprintf(&b, "  %s -.-> fin\n", ids[t.Name])
		}
	}
	return b.String()
}

// mermaidEscape makes text safe inside a quoted Mermaid label: Mermaid decodes
// "#NN;" entity codes, so '#' goes first, then quotes and HTML specials.
func mermaidEscape(s string) string {
	return strings.NewReplacer(
		"#", "#35;",
		`"`, "#34;",
		"<", "#60;",
		">", "#62;",
		"&", "#38;",
		"`", "#96;",
	).Replace(s)
}

// DOT draws p for Graphviz, with the same edges as Mermaid; finally tasks sit in a
// dashed cluster.
func DOT(p *Pipeline) string {
	var b strings.Builder
	ids := p.ids()
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(p.Name))
	b.WriteString("  compound=true;\n  rankdir=TB;\n  node [shape=box, style=rounded];\n")
	if len(p.Tasks)+len(p.Finally) == 0 {
		b.WriteString("  empty [label=\"(no tasks)\"];\n}\n")
		return b.String()
	}
	node := func(indent string, t *Task) {
		lines := t.lines()
		for i := range lines {
			lines[i] = dotEscape(lines[i])
		}
		attrs := `label="` + strings.Join(lines, `\n`) + `"`
		if t.Matrix != nil {
			attrs += ", shape=box3d, style=solid"
		}
		fmt.Fprintf(&b, "%s%s [%s];\n", indent, ids[t.Name], attrs)
	}
	for _, t := range p.Tasks {
		node("  ", t)
	}
	if len(p.Finally) > 0 {
		b.WriteString("  subgraph cluster_finally {\n    label=\"finally\";\n    style=dashed;\n")
		for _, t := range p.Finally {
			node("    ", t)
		}
		b.WriteString("  }\n")
	}
	for _, t := range p.All() {
		for _, d := range t.Deps {
			if len(d.Results) > 0 {
				fmt.Fprintf(&b, "  %s -> %s [label=\"%s\"];\n", ids[d.Task], ids[t.Name], dotEscape(clip(strings.Join(d.Results, ", "))))
			} else {
				fmt.Fprintf(&b, "  %s -> %s;\n", ids[d.Task], ids[t.Name])
			}
		}
	}
	if len(p.Finally) > 0 {
		first := ids[p.Finally[0].Name]
		for _, t := range p.Leaves() {
			fmt.Fprintf(&b, "  %s -> %s [style=dashed, lhead=cluster_finally];\n", ids[t.Name], first)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

func dotEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

func dotQuote(s string) string { return `"` + dotEscape(s) + `"` }

// Write prints each Pipeline in format "mermaid" or "dot", one diagram per
// Pipeline, each headed by a comment naming it and its position.
func Write(w io.Writer, ps []*Pipeline, format string) error {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n")
		}
		switch format {
		case "mermaid", "":
			fmt.Fprintf(&b, "%%%% %s %s (%s:%d)\n", p.Kind, oneLine(p.Name), oneLine(p.File), p.Line)
			b.WriteString(Mermaid(p))
		case "dot":
			fmt.Fprintf(&b, "// %s %s (%s:%d)\n", p.Kind, oneLine(p.Name), oneLine(p.File), p.Line)
			b.WriteString(DOT(p))
		default:
			return fmt.Errorf("unknown graph format %q (want mermaid or dot)", format)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
