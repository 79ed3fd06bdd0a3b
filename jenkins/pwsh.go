package jenkins

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/secret"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// psPiece is one run of a PowerShell script: literal text, or the env var (env) read in place of
// text Groovy pasted or a secret (secret) the Jenkinsfile held.
type psPiece struct {
	lit, env string
	secret   bool
}

// pwshScript renders a powershell/pwsh script. Each ${expr} of a GString and each plain-text
// secret of the source becomes a read of a step env var where PowerShell reads the text it
// stands for (see psRender); PowerShell takes ${NAME} as its own variable, not the env var. A
// Jenkins variable or param the script reads as $env:NAME gets its env too. why is set when a
// value can't be read so (the step could not run as it did).
func (c *conv) pwshScript(v *model.Value, sc scope, line int, kind string) (script string, env []pipeline.Env, markers []string, why string) {
	seen, addEnv := envAdder(&env)
	var pieces []psPiece
	why = c.interpolate(v, sc, line, addEnv,
		func(lit string) { pieces = append(pieces, psPiece{lit: lit}) },
		func(name string) { pieces = append(pieces, psPiece{env: name}) })
	if why != "" {
		return "", nil, nil, why
	}
	mark, named := len(c.findings), maps.Clone(c.cmdSecrets)
	pieces, secrets, why := c.pwshSecrets(pieces, kind, line)
	if why != "" {
		return "", nil, nil, why
	}
	script, bare, why := psRender(pieces)
	if why != "" {
		// The step fails loud and reads no Secret: the secrets it would have read are not
		// bound, so their findings go; the step's source comment shows them redacted, and says so.
		c.findings, c.cmdSecrets = c.findings[:mark], named
		return "", nil, nil, why
	}
	for _, n := range bare {
		c.find(line, 0, convert.Approximated, "powershell-interpolation", "$env:%s stands outside quotes, where Jenkins pasted its value as PowerShell code: the step reads it as one string word (spaces, quotes or operators in it no longer act, a number is text)", n)
	}
	var names []string
	for _, m := range psEnvRE.FindAllStringSubmatch(script, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	markers = c.byName(slices.Compact(names), "$env:%s", seen, sc, line, addEnv)
	return script, append(env, secrets...), markers, ""
}

var psEnvRE = lazyre.New(`(?i:\$\{?env:)([A-Za-z_][A-Za-z0-9_]*)`)

// psQuotes are the characters PowerShell reads as quotes (its tokenizer takes the typographic ones too).
const psQuotes = `'"‘’‚‛“”„`

// pwshSecrets moves each plain-text secret the Jenkinsfile holds in the script's text to an env
// var read from key value of a Secret. A value holding $, ` or a quote, which PowerShell reads as
// syntax where the literal stood, can't move so: why is set.
func (c *conv) pwshSecrets(pieces []psPiece, kind string, line int) ([]psPiece, []pipeline.Env, string) {
	var b strings.Builder
	starts := make([]int, len(pieces))
	for i, p := range pieces {
		starts[i] = b.Len()
		if p.env != "" {
			b.WriteString("${env:" + p.env + "}")
		} else {
			b.WriteString(p.lit)
		}
	}
	text := b.String()
	hits, ok := c.commandSecrets(secret.Scan, text, psQuotes+"$`", func(string) bool { return false })
	if !ok {
		return nil, nil, "a plain-text secret in it holds $, ` or a quote, which PowerShell reads as syntax there, so an env var read in its place would not read the same: move it to a Secret by hand"
	}
	if len(hits) == 0 {
		return pieces, nil, ""
	}
	var out []psPiece
	var env []pipeline.Env
	for i, p := range pieces {
		if p.env != "" {
			out = append(out, p)
			continue
		}
		last := 0
		for _, h := range hits {
			if h.Start < starts[i] || h.End > starts[i]+len(p.lit) {
				continue // another piece's, or across a read: generated text
			}
			name := c.secretVar(h, text[h.Start:h.End], kind, "$env:%s", line)
			env = c.secretEnv(env, name)
			out = append(out, psPiece{lit: p.lit[last : h.Start-starts[i]]}, psPiece{env: name, secret: true})
			last = h.End - starts[i]
		}
		out = append(out, psPiece{lit: p.lit[last:]})
	}
	return out, env, ""
}

type psKind int

const (
	psCode psKind = iota
	psSingle
	psDouble
	psSingleHere
	psDoubleHere
	psLineComment
	psBlockComment
)

// psFrame is one lexical context of a PowerShell script being written.
type psFrame struct {
	kind  psKind
	start int  // where it starts in the output
	depth int  // ( open in a $( ) frame of a string
	inner bool // a $( ) frame of a string: its ) closes it
	dq    bool // a single-quoted string rewritten as double-quoted, to hold a read
}

// psWriter writes a PowerShell script, tracking its quoting as PowerShell's tokenizer does.
type psWriter struct {
	out   []byte
	stack []psFrame
}

// psRender writes pieces as one PowerShell script, each env piece read where PowerShell reads the
// text it stands for: $env:NAME (${env:NAME} before a name character) in a double-quoted string
// or a word, after & where a command name stands. A single-quoted string, where PowerShell
// expands nothing, is rewritten double-quoted with its $, ` and " escaped. bare lists the reads
// that stand for a whole word of code (Groovy pasted code, the step passes a string); why is set
// where a read would not stand for the text (a word that goes on with . or [, which PowerShell
// reads as a member of the variable).
func psRender(pieces []psPiece) (script string, bare []string, why string) {
	w := &psWriter{stack: []psFrame{{kind: psCode}}}
	lit := "" // adjacent literals are written at once: a quote pair may span them
	for i, p := range pieces {
		if p.env == "" {
			lit += p.lit
			if i+1 == len(pieces) || pieces[i+1].env != "" {
				w.write(lit)
				lit = ""
			}
			continue
		}
		next, _ := utf8.DecodeRuneInString(nextText(pieces[i+1:]))
		isBare, ok := w.read(p.env, next)
		if !ok {
			return "", nil, "a value stands at the start of a word that goes on with " + string(next) + " outside quotes, where PowerShell would read a member of $env:" + p.env + ": quote the word in the Jenkinsfile"
		}
		if isBare && !p.secret {
			bare = append(bare, p.env)
		}
	}
	return string(w.out), bare, ""
}

// nextText is the text that follows a piece: a read writes $.
func nextText(rest []psPiece) string {
	for _, p := range rest {
		if p.env != "" {
			return "$"
		}
		if p.lit != "" {
			return p.lit
		}
	}
	return ""
}

func (w *psWriter) top() *psFrame { return &w.stack[len(w.stack)-1] }

func (w *psWriter) push(k psKind) { w.stack = append(w.stack, psFrame{kind: k, start: len(w.out)}) }

func (w *psWriter) pop() {
	if len(w.stack) > 1 {
		w.stack = w.stack[:len(w.stack)-1]
	}
}

func isSingleQuote(r rune) bool { return strings.ContainsRune(`'‘’‚‛`, r) }

func isDoubleQuote(r rune) bool { return strings.ContainsRune(`"“”„`, r) }

// psBoundary reports a character that ends a PowerShell word (its ForceStartNewToken set).
func psBoundary(b byte) bool { return strings.IndexByte(" \t\v\f\r\n&(),;{|}", b) >= 0 }

// wordStart reports whether the output is at the start of a word of the current code frame.
func (w *psWriter) wordStart() bool {
	f := w.top()
	return len(w.out) == f.start || psBoundary(w.out[len(w.out)-1])
}

// commandPosition reports whether a word starting here is a command name: first in its statement
// or pipeline element (a bare $env:NAME there is an expression that outputs the value).
func (w *psWriter) commandPosition() bool {
	f := w.top()
	i := len(w.out)
	for i > f.start && (w.out[i-1] == ' ' || w.out[i-1] == '\t') {
		i--
	}
	if i == f.start {
		return true
	}
	switch w.out[i-1] {
	case '\n', '\r', ';', '{', '|':
		return true
	case '&':
		return i-2 >= f.start && w.out[i-2] == '&' // && but not the & call operator
	}
	return false
}

// read writes a read of env var name before rune next; bare is true for a whole word of code.
func (w *psWriter) read(name string, next rune) (bare, ok bool) {
	f := w.top()
	ref := "$env:" + name
	if next == '_' || next == '?' || next == ':' || unicode.IsLetter(next) || unicode.IsDigit(next) || f.kind == psCode && next == '=' {
		ref = "${env:" + name + "}"
	}
	switch f.kind {
	case psSingle, psSingleHere:
		w.doubleQuote(f)
	case psCode:
		if w.wordStart() {
			if next == '.' || next == '[' {
				return false, false
			}
			if w.commandPosition() {
				w.out = append(w.out, "& "...)
			}
			bare = true
		}
	}
	w.out = append(w.out, ref...)
	return bare, true
}

// doubleQuote rewrites the single-quoted string f, written so far, as a double-quoted one.
func (w *psWriter) doubleQuote(f *psFrame) {
	if f.dq {
		return
	}
	f.dq = true
	body := string(w.out[f.start:])
	w.out = w.out[:f.start]
	if f.kind == psSingleHere {
		w.out = append(w.out, '@')
		body = body[1:]
	}
	_, n := utf8.DecodeRuneInString(body)
	w.out = append(w.out, '"')
	body = body[n:]
	for len(body) > 0 {
		r, n := utf8.DecodeRuneInString(body)
		body = body[n:]
		if r2, n2 := utf8.DecodeRuneInString(body); f.kind == psSingle && isSingleQuote(r) && n2 > 0 && isSingleQuote(r2) {
			r, body = r2, body[n2:] // '' is one quote
		}
		w.literal(r)
	}
}

// literal writes rune r inside a single-quoted string rewritten as double-quoted.
func (w *psWriter) literal(r rune) {
	if r == '$' || r == '`' || isDoubleQuote(r) {
		w.out = append(w.out, '`')
	}
	w.out = utf8.AppendRune(w.out, r)
}

// write writes literal script text, following PowerShell's quoting through it.
func (w *psWriter) write(s string) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		rest := s[i+n:]
		next, nn := utf8.DecodeRuneInString(rest)
		f := w.top()
		take := n // bytes of s written as they are
		switch f.kind {
		case psCode:
			switch {
			case r == '`' && nn > 0:
				take += nn
			case r == '#' && w.wordStart():
				w.push(psLineComment)
			case r == '<' && next == '#':
				w.push(psBlockComment)
				take += nn
			case isSingleQuote(r):
				w.push(psSingle)
			case isDoubleQuote(r):
				w.push(psDouble)
			case r == '@' && (isSingleQuote(next) || isDoubleQuote(next)) && hereHeader(rest[nn:]):
				if isSingleQuote(next) {
					w.push(psSingleHere)
				} else {
					w.push(psDoubleHere)
				}
				take += nn
			case r == '$' && next == '{':
				take += bracedVar(rest)
			case r == '(':
				f.depth++
			case r == ')':
				if f.inner && f.depth == 0 {
					w.pop()
				} else if f.depth > 0 {
					f.depth--
				}
			}
		case psSingle:
			if isSingleQuote(r) {
				if nn > 0 && isSingleQuote(next) {
					if f.dq {
						w.literal(next)
						i += n + nn
						continue
					}
					take += nn
				} else {
					if f.dq {
						w.out = append(w.out, '"')
						i += n
						w.pop()
						continue
					}
					w.pop()
				}
			} else if f.dq {
				w.literal(r)
				i += n
				continue
			}
		case psSingleHere:
			if r == '\n' && isSingleQuote(next) && strings.HasPrefix(rest[nn:], "@") {
				if f.dq {
					w.out = append(w.out, "\n\"@"...)
					i += n + nn + 1
					w.pop()
					continue
				}
				take += nn + 1
				w.pop()
			} else if f.dq {
				w.literal(r)
				i += n
				continue
			}
		case psDouble, psDoubleHere:
			switch {
			case r == '`' && nn > 0:
				take += nn
			case r == '$' && next == '(':
				take += nn
				w.out = append(w.out, s[i:i+take]...)
				i += take
				w.push(psCode)
				w.top().inner = true
				continue
			case r == '$' && next == '{':
				take += bracedVar(rest)
			case f.kind == psDouble && isDoubleQuote(r):
				if nn > 0 && isDoubleQuote(next) {
					take += nn
				} else {
					w.pop()
				}
			case f.kind == psDoubleHere && r == '\n' && isDoubleQuote(next) && strings.HasPrefix(rest[nn:], "@"):
				take += nn + 1
				w.pop()
			}
		case psLineComment:
			if r == '\n' || r == '\r' {
				w.pop()
			}
		case psBlockComment:
			if r == '#' && next == '>' {
				take += nn
				w.pop()
			}
		}
		w.out = append(w.out, s[i:i+take]...)
		i += take
	}
}

// hereHeader reports whether s, after @' or @", ends the line with blanks only.
func hereHeader(s string) bool {
	t := strings.TrimLeft(s, " \t")
	return strings.HasPrefix(t, "\n") || strings.HasPrefix(t, "\r")
}

// bracedVar is the length of the {name} of a ${name} variable at the start of s (all of s when unclosed).
func bracedVar(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '`':
			i++
		case '}':
			return i + 1
		}
	}
	return len(s)
}

// psScriptFile is where the step writes the script, named as Jenkins names it in its control dir.
const psScriptFile = "/tmp/powershellScript.ps1"

// psLauncher is the sh step script that runs a powershell/pwsh script as durable-task's
// PowershellScript does on a Unix agent: the script goes to a .ps1 file with
// "exit $LASTEXITCODE" appended, and that file runs under the wrapper
// `pwsh -NoProfile -NonInteractive -Command '& {try {& 'file'} catch {throw}; exit $LASTEXITCODE}'`.
// So an unknown command or a parse error fails the step (the try turns statement-terminating
// errors into a throw), and so does the last native command's non-zero exit, cmdlets after it
// or not, where `pwsh -Command script` reflected only the last statement. (-ExecutionPolicy
// Bypass, which Jenkins adds on Windows, changes nothing here: pwsh enforces no policy off
// Windows.) The heredoc is quoted, so sh copies the script byte for byte; the delimiter grows
// until no line of the script equals it.
func psLauncher(script string) string {
	// Blanks after the last token (the indent before a Groovy ''' closes) mean nothing to
	// PowerShell, unless a backtick before them continues the line onto the exit.
	if t := strings.TrimRight(script, " \t\r\n"); !strings.HasSuffix(t, "`") {
		script = t
	}
	delim := "TKN_MIGRATE_PS1"
	for slices.Contains(strings.Split(script, "\n"), delim) {
		delim += "_"
	}
	return "cat > " + psScriptFile + " <<'" + delim + "'\n" + script + "\nexit $LASTEXITCODE\n" + delim + "\n" +
		`exec pwsh -NoProfile -NonInteractive -Command "& {try {& '` + psScriptFile + `'} catch {throw}; exit \$LASTEXITCODE}"` + "\n"
}
