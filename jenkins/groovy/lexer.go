package groovy

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// Limits that turn hostile input into errors instead of exhausted memory or stack.
const (
	MaxFileSize = 16 << 20 // bytes
	MaxDepth    = 512      // nesting of brackets, closures and interpolations
)

type lexer struct {
	path      string
	src       []byte
	s         string // src as a string: token texts are slices of it, not copies
	off       int
	line      int
	lineStart int
	comments  []Comment
	nl, space bool
	depth     int     // ${} nesting
	started   bool    // the shebang line, if any, is read
	last      TokKind // the previous token, for regexAllowed
	lastText  string
	hasLast   bool
}

// Lex splits src into tokens. The last token is EOF; it carries trailing comments.
func Lex(path string, src []byte) ([]Token, error) {
	lx, err := newLexer(path, src)
	if err != nil {
		return nil, err
	}
	toks := make([]Token, 0, len(src)/8+1)
	for {
		t, err := lx.token()
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.Kind == TokEOF {
			return toks, nil
		}
	}
}

// newLexer checks src's size and encoding and readies a lexer at its first byte.
func newLexer(path string, src []byte) (*lexer, error) {
	if len(src) > MaxFileSize {
		return nil, convert.Errorf(path, 1, 1, "file is %d bytes, more than the %d-byte limit", len(src), MaxFileSize)
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		l, c := lineCol(src, i)
		return nil, convert.Errorf(path, l, c, "binary file: NUL byte")
	}
	if !utf8.Valid(src) {
		i := 0
		for i < len(src) {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		l, c := lineCol(src, i)
		return nil, convert.Errorf(path, l, c, "binary file: invalid UTF-8")
	}
	lx := &lexer{path: path, src: src, s: string(src), line: 1}
	lx.skipBOM()
	return lx, nil
}

func lineCol(src []byte, off int) (int, int) {
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	return line, off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
}

func (lx *lexer) skipBOM() {
	if bytes.HasPrefix(lx.src, []byte("\xEF\xBB\xBF")) {
		lx.off = 3
		lx.lineStart = 3
	}
}

func (lx *lexer) pos() Pos {
	return Pos{Off: int32(lx.off), Line: int32(lx.line), Col: int32(lx.off - lx.lineStart + 1)}
}

func (lx *lexer) errAt(p Pos, format string, args ...any) error {
	return errorAt(lx.path, p, format, args...)
}

func (lx *lexer) peekAt(i int) byte {
	if lx.off+i < len(lx.src) {
		return lx.src[lx.off+i]
	}
	return 0
}

// advance moves past n bytes, keeping line bookkeeping.
func (lx *lexer) advance(n int) {
	for i := 0; i < n && lx.off < len(lx.src); i++ {
		if lx.src[lx.off] == '\n' {
			lx.line++
			lx.lineStart = lx.off + 1
		}
		lx.off++
	}
}

// token lexes the next token; at the end it gives EOF, which carries the trailing comments.
func (lx *lexer) token() (Token, error) {
	if !lx.started {
		lx.started = true
		lx.shebang()
	}
	if err := lx.skipSpace(); err != nil {
		return Token{}, err
	}
	if lx.off >= len(lx.src) {
		return lx.emit(Token{Kind: TokEOF, Pos: lx.pos(), End: int32(lx.off)}), nil
	}
	t, err := lx.next()
	if err != nil {
		return Token{}, err
	}
	return lx.emit(t), nil
}

// shebang reads a #! first line as a comment.
func (lx *lexer) shebang() {
	if bytes.HasPrefix(lx.src[lx.off:], []byte("#!")) {
		p := lx.pos()
		end := bytes.IndexByte(lx.src[lx.off:], '\n')
		if end < 0 {
			end = len(lx.src) - lx.off
		}
		lx.comments = append(lx.comments, Comment{Pos: p, Text: string(lx.src[lx.off : lx.off+end])})
		lx.advance(end)
	}
}

// emit completes a token with the space and comments before it.
func (lx *lexer) emit(t Token) Token {
	t.NL, t.Space = lx.nl, lx.space || lx.nl
	if c := lx.comments; c != nil {
		t.comments = &c
	}
	lx.nl, lx.space, lx.comments = false, false, nil
	lx.last, lx.lastText, lx.hasLast = t.Kind, t.Text, true
	return t
}

// skipSpace skips blanks, newlines, line continuations and comments, recording comments.
func (lx *lexer) skipSpace() error {
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		switch {
		case c == '\n':
			lx.nl = true
			lx.advance(1)
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			lx.space = true
			lx.advance(1)
		case c == '\\' && (lx.peekAt(1) == '\n' || lx.peekAt(1) == '\r' && lx.peekAt(2) == '\n'):
			lx.space = true
			if lx.peekAt(1) == '\r' {
				lx.advance(3)
			} else {
				lx.advance(2)
			}
		case c == '/' && lx.peekAt(1) == '/':
			p := lx.pos()
			end := bytes.IndexByte(lx.src[lx.off:], '\n')
			if end < 0 {
				end = len(lx.src) - lx.off
			}
			lx.comments = append(lx.comments, Comment{Pos: p, Text: strings.TrimRight(string(lx.src[lx.off:lx.off+end]), "\r")})
			lx.space = true
			lx.advance(end)
		case c == '/' && lx.peekAt(1) == '*':
			p := lx.pos()
			end := bytes.Index(lx.src[lx.off+2:], []byte("*/"))
			if end < 0 {
				return lx.errAt(p, "unterminated /* comment")
			}
			lx.comments = append(lx.comments, Comment{Pos: p, Text: string(lx.src[lx.off : lx.off+end+4])})
			lx.space = true
			lx.advance(end + 4)
		default:
			if c >= utf8.RuneSelf {
				r, n := utf8.DecodeRune(lx.src[lx.off:])
				if unicode.IsSpace(r) || r == '\uFEFF' {
					lx.space = true
					lx.advance(n)
					continue
				}
			}
			return nil
		}
	}
	return nil
}

func isIdentStart(r rune) bool {
	return r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || r >= '0' && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r)
}

func (lx *lexer) runeAt(off int) (rune, int) {
	if off >= len(lx.src) {
		return 0, 0
	}
	if c := lx.src[off]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(lx.src[off:])
}

// identEnd returns the offset just past an identifier starting at off (off itself when there is none).
func (lx *lexer) identEnd(off int) int {
	r, n := lx.runeAt(off)
	if n == 0 || !isIdentStart(r) {
		return off
	}
	off += n
	for {
		r, n = lx.runeAt(off)
		if n == 0 || !isIdentPart(r) {
			return off
		}
		off += n
	}
}

// Operators, longest first within each leading byte.
var operators = []string{
	">>>=", "..<", "==~", "<=>", "===", "!==", "**=", "<<=", ">>=", ">>>", "?.@", "!in", "!instanceof",
	"?.", "?:", "?=", "*.", ".&", ".@", "..", "**", "->", "=~", "==", "!=", "<=", ">=", "&&", "||", "++", "--",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "::",
	"{", "}", "(", ")", "[", "]", ";", ",", ".", "=", "<", ">", "!", "~", "?", ":", "+", "-", "*", "/",
	"%", "&", "|", "^", "@", "\\",
}

// opsByFirst indexes operators by their first byte, longest first.
var opsByFirst = func() map[byte][]string {
	m := map[byte][]string{}
	for _, op := range operators {
		m[op[0]] = append(m[op[0]], op)
	}
	return m
}()

// regexAllowed reports whether a '/' here starts a slashy string rather than division.
func (lx *lexer) regexAllowed() bool {
	if !lx.hasLast {
		return true
	}
	t := Token{Kind: lx.last, Text: lx.lastText}
	switch t.Kind {
	case TokNumber, TokString:
		return false
	case TokIdent:
		switch t.Text {
		case "return", "in", "case", "assert", "throw", "else", "instanceof", "and", "or":
			return true
		}
		return false
	case TokOp:
		switch t.Text {
		case ")", "]", "}", "++", "--":
			return false
		}
	}
	return true
}

func (lx *lexer) next() (Token, error) {
	p := lx.pos()
	c := lx.src[lx.off]
	switch {
	case c == '\'' || c == '"':
		return lx.quoted(p)
	case c == '$' && lx.peekAt(1) == '/':
		return lx.dollarSlashy(p)
	case c == '/' && lx.regexAllowed():
		return lx.slashy(p)
	case c >= '0' && c <= '9':
		return lx.number(p), nil
	}
	if end := lx.identEnd(lx.off); end > lx.off {
		lx.advance(end - lx.off)
		return Token{Kind: TokIdent, Pos: p, End: int32(lx.off), Text: lx.s[p.Off:lx.off]}, nil
	}
	for _, op := range opsByFirst[c] {
		if strings.HasPrefix(lx.s[lx.off:], op) {
			if op == "!in" || op == "!instanceof" {
				// only when the keyword ends there: !input is ! input
				if r, n := lx.runeAt(lx.off + len(op)); n > 0 && isIdentPart(r) {
					continue
				}
			}
			lx.advance(len(op))
			return Token{Kind: TokOp, Pos: p, End: int32(lx.off), Text: op}, nil
		}
	}
	r, _ := lx.runeAt(lx.off)
	return Token{}, lx.errAt(p, "unexpected character %q", r)
}

func (lx *lexer) number(p Pos) Token {
	s := lx.src
	i := lx.off
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' || c == '_' }
	if s[i] == '0' && i+1 < len(s) && (s[i+1]|0x20 == 'x' || s[i+1]|0x20 == 'b') {
		i += 2
		for i < len(s) && (isDigit(s[i]) || s[i]|0x20 >= 'a' && s[i]|0x20 <= 'f') {
			i++
		}
	} else {
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
			i++
			for i < len(s) && isDigit(s[i]) {
				i++
			}
		}
		if i < len(s) && s[i]|0x20 == 'e' {
			j := i + 1
			if j < len(s) && (s[j] == '+' || s[j] == '-') {
				j++
			}
			if j < len(s) && s[j] >= '0' && s[j] <= '9' {
				i = j
				for i < len(s) && isDigit(s[i]) {
					i++
				}
			}
		}
	}
	if i < len(s) && strings.IndexByte("gGlLiIdDfF", s[i]) >= 0 {
		i++
	}
	lx.advance(i - lx.off)
	return Token{Kind: TokNumber, Pos: p, End: int32(lx.off), Text: string(s[p.Off:lx.off])}
}

// strBuilder collects the literal and interpolated parts of a string.
type strBuilder struct {
	lit     strings.Builder
	litPos  Pos
	hasLit  bool
	parts   []Part
	interps bool
	decoded bool // an escape or a CRLF: the value is not the source text between the delimiters
}

func (b *strBuilder) addLit(p Pos, s string) {
	if !b.hasLit {
		b.litPos, b.hasLit = p, true
	}
	b.lit.WriteString(s)
}

func (b *strBuilder) flush() {
	if b.hasLit {
		b.parts = append(b.parts, Part{Pos: b.litPos, Lit: b.lit.String()})
		b.lit.Reset()
		b.hasLit = false
	}
}

func (b *strBuilder) addExpr(p Pos, expr string, braced bool) {
	b.flush()
	b.interps = true
	b.parts = append(b.parts, Part{Pos: p, Expr: expr, Braced: braced})
}

// finish sets t's value; open and close are the lengths of its delimiters in t.Text.
func (b *strBuilder) finish(t *Token, open, close int) {
	b.flush()
	if b.interps {
		t.Parts = b.parts
		return
	}
	if !b.decoded {
		t.Str = t.Text[open : len(t.Text)-close] // shares the source, as the token's text does
		return
	}
	var s strings.Builder
	for _, p := range b.parts {
		s.WriteString(p.Lit)
	}
	t.Str = s.String()
}

func (lx *lexer) quoted(p Pos) (Token, error) {
	q := lx.src[lx.off]
	quote := string(q)
	if lx.peekAt(1) == q && lx.peekAt(2) == q {
		quote = strings.Repeat(quote, 3)
	}
	lx.advance(len(quote))
	interp := q == '"'
	var b strBuilder
	for {
		if lx.off >= len(lx.src) {
			return Token{}, lx.errAt(p, "unterminated string")
		}
		c := lx.src[lx.off]
		if bytes.HasPrefix(lx.src[lx.off:], []byte(quote)) {
			// a triple quote followed by more quotes closes at the last three
			if len(quote) == 3 {
				for lx.peekAt(3) == q {
					b.addLit(lx.pos(), string(q))
					lx.advance(1)
				}
			}
			lx.advance(len(quote))
			break
		}
		switch {
		case c == '\n' && len(quote) == 1:
			return Token{}, lx.errAt(p, "unterminated string (newline in a %s string)", quote)
		case c == '\\':
			cp := lx.pos()
			s, err := lx.escape()
			if err != nil {
				return Token{}, err
			}
			b.addLit(cp, s)
			b.decoded = true
		case c == '$' && interp:
			if err := lx.interpolation(&b); err != nil {
				return Token{}, err
			}
		case c == '\r' && lx.peekAt(1) == '\n':
			lx.advance(1) // CRLF inside a string reads as LF, as Groovy normalises it
			b.decoded = true
		default:
			cp := lx.pos()
			_, n := lx.runeAt(lx.off)
			lx.advance(n)
			b.addLit(cp, lx.s[cp.Off:lx.off])
		}
	}
	t := Token{Kind: TokString, Pos: p, End: int32(lx.off), Text: lx.s[p.Off:lx.off], StrInfo: &StrInfo{Quote: quote}}
	b.finish(&t, len(quote), len(quote))
	return t, nil
}

// escape decodes one backslash escape at lx.off.
func (lx *lexer) escape() (string, error) {
	c := lx.peekAt(1)
	switch c {
	case 'b':
		lx.advance(2)
		return "\b", nil
	case 't':
		lx.advance(2)
		return "\t", nil
	case 'n':
		lx.advance(2)
		return "\n", nil
	case 'f':
		lx.advance(2)
		return "\f", nil
	case 'r':
		lx.advance(2)
		return "\r", nil
	case 's':
		lx.advance(2)
		return " ", nil
	case '"', '\'', '\\', '$', '/':
		lx.advance(2)
		return string(c), nil
	case '\n':
		lx.advance(2)
		return "", nil
	case '\r':
		if lx.peekAt(2) == '\n' {
			lx.advance(3)
			return "", nil
		}
	case 'u':
		j := 2
		for lx.peekAt(j) == 'u' {
			j++
		}
		if lx.off+j+4 <= len(lx.src) {
			if v, err := strconv.ParseUint(string(lx.src[lx.off+j:lx.off+j+4]), 16, 32); err == nil {
				lx.advance(j + 4)
				return string(rune(v)), nil
			}
		}
	case 0:
	default:
		if c >= '0' && c <= '7' {
			j, v := 1, 0
			for j <= 3 && lx.peekAt(j) >= '0' && lx.peekAt(j) <= '7' && v*8+int(lx.peekAt(j)-'0') <= 0377 {
				v = v*8 + int(lx.peekAt(j)-'0')
				j++
			}
			lx.advance(j)
			return string(rune(v)), nil
		}
	}
	// Groovy rejects unknown escapes; keep the text so a lenient reading still shows what was written.
	lx.advance(1)
	return "\\", nil
}

// interpolation reads $name.path or ${ ... } at lx.off. A lone $ is kept as literal text
// (Groovy rejects it in "" strings; keeping it lets the rest of the file convert).
func (lx *lexer) interpolation(b *strBuilder) error {
	p := lx.pos()
	if lx.peekAt(1) == '{' {
		lx.advance(2)
		start := lx.off
		end, err := lx.matchBrace(p)
		if err != nil {
			return err
		}
		b.addExpr(p, lx.s[start:end], true)
		return nil
	}
	if end := lx.identEnd(lx.off + 1); end > lx.off+1 && lx.src[lx.off+1] != '$' {
		for end < len(lx.src) && lx.src[end] == '.' {
			e2 := lx.identEnd(end + 1)
			if e2 == end+1 || lx.src[end+1] == '$' {
				break
			}
			end = e2
		}
		expr := lx.s[lx.off+1 : end]
		lx.advance(end - lx.off)
		b.addExpr(p, expr, false)
		return nil
	}
	lx.advance(1)
	b.addLit(p, "$")
	return nil
}

// matchBrace lexes tokens from lx.off until the '}' closing an interpolation opened at open,
// returning that brace's offset and leaving lx.off after it.
func (lx *lexer) matchBrace(open Pos) (int, error) {
	lx.depth++
	defer func() { lx.depth-- }()
	if lx.depth > MaxDepth {
		return 0, lx.errAt(open, "strings nested more than %d levels deep", MaxDepth)
	}
	// tokens of the inner expression are lexed on the side and dropped: the expression stays text
	last, lastText, hasLast, nl, space, comments := lx.last, lx.lastText, lx.hasLast, lx.nl, lx.space, lx.comments
	lx.hasLast, lx.comments = false, nil
	defer func() {
		lx.last, lx.lastText, lx.hasLast, lx.nl, lx.space, lx.comments = last, lastText, hasLast, nl, space, comments
	}()
	level := 0
	for {
		if err := lx.skipSpace(); err != nil {
			return 0, err
		}
		if lx.off >= len(lx.src) {
			return 0, lx.errAt(open, "unterminated ${ interpolation")
		}
		if lx.src[lx.off] == '}' && level == 0 {
			end := lx.off
			lx.advance(1)
			return end, nil
		}
		t, err := lx.next()
		if err != nil {
			return 0, err
		}
		if t.Kind == TokOp {
			switch t.Text {
			case "{":
				level++
				if level > MaxDepth {
					return 0, lx.errAt(t.Pos, "nesting deeper than %d levels", MaxDepth)
				}
			case "}":
				level--
			}
		}
		lx.emit(t)
	}
}

func (lx *lexer) slashy(p Pos) (Token, error) {
	lx.advance(1)
	var b strBuilder
	for {
		if lx.off >= len(lx.src) {
			return Token{}, lx.errAt(p, "unterminated slashy string")
		}
		c := lx.src[lx.off]
		switch {
		case c == '/':
			lx.advance(1)
			t := Token{Kind: TokString, Pos: p, End: int32(lx.off), Text: lx.s[p.Off:lx.off], StrInfo: &StrInfo{Quote: "/"}}
			b.finish(&t, 1, 1)
			return t, nil
		case c == '\\' && lx.peekAt(1) == '/':
			b.addLit(lx.pos(), "/")
			b.decoded = true
			lx.advance(2)
		case c == '$' && (lx.peekAt(1) == '{' || lx.identEnd(lx.off+1) > lx.off+1):
			if err := lx.interpolation(&b); err != nil {
				return Token{}, err
			}
		case c == '\r' && lx.peekAt(1) == '\n':
			lx.advance(1) // CRLF inside a string reads as LF, as Groovy normalises it
			b.decoded = true
		default:
			cp := lx.pos()
			_, n := lx.runeAt(lx.off)
			lx.advance(n)
			b.addLit(cp, lx.s[cp.Off:lx.off])
		}
	}
}

func (lx *lexer) dollarSlashy(p Pos) (Token, error) {
	lx.advance(2)
	var b strBuilder
	for {
		if lx.off >= len(lx.src) {
			return Token{}, lx.errAt(p, "unterminated $/ string")
		}
		c := lx.src[lx.off]
		switch {
		case c == '/' && lx.peekAt(1) == '$':
			lx.advance(2)
			t := Token{Kind: TokString, Pos: p, End: int32(lx.off), Text: lx.s[p.Off:lx.off], StrInfo: &StrInfo{Quote: "$/"}}
			b.finish(&t, 2, 2)
			return t, nil
		case c == '$' && (lx.peekAt(1) == '$' || lx.peekAt(1) == '/'):
			b.addLit(lx.pos(), string(lx.peekAt(1)))
			b.decoded = true
			lx.advance(2)
		case c == '$' && (lx.peekAt(1) == '{' || lx.identEnd(lx.off+1) > lx.off+1):
			if err := lx.interpolation(&b); err != nil {
				return Token{}, err
			}
		case c == '\r' && lx.peekAt(1) == '\n':
			lx.advance(1) // CRLF inside a string reads as LF, as Groovy normalises it
			b.decoded = true
		default:
			cp := lx.pos()
			_, n := lx.runeAt(lx.off)
			lx.advance(n)
			b.addLit(cp, lx.s[cp.Off:lx.off])
		}
	}
}
