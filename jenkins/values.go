package jenkins

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/internal/shellquote"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
	"github.com/tkn-migrate/tkn-migrate/jenkins/vars"
)

// lit returns a value's text when it is a constant (string, number, bool).
func lit(v *model.Value) (string, bool) {
	if v == nil {
		return "", false
	}
	switch v.Kind {
	case model.String, model.Number, model.Bool:
		return v.Str, true
	case model.GString:
		// A GString without expressions is constant.
		var b strings.Builder
		for _, p := range v.Parts {
			if p.Expr != "" {
				return "", false
			}
			b.WriteString(p.Lit)
		}
		return b.String(), true
	}
	return "", false
}

// arg returns the named argument, else the i-th positional one.
func arg(s *model.Step, name string, i int) *model.Value {
	if v := s.Arg(name); v != nil {
		return v
	}
	if i >= 0 {
		return s.Positional(i)
	}
	return nil
}

func litArg(s *model.Step, name string, i int) (string, bool) { return lit(arg(s, name, i)) }

var (
	identRE  = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)
	paramsRE = lazyre.New(`^params(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[['"]([^'"]+)['"]\])$`)
	envRE    = lazyre.New(`^env\.([A-Za-z_][A-Za-z0-9_]*)$`)
	// upperRE: Jenkins resolves bare names to env vars, and ALL_CAPS names are env vars by convention.
	upperRE = lazyre.New(`^[A-Z][A-Z0-9_]*$`)
)

// ref is how one Groovy expression reaches a step: as an env var the script reads.
type ref struct {
	name  string // env var name
	value string // env value (Pipeline-level expression or literal); "" when the var already exists in scope
	ok    bool
	why   string // when !ok or approximated: the reason
	class convert.Class
}

// resolve maps a Groovy expression inside a string or condition to an env var.
func (c *conv) resolve(expr string, sc scope) ref {
	expr = strings.TrimSpace(expr)
	if m := paramsRE.FindStringSubmatch(expr); m != nil {
		n := m[1] + m[2]
		if !c.params[n] && sc.hasEnv(n) {
			return ref{name: n, ok: true, class: convert.Converted} // password params come from a Secret
		}
		c.implicitParam(n, 0)
		return ref{name: envName(n), value: paramRef(n), ok: true, class: convert.Converted}
	}
	if v, field, ok := strings.Cut(expr, "."); ok && c.scmVars[v] {
		if jv, ok := vars.Lookup(field); ok {
			return c.jenkinsVar(jv) // def scmVars = checkout(scm): scmVars.GIT_COMMIT
		}
	}
	if line, ok := c.captured[expr]; ok {
		// Groovy's own variable beats an env var of the same name: the shell would read an unset one.
		return ref{why: fmt.Sprintf("%s holds the output of the step at line %d, which Tekton does not pass to later steps", expr, line), class: convert.Manual}
	}
	name := expr
	if m := envRE.FindStringSubmatch(expr); m != nil {
		name = m[1]
	} else if !identRE.MatchString(expr) {
		return ref{why: "Groovy expression ${" + expr + "} is evaluated by Jenkins", class: convert.Manual}
	}
	if sc.hasEnv(name) || c.setEnvs[name] {
		return ref{name: name, ok: true, class: convert.Converted} // env.X = ... earlier: every later step gets it
	}
	if v, ok := vars.Lookup(name); ok {
		return c.jenkinsVar(v)
	}
	if why := vars.Unmappable(name); why != "" {
		return ref{why: "$" + name + " has no Tekton value: " + why, class: convert.Manual}
	}
	if c.params[name] {
		return ref{name: name, value: paramRef(name), ok: true, class: convert.Converted}
	}
	if l, ok := c.literals[name]; ok {
		return ref{name: name, value: l, ok: true, class: convert.Converted}
	}
	if strings.HasPrefix(expr, "env.") || upperRE.MatchString(expr) {
		// An env var set outside what we see (agent, plugin): the shell still reads it.
		return ref{name: name, ok: true, class: convert.Approximated, why: name + " is not set anywhere in the file; it is read from the step's environment"}
	}
	return ref{why: "Groovy variable " + expr + " is not known statically", class: convert.Manual}
}

// jenkinsVar binds a Jenkins build variable.
func (c *conv) jenkinsVar(v vars.Var) ref {
	val := v.Value
	if c.checkout && v.Checkout != "" {
		val = v.Checkout
	} else if v.PipelineParam != "" {
		c.need(v.PipelineParam, v.RunValue)
	}
	return ref{name: v.Name, value: val, ok: true, class: v.Class, why: v.Note}
}

// envName makes a param name usable as an env var name.
func envName(n string) string {
	if identRE.MatchString(n) {
		return n
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, n)
}

// shell renders a sh/bat script argument. Single-quoted text is kept verbatim; each ${expr} of
// a GString becomes a shell variable reference with the value bound through step env.
// Unresolvable expressions become ${GROOVY_EXPR_n:?...} so the shell fails loudly, plus a marker.
func (c *conv) shell(v *model.Value, sc scope, line int) (script string, env []pipeline.Env, markers []string) {
	seen, addEnv := envAdder(&env)
	var b strings.Builder
	var quoting shellTracker
	switch v.Kind {
	case model.String:
		b.WriteString(v.Str)
	case model.GString:
		for _, p := range v.Parts {
			if p.Expr == "" {
				b.WriteString(p.Lit)
				quoting.write(p.Lit)
				continue
			}
			r := c.resolve(p.Expr, sc)
			if !r.ok {
				c.unresolved++
				n := fmt.Sprintf("GROOVY_EXPR_%d", c.unresolved)
				x, _ := quoting.expansion(n + ":?not converted, see the marker")
				b.WriteString(x)
				quoting.write(x)
				markers = append(markers, c.marker(line, 0, convert.Manual, "groovy-interpolation", "%s; set %s for this step", r.why, n))
				continue
			}
			if r.class == convert.Approximated && r.why != "" {
				c.find(line, 0, convert.Approximated, "jenkins-variable", "%s", r.why)
			}
			addEnv(r)
			// Groovy pasted the value wherever it stood; the shell must expand it there too.
			x, expands := quoting.expansion(r.name)
			if !expands {
				markers = append(markers, c.marker(line, 0, convert.Manual, "groovy-interpolation",
					"${%s} stands in a quoted here-document, where the shell expands nothing: Jenkins pasted its value there; unquote the delimiter if the body has no other $, ` or \\", p.Expr))
			}
			b.WriteString(x)
			quoting.write(x)
		}
	default:
		m := c.marker(line, 0, convert.Manual, "script-expression", "script is the Groovy expression %s, computed at run time", oneLine(v.Raw))
		c.unresolved++
		n := fmt.Sprintf("GROOVY_EXPR_%d", c.unresolved)
		return fmt.Sprintf("eval \"${%s:?not converted, see the marker}\"\n", n), nil, []string{m}
	}
	script = b.String()
	// The shell also reads Jenkins variables and params by name ($BUILD_NUMBER, $MY_PARAM).
	markers = append(markers, c.byName(shellNames(script), "$%s", seen, sc, line, addEnv)...)
	return script, env, markers
}

// envAdder returns the names bound so far and what binds r as step env, once per name.
func envAdder(env *[]pipeline.Env) (map[string]bool, func(ref)) {
	seen := map[string]bool{}
	return seen, func(r ref) {
		if r.value != "" && !seen[r.name] {
			seen[r.name] = true
			*env = append(*env, pipeline.Env{Name: r.name, Value: r.value})
		}
	}
}

// byName binds, through addEnv, the Jenkins variables and params a script reads by name
// (written as show writes them, "$%s" for sh), skipping seen ones and those in scope; a
// variable with no Tekton value gets a marker.
func (c *conv) byName(names []string, show string, seen map[string]bool, sc scope, line int, addEnv func(ref)) (markers []string) {
	for _, n := range names {
		if seen[n] || sc.hasEnv(n) {
			continue
		}
		if vv, ok := vars.Lookup(n); ok {
			r := c.jenkinsVar(vv)
			if r.class == convert.Approximated {
				c.find(line, 0, convert.Approximated, "jenkins-variable", show+": %s", n, r.why)
			}
			addEnv(r)
		} else if why := vars.Unmappable(n); why != "" {
			markers = append(markers, c.marker(line, 0, convert.Manual, "jenkins-variable", show+" has no Tekton value: %s", n, why))
		} else if c.params[n] {
			addEnv(ref{name: n, value: paramRef(n)})
		}
	}
	return markers
}

var shellNameRE = lazyre.New(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

func shellNames(script string) []string {
	set := map[string]bool{}
	for _, m := range shellNameRE.FindAllStringSubmatch(script, -1) {
		set[m[1]] = true
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// envValue renders a value for a step env entry (no shell involved): literals as they are,
// ${params.X} and Jenkins variables as Tekton references, earlier env vars as $(NAME).
func (c *conv) envValue(v *model.Value, sc scope, line int) (string, bool) {
	return c.envValueOf(v, sc, "")
}

// envValueOf is envValue for the env entry self, whose own name refers to its previous value.
func (c *conv) envValueOf(v *model.Value, sc scope, self string) (string, bool) {
	if s, ok := lit(v); ok {
		return strings.ReplaceAll(s, "$(", "$$("), true
	}
	if v == nil || v.Kind != model.GString {
		return "", false
	}
	var b strings.Builder
	for _, p := range v.Parts {
		if p.Expr == "" {
			b.WriteString(strings.ReplaceAll(p.Lit, "$(", "$$("))
			continue
		}
		r := c.resolve(p.Expr, sc)
		switch {
		case !r.ok:
			return "", false
		case r.value == "" && r.name == self:
			// NAME = "${NAME}-x" extends the previous value, which the new entry replaces.
			for _, e := range sc.env {
				if e.Name == self && e.SecretName == "" {
					b.WriteString(e.Value)
				}
			}
		case r.value == "":
			b.WriteString("$(" + r.name + ")")
		default:
			b.WriteString(r.value)
		}
	}
	return b.String(), true
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return shellquote.Single(s) }

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " ..."
	}
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// implicitParam declares a param the file reads but does not define (the job config did).
func (c *conv) implicitParam(n string, line int) {
	if c.params[n] {
		return
	}
	c.params[n] = true
	empty := ""
	c.p.Params = append(c.p.Params, pipeline.Param{Name: paramName(n), Description: "read as params." + n + " but not declared in the Jenkinsfile", Default: &empty})
	c.find(line, 0, convert.Approximated, "implicit-param", "params.%s is read but not declared in the file (the job configuration defined it); declared with an empty default", n)
}

// staticString evaluates a string whose ${} parts are env entries or Groovy variables with
// constant values (dir("${BASE_DIR}") with BASE_DIR = 'src' in environment {}).
func (c *conv) staticString(v *model.Value, sc scope) (string, bool) {
	return c.expandString(v, sc, false)
}

// paramString is staticString that also spells env entries holding a Tekton param reference
// (matrix axes) as that reference, for fields Tekton substitutes params in (a step image).
func (c *conv) paramString(v *model.Value, sc scope) (string, bool) {
	return c.expandString(v, sc, true)
}

func (c *conv) expandString(v *model.Value, sc scope, params bool) (string, bool) {
	if s, ok := lit(v); ok {
		return s, true
	}
	if v != nil && v.Kind == model.Expr && identRE.MatchString(strings.TrimSpace(v.Raw)) {
		s, ok := c.literals[strings.TrimSpace(v.Raw)] // node(label), label bound to a literal
		return s, ok
	}
	if v == nil || v.Kind != model.GString {
		return "", false
	}
	var b strings.Builder
	for _, p := range v.Parts {
		if p.Expr == "" {
			b.WriteString(p.Lit)
			continue
		}
		name := strings.TrimSpace(p.Expr)
		if m := envRE.FindStringSubmatch(name); m != nil {
			name = m[1]
		}
		val, ok := literalEnv(name, sc, 0)
		if !ok {
			val, ok = c.literals[name]
		}
		if e, found := sc.lookupEnv(name); !ok && params && found && paramRefRE.MatchString(e.Value) {
			val, ok = e.Value, true
		}
		if !ok {
			return "", false
		}
		b.WriteString(strings.ReplaceAll(val, "$$(", "$("))
	}
	return b.String(), true
}

// paramName is the Tekton param for a Jenkins parameter name.
func paramName(n string) string { return vars.TektonParam(n) }

func paramRef(n string) string { return "$(params." + paramName(n) + ")" }

var envRefRE = lazyre.New(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// literalEnv returns an env entry's value when it is constant, expanding $(OTHER) references
// to earlier constant entries (BASE_DIR = "src/${REPO}" with REPO = 'x').
func literalEnv(name string, sc scope, depth int) (string, bool) {
	if depth > 8 {
		return "", false
	}
	for i := len(sc.env) - 1; i >= 0; i-- {
		e := sc.env[i]
		if e.Name != name {
			continue
		}
		if e.SecretName != "" || pipelineRef.MatchString(e.Value) {
			return "", false
		}
		ok := true
		v := envRefRE.ReplaceAllStringFunc(strings.ReplaceAll(e.Value, "$$(", "\x00"), func(m string) string {
			x, found := literalEnv(m[2:len(m)-1], scope{env: sc.env[:i]}, depth+1)
			if !found {
				ok = false
			}
			return x
		})
		return strings.ReplaceAll(v, "\x00", "$("), ok
	}
	return "", false
}

var paramRefRE = lazyre.New(`^\$\(params\.[A-Za-z0-9_-]+\)$`)
