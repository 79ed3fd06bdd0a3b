package model

import (
	"slices"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/jenkins/groovy"
)

// Parse parses a Jenkinsfile. Syntax errors (unbalanced brackets, unterminated strings, binary
// input, nesting limits) are *convert.PosError values; Groovy it cannot model stays as Opaque steps.
// A declarative Pipeline's stages are built as the parser completes each one (ParseTaking),
// so a big file never holds its syntax tree whole.
func Parse(path string, src []byte) (*File, error) {
	f, _, err := parseTaking(path, src)
	return f, err
}

// parseTaking is Parse; taken reports that the stages built while parsing were the model's.
func parseTaking(path string, src []byte) (f *File, taken bool, err error) {
	b := newBuilder(src, true)
	g, err := groovy.ParseTaking(path, src, b.take)
	if err != nil {
		return nil, false, err
	}
	if f := b.file(g); b.resolved == len(b.taken) {
		return f, len(b.taken) > 0, nil
	}
	// a stage was taken where the model does not read a Pipeline's stages: build from the whole tree
	g, err = groovy.Parse(path, src)
	if err != nil {
		return nil, false, err
	}
	return fromAST(g, true), false, nil
}

// FromAST builds the model from a parsed Groovy file.
func FromAST(g *groovy.File) *File { return fromAST(g, false) }

// fromAST is FromAST; consume drops each statement from the tree once its model is built,
// so a big file's tree shrinks while its model grows instead of both being live at once.
func fromAST(g *groovy.File, consume bool) *File { return newBuilder(g.Src, consume).file(g) }

func newBuilder(src []byte, consume bool) *builder {
	b := &builder{consume: consume}
	if len(src) > groovy.MaxFileSize {
		return b // the parse refuses it
	}
	for i, c := range src {
		if c == '\n' {
			b.nl = append(b.nl, int32(i))
		}
	}
	return b
}

// take builds a stage statement ParseTaking offers; Stages finds it by its *groovy.Taken.
func (b *builder) take(g *groovy.File, s groovy.Stmt) bool {
	d := directiveOf(s)
	if d.name != "stage" {
		return false
	}
	b.g = g
	b.taken = append(b.taken, b.stage(d))
	return true
}

// file builds the model of g.
func (b *builder) file(g *groovy.File) *File {
	b.g = g
	f := &File{Path: g.Path, Kind: Scripted, Source: g.Source()}
	stmts := g.Stmts
	if len(stmts) > 0 {
		f.Comments = texts(stmts[0].Comments())
	} else {
		f.Comments = texts(g.Trailing)
	}
	// a header comment (licence, notes) belongs to the file, not to its first statement
	if len(stmts) > 0 && len(f.Comments) > 0 {
		b.skipComments = stmts[0]
	}
	var rest []groovy.Stmt
	for _, s := range stmts {
		if c := pipelineCall(s); c != nil && f.Pipeline == nil {
			f.Kind = Declarative
			f.Pipeline = b.pipeline(c, s)
			continue
		}
		rest = append(rest, s)
	}
	if f.Pipeline == nil {
		// a shared-library step file: def call() { pipeline { ... } }
		for i, s := range rest {
			fn, ok := s.(*groovy.FuncDecl)
			if !ok || fn.Name != "call" {
				continue
			}
			for j, inner := range fn.Body {
				if c := pipelineCall(inner); c != nil {
					f.Kind = Declarative
					f.Pipeline = b.pipeline(c, inner)
					cp := *fn
					cp.Body = append(append([]groovy.Stmt{}, fn.Body[:j]...), fn.Body[j+1:]...)
					if b.skipComments == s {
						b.skipComments = &cp
					}
					rest[i] = &cp
					break
				}
			}
			if f.Pipeline != nil {
				break
			}
		}
	}
	if len(stmts) > 0 {
		f.Tail = texts(g.Trailing)
	}
	f.Script = &Script{Stmts: b.steps(rest, f.Kind == Scripted)}
	b.libraries(f)
	return f
}

type builder struct {
	g            *groovy.File
	nl           []int32 // offsets of '\n' (a file is at most groovy.MaxFileSize bytes)
	skipComments groovy.Stmt
	libs         []Library
	consume      bool // the tree is the builder's own: drop what is built (see fromAST)
	// taken are the stages built while parsing (see take), each until stages finds its
	// *groovy.Taken; resolved counts those found.
	taken    []*Stage
	resolved int
}

// done drops stmts[i] from the tree when the builder consumes it.
func (b *builder) done(stmts []groovy.Stmt, i int) {
	if b.consume {
		stmts[i] = nil
	}
}

// pos converts a byte offset to a 1-based line.
func (b *builder) line(off int32) int {
	i, _ := slices.BinarySearch(b.nl, off)
	return i + 1
}

func (b *builder) text(n groovy.Node) string { return b.g.Text(n) }

func texts(cs []groovy.Comment) []string {
	if len(cs) == 0 {
		return nil
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Text
	}
	return out
}

func (b *builder) comments(s groovy.Stmt) []string {
	if s == b.skipComments {
		return nil
	}
	return texts(s.Comments())
}

// pipelineCall returns the pipeline { } call of a top-level statement, or nil.
func pipelineCall(s groovy.Stmt) *groovy.Call {
	e, ok := s.(*groovy.ExprStmt)
	if !ok {
		return nil
	}
	c, ok := e.X.(*groovy.Call)
	if !ok || callName(c) != "pipeline" || closureArg(c) == nil {
		return nil
	}
	return c
}

func callName(c *groovy.Call) string {
	if id, ok := c.Fn.(*groovy.Ident); ok {
		return id.Name
	}
	return ""
}

// closureArg returns a call's trailing closure, or nil.
func closureArg(c *groovy.Call) *groovy.Closure {
	if n := len(c.Args); n > 0 && c.Args[n-1].Trailing {
		return c.Args[n-1].Value.(*groovy.Closure)
	}
	return nil
}

// plainArgs returns a call's arguments without its trailing closure.
func plainArgs(c *groovy.Call) []groovy.Arg {
	if closureArg(c) != nil {
		return c.Args[:len(c.Args)-1]
	}
	return c.Args
}

// steps converts a statement list. oldStages groups the statements after a body-less
// `stage 'x'` (the deprecated scripted form) into that stage's Body.
func (b *builder) steps(stmts []groovy.Stmt, oldStages bool) []*Step {
	var out []*Step
	var open *Step // the old-form stage collecting statements
	var prev *Step
	for i, s := range stmts {
		st := b.step(s, oldStages)
		b.done(stmts, i)
		if st == nil {
			continue
		}
		if prev != nil {
			// comments on the line where the previous statement ends belong to it
			k := 0
			for _, c := range s.Comments() {
				if int(c.Line) != prev.EndLine {
					break
				}
				k++
			}
			if k > 0 && len(st.Comments) >= k {
				prev.Trailing = append(prev.Trailing, st.Comments[:k]...)
				st.Comments = st.Comments[k:]
				if len(st.Comments) == 0 {
					st.Comments = nil
				}
			}
		}
		prev = st
		if oldStages && st.Kind == Call && st.Name == "stage" && st.Receiver == nil {
			if st.Body == nil && !hasClosure(s) {
				out = append(out, st)
				open = st
				continue
			}
			open = nil
		}
		if open != nil {
			open.Body = append(open.Body, st)
			if st.EndLine > open.EndLine {
				open.EndLine = st.EndLine
			}
			continue
		}
		out = append(out, st)
	}
	return out
}

func hasClosure(s groovy.Stmt) bool {
	if e, ok := s.(*groovy.ExprStmt); ok {
		if c, ok := e.X.(*groovy.Call); ok {
			return closureArg(c) != nil
		}
	}
	return false
}

// step converts one statement.
func (b *builder) step(s groovy.Stmt, scripted bool) *Step {
	sp := groovy.SpanOf(s)
	st := &Step{Line: int(sp.Line), Col: int(sp.Col), EndLine: b.line(max(sp.End-1, sp.Off)), Raw: b.g.SpanText(sp), Comments: b.comments(s)}
	switch s := s.(type) {
	case *groovy.ExprStmt:
		switch x := s.X.(type) {
		case *groovy.Call:
			b.fillCall(st, x, scripted)
			return st
		case *groovy.Ident:
			// a bare name is a no-argument step call (deleteDir, input, checkout in declarative)
			st.Kind, st.Name = Call, x.Name
			return st
		case *groovy.Binary:
			if isAssignOp(x.Op) {
				st.Kind, st.Target, st.Op = Assign, b.text(x.X), x.Op
				v := b.value(x.Y, scripted)
				st.Value = &v
				if v.Kind == CallVal {
					st.Body = []*Step{v.Call}
				}
				return st
			}
		}
		st.Kind = Opaque
	case *groovy.VarDecl:
		st.Kind, st.Target, st.Op = Assign, strings.TrimSpace(s.Type+" "+s.Name), "="
		if s.Value != nil {
			v := b.value(s.Value, scripted)
			st.Value = &v
			if v.Kind == CallVal {
				st.Body = []*Step{v.Call}
			}
		}
	case *groovy.If:
		st.Kind, st.Cond = If, b.text(s.Cond)
		st.Body = b.steps(s.Then, scripted)
		st.Else = b.steps(s.Else, scripted)
	case *groovy.Try:
		st.Kind = Try
		st.Body = b.steps(s.Body, scripted)
		for _, c := range s.Catches {
			st.Catches = append(st.Catches, Catch{Line: int(c.Line), Param: c.Param, Body: b.steps(c.Body, scripted)})
		}
		st.Finally = b.steps(s.Finally, scripted)
	case *groovy.For:
		st.Kind, st.Cond = Loop, b.g.SpanText(s.Header)
		st.Name = s.Keyword
		st.Body = b.steps(s.Body, scripted)
	case *groovy.FuncDecl:
		st.Kind, st.Name = Func, s.Name
		for _, p := range splitTopLevel(b.g.SpanText(s.Params)) {
			name, def, _ := strings.Cut(p, "=")
			if f := strings.Fields(name); len(f) > 0 {
				st.Params = append(st.Params, f[len(f)-1])
				st.Defaults = append(st.Defaults, strings.TrimSpace(def))
			}
		}
		st.Body = b.steps(s.Body, scripted)
	case *groovy.Annotated:
		for _, a := range s.Annotations {
			if a.Name == "Library" || strings.HasSuffix(a.Name, ".Library") {
				b.annotationLibs(a)
			}
		}
		if s.Stmt == nil {
			return nil
		}
		if id, ok := s.Stmt.(*groovy.ExprStmt); ok {
			if x, ok := id.X.(*groovy.Ident); ok && x.Name == "_" {
				return nil
			}
		}
		inner := b.step(s.Stmt, scripted)
		if inner != nil {
			inner.Raw, inner.Line, inner.Col, inner.Comments = st.Raw, st.Line, st.Col, st.Comments
		}
		return inner
	case *groovy.Jump:
		// return/throw stay opaque; the value is kept so calls inside it are still found
		st.Kind = Opaque
		if s.X != nil {
			v := b.value(s.X, scripted)
			st.Value = &v
		}
	default:
		st.Kind = Opaque
	}
	return st
}

func isAssignOp(op string) bool {
	switch op {
	case "=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "^=", "|=", "?=":
		return true
	}
	return false
}

// fillCall sets a Call step's name, receiver, arguments and closure body.
func (b *builder) fillCall(st *Step, c *groovy.Call, scripted bool) {
	st.Kind = Call
	switch fn := c.Fn.(type) {
	case *groovy.Ident:
		st.Name = fn.Name
	case *groovy.Prop:
		st.Name = fn.Name
		r := b.value(fn.X, scripted)
		st.Receiver = &r
	default:
		st.Name = b.text(c.Fn)
	}
	for _, a := range plainArgs(c) {
		st.Args = append(st.Args, Arg{Name: a.Name, Value: b.value(a.Value, scripted)})
	}
	if cl := closureArg(c); cl != nil {
		st.Body = b.steps(cl.Body, scripted)
		st.Params = cl.Params
		st.Tail = texts(cl.Tail)
		if st.Body == nil {
			st.Body = []*Step{}
		}
	}
	if st.Name == "library" && st.Receiver == nil {
		b.stepLib(st)
	}
	if st.Receiver != nil && st.Body != nil && iterators[st.Name] {
		st.Kind, st.Cond = Loop, st.Receiver.Raw
	}
}

// iterators are the Groovy methods that run their closure once per element.
var iterators = map[string]bool{"each": true, "eachWithIndex": true, "times": true, "forEach": true, "eachLine": true, "upto": true, "step": true}

// value converts an expression without evaluating it.
func (b *builder) value(x groovy.Expr, scripted bool) Value {
	sp := groovy.SpanOf(x)
	v := Value{Line: int(sp.Line), Col: int(sp.Col), Raw: b.g.SpanText(sp), Kind: Expr}
	switch x := x.(type) {
	case *groovy.Literal:
		t := x.Tok
		switch t.Kind {
		case groovy.TokString:
			v.Quote = t.Quote
			if t.Parts == nil {
				v.Kind, v.Str = String, t.Str
				break
			}
			v.Kind = GString
			v.Str = t.Text[len(t.Quote) : len(t.Text)-closeLen(t.Quote)]
			for _, p := range t.Parts {
				v.Parts = append(v.Parts, Part{Lit: p.Lit, Expr: p.Expr})
			}
		case groovy.TokNumber:
			v.Kind, v.Str = Number, t.Text
		case groovy.TokIdent:
			if t.Text == "null" {
				v.Kind = Null
			} else {
				v.Kind, v.Str = Bool, t.Text
			}
		}
	case *groovy.ListLit:
		v.Kind = List
		v.List = []Value{}
		for _, e := range x.Elems {
			v.List = append(v.List, b.value(e, scripted))
		}
	case *groovy.MapLit:
		v.Kind = Map
		v.Map = []Arg{}
		for _, e := range x.Entries {
			v.Map = append(v.Map, Arg{Name: e.Key, Value: b.value(e.Value, scripted)})
		}
	case *groovy.Closure:
		v.Kind = Closure
		v.Body = b.steps(x.Body, scripted)
		v.Params = x.Params
		v.Str = strings.TrimSpace(b.g.SpanText(x.Inner))
	case *groovy.Call:
		v.Kind = CallVal
		st := &Step{Line: int(sp.Line), Col: int(sp.Col), EndLine: b.line(max(sp.End-1, sp.Off)), Raw: v.Raw}
		b.fillCall(st, x, scripted)
		v.Call = st
	case *groovy.Paren:
		inner := b.value(x.X, scripted)
		if inner.Kind != Expr && inner.Kind != CallVal {
			inner.Raw, inner.Line, inner.Col = v.Raw, v.Line, v.Col
			return inner
		}
	case *groovy.Unary:
		// -1 is a number literal
		if lit, ok := x.X.(*groovy.Literal); ok && x.Op == "-" && lit.Tok.Kind == groovy.TokNumber {
			v.Kind, v.Str = Number, "-"+lit.Tok.Text
		}
	}
	return v
}

func closeLen(quote string) int {
	if quote == "$/" {
		return 2
	}
	return len(quote)
}

// splitTopLevel splits a parameter list at the commas outside quotes and brackets, so a
// default value like 'a,b' or [1, 2] stays whole.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == '\\' {
				i++
			} else if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '(' || ch == '[' || ch == '{':
			depth++
		case ch == ')' || ch == ']' || ch == '}':
			depth--
		case ch == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
