package cond

import "testing"

func TestParse(t *testing.T) {
	cases := []struct{ in, want string }{
		{"branch = master", `branch = "master"`},
		{"branch == master AND type != pull_request", `(branch = "master" AND type != "pull_request")`},
		{"a = b OR c = d AND e = f", `("a" = "b" OR ("c" = "d" AND "e" = "f"))`},
		{"NOT type IN (push, api)", `NOT type IN ("push", "api")`},
		{"branch NOT IN (a, 'b c')", `branch NOT IN ("a", "b c")`},
		{"tag IS present", "tag IS present"},
		{"tag IS NOT present", "NOT tag IS present"},
		{"tag =~ ^v\\d+", `tag =~ /^v\d+/`},
		{"commit_message !~ /\\[skip deploy\\]/", `commit_message !~ /\[skip deploy\]/`},
		{"env(DEPLOY) = true AND NOT fork", `(env("DEPLOY") = "true" AND NOT fork)`},
		{"branch =~ concat(^srv-, env(SERVICE), -)", `branch =~ concat("^srv-", env("SERVICE"), "-")`},
		{"BRANCH = x", `"BRANCH" = "x"`},
		{"(type = push) && !(branch = x || os = osx)", `(type = "push" AND NOT (branch = "x" OR os = "osx"))`},
	}
	for _, c := range cases {
		e, err := Parse(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := e.String(); got != c.want {
			t.Errorf("%q: got %s, want %s", c.in, got, c.want)
		}
	}
	for _, bad := range []string{"", "branch = $X", "a IN b", "(a = b", "tag IS nice", "x = 'open"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q: want a parse error", bad)
		}
	}
}

func TestSimplifyAndTranslate(t *testing.T) {
	known := Known{Attrs: map[string]string{"os": "linux", "type": "push"}, Env: map[string]string{"DEPLOY": "'true'"}}
	cases := []struct{ in, simple, cel, when, bash string }{
		{"os = linux AND branch = main", `branch = "main"`, `target_branch in ["main", "refs/heads/main", "refs/tags/main"]`,
			"$(params.branch) in [main refs/heads/main]", `[ "$TRAVIS_BRANCH" = 'main' ]`},
		{"os = osx OR type = pull_request", "false", "false", "error", "false"},
		{"type = push AND head_branch != x", `head_branch != "x"`, `!(source_branch in ["x", "refs/heads/x", "refs/tags/x"])`, "error", `[ "$TRAVIS_PULL_REQUEST_BRANCH" != 'x' ]`},
		{"env(FROM_SETTINGS) = yes", `env("FROM_SETTINGS") = "yes"`, "error", "error", `[ "${FROM_SETTINGS:-}" = 'yes' ]`},
		{"env(DEPLOY) = true AND tag IS present", "tag IS present", `target_branch.startsWith("refs/tags/")`, "error", `[ -n "$TRAVIS_TAG" ]`},
		{"branch =~ ^rel-\\d AND NOT fork", `(branch =~ /^rel-\d/ AND NOT fork)`, "error", "error", "error"},
		{"branch IN (a, b)", `branch IN ("a", "b")`, `target_branch in ["a", "refs/heads/a", "refs/tags/a", "b", "refs/heads/b", "refs/tags/b"]`, "$(params.branch) in [a refs/heads/a b refs/heads/b]",
			`{ [ "$TRAVIS_BRANCH" = 'a' ] || [ "$TRAVIS_BRANCH" = 'b' ]; }`},
		{"branch =~ ^rel-\\d", `branch =~ /^rel-\d/`, `(target_branch.matches("^rel-\\d") || target_branch.matches("^refs/(heads|tags)/rel-\\d"))`, "error", `travis_re "$TRAVIS_BRANCH" '^rel-[0-9]'`},
	}
	for _, c := range cases {
		e, err := Parse(c.in)
		if err != nil {
			t.Fatal(err)
		}
		s := Simplify(e, known)
		if s.String() != c.simple {
			t.Errorf("%q: simplified %s, want %s", c.in, s, c.simple)
		}
		cel, err := CEL(s)
		if err != nil {
			cel = "error"
		}
		if cel != c.cel {
			t.Errorf("%q: CEL %s, want %s", c.in, cel, c.cel)
		}
		when := "error"
		if ws, err := Whens(s); err == nil && len(ws) == 1 {
			when = ws[0].Input + " " + ws[0].Operator + " " + fmtList(ws[0].Values)
		}
		if when != c.when {
			t.Errorf("%q: when %s, want %s", c.in, when, c.when)
		}
		b, err := Bash(s)
		if err != nil {
			b = "error"
		}
		if b != c.bash {
			t.Errorf("%q: bash %s, want %s", c.in, b, c.bash)
		}
	}
}

func fmtList(v []string) string {
	s := "["
	for i, x := range v {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s + "]"
}
