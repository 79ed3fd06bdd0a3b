package groovy

import (
	"unicode"
	"unicode/utf8"
)

// binary operator precedences; higher binds tighter. Assignment (1) is right-associative.
var binPrec = map[string]int{
	"=": 1, "+=": 1, "-=": 1, "*=": 1, "/=": 1, "%=": 1, "**=": 1, "<<=": 1, ">>=": 1, ">>>=": 1, "&=": 1,
	"^=": 1, "|=": 1, "?=": 1,
	"||": 3, "&&": 4, "|": 5, "^": 6, "&": 7,
	"==": 8, "!=": 8, "<=>": 8, "===": 8, "!==": 8, "=~": 8, "==~": 8,
	"<": 9, "<=": 9, ">": 9, ">=": 9, "in": 9, "instanceof": 9, "!in": 9, "!instanceof": 9, "as": 9,
	"<<": 10, ">>": 10, ">>>": 10, "..": 10, "..<": 10,
	"+": 11, "-": 11, "*": 12, "/": 12, "%": 12, "**": 13,
}

const ternaryPrec = 2

// expr parses a full expression. cmd allows a command call (method call without parentheses) at its head.
func (p *parser) expr(cmd bool) Expr { return p.binary(1, cmd) }

// opPrec returns the precedence of the binary operator at the current token, or 0.
func (p *parser) opPrec() int {
	t := p.tok()
	switch t.Kind {
	case TokOp:
		if t.Text == "?" || t.Text == "?:" {
			return ternaryPrec
		}
		return binPrec[t.Text]
	case TokIdent:
		switch t.Text {
		case "in", "instanceof", "as":
			return binPrec[t.Text]
		}
	}
	return 0
}

func (p *parser) binary(min int, cmd bool) Expr {
	p.enter()
	defer p.leave()
	x := p.unary(cmd)
	for {
		t := p.tok()
		prec := p.opPrec()
		if prec == 0 || prec < min {
			return x
		}
		if t.NL && p.sig() && !leadingContinuation(t) {
			return x
		}
		start := SpanOf(x).Pos
		if prec == ternaryPrec {
			p.next()
			var then Expr
			if t.Text == "?" {
				p.push(false)
				then = p.binary(ternaryPrec, false)
				p.pop()
				p.expect(":")
			}
			els := p.binary(ternaryPrec, false)
			x = &Ternary{Span: p.spanFrom(start), Cond: x, Then: then, Else: els}
			continue
		}
		p.next()
		var y Expr
		switch {
		case prec == 1:
			y = p.binary(1, cmd)
		case t.Text == "**":
			y = p.binary(prec, false)
		default:
			y = p.binary(prec+1, false)
		}
		x = &Binary{Span: p.spanFrom(start), Op: t.Text, X: x, Y: y}
	}
}

func (p *parser) unary(cmd bool) Expr {
	p.enter()
	defer p.leave()
	t := p.tok()
	if t.Kind == TokOp {
		switch t.Text {
		case "!", "-", "+", "~", "++", "--", "*", "**":
			p.next()
			x := p.unary(false)
			return &Unary{Span: p.spanFrom(t.Pos), Op: t.Text, X: x}
		case "(":
			// (Type) x is a cast: keep it opaque with its operand
			if p.peek(1).Kind == TokIdent && p.peek(2).Kind == TokOp && p.peek(2).Text == ")" && isTypeName(p.peek(1).Text) && startsOperand(p.peek(3)) {
				p.i += 3
				p.unary(false)
				return &OpaqueExpr{Span: p.spanFrom(t.Pos)}
			}
		}
	}
	return p.postfix(cmd)
}

func isTypeName(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return primitives[s] || unicode.IsUpper(r)
}

// startsOperand reports whether t can begin an operand (for cast detection).
func startsOperand(t *Token) bool {
	switch t.Kind {
	case TokIdent:
		return !reserved[t.Text]
	case TokNumber, TokString:
		return true
	case TokOp:
		return t.Text == "(" || t.Text == "[" || t.Text == "!"
	}
	return false
}

// isPath reports whether x is a name or a chain of property accesses on a name.
func isPath(x Expr) bool {
	switch x := x.(type) {
	case *Ident:
		return true
	case *Prop:
		return isPath(x.X) || isCallChain(x.X)
	}
	return false
}

// isCallChain reports whether x is a call or property chain (docker.image('x'), a.b().c).
func isCallChain(x Expr) bool {
	switch x := x.(type) {
	case *Call:
		return isPath(x.Fn) || isCallChain(x.Fn)
	case *Prop:
		return isPath(x) || isCallChain(x.X)
	case *Ident:
		return true
	}
	return false
}

func (p *parser) postfix(cmd bool) Expr {
	x := p.primary()
	start := SpanOf(x).Pos
	for n := 0; ; n++ {
		if n > MaxDepth {
			// chains nest in the tree: keep them as shallow as bracket nesting
			p.hardFail("call or property chain longer than %d", MaxDepth)
		}
		t := p.tok()
		if t.Kind == TokOp {
			switch t.Text {
			case ".", "?.", "*.", ".&", ".@", "?.@", "::":
				if t.NL && !leadingContinuation(t) {
					return x
				}
				p.next()
				n := p.tok()
				var name string
				switch n.Kind {
				case TokIdent, TokNumber:
					name = n.Text
				case TokString:
					name = n.Str
					if n.Parts != nil {
						name = n.Text
					}
				default:
					if n.Kind == TokOp && (n.Text == "<" || n.Text == "(") {
						p.fail("generic or dynamic method call is not modelled")
					}
					p.fail("expected a name after %q, found %s", t.Text, n)
				}
				p.next()
				x = &Prop{Span: p.spanFrom(start), X: x, Op: t.Text, Name: name}
				continue
			case "(":
				if t.NL && p.sig() {
					return x
				}
				p.next()
				p.push(false)
				args := p.args(")", false)
				p.pop()
				p.expect(")")
				x = &Call{Span: p.spanFrom(start), Fn: x, Args: args, Parens: true}
				x = p.trailingClosures(x.(*Call), start)
				continue
			case "[":
				if t.NL && p.sig() || t.Space && cmd && isPath(x) {
					break
				}
				p.next()
				p.push(false)
				var idx []Expr
				for !p.isOp("]") {
					idx = append(idx, p.expr(false))
					if !p.isOp(",") {
						break
					}
					p.next()
				}
				p.pop()
				p.expect("]")
				x = &Index{Span: p.spanFrom(start), X: x, Index: idx}
				continue
			case "{":
				// a closure after a name or method name is its last argument: x.each { }, [..].collect { }
				if _, isProp := x.(*Prop); (isPath(x) || isProp) && (!t.NL || !p.sig() || isIdent(x)) {
					c := &Call{Span: p.spanFrom(start), Fn: x}
					x = p.trailingClosures(c, start)
					continue
				}
			case "++", "--":
				if !t.NL {
					p.next()
					x = &Unary{Span: p.spanFrom(start), Op: t.Text, X: x, Postfix: true}
					continue
				}
			}
		}
		if cmd && isPath(x) && p.startsCommandArg() {
			return p.commandCall(x, start)
		}
		return x
	}
}

func isIdent(x Expr) bool { _, ok := x.(*Ident); return ok }

// trailingClosures attaches closures written after a call: f(a) { }, f { } { }.
func (p *parser) trailingClosures(c *Call, start Pos) Expr {
	for p.isOp("{") {
		t := p.tok()
		if t.NL && p.sig() && !(c.Parens || isIdent(c.Fn)) {
			break
		}
		owner := ""
		if id, ok := c.Fn.(*Ident); ok {
			owner = id.Name
		}
		cl := p.closure(owner)
		c.Args = append(c.Args, Arg{Value: cl, Trailing: true})
		c.Span = p.spanFrom(start)
	}
	return c
}

// startsCommandArg reports whether the current token begins the argument list of a command call
// such as sh 'x', echo env.X, agent any, sh script: 'x'.
func (p *parser) startsCommandArg() bool {
	t := p.tok()
	if t.NL {
		return false
	}
	switch t.Kind {
	case TokString, TokNumber:
		return true
	case TokIdent:
		return !reserved[t.Text]
	case TokOp:
		switch t.Text {
		case "[":
			return t.Space
		case "-", "!":
			// sleep -1 reads as subtraction in Groovy too; only a spaced ! on its own starts an argument
			return t.Text == "!" && t.Space
		}
	}
	return false
}

// commandCall parses the arguments of a call without parentheses and its trailing closure.
func (p *parser) commandCall(fn Expr, start Pos) Expr {
	c := &Call{Fn: fn}
	for {
		c.Args = append(c.Args, p.arg(false))
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	c.Span = p.spanFrom(start)
	if p.isOp("{") && !p.tok().NL {
		return p.trailingClosures(c, start)
	}
	return c
}

// args parses call arguments up to the closing token. annotation allows name = value.
func (p *parser) args(closing string, annotation bool) []Arg {
	var out []Arg
	for !p.isOp(closing) {
		if p.tok().Kind == TokEOF {
			p.fail("expected %q", closing)
		}
		out = append(out, p.arg(annotation))
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	return out
}

// arg parses one argument: name: value, 'str': value, (expr): value, or a positional expression.
func (p *parser) arg(annotation bool) Arg {
	t := p.tok()
	sep := ":"
	if annotation {
		sep = "="
	}
	if n := p.peek(1); n.Kind == TokOp && n.Text == sep && (t.Kind == TokIdent || t.Kind == TokString || t.Kind == TokNumber) {
		name := t.Text
		var key Expr
		if t.Kind == TokString {
			name = t.Str
			if t.Parts != nil {
				name = t.Text
			}
			key = &Literal{Span: Span{Pos: t.Pos, End: t.End}, Tok: *t}
		}
		p.i += 2
		return Arg{Name: name, NameExpr: key, Value: p.expr(false)}
	}
	x := p.expr(false)
	if p.isOp(":") && !annotation {
		if par, ok := x.(*Paren); ok {
			p.next()
			return Arg{Name: string(p.src[par.Off:par.End]), NameExpr: par, Value: p.expr(false)}
		}
	}
	return Arg{Value: x}
}

func (p *parser) primary() Expr {
	t := p.tok()
	sp := func() Span { return Span{Pos: t.Pos, End: t.End} }
	switch t.Kind {
	case TokNumber, TokString:
		p.next()
		return &Literal{Span: sp(), Tok: *t}
	case TokIdent:
		switch t.Text {
		case "true", "false", "null":
			p.next()
			return &Literal{Span: sp(), Tok: *t}
		case "new":
			return p.newExpr()
		}
		if reserved[t.Text] && t.Text != "def" {
			p.fail("unexpected %q", t.Text)
		}
		p.next()
		return &Ident{Span: sp(), Name: t.Text}
	case TokOp:
		switch t.Text {
		case "(":
			p.next()
			p.push(false)
			x := p.expr(false)
			p.pop()
			p.expect(")")
			return &Paren{Span: p.spanFrom(t.Pos), X: x}
		case "[":
			return p.listOrMap()
		case "{":
			return p.closure("")
		}
	case TokEOF:
		p.fail("unexpected end of file")
	}
	p.fail("unexpected %s", t)
	return nil
}

func (p *parser) newExpr() Expr {
	t := p.next()
	ts := p.tok().Off
	p.qualifiedName()
	if p.isOp("<") {
		level := 0
		for {
			n := p.next()
			if n.Kind == TokEOF {
				p.fail("unterminated type arguments")
			}
			switch n.Text {
			case "<":
				level++
			case ">":
				level--
			case ">>":
				level -= 2
			}
			if level <= 0 {
				break
			}
		}
	}
	typ := string(p.src[ts:p.prevEnd()])
	n := &New{Type: typ}
	switch {
	case p.isOp("("):
		p.next()
		p.push(false)
		n.Args = p.args(")", false)
		p.pop()
		p.expect(")")
		if p.isOp("{") && !p.tok().NL {
			p.skipBalanced() // anonymous class body
		}
	case p.isOp("["):
		for p.isOp("[") {
			p.skipBalanced()
		}
		if p.isOp("{") {
			p.skipBalanced()
		}
	}
	n.Span = p.spanFrom(t.Pos)
	return n
}

func (p *parser) listOrMap() Expr {
	t := p.next()
	p.push(false)
	defer p.pop()
	if p.isOp("]") {
		p.next()
		return &ListLit{Span: p.spanFrom(t.Pos)}
	}
	if p.isOp(":") && p.peek(1).Kind == TokOp && p.peek(1).Text == "]" {
		p.i += 2
		return &MapLit{Span: p.spanFrom(t.Pos)}
	}
	var list []Expr
	var entries []MapEntry
	isMap := false
	for n := 0; !p.isOp("]"); n++ {
		if p.isOp("*:") || p.isOp("*") && p.peek(1).Text == ":" {
			p.fail("map spread is not modelled")
		}
		k := p.tok()
		var key Expr
		if (k.Kind == TokIdent || k.Kind == TokString || k.Kind == TokNumber) && p.peek(1).Kind == TokOp && p.peek(1).Text == ":" {
			key = &Literal{Span: Span{Pos: k.Pos, End: k.End}, Tok: *k}
			p.next()
		} else {
			key = p.expr(false)
		}
		if p.isOp(":") {
			if n > 0 && !isMap {
				p.fail("mixed list and map literal")
			}
			isMap = true
			p.next()
			entries = append(entries, MapEntry{Key: p.keyText(key), KeyExpr: key, Value: p.expr(false)})
		} else {
			if isMap {
				p.fail("expected key: value in map literal")
			}
			list = append(list, key)
		}
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	p.expect("]")
	if isMap {
		return &MapLit{Span: p.spanFrom(t.Pos), Entries: entries}
	}
	return &ListLit{Span: p.spanFrom(t.Pos), Elems: list}
}

// keyText is the string a map key stands for: identifiers and strings by value, others as written.
func (p *parser) keyText(k Expr) string {
	if lit, ok := k.(*Literal); ok {
		switch lit.Tok.Kind {
		case TokIdent, TokNumber:
			return lit.Tok.Text
		case TokString:
			if lit.Tok.Parts == nil {
				return lit.Tok.Str
			}
		}
	}
	s := SpanOf(k)
	return string(p.src[s.Off:s.End])
}

// closure parses { [params ->] stmts }; owner is the name of the call it is the last argument
// of, or "".
func (p *parser) closure(owner string) *Closure {
	take := false
	if p.take != nil {
		n := len(p.owners)
		take = n == 1 && p.owners[0] == "pipeline" && owner == "stages"
		p.owners = append(p.owners, owner)
		defer func() { p.owners = p.owners[:n] }() // on a soft failure's unwind too
	}
	open := p.expect("{")
	c := &Closure{}
	if params, ok := p.closureParams(); ok {
		c.Params, c.Arrow = params, true
	}
	innerStart := p.tok().Off
	if c.Arrow {
		innerStart = p.prevEnd()
	}
	p.push(true)
	c.Body = p.stmts("}", take)
	p.pop()
	end := p.tok()
	c.Tail = end.Comments()
	c.Inner = Span{Pos: Pos{Off: open.End, Line: open.Line, Col: open.Col + 1}, End: end.Off}
	if c.Arrow {
		c.Inner.Off = innerStart
	}
	p.expect("}")
	c.Span = p.spanFrom(open.Pos)
	return c
}

// closureParams consumes "a, b ->" (types and defaults allowed) when present.
func (p *parser) closureParams() ([]string, bool) {
	j := p.i
	var names []string
	for n := 0; n < 64; n++ {
		t := p.at(j)
		switch {
		case t.Kind == TokOp && t.Text == "->":
			p.i = j + 1
			return names, true
		case t.Kind == TokIdent:
			if len(names) == 0 || p.at(j-1).Text == "," {
				names = append(names, t.Text)
			} else {
				names[len(names)-1] = t.Text // Type name: keep the name
			}
		case t.Kind == TokOp && (t.Text == "," || t.Text == "." || t.Text == "<" || t.Text == ">" || t.Text == "[" || t.Text == "]"):
		default:
			return nil, false
		}
		j++
	}
	return nil, false
}
