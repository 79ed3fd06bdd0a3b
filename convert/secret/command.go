package secret

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/internal/memo"
	"github.com/tkn-migrate/tkn-migrate/internal/shellquote"
)

// optValue is the value of a command option or assignment: quoted, or a bare word.
const optValue = `('[^']*'|"[^"]*"|[^\s'";&|<>()` + "`" + `]+)`

var (
	// mysqlPass is the password glued to -p of a mysql client (-p VALUE would prompt instead).
	mysqlPass = newPattern(`(?:^|[\s;&|(])mysql[a-z]*(?:\s[^\n;&|]*?)?\s-p` + optValue)
	// loginPass is -p VALUE of a registry login (docker, podman, buildah, skopeo, helm, oras).
	loginPass = newPattern(`(?:^|[\s;&|(])(docker|podman|buildah|skopeo|helm\s+registry|oras)\s+login\s[^\n;&|]*?\s-p(?:\s+|=)?` + optValue)
	// longOpt is --NAME=VALUE or --NAME VALUE; a quote before it quotes the option whole.
	longOpt = newPattern(`(?:^|[\s'"])--([A-Za-z][A-Za-z0-9_-]*)(?:=|\s+)` + optValue)
	// credOpt are option names that take a credential (--password, --github-token, --api-key).
	credOpt = lazyre.New(`(?i)(^|[-_])(password|passwd|pass|token|secret|apikey|api-key|api_key|secret-key|secret_key)$`)
	// assign is NAME=VALUE in a script (export, local and readonly included).
	assign = newPattern(`(?:^|[\s;&|(])(?:(?:export|local|readonly)\s+)?([A-Za-z_][A-Za-z0-9_]*)=` + optValue)
	// sysProp is a Java system property on a command line: -Dsonar.login=VALUE, or quoted whole.
	sysProp = newPattern(`(?:^|[\s'"])-D([A-Za-z][A-Za-z0-9_.-]*)=` + optValue)
)

// commandHits reports the secrets that commands take as option values and assignments.
// parts are the plain parts of a value (see plainParts).
func commandHits(text string, parts func(start, end int) [][2]int, add func(what, v string, start, end int)) {
	value := func(m []int, g int) (int, int) {
		s, e := m[2*g], m[2*g+1]
		if q := text[s]; (q == '\'' || q == '"') && e-s >= 2 {
			return s + 1, e - 1
		}
		return s, e
	}
	for _, m := range matches(mysqlPass, text) {
		s, e := value(m, 1)
		add("a password passed to mysql -p", "MYSQL_CLI_PASSWORD", s, e)
	}
	for _, m := range matches(loginPass, text) {
		s, e := value(m, 2)
		tool := strings.Fields(text[m[2]:m[3]])[0]
		add("a password passed to "+tool+" login -p", envName(tool)+"_LOGIN_PASSWORD", s, e)
	}
	named := func(re *pattern, what, suffix string, ok func(name string) bool) {
		for _, m := range matches(re, text) {
			name := text[m[2]:m[3]]
			vs, ve := value(m, 2)
			if !ok(name) || strings.HasPrefix(text[vs:ve], "-") {
				continue
			}
			for _, p := range parts(vs, ve) { // each plain part judged as a whole value is
				if _, secret := Literal(name, text[p[0]:p[1]]); secret {
					add(strings.ReplaceAll(what, "NAME", name), envName(name)+suffix, p[0], p[1])
				}
			}
		}
	}
	named(longOpt, "the value of option --NAME", "_ARG", credOpt.MatchString)
	named(assign, "the value of NAME", "_VALUE", func(string) bool { return true })
	named(sysProp, "the value of property NAME", "_PROP", func(string) bool { return true })
}

// Anchored forms of the patterns that start at a boundary byte (or the text's start) before a
// head, tried only where such a match can start: over generated text the unanchored patterns
// (no literal prefix for the regexp engine to look for) were half of a Travis conversion.
// Each form begins at the head; group numbers are the same.
var (
	mysqlAt = lazyre.New(`\Amysql[a-z]*(?:\s[^\n;&|]*?)?\s-p` + optValue)
	loginAt = lazyre.New(`\A(docker|podman|buildah|skopeo|helm\s+registry|oras)\s+login\s[^\n;&|]*?\s-p(?:\s+|=)?` + optValue)
	curlAt  = lazyre.New(`\A((?:-u|--user)(?:\s+|=)['"]?[^\s:'"]+):([^\s'"/][^\s'"]*)`)
)

// headed is how such a pattern starts: one of heads, after a byte boundary accepts or at the
// text's start; at matches the pattern from the head at i on (nil: no match).
type headed struct {
	heads    []string
	boundary func(byte) bool
	at       func(text string, i int) []int
}

var headedForms = map[*pattern]headed{
	longOpt:   {[]string{"--"}, isOptBoundary, longOptAt},
	sysProp:   {[]string{"-D"}, isOptBoundary, sysPropAt},
	mysqlPass: {[]string{"mysql"}, isAssignBoundary, regexpAt(mysqlAt)},
	loginPass: {[]string{"docker", "podman", "buildah", "skopeo", "helm", "oras"}, isAssignBoundary, regexpAt(loginAt)},
	curlUser:  {[]string{"-u", "--user"}, isSpace, regexpAt(curlAt)},
}

// regexpAt runs an anchored form on the text from i, with offsets into the whole text.
func regexpAt(re *lazyre.Regexp) func(string, int) []int {
	return func(text string, i int) []int {
		m := re.Re().FindStringSubmatchIndex(text[i:])
		for k := range m {
			if m[k] >= 0 {
				m[k] += i
			}
		}
		return m
	}
}

// The named patterns from their head on, read byte by byte: each of their parts can match in
// one way only (a name runs to its last name byte, white space to its last space, and optValue's
// alternatives start with distinct bytes), so the first way found is the regexp's match.

// longOptAt is `\A--([A-Za-z][A-Za-z0-9_-]*)(?:=|\s+)` + optValue at i.
func longOptAt(text string, i int) []int {
	if !strings.HasPrefix(text[i:], "--") {
		return nil
	}
	n := nameEnd(text, i+2, func(c byte) bool { return isWord(c) || c == '-' })
	if n < 0 || n == len(text) {
		return nil
	}
	v := n + 1
	if text[n] != '=' {
		for v = n; v < len(text) && isSpace(text[v]); v++ {
		}
		if v == n {
			return nil
		}
	}
	return valueMatch(text, i, i+2, n, v)
}

// sysPropAt is `\A-D([A-Za-z][A-Za-z0-9_.-]*)=` + optValue at i.
func sysPropAt(text string, i int) []int {
	if !strings.HasPrefix(text[i:], "-D") {
		return nil
	}
	n := nameEnd(text, i+2, func(c byte) bool { return isWord(c) || c == '-' || c == '.' })
	if n < 0 || n == len(text) || text[n] != '=' {
		return nil
	}
	return valueMatch(text, i, i+2, n, n+1)
}

// assignAt is `\A(?:(?:export|local|readonly)\s+)?([A-Za-z_][A-Za-z0-9_]*)=` + optValue at j,
// where text[j:q] are word bytes, not starting with a digit, and text[q] is '=' (the optional
// keyword cannot match there: a space would have to follow it before q).
func assignAt(text string, j, q int) []int { return valueMatch(text, j, j, q, q+1) }

// nameEnd is where a name that starts at i with a letter and goes on with bytes in ok ends; -1: none.
func nameEnd(text string, i int, ok func(byte) bool) int {
	if i >= len(text) || !isLetter(text[i]) {
		return -1
	}
	for i++; i < len(text) && ok(text[i]); i++ {
	}
	return i
}

// valueMatch is the match from start of a name [ns, ne) and optValue at v; nil when optValue does not match there.
func valueMatch(text string, start, ns, ne, v int) []int {
	if v >= len(text) {
		return nil
	}
	end := v
	switch c := text[v]; c {
	case '\'', '"':
		k := strings.IndexByte(text[v+1:], c)
		if k < 0 {
			return nil
		}
		end = v + 1 + k + 1
	default:
		for end < len(text) && !isSpace(text[end]) && strings.IndexByte(`'";&|<>()`+"`", text[end]) < 0 {
			end++
		}
		if end == v {
			return nil
		}
	}
	return []int{start, end, ns, ne, v, end}
}

// matches is findAll(re, text) for the patterns above: successive non-overlapping leftmost
// matches, found by trying the anchored form at each place the pattern's head can begin
// (after a boundary that a previous match did not consume). Only the groups are as findAll's:
// m[0] is the head's start, not the boundary's.
func matches(re *pattern, text string) [][]int {
	if wholeText {
		return findAll(re, text)
	}
	var out [][]int
	end := 0 // the previous match's end: a boundary before it was consumed
	keep := func(m []int) {
		if m != nil {
			out = append(out, m)
			end = m[1]
		}
	}
	if re == assign {
		for q := 0; ; {
			k := strings.IndexByte(text[q:], '=')
			if k < 0 {
				return out
			}
			q += k
			j := q
			for j > 0 && isWord(text[j-1]) {
				j--
			}
			if j < q && !isDigit(text[j]) && ((j == 0 && end == 0) || (j > 0 && j-1 >= end && isAssignBoundary(text[j-1]))) {
				keep(assignAt(text, j, q))
			}
			if end > q {
				q = end
			} else {
				q++
			}
		}
	}
	h, ok := headedForms[re]
	if !ok {
		return findAll(re, text)
	}
	if f := re.filter(); len(f.some) < len(h.heads) && !hasAny(text, f.some) {
		return out // one search for what every match holds, not one per head
	}
	heads := newCursor(text, h.heads)
	for i := 0; ; {
		at := heads.from(i)
		if at < 0 {
			return out
		}
		i = at
		if (i == 0 && end == 0) || (i > 0 && i-1 >= end && h.boundary(text[i-1])) {
			keep(h.at(text, i))
		}
		if end > i {
			i = end
		} else {
			i++
		}
	}
}

func isSpace(c byte) bool       { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }
func isDigit(c byte) bool       { return c >= '0' && c <= '9' }
func isLetter(c byte) bool      { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isWord(c byte) bool        { return c == '_' || isDigit(c) || isLetter(c) }
func isOptBoundary(c byte) bool { return isSpace(c) || c == '\'' || c == '"' }
func isAssignBoundary(c byte) bool {
	return isSpace(c) || c == ';' || c == '&' || c == '|' || c == '('
}

// envName turns a name into an env var name: API_KEY for api-key.
func envName(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s))
}

// dropOverlaps keeps the first of hits that overlap, in text order.
func dropOverlaps(hits []Hit) []Hit {
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Start < hits[j].Start })
	var out []Hit
	end := -1
	for _, h := range hits {
		if h.Start >= end {
			out = append(out, h)
			end = h.End
		}
	}
	return out
}

// InScript describes each secret in a script that a file keeps (an old Tekton step's, which an
// upgrade does not rewrite): its kind, its line in the script and where it should come from.
func InScript(script string) []string {
	var out []string
	for _, h := range Scan(script) {
		out = append(out, fmt.Sprintf("the step script holds %s in plain text (line %d of the script): put it in a Secret, bind it to an env var such as %s with valueFrom.secretKeyRef and read $%s in the script",
			h.What, 1+strings.Count(script[:h.Start], "\n"), h.Var, h.Var))
	}
	return out
}

// Moved is a secret taken out of a script: the script reads env var Var where Value was.
type Moved struct {
	Hit   // offsets into the script as it was
	Value string
	Var   string
	// Exact: the reference reads exactly as the literal did. Otherwise (a heredoc, backquotes,
	// an escape, a bare word sh would split or glob) the script fails loud before it runs.
	Exact bool
}

// bareSafe are bare words sh reads as themselves: no splitting, globbing or expansion.
var bareSafe = lazyre.New(`^[A-Za-z0-9_@%+=:,./-]+$`)

// Move replaces each secret Scan finds in script by a reference to an env var: "${VAR}" in a
// bare word, ${VAR} inside "...", '"${VAR}"' inside '...'. varFor names the var for a secret
// ("" leaves it alone). When any reference might not read as its literal did, the script
// starts with a manual marker and fails loud, so it never runs changed; no value is in it.
func Move(script string, varFor func(h Hit, value string) string) (string, []Moved) {
	hits := scanScript(script)
	if len(hits) == 0 {
		return script, nil
	}
	ctx := quoting(script)
	var b strings.Builder
	var moved []Moved
	last := 0
	for _, h := range hits {
		value := script[h.Start:h.End]
		v := varFor(h, value)
		if v == "" {
			continue
		}
		ref, exact := reference(ctx[h.Start:h.End], value, v)
		b.WriteString(script[last:h.Start])
		b.WriteString(ref)
		last = h.End
		moved = append(moved, Moved{Hit: h, Value: value, Var: v, Exact: exact})
	}
	b.WriteString(script[last:])
	out := b.String()
	var unsure []string
	for _, m := range moved {
		if !m.Exact {
			unsure = append(unsure, "$"+m.Var)
		}
	}
	if len(unsure) > 0 {
		out = failLoud(out, strings.Join(unsure, ", "))
	}
	return out, moved
}

// scripts remembers what Scan found in a step script: a fleet's generated scripts repeat
// (the same commands under the same generated preamble), and Scan is a function of the text.
// Most scripts hold no secret: those are remembered apart, in clean, by their key alone, so a
// big input of distinct scripts (a Jenkinsfile of 16,000 stages) holds a 32-byte key a script,
// not a key, a slice and the memo's bookkeeping.
var (
	scripts = &memo.Map[[]Hit]{Limit: 1 << 14, Size: 4 << 20}
	clean   = &cleanSet{Limit: 1 << 14}
)

// scanScript is Scan(script), remembered; the hits are shared, so they are only read.
func scanScript(script string) []Hit {
	key := sha256.Sum256([]byte(script))
	if clean.has(key) {
		return nil
	}
	if hits, ok := scripts.Get(key); ok {
		return hits
	}
	hits := Scan(script)
	if len(hits) == 0 {
		clean.add(key)
		return nil
	}
	size := 0
	for _, h := range hits {
		size += 48 + len(h.What) + len(h.Var) // a Hit's own bytes and its strings
	}
	scripts.Put(key, hits, size)
	return hits
}

// cleanSet is a bounded, concurrency-safe set of SHA-256 keys; it starts over at Limit.
type cleanSet struct {
	mu    sync.Mutex
	m     map[[32]byte]struct{}
	Limit int
}

func (c *cleanSet) has(k [32]byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[k]
	return ok
}

func (c *cleanSet) add(k [32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.Limit {
		c.m = map[[32]byte]struct{}{}
	}
	c.m[k] = struct{}{}
}

// reset forgets everything (a cold run in tests).
func (c *cleanSet) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}

// reference is how the script reads var where value was, given the value's quoting, and
// whether that reads exactly as the literal did.
func reference(ctx []quote, value, v string) (string, bool) {
	q := ctx[0]
	for _, c := range ctx {
		if c != q {
			q = unknown
		}
	}
	switch q {
	case bare, comment:
		return `"${` + v + `}"`, bareSafe.MatchString(value)
	case single:
		return `'"${` + v + `}"'`, true
	case double:
		return "${" + v + "}", !strings.ContainsAny(value, "$`\"\\")
	}
	return "${" + v + "}", false
}

// failLoud puts a manual marker and an exit before the script's first command (after its #! line).
func failLoud(script, vars string) string {
	head := ""
	if strings.HasPrefix(script, "#!") {
		i := strings.IndexByte(script, '\n')
		if i < 0 {
			i = len(script) - 1
		}
		head, script = script[:i+1], script[i+1:]
	}
	msg := "tkn-migrate: manual: a plain-text secret of this script now comes from " + vars +
		", but where it stood (a heredoc, backquotes, an escape or a word sh splits) the reference may not read as the literal did; check it, then remove this exit"
	return head + "# " + msg + "\necho " + shellquote.Single(msg) + " >&2\nexit 1\n" + script
}

// quote is the quoting of one byte of a script.
type quote uint8

const (
	unknown quote = iota // a heredoc, backquotes, an escape, $'...' or the quote characters
	bare
	single
	double
	comment
)

// quoting tells the quoting of every byte of a POSIX sh script. It reads quotes, $(...)
// nesting, comments and heredocs; what it cannot place exactly it calls unknown.
func quoting(s string) []quote {
	out := make([]quote, len(s))
	type frame struct {
		dq    bool
		depth int // open parentheses inside a $( ... )
	}
	stack := []frame{{}}
	var heredocs []heredoc
	wordStart := true
	skipTo := func(from int, end byte) int { // index of the next unescaped end, or len(s)
		for j := from; j < len(s); j++ {
			if s[j] == '\\' && end != '\'' {
				j++
			} else if s[j] == end {
				return j
			}
		}
		return len(s)
	}
	for i := 0; i < len(s); {
		top := &stack[len(stack)-1]
		c := s[i]
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		start := wordStart
		wordStart = false
		switch {
		case c == '\\':
			i += 2
		case c == '`':
			i = skipTo(i+1, '`') + 1
		case c == '$' && next == '(':
			stack = append(stack, frame{})
			i += 2
		case c == '$' && next == '\'' && !top.dq:
			i = skipTo(i+2, '\'') + 1
		case top.dq && c == '"':
			stack = stack[:len(stack)-1]
			i++
		case top.dq:
			out[i] = double
			i++
		case c == '\'':
			j := skipTo(i+1, '\'')
			for k := i + 1; k < j; k++ {
				out[k] = single
			}
			i = j + 1
		case c == '"':
			stack = append(stack, frame{dq: true})
			i++
		case c == '#' && start:
			for ; i < len(s) && s[i] != '\n'; i++ {
				out[i] = comment
			}
		case c == '(' && len(stack) > 1:
			top.depth++
			i++
			wordStart = true
		case c == ')' && len(stack) > 1:
			if top.depth == 0 {
				stack = stack[:len(stack)-1]
			} else {
				top.depth--
			}
			i++
			wordStart = true
		case c == '<' && next == '<' && !strings.HasPrefix(s[i:], "<<<"):
			h, n := readHeredoc(s[i+2:])
			heredocs = append(heredocs, h)
			i += 2 + n
		case c == '\n' && len(heredocs) > 0:
			i = skipBodies(s, i+1, heredocs)
			heredocs = nil
			wordStart = true
		default:
			out[i] = bare
			wordStart = strings.IndexByte(" \t\n;&|()<>", c) >= 0
			i++
		}
	}
	return out
}

// heredoc is a pending here-document: its delimiter, and whether <<- strips leading tabs.
type heredoc struct {
	delim string
	tabs  bool
}

// readHeredoc reads the delimiter word after <<, and how many bytes it took.
func readHeredoc(s string) (heredoc, int) {
	i := 0
	h := heredoc{}
	if i < len(s) && s[i] == '-' {
		h.tabs = true
		i++
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	var w strings.Builder
	for ; i < len(s) && strings.IndexByte(" \t\n;&|<>()", s[i]) < 0; i++ {
		if c := s[i]; c != '\'' && c != '"' && c != '\\' {
			w.WriteByte(c)
		}
	}
	h.delim = w.String()
	return h, i
}

// skipBodies returns the index after the bodies of the pending heredocs that start at from.
func skipBodies(s string, from int, hs []heredoc) int {
	i := from
	for _, h := range hs {
		for i < len(s) {
			end := strings.IndexByte(s[i:], '\n')
			line := s[i:]
			if end >= 0 {
				line = s[i : i+end]
				i += end + 1
			} else {
				i = len(s)
			}
			if h.tabs {
				line = strings.TrimLeft(line, "\t")
			}
			if line == h.delim {
				break
			}
		}
	}
	return i
}
