package travis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

func TestShellWords(t *testing.T) {
	cases := map[string]string{ // the words, joined by |
		`A=1 B=2`: `A=1|B=2`,
		`DESTINATION="OS=8.1,name=iPhone 4S"   SCHEME="$X"`: `DESTINATION="OS=8.1,name=iPhone 4S"|SCHEME="$X"`,
		`A='x y' B=a\ b C="q\"r"`:                           `A='x y'|B=a\ b|C="q\"r"`,
		"  A=1\n  B=2 ":                                     `A=1|B=2`,
		// Travis keeps a $(...) or `...` value whole (travis-build's Env::Var::PATTERN).
		`VERSION=$(echo one two) B="a b"`: `VERSION=$(echo one two)|B="a b"`,
		"T=`echo x y` U=1":                "T=`echo x y`|U=1",
		`A=$(echo "$(date +%s) )x") B=1`:  `A=$(echo "$(date +%s) )x")|B=1`,
		`A="$(echo "a b")" B=$((1 + 2))`:  `A="$(echo "a b")"|B=$((1 + 2))`,
		"A=$(echo 'x ) y' \\) z) B=1":     "A=$(echo 'x ) y' \\) z)|B=1",
	}
	for in, want := range cases {
		if got := strings.Join(shellWords(in), "|"); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// TestEnvForms decodes every env shape Travis accepts.
func TestEnvForms(t *testing.T) {
	show := func(es []envEntry) string {
		var out []string
		for _, e := range es {
			var vs []string
			for _, v := range e.vars {
				if v.secure {
					vs = append(vs, fmt.Sprintf("secure@%d", v.line))
				} else {
					vs = append(vs, v.name+"="+v.value)
				}
			}
			out = append(out, strings.Join(vs, ","))
		}
		return strings.Join(out, " | ")
	}
	cases := []struct{ in, global, jobs string }{
		{"env: A=1 B=2\n", "", "A=1,B=2"},
		{"env: [A=1, B=2]\n", "", "A=1 | B=2"},
		{"env: {A: 1, B: x y}\n", "", "A=1,B=x y"},
		{"env:\n  global: [G=1]\n  jobs: [J=1, J=2]\n", "G=1", "J=1 | J=2"},
		{"env:\n  global:\n    - G=1 H=2\n    - NAME: v\n    - secure: abc\n  matrix:\n    - J=1\n", "G=1,H=2 | NAME=v | secure@5", "J=1"},
		{"env:\n  global: G=1\n", "G=1", ""},
		{"env:\n  - [A=1, B=2]\n", "", "A=1,B=2"},
	}
	for _, c := range cases {
		root, err := parse("x", []byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		d := &decoder{path: "x"}
		m := asMap(root)
		s, err := d.rootEnv(m.keyNode("env"), m.get("env"))
		if err != nil {
			t.Fatal(err)
		}
		if g := show(s.global); g != c.global {
			t.Errorf("%q: global %q, want %q", c.in, g, c.global)
		}
		if j := show(s.jobs); j != c.jobs {
			t.Errorf("%q: jobs %q, want %q", c.in, j, c.jobs)
		}
	}
}

// TestPhaseForms: string, list, null (an empty override), skip, and true/false commands.
func TestPhaseForms(t *testing.T) {
	cases := []struct{ in, want string }{
		{"script: make\n", "[make]"},
		{"script: [a, b]\n", "[a b]"},
		{"script:\n", "[]"},
		{"script: skip\n", "[]"},
		{"script: true\n", "[true]"},
		{"script:\n  - |\n    if x; then\n      y\n    fi\n", "[if x; then\n  y\nfi\n]"},
	}
	for _, c := range cases {
		root, err := parse("x", []byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		m := asMap(root)
		d := &decoder{path: "x"}
		p, err := d.phase("script", m.keyNode("script"), m.get("script"))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, cm := range p.cmds {
			got = append(got, cm.text)
		}
		if s := fmt.Sprint(got); s != c.want || !p.set {
			t.Errorf("%q: got %s (set %v), want %s", c.in, s, p.set, c.want)
		}
	}
}

// TestAliases: matrix is jobs, branch is branches, and merge keys resolve.
func TestAliases(t *testing.T) {
	src := "x: &x {script: a}\nmatrix:\n  include:\n    - <<: *x\n      name: one\n    - <<: *x\n      script: b\nbranch: [main]\n"
	c, err := build(convertSource(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range c.jobs {
		got = append(got, j.name+":"+j.phases["script"].cmds[0].text)
	}
	if s := strings.Join(got, ","); s != "one:a,:b" {
		t.Errorf("jobs %s", s)
	}
	if only, _, _ := c.branches(); fmt.Sprint(only) != "[main]" {
		t.Errorf("branch alias: %v", only)
	}
}

func convertSource(s string) convert.Source {
	return convert.Source{Path: "x/.travis.yml", Data: []byte(s)}
}
