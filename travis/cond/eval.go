package cond

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Known holds the attribute values fixed at conversion time (os, dist, language, type
// for a per-event PipelineRun, ...) and the env vars known from .travis.yml.
type Known struct {
	Attrs map[string]string
	Env   map[string]string
}

// Simplify evaluates everything Known decides and returns the rest: a Const when the
// whole condition is decided, otherwise an expression over unknown attributes.
func Simplify(e Expr, k Known) Expr {
	switch x := e.(type) {
	case Or:
		l, r := Simplify(x.L, k), Simplify(x.R, k)
		if c, ok := l.(Const); ok {
			if c {
				return Const(true)
			}
			return r
		}
		if c, ok := r.(Const); ok {
			if c {
				return Const(true)
			}
			return l
		}
		return Or{l, r}
	case And:
		l, r := Simplify(x.L, k), Simplify(x.R, k)
		if c, ok := l.(Const); ok {
			if !c {
				return Const(false)
			}
			return r
		}
		if c, ok := r.(Const); ok {
			if !c {
				return Const(false)
			}
			return l
		}
		return And{l, r}
	case Not:
		in := Simplify(x.X, k)
		if c, ok := in.(Const); ok {
			return !c
		}
		return Not{in}
	case Cmp:
		if v, ok := evalCmp(x, k); ok {
			return Const(v)
		}
		return x
	}
	return e
}

// value returns an operand's value when known; nil means missing (an unset env var).
func value(o Operand, k Known) (v *string, known bool) {
	switch {
	case o.Attr != "":
		s, ok := k.Attrs[o.Attr]
		if !ok {
			return nil, false
		}
		return &s, true
	case o.Func == "env":
		s, ok := k.Env[o.Args[0].Lit]
		if !ok {
			// Not in .travis.yml, but repository settings may define it: decide at run time.
			return nil, false
		}
		s = strings.Trim(s, `"'`)
		return &s, true
	case o.Func == "concat":
		var b strings.Builder
		for _, a := range o.Args {
			s, ok := value(a, k)
			if !ok {
				return nil, false
			}
			if s != nil {
				b.WriteString(*s)
			}
		}
		s := b.String()
		return &s, true
	}
	s := o.Lit
	return &s, true
}

func evalCmp(c Cmp, k Known) (bool, bool) {
	l, ok := value(c.L, k)
	if !ok {
		return false, false
	}
	switch c.Op {
	case "":
		return l != nil && truthy(*l), true
	case "present":
		return l != nil && *l != "", true
	case "blank":
		return l == nil || *l == "", true
	case "=~", "!~":
		src := c.Regex
		if len(c.R) > 0 {
			v, ok := value(c.R[0], k)
			if !ok {
				return false, false
			}
			if v == nil {
				return false, true
			}
			src = *v
		}
		re, err := regexp.Compile(src)
		if err != nil {
			return false, true // an invalid regex makes the condition false in Travis
		}
		m := l != nil && re.MatchString(*l)
		return m == (c.Op == "=~"), true
	case "in", "notin":
		found := false
		for _, r := range c.R {
			rv, ok := value(r, k)
			if !ok {
				return false, false
			}
			if l != nil && rv != nil && eq(*l, *rv) {
				found = true
			}
		}
		return found == (c.Op == "in"), true
	}
	r, ok := value(c.R[0], k)
	if !ok {
		return false, false
	}
	same := l != nil && r != nil && eq(*l, *r)
	if c.Op == "!=" {
		return !same, true
	}
	return same, true
}

// eq compares as Travis does: "true"/"false" are booleans on both sides, the rest strings.
func eq(a, b string) bool {
	if ba, err := strconv.ParseBool(a); err == nil && (a == "true" || a == "false") {
		if bb, err := strconv.ParseBool(b); err == nil && (b == "true" || b == "false") {
			return ba == bb
		}
	}
	return a == b
}

func truthy(s string) bool { return s != "" && s != "false" }

// CEL translates a simplified condition to a Pipelines-as-Code on-cel-expression.
// It fails for attributes PaC does not expose.
func CEL(e Expr) (string, error) {
	switch x := e.(type) {
	case Const:
		return fmt.Sprint(bool(x)), nil
	case Or:
		return bin(x.L, x.R, " || ")
	case And:
		return bin(x.L, x.R, " && ")
	case Not:
		s, err := CEL(x.X)
		return "!(" + s + ")", err
	case Cmp:
		return cmpCEL(x)
	}
	return "", fmt.Errorf("cannot translate %s", e)
}

func bin(l, r Expr, op string) (string, error) {
	a, err := CEL(l)
	if err != nil {
		return "", err
	}
	b, err := CEL(r)
	if err != nil {
		return "", err
	}
	return "(" + a + op + b + ")", nil
}

var celVar = map[string]string{"type": "event", "branch": "target_branch", "head_branch": "source_branch"}

func cmpCEL(c Cmp) (string, error) {
	if c.L.Attr == "tag" && (c.Op == "present" || c.Op == "blank") {
		s := `target_branch.startsWith("refs/tags/")`
		if c.Op == "blank" {
			s = "!" + s
		}
		return s, nil
	}
	v, ok := celVar[c.L.Attr]
	if !ok {
		return "", fmt.Errorf("%s has no Pipelines-as-Code equivalent", c.L)
	}
	lit := func(o Operand) (string, error) {
		if o.Attr != "" || o.Func != "" {
			return "", fmt.Errorf("%s has no Pipelines-as-Code equivalent", o)
		}
		if c.L.Attr == "type" && o.Lit != "push" && o.Lit != "pull_request" {
			return "", fmt.Errorf("event type %q has no Pipelines-as-Code trigger", o.Lit)
		}
		return o.Lit, nil
	}
	switch c.Op {
	case "=", "!=", "in", "notin":
		var items []string
		for _, o := range c.R {
			r, err := lit(o)
			if err != nil {
				return "", err
			}
			items = append(items, refNames(c.L.Attr, r)...)
		}
		var s string
		if len(items) == 1 {
			s = v + " == " + items[0]
		} else {
			s = v + " in [" + strings.Join(items, ", ") + "]"
		}
		if c.Op == "!=" || c.Op == "notin" {
			s = "!(" + s + ")"
		}
		return s, nil
	case "=~", "!~":
		if len(c.R) > 0 {
			return "", fmt.Errorf("a computed regex has no Pipelines-as-Code equivalent")
		}
		if _, err := regexp.Compile(c.Regex); err != nil {
			return "", fmt.Errorf("regex %q: %v", c.Regex, err)
		}
		s := RefRegexCEL(v, c.Regex)
		if c.Op == "!~" {
			s = "!" + s
		}
		return s, nil
	case "present", "blank":
		s := v + ` != ""`
		if c.Op == "blank" {
			s = v + ` == ""`
		}
		return s, nil
	}
	return "", fmt.Errorf("cannot translate %s", c)
}

// refNames lists the quoted forms a branch name can take in target_branch: Pipelines-as-Code
// may pass the full ref, and Travis matches tag builds by the tag name.
func refNames(attr, name string) []string {
	if attr != "branch" && attr != "head_branch" {
		return []string{strconv.Quote(name)}
	}
	return []string{strconv.Quote(name), strconv.Quote("refs/heads/" + name), strconv.Quote("refs/tags/" + name)}
}

// RefRegexCEL matches a Travis branch regex against target_branch with or without
// the refs/heads/ or refs/tags/ prefix.
func RefRegexCEL(v, re string) string {
	if strings.HasPrefix(re, "^") {
		return "(" + v + ".matches(" + strconv.Quote(re) + ") || " + v + ".matches(" + strconv.Quote("^refs/(heads|tags)/"+re[1:]) + "))"
	}
	return v + ".matches(" + strconv.Quote(re) + ")"
}

// When is one Tekton when expression.
type When struct {
	Input, Operator string
	Values          []string
}

// WhenParams maps attributes to the Pipeline params that carry them at run time.
var WhenParams = map[string]string{"type": "event-type", "branch": "branch"}

// Whens translates a simplified condition to Tekton when expressions (ANDed,
// exact values only). It fails for OR, regexes and attributes without a param.
func Whens(e Expr) ([]When, error) {
	switch x := e.(type) {
	case Const:
		if x {
			return nil, nil
		}
		return nil, fmt.Errorf("condition is always false")
	case And:
		a, err := Whens(x.L)
		if err != nil {
			return nil, err
		}
		b, err := Whens(x.R)
		return append(a, b...), err
	case Not:
		if c, ok := x.X.(Cmp); ok {
			switch c.Op {
			case "=":
				c.Op = "!="
				return Whens(c)
			case "!=":
				c.Op = "="
				return Whens(c)
			case "in":
				c.Op = "notin"
				return Whens(c)
			case "notin":
				c.Op = "in"
				return Whens(c)
			}
		}
	case Cmp:
		p, ok := WhenParams[x.L.Attr]
		if !ok {
			break
		}
		var vals []string
		for _, o := range x.R {
			if o.Attr != "" || o.Func != "" {
				return nil, fmt.Errorf("cannot translate %s to a Tekton when expression", e)
			}
			vals = append(vals, o.Lit)
			if x.L.Attr == "branch" {
				vals = append(vals, "refs/heads/"+o.Lit) // PaC may pass the full ref
			}
		}
		op := ""
		switch x.Op {
		case "=", "in":
			op = "in"
		case "!=", "notin":
			op = "notin"
		}
		if op == "" {
			break
		}
		return []When{{Input: "$(params." + p + ")", Operator: op, Values: vals}}, nil
	}
	return nil, fmt.Errorf("cannot translate %s to a Tekton when expression", e)
}
