package groovy

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// streamInputs are the lexer's test inputs, the corpus Jenkinsfiles and one big file that
// spans many chunks.
func streamInputs(t *testing.T) map[string][]byte {
	in := map[string][]byte{}
	var paths []string
	for _, g := range []string{"testdata/lex/*.groovy", "testdata/parse/*.groovy", "../../../shared/corpus/jenkinsfile/*", "../../../shared/corpus/jenkins-declarative/*"} {
		m, _ := filepath.Glob(g)
		paths = append(paths, m...)
	}
	for _, p := range paths {
		if strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".tokens") {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			in[p] = b
		}
	}
	var b strings.Builder
	b.WriteString("#!groovy\npipeline {\n  stages {\n")
	for i := 0; i < 3000; i++ {
		b.WriteString("    // stage " + strings.Repeat("x", i%7) + "\n    stage(\"s${i}\") { steps { sh '''echo /a/''' ; x = y / 2 ; r = ~/re/ } }\n")
	}
	b.WriteString("  }\n}\n// tail\n")
	in["big"] = []byte(b.String())
	// five tokens a line: chunks start at every token of it, division and regex ones included
	in["divisions"] = []byte(strings.Repeat("x = y / 2 // c\n", 3000) + strings.Repeat("x = /y/ + 2\n", 3000))
	return in
}

// TestStreamMatchesLex: the parser's stream gives the tokens Lex gives, in any access order,
// however often a dropped chunk is lexed again.
func TestStreamMatchesLex(t *testing.T) {
	inputs := streamInputs(t)
	if len(inputs) < 10 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	for name, src := range inputs {
		want, err := Lex(name, src)
		if err != nil {
			continue // error inputs are TestParseErrors' cases
		}
		lx, err := newLexer(name, src)
		if err != nil {
			t.Fatal(err)
		}
		s := newStream(lx)
		n := len(want)
		var order []int
		for i := 0; i < n+3; i++ { // forward, and past the end (EOF)
			order = append(order, i)
		}
		for i := n - 1; i >= 0; i-- { // backward: every chunk but the last is lexed again
			order = append(order, i)
		}
		for i := 0; i < n; i += 997 { // jumps across chunks
			order = append(order, i, n-1-i)
		}
		for _, i := range order {
			got, w := s.at(i), &want[min(i, n-1)]
			if !reflect.DeepEqual(*got, *w) || !reflect.DeepEqual(got.Comments(), w.Comments()) {
				t.Fatalf("%s: token %d: got %v %+v, want %v %+v", name, i, got, *got, w, *w)
			}
		}
		if len(s.resident) > 4 {
			t.Errorf("%s: %d chunks resident, want at most 4", name, len(s.resident))
		}
	}
}

// TestRewindAcrossChunks: a statement of many chunks that fails at its end is kept whole as
// Opaque (the parser rewinds to its start), and the next statement parses.
func TestRewindAcrossChunks(t *testing.T) {
	src := "foo(" + strings.Repeat("a, ", 5000) + "a) 1\nsh 'after'\n"
	f, err := Parse("f", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stmts) != 2 {
		t.Fatalf("%d statements, want 2", len(f.Stmts))
	}
	o, ok := f.Stmts[0].(*Opaque)
	if !ok || o.Reason != `unexpected Number "1" after statement` || f.Text(o) != strings.TrimSuffix(src[:strings.Index(src, "\n")], "") {
		t.Fatalf("first statement %T %+v", f.Stmts[0], f.Stmts[0])
	}
	if e, ok := f.Stmts[1].(*ExprStmt); !ok || f.Text(e) != "sh 'after'" || e.Line != 2 || e.Col != 1 {
		t.Fatalf("second statement %T %+v", f.Stmts[1], f.Stmts[1])
	}
}
