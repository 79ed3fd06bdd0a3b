package groovy

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// dumpTokens renders a token stream one token per line: position, newline flag, kind and payload.
func dumpTokens(toks []Token) string {
	var b strings.Builder
	for _, t := range toks {
		for _, c := range t.Comments() {
			fmt.Fprintf(&b, "%d:%d comment %q\n", c.Line, c.Col, c.Text)
		}
		nl := " "
		if t.NL {
			nl = "⏎"
		}
		fmt.Fprintf(&b, "%d:%d %s %s", t.Line, t.Col, nl, t.Kind)
		switch t.Kind {
		case TokString:
			fmt.Fprintf(&b, " %s", t.Quote)
			if t.Parts == nil {
				fmt.Fprintf(&b, " %q", t.Str)
			}
			for _, p := range t.Parts {
				if p.Expr != "" {
					brace := "$"
					if p.Braced {
						brace = "${}"
					}
					fmt.Fprintf(&b, " %s%q", brace, p.Expr)
				} else {
					fmt.Fprintf(&b, " %q", p.Lit)
				}
			}
		case TokEOF:
		default:
			fmt.Fprintf(&b, " %s", t.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update to accept):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

func TestLexGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/lex/*.groovy")
	if len(files) == 0 {
		t.Fatal("no lexer inputs")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			toks, err := Lex(path, src)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "lex/"+strings.TrimSuffix(filepath.Base(path), ".groovy")+".tokens", dumpTokens(toks))
		})
	}
}
