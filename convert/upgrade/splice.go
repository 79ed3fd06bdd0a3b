package upgrade

import (
	"bytes"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// style is how a document was printed: indent width and sequence indentation.
type style struct {
	indent  int
	compact bool
}

// printNode renders a document node the way kyaml does, in the given style.
func printNode(n *yaml.Node, st style) (string, error) {
	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(st.indent)
	if st.compact {
		e.CompactSeqIndent()
	} else {
		e.DefaultSeqIndent()
	}
	if err := e.Encode(n); err != nil {
		return "", err
	}
	if err := e.Close(); err != nil {
		return "", err
	}
	return b.String(), nil
}

// splitLines splits text into lines that keep their "\n".
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

var spacesBeforeComment = lazyre.New(`\s+#`)

// lineKey is what two lines must share to count as the same line of YAML:
// the printer re-spaces inline comments and re-indents comment lines.
// Indentation is left out too: files mix wide and compact sequences, and the
// reparse check in upgrade catches a hunk whose indentation doesn't fit.
func lineKey(l string) string {
	l = strings.Trim(l, " \t\r\n")
	if strings.HasPrefix(l, "#") || !strings.Contains(l, "#") {
		return l
	}
	return spacesBeforeComment.ReplaceAllString(l, " #")
}

// exactKey is lineKey keeping the indentation.
func exactKey(l string) string {
	ind := len(l) - len(strings.TrimLeft(l, " \t"))
	return l[:ind] + lineKey(l)
}

func isBlank(l string) bool { return strings.TrimSpace(l) == "" }

// runeCoder gives each distinct line key a rune, so go-diff can diff lines.
type runeCoder map[string]rune

func (c runeCoder) encode(keys []string) []rune {
	out := make([]rune, len(keys))
	for i, k := range keys {
		r, ok := c[k]
		if !ok {
			r = rune(0x100 + len(c))
			if r >= 0xD800 { // skip the surrogate range
				r += 0x800
			}
			c[k] = r
		}
		out[i] = r
	}
	return out
}

// op is one diff operation over line indexes: a[i:j] becomes b[k:l].
type op struct {
	equal      bool
	i, j, k, l int
}

func diffLines(a, b []string) []op {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // deterministic: never cut the diff short
	c := runeCoder{}
	ra, rb := c.encode(a), c.encode(b)
	var ops []op
	i, k := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := len([]rune(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			ops = append(ops, op{true, i, i + n, k, k + n})
			i, k = i+n, k+n
		case diffmatchpatch.DiffDelete:
			ops = append(ops, op{false, i, i + n, k, k})
			i += n
		case diffmatchpatch.DiffInsert:
			ops = append(ops, op{false, i, i, k, k + n})
			k += n
		}
	}
	return mergeOps(ops)
}

// mergeOps joins adjacent change ops into one hunk.
func mergeOps(ops []op) []op {
	var out []op
	for _, o := range ops {
		if n := len(out); n > 0 && !o.equal && !out[n-1].equal {
			out[n-1].j, out[n-1].l = o.j, o.l
			continue
		}
		out = append(out, o)
	}
	return out
}

// alignment maps lines of the printed original to lines of the source text
// (-1 where a printed line has no source counterpart).
func align(printed []string, src []string) []int {
	var srcIdx []int
	var srcKeys []string
	for i, l := range src {
		if !isBlank(l) {
			srcIdx = append(srcIdx, i)
			srcKeys = append(srcKeys, lineKey(l))
		}
	}
	pKeys := make([]string, len(printed))
	for i, l := range printed {
		pKeys[i] = lineKey(l)
	}
	m := make([]int, len(printed))
	for i := range m {
		m[i] = -1
	}
	for _, o := range diffLines(pKeys, srcKeys) {
		if o.equal {
			for d := 0; d < o.j-o.i; d++ {
				m[o.i+d] = srcIdx[o.k+d]
			}
		}
	}
	return m
}

// styles to try when printing, most common first.
var styles = []style{{2, true}, {2, false}, {4, false}, {4, true}, {3, false}}

// styleFor is bestStyle remembered per distinct document: it returns doc printed in the
// style when it had to print it (printed), else "". doc must be src parsed, so that the
// pick is a function of src and wide.
func styleFor(doc *yaml.Node, src string, wide bool, sh *shares) (st style, text string, printed bool) {
	key := memoKey(wide, src)
	if st, hit := styleMemo.Get(key); hit {
		return st, "", false
	}
	st, text = bestStyle(doc, src, wide)
	if take(sh, styleShare, styleMemo, 0) {
		styleMemo.Put(key, st, 0)
	}
	return st, text, true
}

// bestStyle picks the print style under which most lines of src survive unchanged, and
// returns doc printed in it ("" when no style prints). On a tie the file's sequence style
// (wide or compact) wins.
func bestStyle(doc *yaml.Node, src string, wide bool) (style, string) {
	srcLines := splitLines(src)
	order := styles
	if wide {
		order = []style{{2, false}, {2, true}, {4, false}, {4, true}, {3, false}}
	}
	best, bestText, bestScore := order[0], "", -1
	for _, st := range order {
		text, err := printNode(doc, st)
		if err != nil {
			continue
		}
		// Score lines that survive with their indentation: inserted hunks then indent like the source.
		score := 0
		printed := splitLines(text)
		for i, m := range align(printed, srcLines) {
			if m >= 0 && exactKey(printed[i]) == exactKey(srcLines[m]) {
				score++
			}
		}
		if score > bestScore {
			best, bestText, bestScore = st, text, score
		}
		if score == len(splitLines(text)) {
			break
		}
	}
	return best, bestText
}

// splice applies the change from before to after (both printed in the same style)
// to the source text src, keeping every source line outside the changed lines.
// ok is false when a change can't be placed in the source.
func splice(src, before, after string) (string, bool) {
	noEOL := src != "" && !strings.HasSuffix(src, "\n")
	if noEOL {
		src += "\n"
	}
	srcLines, a, b := splitLines(src), splitLines(before), splitLines(after)
	m := align(a, srcLines)
	type edit struct {
		from, to int // source lines [from, to) are replaced
		lines    []string
	}
	ops := diffLines(a, b)
	delta := indentDeltas(ops, a, b, srcLines, m)
	var edits []edit
	for _, o := range ops {
		if o.equal {
			continue
		}
		// A printed blank line the source lacks (the printer adds one after a folded scalar)
		// at a hunk's edge is no source line to replace.
		for o.i < o.j && m[o.i] < 0 && isBlank(a[o.i]) {
			if o.k < o.l && isBlank(b[o.k]) {
				o.k++
			}
			o.i++
		}
		for o.i < o.j && m[o.j-1] < 0 && isBlank(a[o.j-1]) {
			if o.k < o.l && isBlank(b[o.l-1]) {
				o.l--
			}
			o.j--
		}
		if o.i == o.j && o.k == o.l {
			continue
		}
		var from, to int
		if o.i < o.j { // replace printed lines a[i:j]: they must sit in the source in order
			from, to = m[o.i], m[o.j-1]+1
			// A scalar the source wrapped over several lines prints as one line with no
			// source counterpart: its source lines are the gap between the mapped lines around it.
			if from < 0 && o.i > 0 && m[o.i-1] >= 0 {
				from = m[o.i-1] + 1
			}
			if to <= 0 && o.j < len(a) && m[o.j] >= 0 {
				to = m[o.j]
			}
			if from < 0 || to <= from || !onlyScalarLines(srcLines, from, to, m, o.i, o.j) {
				return "", false
			}
			prev := from
			for x := o.i; x < o.j; x++ {
				if m[x] < 0 {
					continue
				}
				if m[x] < prev {
					return "", false
				}
				prev = m[x]
			}
			// Keep a run of blank lines that ended the replaced block: they separate it from what follows.
			for to > from && isBlank(srcLines[to-1]) {
				to--
			}
		} else { // pure insertion after printed line i-1
			switch {
			case o.i == 0:
				from = 0
			case m[o.i-1] >= 0:
				from = m[o.i-1] + 1
			case o.i < len(a) && m[o.i] >= 0:
				// The line before has no source counterpart (a reflowed folded scalar): insert
				// before the next line instead, above the comments and blank lines that lead to it.
				from = m[o.i]
				for from > 0 && (isBlank(srcLines[from-1]) || strings.HasPrefix(strings.TrimSpace(srcLines[from-1]), "#")) {
					from--
				}
				if n := len(edits); n > 0 && from < edits[n-1].to {
					from = edits[n-1].to
				}
			default:
				return "", false
			}
			to = from
		}
		if n := len(edits); n > 0 && from < edits[n-1].to {
			return "", false
		}
		lines := make([]string, 0, o.l-o.k)
		for k := o.k; k < o.l; k++ {
			l := shiftLine(b[k], delta[k])
			if o.j-o.i == o.l-o.k && m[o.i+k-o.k] >= 0 {
				l = keepCommentSpacing(srcLines[m[o.i+k-o.k]], l)
			}
			lines = append(lines, l)
		}
		edits = append(edits, edit{from, to, lines})
	}
	var out strings.Builder
	pos := 0
	for _, e := range edits {
		for _, l := range srcLines[pos:e.from] {
			out.WriteString(l)
		}
		for _, l := range e.lines {
			out.WriteString(l)
		}
		pos = e.to
	}
	for _, l := range srcLines[pos:] {
		out.WriteString(l)
	}
	res := out.String()
	if noEOL {
		res = strings.TrimSuffix(res, "\n")
	}
	return res, true
}

func indentOf(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

// indentDeltas says, for every printed line of b, how many spaces the source indents
// it more than the printer did. Files mix wide and compact sequences and the printer
// uses one style, so a new line takes the shift of its nearest earlier sibling or parent.
func indentDeltas(ops []op, a, b, src []string, m []int) []int {
	delta := make([]int, len(b))
	known := make([]bool, len(b))
	for _, o := range ops {
		if !o.equal {
			continue
		}
		for x := 0; x < o.j-o.i; x++ {
			if ai := o.i + x; m[ai] >= 0 {
				delta[o.k+x], known[o.k+x] = indentOf(src[m[ai]])-indentOf(a[ai]), true
			}
		}
	}
	for k := range b {
		if known[k] || isBlank(b[k]) {
			continue
		}
		for j := k - 1; j >= 0; j-- {
			if known[j] && !isBlank(b[j]) && effIndent(b[j]) <= effIndent(b[k]) {
				delta[k], known[k] = delta[j], true
				break
			}
		}
	}
	return delta
}

// effIndent counts a sequence dash as one more level: in compact style "- x" sits at
// the indentation of the key that holds the sequence.
func effIndent(l string) int {
	n := indentOf(l)
	if strings.HasPrefix(l[n:], "- ") || l[n:] == "-\n" {
		return n + 1
	}
	return n
}

// shiftLine re-indents a line by d spaces (d < 0 removes up to -d leading spaces).
func shiftLine(l string, d int) string {
	switch {
	case d == 0 || isBlank(l):
		return l
	case d > 0:
		return strings.Repeat(" ", d) + l
	}
	n := -d
	if in := indentOf(l); in < n {
		n = in
	}
	return l[n:]
}

// keepCommentSpacing gives an edited line the spaces its source line had before the same
// inline comment (the printer writes one), so `v1beta1   # note` becomes `v1   # note`.
func keepCommentSpacing(old, new string) string {
	oc, ns := inlineComment(old), inlineComment(new)
	if oc < 0 || ns < 0 || strings.TrimRight(old[oc:], "\r\n") != strings.TrimRight(new[ns:], "\r\n") {
		return new
	}
	ob, nb := strings.TrimRight(old[:oc], " \t"), strings.TrimRight(new[:ns], " \t")
	return nb + old[len(ob):oc] + new[ns:]
}

// inlineComment is the index of the '#' that starts a comment after code on line l, or -1.
// Lines with quotes are left alone: a '#' there may sit inside a string.
func inlineComment(l string) int {
	if strings.ContainsAny(l, `"'`) {
		return -1
	}
	for i := 1; i < len(l); i++ {
		if l[i] == '#' && (l[i-1] == ' ' || l[i-1] == '\t') && strings.TrimSpace(l[:i]) != "" {
			return i
		}
	}
	return -1
}

// onlyScalarLines reports whether source lines [from, to) that no printed line of
// a[i:j] maps to hold no comment: replacing them must not lose one.
func onlyScalarLines(src []string, from, to int, m []int, i, j int) bool {
	mapped := map[int]bool{}
	for x := i; x < j; x++ {
		if m[x] >= 0 {
			mapped[m[x]] = true
		}
	}
	for y := from; y < to; y++ {
		if !mapped[y] && strings.HasPrefix(strings.TrimSpace(src[y]), "#") {
			return false
		}
	}
	return true
}
