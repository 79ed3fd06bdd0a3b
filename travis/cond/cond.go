// Package cond parses Travis's condition language (travis-conditions v1) and
// translates what it can: partial evaluation against attributes known at
// conversion time, then Pipelines-as-Code CEL or Tekton when expressions for the rest.
package cond

import (
	"fmt"
	"strings"
)

// Expr is a parsed condition.
type Expr interface{ String() string }

type (
	// Or is a OR b.
	Or struct{ L, R Expr }
	// And is a AND b.
	And struct{ L, R Expr }
	// Not is NOT x.
	Not struct{ X Expr }
	// Cmp is a comparison; Op is one of = != =~ !~ in notin present blank, or "" for a bare operand.
	Cmp struct {
		Op    string
		L     Operand
		R     []Operand
		Regex string
	}
	// Const is a value fixed by partial evaluation.
	Const bool
)

// Operand is an attribute, a literal, or a call of env()/concat().
type Operand struct {
	Attr string
	Lit  string
	Func string
	Args []Operand
}

// Attributes the language knows (lower case only: `BRANCH` is a plain word).
var Attributes = map[string]bool{"type": true, "repo": true, "head_repo": true, "branch": true,
	"head_branch": true, "tag": true, "commit_message": true, "sender": true, "fork": true,
	"os": true, "dist": true, "group": true, "sudo": true, "language": true, "draft": true}

func (o Or) String() string    { return "(" + o.L.String() + " OR " + o.R.String() + ")" }
func (a And) String() string   { return "(" + a.L.String() + " AND " + a.R.String() + ")" }
func (n Not) String() string   { return "NOT " + n.X.String() }
func (c Const) String() string { return fmt.Sprint(bool(c)) }
func (c Cmp) String() string {
	switch c.Op {
	case "":
		return c.L.String()
	case "present", "blank":
		return c.L.String() + " IS " + c.Op
	case "in", "notin":
		var s []string
		for _, r := range c.R {
			s = append(s, r.String())
		}
		op := "IN"
		if c.Op == "notin" {
			op = "NOT IN"
		}
		return c.L.String() + " " + op + " (" + strings.Join(s, ", ") + ")"
	case "=~", "!~":
		if len(c.R) > 0 {
			return c.L.String() + " " + c.Op + " " + c.R[0].String()
		}
		return c.L.String() + " " + c.Op + " /" + c.Regex + "/"
	}
	return c.L.String() + " " + c.Op + " " + c.R[0].String()
}
func (o Operand) String() string {
	switch {
	case o.Attr != "":
		return o.Attr
	case o.Func != "":
		var s []string
		for _, a := range o.Args {
			s = append(s, a.String())
		}
		return o.Func + "(" + strings.Join(s, ", ") + ")"
	}
	return fmt.Sprintf("%q", o.Lit)
}

// Parse parses a condition. Errors give the byte offset in the message.
func Parse(src string) (Expr, error) {
	src = strings.ReplaceAll(src, "\\\n", " ")
	p := &parser{s: src}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i < len(p.s) {
		return nil, fmt.Errorf("unexpected %q at offset %d", p.rest(10), p.i)
	}
	return e, nil
}

type parser struct {
	s string
	i int
}

func (p *parser) rest(n int) string {
	r := p.s[p.i:]
	if len(r) > n {
		r = r[:n]
	}
	return r
}

func (p *parser) ws() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) {
		p.i++
	}
}

// kw consumes a case-insensitive keyword or symbol followed by a boundary.
func (p *parser) kw(words ...string) bool {
	p.ws()
	for _, w := range words {
		if len(p.s)-p.i < len(w) || !strings.EqualFold(p.s[p.i:p.i+len(w)], w) {
			continue
		}
		end := p.i + len(w)
		if isWordByte(w[len(w)-1]) && end < len(p.s) && isWordByte(p.s[end]) {
			continue
		}
		p.i = end
		return true
	}
	return false
}

func isWordByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func (p *parser) or() (Expr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.kw("OR", "||") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = Or{l, r}
	}
	return l, nil
}

func (p *parser) and() (Expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.kw("AND", "&&") {
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = And{l, r}
	}
	return l, nil
}

func (p *parser) unary() (Expr, error) {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '(' {
		p.i++
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return nil, fmt.Errorf("missing ) at offset %d", p.i)
		}
		p.i++
		return e, nil
	}
	save := p.i
	if p.kw("NOT") || (p.i < len(p.s) && p.s[p.i] == '!' && !strings.HasPrefix(p.s[p.i:], "!=") && !strings.HasPrefix(p.s[p.i:], "!~") && p.adv(1)) {
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return Not{x}, nil
	}
	p.i = save
	return p.term()
}

func (p *parser) adv(n int) bool { p.i += n; return true }

func (p *parser) term() (Expr, error) {
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	save := p.i
	switch {
	case p.kw("IS"):
		neg := p.kw("NOT")
		var pred string
		switch {
		case p.kw("present"):
			pred = "present"
		case p.kw("blank"):
			pred = "blank"
		case p.kw("true"):
			return maybeNot(Cmp{Op: "=", L: l, R: []Operand{{Lit: "true"}}}, neg), nil
		case p.kw("false"):
			return maybeNot(Cmp{Op: "=", L: l, R: []Operand{{Lit: "false"}}}, neg), nil
		default:
			return nil, fmt.Errorf("expected present, blank, true or false at offset %d", p.i)
		}
		return maybeNot(Cmp{Op: pred, L: l}, neg), nil
	case p.kw("NOT"):
		if !p.kw("IN") {
			return nil, fmt.Errorf("expected IN after NOT at offset %d", p.i)
		}
		list, err := p.list()
		return Cmp{Op: "notin", L: l, R: list}, err
	case p.kw("IN"):
		list, err := p.list()
		return Cmp{Op: "in", L: l, R: list}, err
	}
	p.i = save
	p.ws()
	for _, op := range []string{"=~", "~=", "!~", "==", "!=", "="} {
		if strings.HasPrefix(p.s[p.i:], op) {
			p.i += len(op)
			switch op {
			case "=~", "~=", "!~":
				if op == "~=" {
					op = "=~"
				}
				p.ws()
				if rest := strings.ToLower(p.s[p.i:]); strings.HasPrefix(rest, "env(") || strings.HasPrefix(rest, "concat(") {
					r, err := p.operand() // a regex built at evaluation time
					return Cmp{Op: op, L: l, R: []Operand{r}}, err
				}
				re, err := p.regex()
				if op == "~=" {
					op = "=~"
				}
				return Cmp{Op: op, L: l, Regex: re}, err
			case "==":
				op = "="
			}
			r, err := p.operand()
			return Cmp{Op: op, L: l, R: []Operand{r}}, err
		}
	}
	return Cmp{L: l}, nil
}

func maybeNot(e Expr, neg bool) Expr {
	if neg {
		return Not{e}
	}
	return e
}

func (p *parser) list() ([]Operand, error) {
	p.ws()
	if p.i >= len(p.s) || p.s[p.i] != '(' {
		return nil, fmt.Errorf("expected ( at offset %d", p.i)
	}
	p.i++
	var out []Operand
	for {
		o, err := p.operand()
		if err != nil {
			return nil, err
		}
		out = append(out, o)
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ')' {
			p.i++
			return out, nil
		}
		return nil, fmt.Errorf("expected , or ) at offset %d", p.i)
	}
}

func (p *parser) regex() (string, error) {
	p.ws()
	if p.i >= len(p.s) {
		return "", fmt.Errorf("missing regex at offset %d", p.i)
	}
	if p.s[p.i] == '/' {
		j := p.i + 1
		for j < len(p.s) && p.s[j] != '/' {
			if p.s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(p.s) {
			return "", fmt.Errorf("unterminated regex at offset %d", p.i)
		}
		re := p.s[p.i+1 : j]
		p.i = j + 1
		return re, nil
	}
	j := p.i
	for j < len(p.s) && !strings.ContainsRune(" \t\r\n", rune(p.s[j])) {
		j++
	}
	re := p.s[p.i:j]
	if strings.HasSuffix(re, ")") {
		// a bare regex must not end in ")": the paren closes a group
		re = strings.TrimRight(re, ")")
		j = p.i + len(re)
	}
	if re == "" {
		return "", fmt.Errorf("missing regex at offset %d", p.i)
	}
	p.i = j
	return re, nil
}

func (p *parser) operand() (Operand, error) {
	p.ws()
	if p.i >= len(p.s) {
		return Operand{}, fmt.Errorf("unexpected end of condition")
	}
	c := p.s[p.i]
	if c == '"' || c == '\'' {
		j := strings.IndexByte(p.s[p.i+1:], c)
		if j < 0 {
			return Operand{}, fmt.Errorf("unterminated string at offset %d", p.i)
		}
		lit := p.s[p.i+1 : p.i+1+j]
		p.i += j + 2
		return Operand{Lit: lit}, nil
	}
	j := p.i
	for j < len(p.s) && !strings.ContainsRune(" \t\r\n()\"',=!", rune(p.s[j])) {
		j++
	}
	w := p.s[p.i:j]
	if w == "" {
		return Operand{}, fmt.Errorf("unexpected %q at offset %d", p.rest(10), p.i)
	}
	if strings.HasPrefix(w, "$") {
		return Operand{}, fmt.Errorf("unquoted %q: variables are not allowed (use env(NAME))", w)
	}
	lw := strings.ToLower(w)
	if (lw == "env" || lw == "concat") && j < len(p.s) && p.s[j] == '(' {
		p.i = j + 1
		var args []Operand
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ')' {
			p.i++
			return Operand{Func: lw}, nil
		}
		for {
			a, err := p.operand()
			if err != nil {
				return Operand{}, err
			}
			args = append(args, a)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ')' {
				p.i++
				break
			}
			return Operand{}, fmt.Errorf("expected , or ) at offset %d", p.i)
		}
		if lw == "env" && (len(args) != 1 || args[0].Lit == "") {
			return Operand{}, fmt.Errorf("env() takes one variable name")
		}
		return Operand{Func: lw, Args: args}, nil
	}
	p.i = j
	// An attribute only counts when a boundary follows it; `branch!=x` compares the word.
	if Attributes[w] && (j == len(p.s) || strings.ContainsRune(" \t\r\n,=)|", rune(p.s[j]))) {
		return Operand{Attr: w}, nil
	}
	return Operand{Lit: w}, nil
}
