package cond

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
)

// Known holds the attribute values fixed at conversion time (os, dist, language, type
// for a per-event PipelineRun, ...) and the env vars known from .travis.yml.
type Known struct {
	Attrs map[string]string
	Env   map[string]string
	// Present holds attributes known to be set whose value is not known (tag on a tag run).
	Present map[string]bool
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
	if c.L.Attr != "" && k.Present[c.L.Attr] && (c.Op == "present" || c.Op == "blank") {
		return c.Op == "present", true
	}
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

// Mentions reports whether e compares attribute attr with the literal value anywhere.
func Mentions(e Expr, attr, value string) bool {
	switch x := e.(type) {
	case Or:
		return Mentions(x.L, attr, value) || Mentions(x.R, attr, value)
	case And:
		return Mentions(x.L, attr, value) || Mentions(x.R, attr, value)
	case Not:
		return Mentions(x.X, attr, value)
	case Cmp:
		if x.L.Attr != attr {
			return false
		}
		for _, r := range x.R {
			if r.Lit == value {
				return true
			}
		}
	}
	return false
}

// Ref says where an attribute's value is in a PipelineRun's on-cel-expression: the
// Pipelines-as-Code variable, and the prefix PaC leaves before the Travis value for
// that run's events ("refs/tags/" for a tag push, "" for a branch name).
type Ref struct{ Var, Prefix string }

// CEL translates a simplified condition to a Pipelines-as-Code on-cel-expression.
// It fails for attributes refs does not place.
func CEL(e Expr, refs map[string]Ref) (string, error) {
	switch x := e.(type) {
	case Const:
		return fmt.Sprint(bool(x)), nil
	case Or:
		return bin(x.L, x.R, " || ", refs)
	case And:
		return bin(x.L, x.R, " && ", refs)
	case Not:
		s, err := CEL(x.X, refs)
		return "!(" + s + ")", err
	case Cmp:
		return cmpCEL(x, refs)
	}
	return "", fmt.Errorf("cannot translate %s", e)
}

func bin(l, r Expr, op string, refs map[string]Ref) (string, error) {
	a, err := CEL(l, refs)
	if err != nil {
		return "", err
	}
	b, err := CEL(r, refs)
	if err != nil {
		return "", err
	}
	return "(" + a + op + b + ")", nil
}

func cmpCEL(c Cmp, refs map[string]Ref) (string, error) {
	ref, ok := refs[c.L.Attr]
	if !ok {
		return "", fmt.Errorf("%s has no Pipelines-as-Code equivalent", c.L)
	}
	v := ref.Var
	lit := func(o Operand) (string, error) {
		if o.Attr != "" || o.Func != "" {
			return "", fmt.Errorf("%s has no Pipelines-as-Code equivalent", o)
		}
		return strconv.Quote(ref.Prefix + o.Lit), nil
	}
	switch c.Op {
	case "=", "!=", "in", "notin":
		var items []string
		for _, o := range c.R {
			r, err := lit(o)
			if err != nil {
				return "", err
			}
			items = append(items, r)
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
		s, err := RegexCEL(v, ref.Prefix, c.Regex)
		if err != nil {
			return "", err
		}
		if c.Op == "!~" {
			s = "!" + s
		}
		return s, nil
	case "present", "blank":
		s := v + ` != ""`
		if ref.Prefix != "" {
			s = v + ".startsWith(" + strconv.Quote(ref.Prefix) + ")"
		}
		if c.Op == "blank" {
			s = "!(" + s + ")"
		}
		return s, nil
	}
	return "", fmt.Errorf("cannot translate %s", c)
}

// RegexCEL matches the Travis (Ruby, unanchored) regex re against the value v holds
// after prefix. CEL's matches() is RE2 over the whole of v, so with a prefix a leading
// ^ moves behind it and an unanchored regex may start anywhere after it.
func RegexCEL(v, prefix, re string) (string, error) {
	if _, err := regexp.Compile(re); err != nil {
		return "", fmt.Errorf("regex %q: %v", re, err)
	}
	if prefix == "" {
		return v + ".matches(" + strconv.Quote(re) + ")", nil
	}
	tree, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("regex %q: %v", re, err)
	}
	head := "^" + regexp.QuoteMeta(prefix)
	// the usual shapes keep the user's text: ^rest, or no anchor at all
	if !hasBegin(tree) {
		return v + ".matches(" + strconv.Quote(head+".*"+group(tree, re)) + ")", nil
	}
	if rest, ok := strings.CutPrefix(re, "^"); ok && tree.Op != syntax.OpAlternate {
		if t, err := syntax.Parse(rest, syntax.Perl); err == nil && !hasBegin(t) {
			return v + ".matches(" + strconv.Quote(head+group(t, rest)) + ")", nil
		}
	}
	alts := []*syntax.Regexp{tree}
	if tree.Op == syntax.OpAlternate {
		alts = tree.Sub
	}
	var parts []string
	for _, a := range alts {
		anchored := false
		if a.Op == syntax.OpBeginText || a.Op == syntax.OpBeginLine {
			a, anchored = &syntax.Regexp{Op: syntax.OpEmptyMatch}, true
		} else if a.Op == syntax.OpConcat && len(a.Sub) > 0 && (a.Sub[0].Op == syntax.OpBeginText || a.Sub[0].Op == syntax.OpBeginLine) {
			a, anchored = &syntax.Regexp{Op: syntax.OpConcat, Flags: a.Flags, Sub: a.Sub[1:]}, true
		}
		if hasBegin(a) {
			return "", fmt.Errorf("regex %q: a ^ inside a group cannot be moved behind %s", re, prefix)
		}
		s := a.String()
		if !anchored {
			s = ".*(?:" + s + ")"
		}
		parts = append(parts, s)
	}
	return v + ".matches(" + strconv.Quote(head+"(?:"+strings.Join(parts, "|")+")") + ")", nil
}

// group wraps src in (?:) when its top level is an alternation.
func group(t *syntax.Regexp, src string) string {
	if t.Op == syntax.OpAlternate {
		return "(?:" + src + ")"
	}
	return src
}

func hasBegin(r *syntax.Regexp) bool {
	if r.Op == syntax.OpBeginText || r.Op == syntax.OpBeginLine {
		return true
	}
	for _, s := range r.Sub {
		if hasBegin(s) {
			return true
		}
	}
	return false
}

// When is one Tekton when expression.
type When struct {
	Input, Operator string
	Values          []string
}

// WhenParams maps attributes to the Pipeline params that carry them at run time.
var WhenParams = map[string]string{"type": "event-type", "branch": "branch", "tag": "tag"}

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
