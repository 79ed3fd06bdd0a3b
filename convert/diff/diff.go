// Package diff renders unified diffs that patch(1) applies.
package diff

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Context is the number of unchanged lines around each change, as in diff -u.
const Context = 3

type op struct {
	kind byte // ' ', '-', '+'
	line string
}

// lines splits text into lines that keep their newline; a missing final newline is kept visible.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.SplitAfter(s, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// maxDiffLines bounds the lines go-diff is given: it numbers distinct lines as runes and
// panics past about 1.1M of them (intToRune), so bigger inputs get a plain whole-file diff.
const maxDiffLines = 1 << 20

// ops diffs a and b line by line; whatever go-diff can't do becomes a plain diff instead.
func ops(a, b string) (out []op) {
	if strings.Count(a, "\n")+strings.Count(b, "\n") >= maxDiffLines {
		return plainOps(a, b)
	}
	defer func() {
		if recover() != nil {
			out = plainOps(a, b)
		}
	}()
	return lineDiff(a, b)
}

// plainOps is a whole-file diff: the common leading and trailing lines stay, everything
// between is removed and added.
func plainOps(a, b string) []op {
	la, lb := lines(a), lines(b)
	pre := 0
	for pre < len(la) && pre < len(lb) && la[pre] == lb[pre] {
		pre++
	}
	suf := 0
	for suf < len(la)-pre && suf < len(lb)-pre && la[len(la)-1-suf] == lb[len(lb)-1-suf] {
		suf++
	}
	out := make([]op, 0, len(la)+len(lb)-pre-suf)
	for _, l := range la[:pre] {
		out = append(out, op{' ', l})
	}
	for _, l := range la[pre : len(la)-suf] {
		out = append(out, op{'-', l})
	}
	for _, l := range lb[pre : len(lb)-suf] {
		out = append(out, op{'+', l})
	}
	for _, l := range la[len(la)-suf:] {
		out = append(out, op{' ', l})
	}
	return out
}

// lineDiff runs go-diff in line mode: each distinct line becomes one rune, then the runes are diffed.
var lineDiff = func(a, b string) []op {
	dmp := diffmatchpatch.New()
	ra, rb, table := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffMainRunes(ra, rb, false)
	diffs = dmp.DiffCharsToLines(diffs, table)
	var out []op
	for _, d := range diffs {
		kind := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			kind = '-'
		case diffmatchpatch.DiffInsert:
			kind = '+'
		}
		for _, l := range lines(d.Text) {
			out = append(out, op{kind, l})
		}
	}
	return out
}

// Unified returns the unified diff from a to b, or nil when they are equal.
// oldName "/dev/null" marks a new file; newName "/dev/null" a deleted one.
func Unified(oldName, newName string, a, b []byte) []byte {
	if bytes.Equal(a, b) {
		return nil
	}
	all := ops(string(a), string(b))
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "--- %s\n+++ %s\n", headerName(oldName), headerName(newName))
	for start := 0; start < len(all); {
		// Find the next change.
		first := start
		for first < len(all) && all[first].kind == ' ' {
			first++
		}
		if first == len(all) {
			break
		}
		// Extend the hunk while changes are within 2*Context lines of each other.
		lo := max(first-Context, start)
		hi := first
		for i := first; i < len(all); i++ {
			if all[i].kind != ' ' {
				hi = i
			} else if i-hi > 2*Context {
				break
			}
		}
		end := min(hi+Context+1, len(all))
		writeHunk(&buf, all, lo, end)
		start = end
	}
	return buf.Bytes()
}

func writeHunk(buf *bytes.Buffer, all []op, lo, end int) {
	oldStart, newStart := 1, 1
	for _, o := range all[:lo] {
		if o.kind != '+' {
			oldStart++
		}
		if o.kind != '-' {
			newStart++
		}
	}
	oldN, newN := 0, 0
	for _, o := range all[lo:end] {
		if o.kind != '+' {
			oldN++
		}
		if o.kind != '-' {
			newN++
		}
	}
	fmt.Fprintf(buf, "@@ -%s +%s @@\n", rng(oldStart, oldN), rng(newStart, newN))
	for _, o := range all[lo:end] {
		buf.WriteByte(o.kind)
		buf.WriteString(o.line)
		if !strings.HasSuffix(o.line, "\n") {
			buf.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// rng formats a hunk range; an empty range points at the line before it, as GNU diff does.
func rng(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// headerName ends a name holding a space with a tab, as git does: patch reads the name up
// to the first tab, or else to the first space. A name with a newline, tab, quote, backslash
// or other control character is C-quoted as git quotes it, which GNU patch reads back.
func headerName(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '"' || r == '\\' }) >= 0 {
		return cQuote(name)
	}
	if strings.ContainsAny(name, " ") {
		return name + "\t"
	}
	return name
}

// cQuote is git's quote_c_style: "..." with \n, \t, \", \\ and octal escapes for other controls.
func cQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
