// Package shellquote turns values from source files into POSIX sh words, so a value never
// runs as a command it wasn't: every front-end quotes through it.
package shellquote

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// safe are words sh reads as themselves, left bare so common output stays readable.
var safe = lazyre.New(`^[A-Za-z0-9_@%+=:,./-]+$`)

// Quote returns s as one sh word with no expansion: bare when that is already so,
// else single-quoted (a ' inside becomes '\”).
func Quote(s string) string {
	if safe.MatchString(s) {
		return s
	}
	return Single(s)
}

// Single always single-quotes s.
func Single(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Double escapes s for the inside of a "..." word: $, `, " and \ lose their meaning.
func Double(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(s)
}

// Glob quotes s as one sh pattern: * ? [ ] still match file names, and nothing else expands.
func Glob(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("*?[]", s[i]) >= 0 {
			if i > last {
				b.WriteString(Quote(s[last:i]))
			}
			b.WriteByte(s[i])
			last = i + 1
		}
	}
	if last < len(s) || s == "" {
		b.WriteString(Quote(s[last:]))
	}
	return b.String()
}

// Join quotes each word and joins them with spaces.
func Join(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = Quote(w)
	}
	return strings.Join(out, " ")
}

// ref matches the variable references Jenkins expands in build step fields (Util.replaceMacro).
var ref = lazyre.New(`\$(\{[A-Za-z_][A-Za-z0-9_.]*\}|[A-Za-z_][A-Za-z0-9_]*)`)

// Args quotes a Jenkins build step's argument string: split as Jenkins splits it, each word
// with its $NAME references still expanding (Jenkins expands them before it splits).
func Args(s string) string {
	words := Fields(s)
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = KeepVars(w)
	}
	return strings.Join(out, " ")
}

// KeepVars returns s as one sh word in which $NAME and ${NAME} still expand and nothing else
// does: no command substitution, globbing or word splitting.
func KeepVars(s string) string {
	if s == "" {
		return "''"
	}
	var b strings.Builder
	last := 0
	for _, m := range ref.FindAllStringIndex(s, -1) {
		if m[0] > last {
			b.WriteString(Quote(s[last:m[0]]))
		}
		name := strings.Trim(s[m[0]+1:m[1]], "{}")
		b.WriteString(`"${` + name + `}"`)
		last = m[1]
	}
	if last < len(s) {
		b.WriteString(Quote(s[last:]))
	}
	return b.String()
}

// Fields splits s as Jenkins's QuotedStringTokenizer (ArgumentListBuilder.addTokenized) does:
// on blanks, with '...' and "..." grouping and a backslash escaping the next character inside them.
func Fields(s string) []string {
	var out []string
	var b strings.Builder
	in, quote, escape := false, byte(0), false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && escape:
			b.WriteByte(c)
			escape = false
		case quote != 0 && c == '\\':
			escape = true
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			b.WriteByte(c)
		case c == '\'' || c == '"':
			quote, in = c, true
		case strings.IndexByte(" \t\n\r\f", c) >= 0:
			if in {
				out = append(out, b.String())
				b.Reset()
				in = false
			}
		default:
			b.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, b.String())
	}
	return out
}
