package groovy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"unclosed brace", "node {\n  sh 'x'\n", `f:1:6: unbalanced "{": never closed`},
		{"extra brace", "node {\n}\n}\n", `f:3:1: unbalanced "}": nothing to close`},
		{"crossed brackets", "foo(a]\n", `f:1:6: unbalanced "]": "(" opened at 1:4 is still open`},
		{"unterminated single", "sh 'abc\n", `f:1:4: unterminated string (newline in a ' string)`},
		{"unterminated double at EOF", `echo "abc`, `f:1:6: unterminated string`},
		{"unterminated triple", "sh '''\nabc\n", `f:1:4: unterminated string`},
		{"unterminated gstring triple", "sh \"\"\"\n${x}\n", `f:1:4: unterminated string`},
		{"unterminated interpolation", `echo "${x"`, `f:1:10: unterminated string`},
		{"interpolation never closed", "echo \"${x\n", `f:1:7: unterminated ${ interpolation`},
		{"unterminated slashy", "def r = ~/abc\n", `f:1:10: unterminated slashy string`},
		{"unterminated dollar slashy", "def r = $/abc/\n", `f:1:9: unterminated $/ string`},
		{"unterminated comment", "node {}\n/* open", `f:2:1: unterminated /* comment`},
		{"binary", "pipeline {\x00\x01}", `f:1:11: binary file: NUL byte`},
		{"invalid utf8", "echo 'a'\n\xff\xfe", `f:2:1: binary file: invalid UTF-8`},
		{"bad character", "echo 'a'\n`x`", "f:2:1: unexpected character '`'"},
		{"deep closures", strings.Repeat("a {\n", 10000) + strings.Repeat("}\n", 10000), `f:513:3: nesting deeper than 512 levels`},
		{"deep parens", strings.Repeat("(", 10000) + "x" + strings.Repeat(")", 10000), `f:1:513: nesting deeper than 512 levels`},
		{"deep unary", "x = " + strings.Repeat("!", 10000) + "y", `f:1:2050: nesting deeper than 2048 levels`},
		{"long property chain", "x" + strings.Repeat(".y", 100000), `f:1:1028: call or property chain longer than 512`},
		{"long call chain", "x" + strings.Repeat("()", 100000), `f:1:1028: call or property chain longer than 512`},
		{"long else-if chain", strings.Repeat("if (a) b else ", 100000) + "c", `f:1:28624: nesting deeper than 2048 levels`},
		{"deep interpolation", strings.Repeat(`"${`, 600) + strings.Repeat(`}"`, 600), `f:1:1538: strings nested more than 512 levels deep`},
		// the parser reads tokens as it goes: a lex or bracket error chunks after a parse error still wins, as when checked first
		{"bracket error after a parse error", "x" + strings.Repeat(".y", 600) + "\n" + strings.Repeat("a = 1\n", 2000) + "}\n", `f:2002:1: unbalanced "}": nothing to close`},
		{"lex error after a parse error", "x" + strings.Repeat(".y", 600) + "\n" + strings.Repeat("a = 1\n", 2000) + "`", "f:2002:1: unexpected character '`'"},
		{"lex error after a bracket error", "}\n" + strings.Repeat("a = 1\n", 2000) + "`", "f:2002:1: unexpected character '`'"},
		{"never closed after a parse error", "x" + strings.Repeat(".y", 600) + "\nnode {\n" + strings.Repeat("a = 1\n", 2000), `f:2:6: unbalanced "{": never closed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f", []byte(c.src))
			if err == nil {
				t.Fatalf("no error, want %s", c.want)
			}
			var pe *convert.PosError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *convert.PosError: %v", err, err)
			}
			if err.Error() != c.want {
				t.Errorf("got  %s\nwant %s", err, c.want)
			}
		})
	}
}

// TestParseBigSingleLine: a 1 MB file on one line parses without recursion trouble.
func TestParseBigSingleLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("node { ")
	for b.Len() < 1<<20 {
		b.WriteString("sh 'make all'; echo \"${x} + y\"; def v = [a: 1, b: [2, 3]] + z * 2; ")
	}
	b.WriteString("}")
	f, err := Parse("big", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Stmts[0].(*ExprStmt).X.(*Call)
	body := c.Args[0].Value.(*Closure).Body
	if len(body) < 30000 {
		t.Errorf("got %d statements", len(body))
	}
	for _, s := range body {
		if o, ok := s.(*Opaque); ok {
			t.Fatalf("opaque statement %q: %s", f.Text(o), o.Reason)
		}
	}
	// a long left-associative chain is a loop, not recursion
	long := "x = a" + strings.Repeat(" + a", 200000)
	if _, err := Parse("chain", []byte(long)); err != nil {
		t.Fatal(err)
	}
}

// TestOpaqueKeepsRest: a statement the parser cannot model is kept as text and the next one parses.
func TestOpaqueKeepsRest(t *testing.T) {
	src := "def a = 1, b = 2\nsh 'after'\nassert x == 1; echo 'y'\n"
	f, err := Parse("f", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range f.Stmts {
		switch s := s.(type) {
		case *Opaque:
			got = append(got, "opaque "+f.Text(s))
		case *ExprStmt:
			got = append(got, "expr "+f.Text(s))
		}
	}
	want := []string{"opaque def a = 1, b = 2", "expr sh 'after'", "opaque assert x == 1", "expr echo 'y'"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/lex/*.groovy")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"pipeline { agent any\n stages { stage('a') { steps { sh 'x' } } } }",
		"node('x') { stage 'b'\n docker.image('m').inside('-v a:b') { sh \"${y}\" } }",
		"@Library('l@v') _\ndef f(a, b = 1) { try { a() } catch (e) { throw e } finally { b } }",
		"parallel a: { echo 'x' }, b: { echo \"$y\" }, failFast: true",
		"def m = [k: 'v', (x): [1, 2], 'q': [:]]; for (i in 0..<3) { println i }",
		"x = a ? b ?: c : d?.e*.f", "/re/ + $/ds/$", "\"${\"${x}\"}\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("fuzz", src)
		if err != nil {
			var pe *convert.PosError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		for _, s := range file.Stmts {
			sp := SpanOf(s)
			if sp.Off < 0 || int(sp.End) > len(src) || sp.Off > sp.End {
				t.Fatalf("bad span %+v", sp)
			}
		}
	})
}
