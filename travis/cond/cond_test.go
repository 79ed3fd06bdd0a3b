package cond

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

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
		{"os = linux AND branch = main", `branch = "main"`, `target_branch == "main"`,
			"$(params.branch) in [main refs/heads/main]", `[ "$TRAVIS_BRANCH" = 'main' ]`},
		{"os = osx OR type = pull_request", "false", "false", "error", "false"},
		{"type = push AND head_branch != x", `head_branch != "x"`, `!(source_branch == "x")`, "error", `[ "$TRAVIS_PULL_REQUEST_BRANCH" != 'x' ]`},
		{"env(FROM_SETTINGS) = yes", `env("FROM_SETTINGS") = "yes"`, "error", "error", `[ "${FROM_SETTINGS:-}" = 'yes' ]`},
		{"env(DEPLOY) = true AND tag IS present", "tag IS present", "error", "error", `[ -n "$TRAVIS_TAG" ]`},
		{"branch =~ ^rel-\\d AND NOT fork", `(branch =~ /^rel-\d/ AND NOT fork)`, "error", "error", "error"},
		{"branch IN (a, b)", `branch IN ("a", "b")`, `target_branch in ["a", "b"]`, "$(params.branch) in [a refs/heads/a b refs/heads/b]",
			`{ [ "$TRAVIS_BRANCH" = 'a' ] || [ "$TRAVIS_BRANCH" = 'b' ]; }`},
		{"branch =~ ^rel-\\d", `branch =~ /^rel-\d/`, `target_branch.matches("^rel-\\d")`, "error", `travis_re "$TRAVIS_BRANCH" '^rel-[0-9]'`},
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
		cel, err := CEL(s, map[string]Ref{"branch": {Var: "target_branch"}, "head_branch": {Var: "source_branch"}})
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

// On a tag run target_branch is refs/tags/<tag>: names get the prefix, and a regex's
// leading ^ moves behind it (RE2 has no look-behind).
func TestCELTagRefs(t *testing.T) {
	refs := map[string]Ref{"branch": {Var: "target_branch", Prefix: "refs/tags/"}, "tag": {Var: "target_branch", Prefix: "refs/tags/"}}
	cases := []struct{ in, cel string }{
		{"tag = v1", `target_branch == "refs/tags/v1"`},
		{"tag IS present", `target_branch.startsWith("refs/tags/")`},
		{"branch =~ ^v\\d+", `target_branch.matches("^refs/tags/v\\d+")`},
		{"tag =~ /rc|^beta/", `target_branch.matches("^refs/tags/(?:.*(?:rc)|beta)")`},
		{"tag =~ /(^a)/", "error"},
		{"tag =~ /(?=a)/", "error"},
	}
	for _, c := range cases {
		e, err := Parse(c.in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := CEL(e, refs)
		if err != nil {
			got = "error"
		}
		if got != c.cel {
			t.Errorf("%q: CEL %s, want %s", c.in, got, c.cel)
		}
	}
	// the translation matches refs/tags/<name> exactly when the regex matches <name>
	names := []string{"1.2", "1.2.3", "be", "ae", "v1", "v10.2", "xv1", "beta", "beta-rc", "xbeta", "rc1", "tags", "a", "ba", ""}
	for _, re := range []string{`^v\d+`, `rc|^beta`, `tags`, `^a$|b`, `(?i)^V1`, `^$`, `^a|^b`, `^(?:a|b)e`, `^\d+\.\d+(\.\d+)?$`} {
		cel, err := RegexCEL("t", "refs/tags/", re)
		if err != nil {
			t.Fatalf("%s: %v", re, err)
		}
		q, _ := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(cel, "t.matches("), ")"))
		tr := regexp.MustCompile(q)
		for _, n := range names {
			if want, got := regexp.MustCompile(re).MatchString(n), tr.MatchString("refs/tags/"+n); got != want {
				t.Errorf("%s on %q: translated %s gives %v, want %v", re, n, q, got, want)
			}
		}
	}
	// Known.Present decides IS present/blank of an attribute whose value is unknown
	e, _ := Parse("tag IS blank OR branch = x")
	if s := Simplify(e, Known{Present: map[string]bool{"tag": true}}); s.String() != `branch = "x"` {
		t.Errorf("Present: got %s", s)
	}
}

// TestEREFromRuby: Ruby regex shorthands become the ERE bash's =~ reads, inside and
// outside bracket expressions; what ERE cannot say is refused.
func TestEREFromRuby(t *testing.T) {
	for in, want := range map[string]string{
		`^v\d+\.\d+(\.\d+)?(-\S*)?$`: `^v[0-9]+\.[0-9]+(\.[0-9]+)?(-[^[:space:]]*)?$`,
		`^rel-\d`:                    `^rel-[0-9]`,
		`[\d.]+`:                     `[0-9.]+`,
		`[\w\-.]+`:                   `[[:alnum:]_.-]+`,
		`[^\s\.]x`:                   `[^[:space:].]x`,
		`\Arelease\z`:                `^release$`,
		`[[:alpha:]\d]`:              `[[:alpha:]0-9]`,
		`[]a]\W`:                     `[]a][^[:alnum:]_]`,
		`[\S]`:                       "error",
		`\bword`:                     "error",
		`a\+b`:                       `a\+b`,
	} {
		got, err := ereFromRuby(in)
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

// TestWeaken: the untranslatable part of a condition is dropped so that the rest still
// guards the job, never so that the job runs less often than on Travis.
func TestWeaken(t *testing.T) {
	for in, want := range map[string]string{
		"branch = master AND type = push AND fork = false": `(branch = "master" AND type = "push")`,
		"NOT fork OR tag IS present":                       "true",
		"NOT (fork AND branch = x)":                        "true",
		"NOT (fork OR branch = x)":                         `NOT branch = "x"`,
		"fork = false":                                     "true",
	} {
		e, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Weaken(e).String(); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}
