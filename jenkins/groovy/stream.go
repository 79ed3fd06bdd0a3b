package groovy

// tokChunk is how many tokens the parser's stream lexes, keeps and drops at a time.
const tokChunk = 1024

// lexMark is the lexer's state between two tokens: enough to lex again from there.
type lexMark struct {
	off, line, lineStart int
	started              bool
	last                 TokKind
	lastText             string
	hasLast              bool
}

func (lx *lexer) mark() lexMark {
	return lexMark{lx.off, lx.line, lx.lineStart, lx.started, lx.last, lx.lastText, lx.hasLast}
}

// restore puts the lexer back at m, between two tokens: no space, comment or ${} is pending.
func (lx *lexer) restore(m lexMark) {
	lx.off, lx.line, lx.lineStart, lx.started, lx.last, lx.lastText, lx.hasLast = m.off, m.line, m.lineStart, m.started, m.last, m.lastText, m.hasLast
	lx.nl, lx.space, lx.comments, lx.depth = false, false, nil, 0
}

// stream hands the parser tokens by index, lexed on demand, and keeps only the chunks near
// the latest one: a rewind into a dropped chunk lexes it again from its mark (the lexer is
// deterministic), so the parser backtracks as far as it likes while the whole token list of a
// big file is never live next to its syntax tree.
type stream struct {
	lx       *lexer
	chunks   [][]Token // nil once dropped; all but the last hold tokChunk tokens
	marks    []lexMark // the lexer's state at the start of each chunk
	resident []int     // the chunks not dropped
	cur      []Token   // the chunk last read, from token lo on
	lo       int
	n        int    // tokens lexed so far
	eof      *Token // the EOF token, once lexed
	br       brackets
	err      error // the first lex or bracket error: it ends the parse
}

func newStream(lx *lexer) *stream { return &stream{lx: lx, br: brackets{path: lx.path}} }

// at returns token i; past the end, the EOF token.
func (s *stream) at(i int) *Token {
	if cur := s.cur; uint(i-s.lo) < uint(len(cur)) {
		return &cur[i-s.lo]
	}
	return s.slow(i)
}

func (s *stream) slow(i int) *Token {
	for s.eof == nil && i >= s.n {
		s.lexChunk()
	}
	if i >= s.n {
		return s.eof
	}
	c := i / tokChunk
	if s.chunks[c] == nil {
		s.relex(c)
	}
	s.cur, s.lo = s.chunks[c], c*tokChunk
	return &s.cur[i-s.lo]
}

// lexChunk lexes the next chunk for the first time, checking brackets as it goes.
func (s *stream) lexChunk() {
	s.marks = append(s.marks, s.lx.mark())
	ch := make([]Token, 0, min(tokChunk, (len(s.lx.src)-s.lx.off)/8+1)) // a small file's tokens, not a whole chunk
	for len(ch) < tokChunk && s.eof == nil {
		t, ok := s.lexOne()
		if !ok {
			panic(bail{err: s.rest(), hard: true, final: true})
		}
		ch = append(ch, t)
	}
	s.n += len(ch)
	s.chunks = append(s.chunks, ch)
	s.keep(len(s.chunks) - 1)
}

// lexOne lexes one token for the first time; false after a lex or bracket error.
func (s *stream) lexOne() (Token, bool) {
	t, err := s.lx.token()
	if err == nil {
		err = s.br.add(&t)
	}
	if err != nil {
		if s.err == nil {
			s.err = err
		}
		return Token{}, false
	}
	if t.Kind == TokEOF {
		e := t
		s.eof = &e
	}
	return t, true
}

// rest lexes what the parser has not reached and returns the error that ends the parse, if
// any: a lex error anywhere wins over a bracket error, which wins over a parse error, as when
// the whole file was lexed and checked before parsing.
func (s *stream) rest() error {
	if s.err != nil && s.br.err == nil {
		return s.err // a lex error: the lexer cannot go on past it
	}
	for s.eof == nil {
		t, err := s.lx.token()
		if err != nil {
			return err
		}
		if s.err == nil {
			s.err = s.br.add(&t)
		}
		if t.Kind == TokEOF {
			s.eof = &t
		}
	}
	return s.err
}

// relex lexes dropped chunk c again from its mark.
func (s *stream) relex(c int) {
	lx := *s.lx // a copy: the original stays where first-time lexing goes on
	lx.restore(s.marks[c])
	ch := make([]Token, 0, min(tokChunk, s.n-c*tokChunk))
	for len(ch) < cap(ch) {
		t, err := lx.token()
		if err != nil {
			panic(err) // it lexed without error the first time
		}
		ch = append(ch, t)
	}
	s.chunks[c] = ch
	s.keep(c)
}

// keep marks chunk c resident and drops the chunks that are not next to it.
func (s *stream) keep(c int) {
	kept := s.resident[:0]
	for _, r := range s.resident {
		if r >= c-2 && r <= c+1 && r != c {
			kept = append(kept, r)
		} else if r != c {
			s.chunks[r] = nil
		}
	}
	s.resident = append(kept, c)
}

// brackets checks bracket balance and depth token by token.
type brackets struct {
	path  string
	stack []openBracket
	err   error
}

type openBracket struct {
	text string
	pos  Pos
}

// add checks one token; the first error sticks.
func (b *brackets) add(t *Token) error {
	if b.err != nil {
		return b.err
	}
	switch {
	case t.Kind == TokEOF:
		if len(b.stack) > 0 {
			o := b.stack[len(b.stack)-1]
			b.err = errorAt(b.path, o.pos, "unbalanced %q: never closed", o.text)
		}
	case t.Kind != TokOp:
	case t.Text == "(" || t.Text == "[" || t.Text == "{":
		b.stack = append(b.stack, openBracket{t.Text, t.Pos})
		if len(b.stack) > MaxDepth {
			b.err = errorAt(b.path, t.Pos, "nesting deeper than %d levels", MaxDepth)
		}
	case t.Text == ")" || t.Text == "]" || t.Text == "}":
		if len(b.stack) == 0 {
			b.err = errorAt(b.path, t.Pos, "unbalanced %q: nothing to close", t.Text)
			break
		}
		top := b.stack[len(b.stack)-1]
		if closer(top.text) != t.Text {
			b.err = errorAt(b.path, t.Pos, "unbalanced %q: %q opened at %d:%d is still open", t.Text, top.text, top.pos.Line, top.pos.Col)
			break
		}
		b.stack = b.stack[:len(b.stack)-1]
	}
	return b.err
}
