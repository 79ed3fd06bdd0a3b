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

// ops runs a line-mode diff: each distinct line becomes one rune, then the runes are diffed.
func ops(a, b string) []op {
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
// to the first tab, or else to the first space.
func headerName(name string) string {
	if strings.ContainsAny(name, " ") {
		return name + "\t"
	}
	return name
}
