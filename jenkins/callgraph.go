package jenkins

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// funcCalls returns the file's own functions a function body calls (plain calls: a method of
// the script shadows a step of the same name in Jenkins).
func (c *conv) funcCalls(f *model.Step) []string {
	var out []string
	model.Walk(f.Body, func(s *model.Step) bool {
		if s.Kind == model.Call && s.Receiver == nil && c.funcs[s.Name] != nil {
			out = append(out, s.Name)
		}
		return s.Kind != model.Func
	})
	return out
}

// recursive reports whether a function reaches itself through the file's static call graph;
// such a call can't be inlined (its depth is decided at run time).
func (c *conv) recursive(name string) bool {
	seen := map[string]bool{}
	var reach func(n string) bool
	reach = func(n string) bool {
		for _, m := range c.funcCalls(c.funcs[n]) {
			if m == name {
				return true
			}
			if !seen[m] {
				seen[m] = true
				if reach(m) {
					return true
				}
			}
		}
		return false
	}
	return reach(name)
}

// structural reports whether statements contain stage, parallel or node calls, directly or
// through the file's own functions they call, which shape the task graph rather than the steps
// of one task.
func (c *conv) structural(ss []*model.Step) bool {
	return c.structuralSeen(ss, map[string]bool{})
}

func (c *conv) structuralSeen(ss []*model.Step, seen map[string]bool) bool {
	for _, s := range ss {
		if s.Kind == model.Call {
			switch s.Path() {
			case "stage", "parallel", "node":
				return true
			}
			if f := c.funcs[s.Name]; f != nil && s.Receiver == nil && !seen[s.Name] {
				seen[s.Name] = true
				if c.structuralSeen(f.Body, seen) {
					return true
				}
			}
		}
		if c.structuralSeen(s.Body, seen) || c.structuralSeen(s.Else, seen) || c.structuralSeen(s.Finally, seen) {
			return true
		}
	}
	return false
}

// funcCall handles a call of one of the file's own functions: inlined through the static call
// graph (fn converts the body with the arguments bound), or a marker when it recurses.
func (c *conv) funcCall(ch *chain, s *model.Step, f *model.Step, sc scope, fn func()) {
	if c.recursive(f.Name) || c.inlining >= 8 {
		c.inlined[f.Name] = true // its source is in this marker
		c.manual(ch, s, sc, true, "recursion", "function %s calls itself (through the file's call graph): how deep it goes is decided at run time; %s", f.Name, original(f))
		return
	}
	saved := c.bindParams(s, f)
	c.find(s.Line, s.Col, convert.Converted, "inline", "call of helper function %s (defined at line %d) → its steps inlined", f.Name, f.Line)
	c.inlined[f.Name] = true
	c.inlining++
	fn()
	c.inlining--
	c.restoreParams(saved)
}

// bindParams binds a function's parameters to the call's literal arguments, returning the
// literals they hid.
func (c *conv) bindParams(s *model.Step, f *model.Step) map[string]*string {
	saved := map[string]*string{}
	for i, p := range f.Params {
		fs := splitParam(p)
		if fs == "" {
			continue
		}
		if _, done := saved[fs]; !done {
			if old, ok := c.literals[fs]; ok {
				saved[fs] = &old
			} else {
				saved[fs] = nil
			}
		}
		v := s.Positional(i)
		if v == nil {
			v = model.ArgNamed(s.Args, fs)
		}
		l, ok := lit(v)
		if v == nil && i < len(f.Defaults) {
			l, ok = literalText(f.Defaults[i]) // an omitted argument takes the parameter's default
		}
		if ok {
			c.literals[fs] = l
		} else {
			delete(c.literals, fs)
		}
	}
	return saved
}

func (c *conv) restoreParams(saved map[string]*string) {
	for name, old := range saved {
		if old == nil {
			delete(c.literals, name)
		} else {
			c.literals[name] = *old
		}
	}
}

// splitParam is a parameter's name: `String target = 'x'` → target.
func splitParam(p string) string {
	f := strings.Fields(strings.SplitN(p, "=", 2)[0])
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// literalText is the value of a constant Groovy literal written in source ('x', "x" without
// interpolation, a number, true/false); ok is false for anything else.
func literalText(src string) (string, bool) {
	if len(src) >= 2 && (src[0] == '\'' || src[0] == '"') && src[len(src)-1] == src[0] {
		body := src[1 : len(src)-1]
		if strings.ContainsAny(body, "\\"+string(src[0])) || src[0] == '"' && strings.Contains(body, "$") {
			return "", false
		}
		return body, true
	}
	if src == "true" || src == "false" || numberRE.MatchString(src) {
		return src, true
	}
	return "", false
}

var numberRE = lazyre.New(`^-?[0-9]+(\.[0-9]+)?$`)
