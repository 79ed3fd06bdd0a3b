package convert

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Printable escapes, as Go does (\x1b), the characters YAML allows nowhere, not even in a
// comment, and bytes that are no UTF-8: comments quote source text, and one such character
// makes the file unreadable (and a terminal may read it as the start of an escape sequence).
func Printable(s string) string { return Escaped(s, "") }

// CommentLine is s made safe as the text of a one-line comment: Printable, and line breaks
// escaped too, since past one the source text would be read as YAML.
func CommentLine(s string) string { return Escaped(s, "\n\r\u0085\u2028\u2029") }

// Escaped is Printable with the characters of also escaped too.
func Escaped(s, also string) string {
	bad := func(r rune) bool { return notYAML(r) || strings.ContainsRune(also, r) }
	if utf8.ValidString(s) && strings.IndexFunc(s, bad) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case bad(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// notYAML is a character outside YAML's printable set (c-printable), line breaks and tab aside.
func notYAML(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return false
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return true
	case r >= 0xd800 && r < 0xe000 || r == 0xfffe || r == 0xffff:
		return true
	}
	return false
}
