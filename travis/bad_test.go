package travis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

func manyEnv(n int) string {
	var b strings.Builder
	b.WriteString("language: go\nenv:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - N=%d\n", i)
	}
	return b.String()
}

// TestBadInput checks each refusal's exact path:line:col message.
func TestBadInput(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"invalid yaml", "language: go\nscript: [a, b\n", "x/.travis.yml:2:1: invalid YAML: did not find expected ',' or ']'"},
		{"list document", "- language: go\n- script: make\n", "x/.travis.yml:1:1: a .travis.yml must be a mapping of keys, found a list"},
		{"script int", "language: go\nscript: 5\n", "x/.travis.yml:2:9: script: expected a string or a list of strings, found an integer (5)"},
		{"script item int", "script:\n  - make\n  - 7\n", "x/.travis.yml:3:5: script: each command must be a string, found an integer (7)"},
		{"include script map", "jobs:\n  include:\n    - script: {a: b}\n", "x/.travis.yml:3:15: jobs.include: script: expected a string or a list of strings, found a mapping"},
		{"matrix 10000", manyEnv(10000), "x/.travis.yml:2:1: the build matrix expands to 10000 jobs; more than 4096 is refused as broken or hostile input (Travis runs at most 200 jobs per build)"},
		{"scalar document", "hello\n", "x/.travis.yml:1:1: a .travis.yml must be a mapping of keys, found a string"},
		{"two documents", "language: go\n---\nlanguage: ruby\n", "x/.travis.yml:2:1: a .travis.yml holds one YAML document, found a second"},
		{"unclosed quote", "language: go\nscript: 'make\n", "x/.travis.yml:2:1: invalid YAML: found unexpected end of stream"},
		{"alias bomb", bomb(), "x/.travis.yml:1:"},
		{"deep nesting", "a: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n", "x/.travis.yml:1:68: YAML nesting deeper than 64 levels"},
		{"too large", "script: '" + strings.Repeat("x", 1<<20) + "'\n", "x/.travis.yml:1:1: file is larger than 1048576 bytes"},
		{"include not mapping", "jobs:\n  include:\n    - 3\n", "x/.travis.yml:3:7: jobs.include: each entry must be a mapping, found an integer (3)"},
		{"language map", "language: {a: b}\n", "x/.travis.yml:1:11: language: expected a string, found a mapping"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Converter{}.Convert(convert.Source{Path: "x/.travis.yml", Data: []byte(c.in)}, convert.Options{})
			if err == nil {
				t.Fatalf("want error %q, got none", c.want)
			}
			if _, ok := err.(*convert.PosError); !ok {
				t.Errorf("want *convert.PosError, got %T", err)
			}
			if got := err.Error(); got != c.want && !(strings.HasSuffix(c.want, ":") && strings.HasPrefix(got, c.want)) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// bomb is a billion-laughs document.
func bomb() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	return b.String()
}
