package groovy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// File is a parsed Groovy source file.
type File struct {
	Path     string
	Src      []byte
	str      string // Src as a string, for copy-free Text
	Stmts    []Stmt
	Trailing []Comment // comments after the last statement
}

// Source is the file's text as a string; node texts are slices of it.
func (f *File) Source() string { return f.str }

// Text returns the source text of a node.
func (f *File) Text(n Node) string { return f.SpanText(SpanOf(n)) }

// SpanText returns the source text of a span.
func (f *File) SpanText(s Span) string {
	if s.Off < 0 || int(s.End) > len(f.str) || s.Off > s.End {
		return ""
	}
	return f.str[s.Off:s.End]
}

// bail unwinds the parser: soft errors turn the current statement into an Opaque node,
// hard errors (limits) end the parse.
type bail struct {
	err   error
	hard  bool
	final bool // the stream's lex or bracket error: nothing else to check
}

type parser struct {
	path  string
	src   []byte
	toks  *stream
	i     int
	depth int
	nlSig []bool // per open bracket: whether newlines end expressions (true inside { })
	// take, file, owners and taken serve ParseTaking: owners names the call of each open
	// closure ("" for a bare one), taken counts the statements take took.
	take   func(*File, Stmt) bool
	file   *File
	owners []string
	taken  int32
}

// maxRecursion bounds parser recursion for constructs that nest without brackets (!!!x, else if chains).
const maxRecursion = 4 * MaxDepth

// Parse lexes and parses src. Errors are *convert.PosError values.
func Parse(path string, src []byte) (*File, error) { return parse(path, src, nil) }

// ParseTaking is Parse offering take each statement completed directly in the closure of a
// `stages` call that is a statement directly in the closure of a `pipeline` call outside any
// other closure (a declarative Pipeline's stages), as soon as it is parsed, with the File
// being built. A statement take takes stays in the tree as a *Taken: a big file's tree never
// holds its stages at once. The parse, and any error, is Parse's.
func ParseTaking(path string, src []byte, take func(f *File, s Stmt) bool) (*File, error) {
	return parse(path, src, take)
}

func parse(path string, src []byte, take func(*File, Stmt) bool) (f *File, err error) {
	lx, err := newLexer(path, src)
	if err != nil {
		return nil, err
	}
	p := &parser{path: path, src: src, toks: newStream(lx), nlSig: []bool{true}, take: take}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			if !b.final {
				if e := p.toks.rest(); e != nil {
					b.err = e // a lex or bracket error after the parse error wins, as it did when checked first
				}
			}
			f, err = nil, b.err
		}
	}()
	f = &File{Path: path, Src: src, str: lx.s} // the tokens' string: one copy of the source, not two
	p.file = f
	f.Stmts = p.stmts("", false)
	f.Trailing = p.tok().Comments()
	return f, nil
}

func closer(open string) string {
	switch open {
	case "(":
		return ")"
	case "[":
		return "]"
	}
	return "}"
}

func (p *parser) tok() *Token { return p.toks.at(p.i) }

// at is token j; past the end, EOF.
func (p *parser) at(j int) *Token { return p.toks.at(j) }

func (p *parser) peek(n int) *Token { return p.toks.at(p.i + n) }

func (p *parser) next() *Token {
	t := p.toks.at(p.i)
	if t.Kind != TokEOF {
		p.i++
	}
	return t
}

func (p *parser) is(text string) bool {
	t := p.tok()
	return (t.Kind == TokOp || t.Kind == TokIdent) && t.Text == text
}

func (p *parser) isOp(text string) bool { t := p.tok(); return t.Kind == TokOp && t.Text == text }

func (p *parser) fail(format string, args ...any) {
	t := p.tok()
	panic(bail{err: errorAt(p.path, t.Pos, format, args...)})
}

func (p *parser) expect(text string) *Token {
	if !p.isOp(text) {
		p.fail("expected %q, found %s", text, p.tok())
	}
	return p.next()
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxRecursion {
		p.hardFail("nesting deeper than %d levels", maxRecursion)
	}
}

// hardFail ends the whole parse with an error at the current token.
func (p *parser) hardFail(format string, args ...any) {
	t := p.tok()
	panic(bail{err: errorAt(p.path, t.Pos, format, args...), hard: true})
}

func (p *parser) leave() { p.depth-- }

func (p *parser) prevEnd() int32 {
	if p.i == 0 {
		return 0
	}
	return p.at(p.i - 1).End
}

func (p *parser) spanFrom(start Pos) Span { return Span{Pos: start, End: p.prevEnd()} }

func (p *parser) sig() bool { return p.nlSig[len(p.nlSig)-1] }

func (p *parser) push(sig bool) { p.nlSig = append(p.nlSig, sig) }
func (p *parser) pop()          { p.nlSig = p.nlSig[:len(p.nlSig)-1] }

// stmts parses statements until the closing token ("}" or "" for EOF); with take, each is
// offered to p.take (see ParseTaking).
func (p *parser) stmts(closing string, take bool) []Stmt {
	var out []Stmt
	for {
		for p.isOp(";") {
			p.next()
		}
		t := p.tok()
		if t.Kind == TokEOF || closing != "" && p.isOp(closing) {
			return out
		}
		if p.isOp("}") || p.isOp(")") || p.isOp("]") {
			// a stray closer at top level cannot happen after checkBrackets; skip defensively
			p.next()
			continue
		}
		if s := p.stmtOrOpaque(); s != nil {
			if take && p.take(p.file, s) {
				s = &Taken{Span: SpanOf(s), N: p.taken}
				p.taken++
			}
			out = append(out, s)
		}
	}
}

// stmtOrOpaque parses one statement; a soft failure keeps its tokens as an Opaque node.
func (p *parser) stmtOrOpaque() (s Stmt) {
	start := p.i
	depth, nl := p.depth, len(p.nlSig)
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		b, ok := r.(bail)
		if !ok || b.hard {
			panic(r)
		}
		p.i, p.depth, p.nlSig = start, depth, p.nlSig[:nl]
		s = p.opaque(b.err.(*convert.PosError).Msg)
	}()
	s = p.stmt()
	p.terminator()
	return s
}

// terminator checks that a statement ends here: ";", a newline, "}" or EOF.
func (p *parser) terminator() {
	t := p.tok()
	switch {
	case t.Kind == TokEOF, t.NL, p.isOp("}"):
	case p.isOp(";"):
		p.next()
	case p.i > 0 && p.at(p.i-1).Kind == TokOp && p.at(p.i-1).Text == "}" && t.Kind == TokIdent && !reserved[t.Text]:
		// a {...} b {...} on one line: Groovy reads a command chain, Jenkinsfile authors mean two statements
	default:
		p.fail("unexpected %s after statement", t)
	}
}

// opaque skips one statement's tokens, balanced, and keeps them as text.
func (p *parser) opaque(reason string) Stmt {
	first := p.tok()
	start := first.Pos
	level := 0
	for n := 0; ; n++ {
		t := p.tok()
		if t.Kind == TokEOF {
			break
		}
		if level == 0 && n > 0 {
			if t.NL && !leadingContinuation(t) || p.isOp("}") || p.isOp(")") || p.isOp("]") {
				break
			}
		}
		if t.Kind == TokOp {
			switch t.Text {
			case "(", "[", "{":
				level++
			case ")", "]", "}":
				level--
			case ";":
				if level == 0 {
					p.next()
					return &Opaque{StmtBase: StmtBase{Span: Span{Pos: start, End: t.Pos.Off}, Comms: first.Comments()}, Reason: reason}
				}
			}
		}
		p.next()
		if level < 0 {
			break
		}
	}
	return &Opaque{StmtBase: StmtBase{Span: p.spanFrom(start), Comms: first.Comments()}, Reason: reason}
}

func leadingContinuation(t *Token) bool {
	if t.Kind != TokOp {
		return false
	}
	switch t.Text {
	case ".", "?.", "*.", ".&", ".@", "?.@", "&&", "||", "?:", "?":
		return true
	}
	return false
}

var modifiers = map[string]bool{"static": true, "final": true, "private": true, "public": true, "protected": true,
	"abstract": true, "synchronized": true, "transient": true, "volatile": true, "native": true, "strictfp": true}

var primitives = map[string]bool{"void": true, "int": true, "long": true, "boolean": true, "double": true,
	"float": true, "char": true, "byte": true, "short": true}

// keywords that never name a value or a command.
var reserved = map[string]bool{"if": true, "else": true, "try": true, "catch": true, "finally": true, "for": true,
	"while": true, "do": true, "switch": true, "case": true, "default": true, "return": true, "throw": true,
	"break": true, "continue": true, "import": true, "package": true, "class": true, "interface": true,
	"enum": true, "trait": true, "def": true, "var": true, "in": true, "instanceof": true, "as": true, "assert": true}

func (p *parser) stmt() Stmt {
	p.enter()
	defer p.leave()
	t := p.tok()
	start := t.Pos
	base := func() StmtBase { return StmtBase{Span: p.spanFrom(start), Comms: t.Comments()} }
	if t.Kind == TokOp && t.Text == "@" {
		return p.annotated()
	}
	if t.Kind == TokOp && t.Text == "{" {
		// a bare block: parse it as a closure expression statement
		x := p.closure("")
		return &ExprStmt{StmtBase: base(), X: x}
	}
	if t.Kind == TokIdent {
		switch t.Text {
		case "if":
			return p.ifStmt()
		case "try":
			return p.tryStmt()
		case "for", "while":
			return p.loop()
		case "do":
			p.next()
			body := p.body()
			if !p.is("while") {
				p.fail("expected while after do body")
			}
			p.next()
			h := p.parenSpan()
			s := &For{Keyword: "do", Header: h, Body: body}
			s.StmtBase = base()
			return s
		case "return", "throw", "break", "continue":
			p.next()
			s := &Jump{Keyword: t.Text}
			if n := p.tok(); !n.NL && n.Kind != TokEOF && !p.isOp("}") && !p.isOp(";") {
				s.X = p.expr(true)
			}
			s.StmtBase = base()
			return s
		case "import", "package":
			p.next()
			for n := p.tok(); n.Kind != TokEOF && !n.NL && !p.isOp(";") && !p.isOp("}"); n = p.tok() {
				p.next()
			}
			return &Opaque{StmtBase: base(), Reason: t.Text}
		case "class", "interface", "enum", "trait", "switch", "synchronized":
			if t.Text != "synchronized" || p.peek(1).Text == "(" {
				return p.skipToBlock(t.Text)
			}
		case "assert":
			return p.opaque("assert")
		case "else", "catch", "finally", "case", "default":
			p.fail("unexpected %q", t.Text)
		}
		if t.Text == "def" || t.Text == "var" || modifiers[t.Text] {
			return p.declaration()
		}
		if p.typeDeclAhead() {
			return p.declaration()
		}
	}
	x := p.expr(true)
	s := &ExprStmt{X: x}
	s.StmtBase = base()
	return s
}

// skipToBlock keeps a class/switch/... declaration as one Opaque node through its closing brace.
func (p *parser) skipToBlock(what string) Stmt {
	t := p.tok()
	for !p.isOp("{") {
		if p.tok().Kind == TokEOF {
			p.fail("expected { in %s", what)
		}
		p.skipBalanced()
	}
	p.skipBalanced()
	return &Opaque{StmtBase: StmtBase{Span: p.spanFrom(t.Pos), Comms: t.Comments()}, Reason: what}
}

// skipBalanced skips one token, or a whole bracketed group when it opens one.
func (p *parser) skipBalanced() {
	level := 0
	for {
		t := p.next()
		if t.Kind == TokEOF {
			return
		}
		if t.Kind == TokOp {
			switch t.Text {
			case "(", "[", "{":
				level++
			case ")", "]", "}":
				level--
			}
		}
		if level <= 0 {
			return
		}
	}
}

// parenSpan consumes ( ... ) and returns the span inside the parentheses.
func (p *parser) parenSpan() Span {
	open := p.expect("(")
	for !p.isOp(")") {
		p.skipBalanced()
	}
	s := Span{Pos: Pos{Off: open.End, Line: open.Line, Col: open.Col + 1}, End: p.tok().Off}
	p.next()
	return s
}

// body parses a braced block or a single statement (if/for/while bodies).
func (p *parser) body() []Stmt {
	if p.isOp("{") {
		p.next()
		p.push(true)
		s := p.stmts("}", false)
		p.pop()
		p.expect("}")
		return s
	}
	if p.isOp(";") {
		p.next()
		return nil
	}
	return []Stmt{p.stmt()}
}

func (p *parser) ifStmt() Stmt {
	p.enter() // else-if chains recurse without brackets
	defer p.leave()
	t := p.next()
	p.expect("(")
	p.push(false)
	cond := p.expr(false)
	p.pop()
	p.expect(")")
	s := &If{Cond: cond, Then: p.body()}
	// else may follow on a later line or after ";"
	j := p.i
	if p.isOp(";") {
		j++
	}
	if p.at(j).Kind == TokIdent && p.at(j).Text == "else" {
		p.i = j + 1
		if p.is("if") {
			s.Else = []Stmt{p.ifStmt()}
		} else {
			s.Else = p.body()
		}
	}
	s.StmtBase = StmtBase{Span: p.spanFrom(t.Pos), Comms: t.Comments()}
	return s
}

func (p *parser) tryStmt() Stmt {
	t := p.next()
	if p.isOp("(") {
		p.parenSpan() // try-with-resources
	}
	s := &Try{Body: p.block()}
	for p.is("catch") {
		c := p.next()
		param := p.parenSpan()
		body := p.block()
		s.Catches = append(s.Catches, CatchClause{Span: p.spanFrom(c.Pos), Param: strings.TrimSpace(string(p.src[param.Off:param.End])), Body: body})
	}
	if p.is("finally") {
		p.next()
		s.Finally = p.block()
		s.HasFinally = true
	}
	if s.Catches == nil && !s.HasFinally {
		p.fail("try without catch or finally")
	}
	s.StmtBase = StmtBase{Span: p.spanFrom(t.Pos), Comms: t.Comments()}
	return s
}

// block parses { stmts }.
func (p *parser) block() []Stmt {
	if !p.isOp("{") {
		p.fail("expected {, found %s", p.tok())
	}
	return p.body()
}

func (p *parser) loop() Stmt {
	t := p.next()
	s := &For{Keyword: t.Text}
	startIdx := p.i
	s.Header = p.parenSpan()
	if t.Text == "for" {
		// for ([Type] x in xs) / for (Type x : xs)
		end := p.i - 1
		j := startIdx + 1
		var names []string
		for j < end && p.at(j).Kind == TokIdent && p.at(j).Text != "in" {
			names = append(names, p.at(j).Text)
			j++
		}
		if len(names) > 0 && len(names) <= 2 && j < end && (p.at(j).Text == "in" || p.at(j).Text == ":") {
			s.Var = names[len(names)-1]
			save := p.i
			p.i = j + 1
			p.push(false)
			func() {
				defer func() {
					if r := recover(); r != nil {
						if b, ok := r.(bail); !ok || b.hard {
							panic(r)
						}
					}
				}()
				if x := p.expr(false); p.i == end {
					s.In = x
				}
			}()
			p.pop()
			p.i = save
		}
	}
	s.Body = p.body()
	s.StmtBase = StmtBase{Span: p.spanFrom(t.Pos), Comms: t.Comments()}
	return s
}

// typeDeclAhead reports whether a declaration with a type starts here: Type[<..>][[]] name (= | ( | end).
func (p *parser) typeDeclAhead() bool { return p.typeDeclName() >= 0 }

// typeDeclName returns the token index of the declared name when a typed declaration starts here, else -1.
func (p *parser) typeDeclName() int {
	j := p.i
	first := p.at(j)
	if first.Kind != TokIdent || reserved[first.Text] {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(first.Text)
	if !primitives[first.Text] && !unicode.IsUpper(r) {
		return -1
	}
	j++
	for p.at(j).Text == "." && p.at(j).Kind == TokOp && p.at(j+1).Kind == TokIdent && !p.at(j).Space {
		j += 2
	}
	if p.at(j).Kind == TokOp && p.at(j).Text == "<" {
		level := 0
		for ; ; j++ {
			tt := p.at(j)
			if tt.Kind == TokEOF || j > p.i+64 { // type arguments are short; bound the look-ahead
				return -1
			}
			switch {
			case tt.Kind == TokOp && tt.Text == "<":
				level++
			case tt.Kind == TokOp && tt.Text == ">":
				level--
			case tt.Kind == TokOp && tt.Text == ">>":
				level -= 2
			case tt.Kind == TokOp && tt.Text == ">>>":
				level -= 3
			case tt.Kind == TokIdent || tt.Kind == TokOp && (tt.Text == "," || tt.Text == "." || tt.Text == "?" || tt.Text == "[" || tt.Text == "]"):
			default:
				return -1
			}
			if level <= 0 {
				j++
				break
			}
		}
	}
	for p.at(j).Text == "[" && p.at(j+1).Text == "]" {
		j += 2
	}
	name := p.at(j)
	if name.Kind != TokIdent || reserved[name.Text] || name.NL {
		return -1
	}
	after := p.at(j + 1)
	if after.Kind == TokEOF || after.NL || after.Kind == TokOp && (after.Text == "=" || after.Text == "(" || after.Text == ";" || after.Text == "}") {
		return j
	}
	return -1
}

// declaration parses def/modifier/typed variable and method declarations.
func (p *parser) declaration() Stmt {
	t := p.tok()
	var typ []string
	for {
		n := p.tok()
		if n.Kind != TokIdent {
			break
		}
		if n.Text == "def" || n.Text == "var" || modifiers[n.Text] {
			typ = append(typ, n.Text)
			p.next()
			continue
		}
		if j := p.typeDeclName(); j >= 0 {
			ts := p.tok().Pos.Off
			p.i = j
			typ = append(typ, strings.TrimSpace(string(p.src[ts:p.prevEnd()])))
		}
		break
	}
	name := p.tok()
	if name.Kind == TokOp && name.Text == "(" {
		// def (a, b) = pair: Name keeps the parenthesised list as written
		names := p.parenSpan()
		d := &VarDecl{Type: strings.Join(typ, " "), Name: "(" + string(p.src[names.Off:names.End]) + ")"}
		p.expect("=")
		d.Value = p.expr(true)
		d.StmtBase = StmtBase{Span: p.spanFrom(t.Pos), Comms: t.Comments()}
		return d
	}
	if name.Kind != TokIdent && name.Kind != TokString {
		p.fail("expected a name in declaration, found %s", name)
	}
	p.next()
	if p.isOp("(") {
		params := p.parenSpan()
		if p.is("throws") {
			for !p.isOp("{") && p.tok().Kind != TokEOF {
				p.next()
			}
		}
		body := p.block()
		fn := name.Text
		if name.Kind == TokString {
			fn = name.Str
		}
		return &FuncDecl{StmtBase: StmtBase{Span: p.spanFrom(t.Pos), Comms: t.Comments()}, Name: fn, Params: params, Body: body}
	}
	s := &VarDecl{Type: strings.Join(typ, " "), Name: name.Text}
	if p.isOp("=") {
		p.next()
		s.Value = p.expr(true)
	}
	if p.isOp(",") {
		p.fail("several declarations in one statement are not modelled")
	}
	s.StmtBase = StmtBase{Span: p.spanFrom(t.Pos), Comms: t.Comments()}
	return s
}

func (p *parser) annotated() Stmt {
	t := p.tok()
	s := &Annotated{}
	for p.isOp("@") {
		a := p.next()
		if p.is("interface") {
			p.i--
			return p.skipToBlock("@interface")
		}
		name := p.qualifiedName()
		an := Annotation{Name: name}
		if p.isOp("(") && !p.tok().Space {
			p.next()
			p.push(false)
			an.Args = p.args(")", true)
			p.pop()
			p.expect(")")
		}
		an.Span = p.spanFrom(a.Pos)
		s.Annotations = append(s.Annotations, an)
	}
	if n := p.tok(); n.Kind != TokEOF && !p.isOp("}") && !p.isOp(";") {
		s.Stmt = p.stmt()
	}
	s.StmtBase = StmtBase{Span: p.spanFrom(t.Pos), Comms: t.Comments()}
	return s
}

func (p *parser) qualifiedName() string {
	if p.tok().Kind != TokIdent {
		p.fail("expected a name, found %s", p.tok())
	}
	name := p.next().Text
	for p.isOp(".") && p.peek(1).Kind == TokIdent {
		p.next()
		name += "." + p.next().Text
	}
	return name
}
