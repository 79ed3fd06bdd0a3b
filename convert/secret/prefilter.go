package secret

import (
	"regexp/syntax"
	"strings"
	"sync"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// filter is what a regexp needs to be present before it can match: every match holds one of
// lits (none known: nil), and, when inLine, lies within one line. Scanning a whole generated
// Pipeline with each pattern was most of a conversion's time; the filter keeps the verdicts
// and offsets exactly and spends the regexp only on lines that hold a literal it needs.
type filter struct {
	lits []string
	// some are what the filter looks for: lits, or their common prefix when that is long
	// enough to be rare (login, not login followed by each space), so fewer searches.
	some   []string
	inLine bool
}

// pattern is a regexp and its filter, each made on first use.
type pattern struct {
	*lazyre.Regexp
	once sync.Once
	f    filter
	// near, when set, is true for every occurrence of the filter's literal (at) that a match
	// holds: a line none of whose occurrences it accepts is not given to the regexp.
	near func(s string, at int) bool
}

func newPattern(expr string) *pattern { return &pattern{Regexp: lazyre.New(expr)} }

func (p *pattern) filter() filter {
	p.once.Do(func() { p.f = filterFor(p.String()) })
	return p.f
}

func filterFor(expr string) filter {
	p, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return filter{}
	}
	p = p.Simplify()
	lits := required(p)
	return filter{lits: lits, some: commonPrefix(lits), inLine: lineBound(p)}
}

// mayMatch reports whether re can match somewhere in s.
func mayMatch(re *pattern, s string) bool {
	return hasAny(s, re.filter().some)
}

func hasAny(s string, lits []string) bool {
	if lits == nil {
		return true
	}
	for _, l := range lits {
		if strings.Contains(s, l) {
			return true
		}
	}
	return false
}

// mayHold is mayMatch, or true when the filters are off (wholeText).
func mayHold(re *pattern, s string) bool { return wholeText || mayMatch(re, s) }

// wholeText turns the filter off, so a test can compare against the plain patterns.
var wholeText bool

// findAll is re.FindAllStringSubmatchIndex(s, -1), running re only on the lines that can hold a match.
func findAll(p *pattern, s string) [][]int {
	re := p.Re()
	if wholeText {
		return re.FindAllStringSubmatchIndex(s, -1)
	}
	f := p.filter()
	if !f.inLine || f.lits == nil {
		if !hasAny(s, f.some) {
			return nil
		}
		return re.FindAllStringSubmatchIndex(s, -1)
	}
	var out [][]int
	c := newCursor(s, f.some)
	for pos := 0; ; {
		at := c.from(pos)
		if at < 0 {
			return out
		}
		start := strings.LastIndexByte(s[:at], '\n') + 1
		end := strings.IndexByte(s[at:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += at
		}
		if p.near != nil && !nearInLine(p, c, s, at, end) {
			pos = end + 1
			continue
		}
		// A line edge reads as a text edge to \b (both are non-word), and no match spans it.
		for _, m := range re.FindAllStringSubmatchIndex(s[start:end], -1) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += start
				}
			}
			out = append(out, m)
		}
		pos = end + 1
	}
}

// nearInLine reports whether p.near accepts one of the occurrences from at to the line's end.
func nearInLine(p *pattern, c *cursor, s string, at, end int) bool {
	for ; at >= 0 && at < end; at = c.from(at + 1) {
		if p.near(s, at) {
			return true
		}
	}
	return false
}

// commonPrefix is lits' common prefix, when it has 3 bytes or more and lits more than one; else lits.
func commonPrefix(lits []string) []string {
	if len(lits) < 2 {
		return lits
	}
	p := lits[0]
	for _, l := range lits[1:] {
		n := 0
		for n < len(p) && n < len(l) && p[n] == l[n] {
			n++
		}
		p = p[:n]
	}
	if len(p) < 3 {
		return lits
	}
	return []string{p}
}

// cursor finds, left to right, where one of lits occurs next in text: each literal's
// text is searched once, however many places are asked for.
type cursor struct {
	text string
	lits []string
	next []int // where each literal occurs next, at or after the last place asked for; none: maxInt
}

const none = int(^uint(0) >> 1)

func newCursor(text string, lits []string) *cursor {
	c := &cursor{text: text, lits: lits, next: make([]int, len(lits))}
	for k := range c.next {
		c.next[k] = -1
	}
	return c
}

// from is the first index at or after i where one of the literals starts, or -1.
func (c *cursor) from(i int) int {
	best := none
	for k, l := range c.lits {
		if c.next[k] < i {
			c.next[k] = none
			if i <= len(c.text) {
				if n := strings.Index(c.text[i:], l); n >= 0 {
					c.next[k] = i + n
				}
			}
		}
		best = min(best, c.next[k])
	}
	if best == none {
		return -1
	}
	return best
}

// whole is the part every match of re begins with a whole match of: (x), x+, x{1,}; else nil.
func whole(re *syntax.Regexp) *syntax.Regexp {
	if re.Op == syntax.OpCapture || re.Op == syntax.OpPlus || re.Op == syntax.OpRepeat && re.Min >= 1 {
		return re.Sub[0]
	}
	return nil
}

// required is a set of literals one of which every match of re holds, or nil when unknown.
func required(re *syntax.Regexp) []string {
	if sub := whole(re); sub != nil {
		return required(sub)
	}
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 || len(re.Rune) == 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpConcat:
		// Adjacent parts matching a few strings each join into longer literals (-(?:u|-user) holds -u or --user).
		var best, run []string
		consider := func(r []string) {
			if r != nil && shortest(r) > 0 && (best == nil || shortest(r) > shortest(best)) {
				best = r
			}
		}
		for _, s := range re.Sub {
			if e := exact(s); e != nil {
				if run == nil {
					run = []string{""}
				}
				if next := product(run, e); next != nil {
					run = next
				} else {
					consider(run)
					run = e
				}
				continue
			}
			if run != nil {
				consider(product(run, prefixes(s))) // (?:\s+|=) after -u: "-u " or "-u="
			}
			consider(run)
			run = nil
			consider(required(s))
		}
		consider(run)
		return best
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			r := required(s)
			if r == nil {
				return nil
			}
			all = append(all, r...)
		}
		return all
	}
	return nil
}

// exact is every string re matches, when they are few; else nil.
func exact(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase == 0 {
			return []string{string(re.Rune)}
		}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) == maxLits {
					return nil
				}
				out = append(out, string(r))
			}
		}
		return out
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpAlternate:
		return union(re.Sub, exact)
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			if out = product(out, exact(s)); out == nil {
				return nil
			}
		}
		return out
	}
	return nil
}

// prefixes is a set of strings one of which every match of re starts with, when they are few; else nil.
func prefixes(re *syntax.Regexp) []string {
	if e := exact(re); e != nil {
		return e
	}
	if sub := whole(re); sub != nil {
		return prefixes(sub)
	}
	switch re.Op {
	case syntax.OpAlternate:
		return union(re.Sub, prefixes)
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			if e := exact(s); e != nil {
				if out = product(out, e); out == nil {
					return nil
				}
				continue
			}
			out = product(out, prefixes(s))
			break
		}
		if out != nil && shortest(out) > 0 {
			return out
		}
	}
	return nil
}

// union is every set f gives for subs, or nil when one is unknown or they grow past maxLits.
func union(subs []*syntax.Regexp, f func(*syntax.Regexp) []string) []string {
	var out []string
	for _, s := range subs {
		p := f(s)
		if p == nil || len(out)+len(p) > maxLits {
			return nil
		}
		out = append(out, p...)
	}
	return out
}

// maxLits bounds the literal sets exact and product build.
const maxLits = 16

// product is every a+b, or nil when b is unknown or the set grows past maxLits.
func product(as, bs []string) []string {
	if bs == nil || len(as)*len(bs) > maxLits {
		return nil
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return out
}

func shortest(lits []string) int {
	n := -1
	for _, l := range lits {
		if n < 0 || len(l) < n {
			n = len(l)
		}
	}
	return n
}

// lineBound reports that no match of re holds a newline or depends on what lies beyond its
// line: no class or literal takes '\n', no any-char, no ^ or $ of any kind.
func lineBound(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpAnyChar, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return false
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r == '\n' {
				return false
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return false
			}
		}
	}
	for _, s := range re.Sub {
		if !lineBound(s) {
			return false
		}
	}
	return true
}
