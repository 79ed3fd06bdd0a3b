package groovy

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// astDumper renders a syntax tree as an indented outline with positions.
type astDumper struct {
	f *File
	b strings.Builder
}

func (d *astDumper) line(depth int, format string, args ...any) {
	d.b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

func (d *astDumper) stmts(depth int, ss []Stmt) {
	for _, s := range ss {
		d.stmt(depth, s)
	}
}

func (d *astDumper) stmt(depth int, s Stmt) {
	for _, c := range s.Comments() {
		d.line(depth, "comment %q", c.Text)
	}
	sp := SpanOf(s)
	at := fmt.Sprintf("@%d:%d", sp.Line, sp.Col)
	switch s := s.(type) {
	case *ExprStmt:
		d.line(depth, "expr %s", at)
		d.expr(depth+1, s.X)
	case *VarDecl:
		d.line(depth, "var %q %s %s", s.Type, s.Name, at)
		if s.Value != nil {
			d.expr(depth+1, s.Value)
		}
	case *If:
		d.line(depth, "if %s", at)
		d.expr(depth+1, s.Cond)
		d.line(depth, "then")
		d.stmts(depth+1, s.Then)
		if s.Else != nil {
			d.line(depth, "else")
			d.stmts(depth+1, s.Else)
		}
	case *Try:
		d.line(depth, "try %s", at)
		d.stmts(depth+1, s.Body)
		for _, c := range s.Catches {
			d.line(depth, "catch (%s)", c.Param)
			d.stmts(depth+1, c.Body)
		}
		if s.HasFinally {
			d.line(depth, "finally")
			d.stmts(depth+1, s.Finally)
		}
	case *For:
		d.line(depth, "%s (%s) var=%q %s", s.Keyword, d.f.SpanText(s.Header), s.Var, at)
		if s.In != nil {
			d.expr(depth+1, s.In)
		}
		d.stmts(depth+1, s.Body)
	case *Jump:
		d.line(depth, "%s %s", s.Keyword, at)
		if s.X != nil {
			d.expr(depth+1, s.X)
		}
	case *FuncDecl:
		d.line(depth, "func %s(%s) %s", s.Name, d.f.SpanText(s.Params), at)
		d.stmts(depth+1, s.Body)
	case *Annotated:
		for _, a := range s.Annotations {
			d.line(depth, "@%s %s", a.Name, at)
			d.args(depth+1, a.Args)
		}
		if s.Stmt != nil {
			d.stmt(depth+1, s.Stmt)
		}
	case *Opaque:
		d.line(depth, "opaque(%s) %q %s", s.Reason, d.f.Text(s), at)
	}
}

func (d *astDumper) args(depth int, args []Arg) {
	for _, a := range args {
		switch {
		case a.Name != "":
			d.line(depth, "%s:", a.Name)
			d.expr(depth+1, a.Value)
		case a.Trailing:
			d.line(depth, "trailing:")
			d.expr(depth+1, a.Value)
		default:
			d.expr(depth, a.Value)
		}
	}
}

func (d *astDumper) expr(depth int, x Expr) {
	switch x := x.(type) {
	case *Ident:
		d.line(depth, "ident %s", x.Name)
	case *Literal:
		d.line(depth, "lit %s", x.Tok)
	case *ListLit:
		d.line(depth, "list")
		for _, e := range x.Elems {
			d.expr(depth+1, e)
		}
	case *MapLit:
		d.line(depth, "map")
		for _, e := range x.Entries {
			d.line(depth+1, "%q:", e.Key)
			d.expr(depth+2, e.Value)
		}
	case *Closure:
		d.line(depth, "closure params=%q arrow=%v", x.Params, x.Arrow)
		d.stmts(depth+1, x.Body)
		for _, c := range x.Tail {
			d.line(depth+1, "tail comment %q", c.Text)
		}
	case *Call:
		d.line(depth, "call parens=%v", x.Parens)
		d.expr(depth+1, x.Fn)
		d.args(depth+1, x.Args)
	case *Prop:
		d.line(depth, "prop %s%s", x.Op, x.Name)
		d.expr(depth+1, x.X)
	case *Index:
		d.line(depth, "index")
		d.expr(depth+1, x.X)
		for _, e := range x.Index {
			d.expr(depth+1, e)
		}
	case *Binary:
		d.line(depth, "binary %s", x.Op)
		d.expr(depth+1, x.X)
		d.expr(depth+1, x.Y)
	case *Unary:
		d.line(depth, "unary %s postfix=%v", x.Op, x.Postfix)
		d.expr(depth+1, x.X)
	case *Ternary:
		d.line(depth, "ternary")
		d.expr(depth+1, x.Cond)
		if x.Then != nil {
			d.expr(depth+1, x.Then)
		} else {
			d.line(depth+1, "(elvis)")
		}
		d.expr(depth+1, x.Else)
	case *Paren:
		d.line(depth, "paren")
		d.expr(depth+1, x.X)
	case *New:
		d.line(depth, "new %s", x.Type)
		d.args(depth+1, x.Args)
	case *OpaqueExpr:
		d.line(depth, "opaque-expr %q", d.f.Text(x))
	}
}

func TestParseGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/parse/*.groovy")
	if len(files) == 0 {
		t.Fatal("no parser inputs")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(filepath.Base(path), src)
			if err != nil {
				t.Fatal(err)
			}
			d := &astDumper{f: f}
			d.stmts(0, f.Stmts)
			for _, c := range f.Trailing {
				d.line(0, "trailing comment %q", c.Text)
			}
			golden(t, "parse/"+strings.TrimSuffix(filepath.Base(path), ".groovy")+".ast", d.b.String())
		})
	}
}
