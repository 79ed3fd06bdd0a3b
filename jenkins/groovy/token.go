// Package groovy is a lexer and parser for the Groovy that Jenkinsfiles contain. It builds a
// syntax tree with source spans and comments and never evaluates anything; what it cannot
// model becomes an Opaque node with its span.
package groovy

import (
	"fmt"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TokKind is the lexical class of a token.
type TokKind uint8

const (
	TokEOF    TokKind = iota
	TokIdent          // identifiers and keywords (the parser tells them apart)
	TokNumber         // 12, 0x1F, 1.5e3, 10L
	TokString         // every string form; see Token.Quote
	TokOp             // punctuation and operators
)

var tokKindNames = [...]string{"EOF", "Ident", "Number", "String", "Op"}

func (k TokKind) String() string { return tokKindNames[k] }

// Pos is a source position: byte offset, 1-based line and 1-based byte column (int32: every
// node and token has one, and a file is at most MaxFileSize bytes).
type Pos struct {
	Off, Line, Col int32
}

// errorAt is a positioned error at p.
func errorAt(path string, p Pos, format string, args ...any) error {
	return convert.Errorf(path, int(p.Line), int(p.Col), format, args...)
}

// Comment is a // or /* */ comment (or a #! shebang line), with its delimiters.
type Comment struct {
	Pos
	Text string
}

// Part is one piece of an interpolating string: literal text, or a $ / ${} expression.
type Part struct {
	Pos
	Lit    string // decoded literal text, when Expr is ""
	Expr   string // expression source without "$", "{" and "}"
	Braced bool   // ${...} rather than $a.b
}

// Token is one lexical token.
type Token struct {
	Kind     TokKind
	NL       bool   // a newline separates this token from the previous one
	Space    bool   // whitespace or a comment separates this token from the previous one
	Pos             // start
	End      int32  // byte offset just past the token
	Text     string // source text of the token
	comments *[]Comment
	*StrInfo // set for TokString only (kept out of line: most tokens are not strings)
}

// Comments are the comments between the previous token and this one (kept out of line, as
// StrInfo: a big Jenkinsfile lexes to 15 bytes of tokens per byte, and few tokens have any).
func (t *Token) Comments() []Comment {
	if t.comments == nil {
		return nil
	}
	return *t.comments
}

// StrInfo is what a string token holds besides its source text.
type StrInfo struct {
	Quote string // ' " ''' """ / $/
	Str   string // decoded value when the string has no interpolation
	Parts []Part // for " """ / $/ strings that interpolate; nil otherwise
}

// Interpolated reports whether a string token contains ${} or $name.
func (t *Token) Interpolated() bool { return t.StrInfo != nil && t.Parts != nil }

func (t Token) String() string {
	switch t.Kind {
	case TokEOF:
		return "EOF"
	case TokString:
		if t.Parts != nil {
			return fmt.Sprintf("GString%s%q", t.Quote, t.Text)
		}
		return fmt.Sprintf("String%s%q", t.Quote, t.Str)
	}
	return fmt.Sprintf("%s %q", t.Kind, t.Text)
}
