package cond

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/internal/shellquote"
)

// BashVars maps attributes to the job env vars that carry them at run time.
var BashVars = map[string]string{"type": "TRAVIS_EVENT_TYPE", "branch": "TRAVIS_BRANCH", "tag": "TRAVIS_TAG",
	"repo": "TRAVIS_REPO_SLUG", "head_branch": "TRAVIS_PULL_REQUEST_BRANCH", "commit_message": "TRAVIS_COMMIT_MESSAGE"}

// BashRegexHelper must be defined in a script that uses Bash's output.
const BashRegexHelper = `travis_re() { [[ $1 =~ $2 ]]; }`

// Bash translates a simplified condition into a bash test over the job's TRAVIS_* env,
// for conditions a Tekton when expression cannot hold (regexes, OR, tags).
func Bash(e Expr) (string, error) {
	switch x := e.(type) {
	case Const:
		if x {
			return "true", nil
		}
		return "false", nil
	case Or:
		return bashBin(x.L, x.R, " || ")
	case And:
		return bashBin(x.L, x.R, " && ")
	case Not:
		s, err := Bash(x.X)
		return "! { " + s + "; }", err
	case Cmp:
		return bashCmp(x)
	}
	return "", fmt.Errorf("cannot translate %s", e)
}

func bashBin(l, r Expr, op string) (string, error) {
	a, err := Bash(l)
	if err != nil {
		return "", err
	}
	b, err := Bash(r)
	if err != nil {
		return "", err
	}
	return "{ " + a + op + b + "; }", nil
}

// quote goes through the one quoting helper every front-end uses.
func quote(s string) string { return shellquote.Single(s) }

func bashOperand(o Operand) (string, error) {
	switch {
	case o.Attr != "":
		v, ok := BashVars[o.Attr]
		if !ok {
			return "", fmt.Errorf("%s is not known inside the job", o.Attr)
		}
		return `"$` + v + `"`, nil
	case o.Func == "env":
		name := o.Args[0].Lit
		if !regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`).MatchString(name) {
			return "", fmt.Errorf("env(%s): not a variable name", name)
		}
		return `"${` + name + `:-}"`, nil
	case o.Func == "concat":
		var b strings.Builder
		for _, a := range o.Args {
			s, err := bashOperand(a)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
		return b.String(), nil
	}
	return quote(o.Lit), nil
}

// ereClasses are Ruby's class shorthands as POSIX classes: outside a bracket expression
// as a whole bracket, inside one as its members (negated ones cannot be members).
var ereClasses = map[byte][2]string{
	'd': {"[0-9]", "0-9"}, 'w': {"[[:alnum:]_]", "[:alnum:]_"}, 's': {"[[:space:]]", "[:space:]"},
	'D': {"[^0-9]", ""}, 'W': {"[^[:alnum:]_]", ""}, 'S': {"[^[:space:]]", ""},
	'A': {"^", ""}, 'z': {"$", ""}, 'Z': {"$", ""},
}

// ereFromRuby rewrites a Ruby regex into the POSIX ERE bash's =~ reads: shorthand classes
// become bracket classes, and inside brackets an escaped punctuation mark is the mark
// itself (an ERE bracket takes backslash literally). What ERE cannot say is an error.
func ereFromRuby(re string) (string, error) {
	var b strings.Builder
	bad := func() (string, error) { return "", fmt.Errorf("regex %q uses escapes bash does not have", re) }
	in := false   // inside a bracket expression
	dash := false // an escaped - inside the bracket, written last where ERE reads it literally
	for i := 0; i < len(re); i++ {
		c := re[i]
		switch {
		case c == '\\' && i+1 < len(re):
			i++
			e := re[i]
			if cl, ok := ereClasses[e]; ok {
				if !in {
					b.WriteString(cl[0])
				} else if cl[1] != "" {
					b.WriteString(cl[1])
				} else {
					return bad()
				}
				continue
			}
			if e >= 'a' && e <= 'z' || e >= 'A' && e <= 'Z' || e >= '0' && e <= '9' {
				return bad()
			}
			if in {
				if e == '-' {
					dash = true
					continue
				}
				if e == ']' || e == '\\' || e == '^' || e == '[' {
					return bad()
				}
				b.WriteByte(e)
				continue
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		case c == '[' && !in:
			in = true
			b.WriteByte(c)
			// a leading ^ and a leading ] belong to the bracket
			if i+1 < len(re) && re[i+1] == '^' {
				i++
				b.WriteByte('^')
			}
			if i+1 < len(re) && re[i+1] == ']' {
				i++
				b.WriteByte(']')
			}
		case c == '[' && in && i+1 < len(re) && re[i+1] == ':':
			j := strings.Index(re[i:], ":]")
			if j < 0 {
				return bad()
			}
			b.WriteString(re[i : i+j+2])
			i += j + 1
		case c == ']' && in:
			if dash {
				b.WriteByte('-')
			}
			in, dash = false, false
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func bashCmp(c Cmp) (string, error) {
	l, err := bashOperand(c.L)
	if err != nil {
		return "", err
	}
	switch c.Op {
	case "":
		return "{ [ -n " + l + " ] && [ " + l + " != false ]; }", nil
	case "present":
		return "[ -n " + l + " ]", nil
	case "blank":
		return "[ -z " + l + " ]", nil
	case "=~", "!~":
		var s string
		if len(c.R) > 0 {
			r, err := bashOperand(c.R[0])
			if err != nil {
				return "", err
			}
			s = "travis_re " + l + " " + r
		} else {
			re, err := ereFromRuby(c.Regex)
			if err != nil {
				return "", err
			}
			s = "travis_re " + l + " " + quote(re)
		}
		if c.Op == "!~" {
			s = "! " + s
		}
		return s, nil
	case "in", "notin":
		var parts []string
		for _, o := range c.R {
			r, err := bashOperand(o)
			if err != nil {
				return "", err
			}
			parts = append(parts, "[ "+l+" = "+r+" ]")
		}
		s := "{ " + strings.Join(parts, " || ") + "; }"
		if c.Op == "notin" {
			s = "! " + s
		}
		return s, nil
	}
	r, err := bashOperand(c.R[0])
	if err != nil {
		return "", err
	}
	op := "="
	if c.Op == "!=" {
		op = "!="
	}
	return "[ " + l + " " + op + " " + r + " ]", nil
}

// Weaken replaces each comparison Bash cannot translate by the constant that lets e hold
// more often (true, or false under NOT), so the result holds whenever e does: a guard that
// skips only jobs Travis skipped too. It is Const(true) when nothing checkable is left.
func Weaken(e Expr) Expr {
	var w func(e Expr, pos bool) Expr
	w = func(e Expr, pos bool) Expr {
		switch x := e.(type) {
		case Or:
			return Or{w(x.L, pos), w(x.R, pos)}
		case And:
			return And{w(x.L, pos), w(x.R, pos)}
		case Not:
			return Not{w(x.X, !pos)}
		case Cmp:
			if _, err := bashCmp(x); err != nil {
				return Const(pos)
			}
		}
		return e
	}
	return Simplify(w(e, true), Known{})
}
