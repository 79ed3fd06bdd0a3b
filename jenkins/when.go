package jenkins

import (
	"fmt"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/internal/shellquote"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
	"github.com/tkn-migrate/tkn-migrate/jenkins/vars"
)

// cond is a when condition compiled for Tekton: a plain when expression where one exists,
// and always a shell test for a guard task.
type cond struct {
	simple []pipeline.When // non-nil when the condition is an AND of in/notin tests
	shell  string          // POSIX test evaluating the condition
	env    []pipeline.Env  // env the shell test reads
	ok     bool
	why    string
	approx []string
}

// when applies a stage's when block: a Tekton when expression if the condition is plain
// equality on params or build variables, else a guard task whose result the stage's tasks test.
// Conditions we can't evaluate become a marker (and, with placeholders, a failing guard).
func (c *conv) when(w *model.When, sc scope, stage string) scope {
	return c.whenGuard(w, sc, stage, true)
}

// whenGuard is when; placeholder false never adds a failing guard (the marker is enough).
func (c *conv) whenGuard(w *model.When, sc scope, stage string, placeholder bool) scope {
	all := c.allOf(w.Conditions, sc)
	for _, a := range all.approx {
		c.find(w.Line, w.Col, convert.Approximated, "when", "%s", a)
	}
	if all.ok && all.simple != nil {
		sc.when = append(append([]pipeline.When(nil), sc.when...), all.simple...)
		c.find(w.Line, w.Col, convert.Converted, "when", "when on stage %q → Tekton when", stage)
		return sc
	}
	guard := &pipeline.Task{Name: c.names.Name("when-" + stage), Results: []string{"run"}, Image: "docker.io/library/busybox:1.36",
		// It only reads (fileExists): read-only, it can run beside any writer.
		Workspaces: []pipeline.Binding{{Name: pipeline.SourceWorkspace, Value: pipeline.SourceWorkspace, ReadOnly: true}}}
	if !all.ok {
		m := c.marker(w.Line, w.Col, convert.Manual, "when", "when condition on stage %q is not converted: %s", stage, all.why)
		if !c.opts.Placeholders || !placeholder {
			sc.comments = append(sc.comments, m)
			return sc
		}
		guard.Comments = []string{c.from(w.Line, "when of stage("+quoteGroovy(stage)+")")}
		guard.Steps = []pipeline.Step{c.placeholder(w.Line, "when", m, "when condition: "+all.why)}
	} else {
		guard.Comments = []string{c.from(w.Line, "when of stage("+quoteGroovy(stage)+")"),
			"Tekton when expressions only test equality, so this task evaluates the condition"}
		guard.Steps = []pipeline.Step{{Name: "evaluate", Env: all.env,
			Script: fmt.Sprintf("if %s; then run=true; else run=false; fi\necho \"stage %s runs: $run\"\nprintf %%s \"$run\" > \"$(results.run.path)\"\n", all.shell, shellquote.Double(stage))}}
		c.find(w.Line, w.Col, convert.Converted, "when", "when on stage %q → guard task %s and a when on its result", stage, guard.Name)
	}
	c.bindTask(guard)
	c.p.Tasks = append(c.p.Tasks, guard)
	sc.when = append(append([]pipeline.When(nil), sc.when...), pipeline.When{Input: "$(tasks." + guard.Name + ".results.run)", Operator: "in", Values: []string{"true"}})
	return sc
}

func (c *conv) allOf(cs []model.Condition, sc scope) cond {
	out := cond{ok: true, simple: []pipeline.When{}}
	var tests []string
	for _, x := range cs {
		r := c.condition(x, sc)
		out.approx = append(out.approx, r.approx...)
		if !r.ok {
			return cond{why: r.why, approx: out.approx}
		}
		tests = append(tests, r.shell)
		out.env = mergeEnv(out.env, r.env)
		if out.simple != nil && r.simple != nil {
			out.simple = append(out.simple, r.simple...)
		} else {
			out.simple = nil
		}
	}
	if len(tests) == 0 {
		out.shell = "true"
	} else {
		out.shell = "{ " + strings.Join(tests, " && ") + "; }"
	}
	return out
}

func mergeEnv(a, b []pipeline.Env) []pipeline.Env {
	for _, e := range b {
		dup := false
		for _, x := range a {
			if x.Name == e.Name {
				dup = true
			}
		}
		if !dup {
			a = append(a, e)
		}
	}
	return a
}

// operand binds a Jenkins variable, param or env var for a condition: its env entry and a
// Pipeline-level reference usable in a Tekton when input ("" if none).
func (c *conv) operand(name string, sc scope) (env pipeline.Env, input string, ok bool) {
	if m := paramsRE.FindStringSubmatch(name); m != nil {
		n := m[1] + m[2]
		if !c.params[n] && sc.hasEnv(n) {
			for _, e := range sc.env {
				if e.Name == n {
					return e, "", true
				}
			}
		}
		c.implicitParam(n, 0)
		return pipeline.Env{Name: envName(n), Value: paramRef(n)}, paramRef(n), true
	}
	if m := envRE.FindStringSubmatch(name); m != nil {
		name = m[1]
	}
	for _, e := range sc.env {
		if e.Name == name {
			if e.SecretName == "" && pipelineRef.MatchString(e.Value) && pipelineRef.FindString(e.Value) == e.Value {
				return e, e.Value, true
			}
			if e.SecretName == "" && e.Value != "" && !strings.Contains(e.Value, "$(") {
				// A literal env value: the when input is the constant itself.
				return e, e.Value, true
			}
			return e, "", true
		}
	}
	if v, ok := vars.Lookup(name); ok {
		r := c.jenkinsVar(v)
		return pipeline.Env{Name: name, Value: r.value}, r.value, true
	}
	if c.params[name] {
		return pipeline.Env{Name: name, Value: paramRef(name)}, paramRef(name), true
	}
	return pipeline.Env{}, "", false
}

var globChars = lazyre.New(`[*?\[]`)

// equalityOnly reports whether Tekton's case-sensitive "in" decides pattern as the Jenkins
// comparator does: EQUALS, or a GLOB (case-insensitive in Jenkins) with no wildcard and no letters.
func equalityOnly(pattern, comparator string) bool {
	switch strings.ToUpper(comparator) {
	case "EQUALS":
		return true
	case "", "GLOB":
		return !globChars.MatchString(pattern) && strings.ToLower(pattern) == strings.ToUpper(pattern)
	}
	return false
}

// match builds the shell test of "$VAR matches pattern" for a Jenkins comparator.
func match(v, pattern, comparator string) (string, bool) {
	switch strings.ToUpper(comparator) {
	case "EQUALS":
		return fmt.Sprintf(`[ "$%s" = %s ]`, v, shellQuote(pattern)), true
	case "REGEXP":
		return fmt.Sprintf(`printf '%%s' "$%s" | grep -Eqx %s`, v, shellQuote(pattern)), true
	case "", "GLOB":
		// Ant's path match, case-insensitive as branch/tag/changeRequest call it (PMD
		// Comparator.GLOB): ** crosses "/", * and ? do not.
		return fmt.Sprintf(`printf '%%s' "$%s" | grep -Eiqx %s`, v, shellQuote(antRegex(pattern))), true
	}
	return "", false
}

// antRegex turns an Ant glob into an extended regular expression for grep -x.
func antRegex(g string) string {
	var b strings.Builder
	for i := 0; i < len(g); i++ {
		switch {
		case strings.HasPrefix(g[i:], "**/"):
			b.WriteString("(.*/)?") // Ant's **/ also matches no directory
			i += 2
		case strings.HasPrefix(g[i:], "**"):
			b.WriteString(".*")
			i++
		case g[i] == '*':
			b.WriteString("[^/]*")
		case g[i] == '?':
			b.WriteString("[^/]")
		case strings.IndexByte(`\.+()|{}[]^$`, g[i]) >= 0:
			b.WriteByte('\\')
			b.WriteByte(g[i])
		default:
			b.WriteByte(g[i])
		}
	}
	return b.String()
}

// condition compiles one when condition.
func (c *conv) condition(x model.Condition, sc scope) cond {
	pat := func() (string, string, bool) {
		p, ok := litArg(&model.Step{Args: x.Args}, "pattern", 0)
		cmp, _ := litArg(&model.Step{Args: x.Args}, "comparator", -1)
		return p, cmp, ok
	}
	switch x.Name {
	case "branch":
		p, cmp, ok := pat()
		if !ok {
			return cond{why: "branch pattern is not a literal: " + oneLine(x.Raw)}
		}
		env, input, _ := c.operand("BRANCH_NAME", sc)
		test, ok := match("BRANCH_NAME", p, cmp)
		if !ok {
			return cond{why: "unknown comparator " + cmp}
		}
		// BRANCH_NAME is bound per run as Jenkins multibranch sets it: PR-<n> on pull requests.
		r := cond{ok: true, shell: test, env: []pipeline.Env{env}}
		if equalityOnly(p, cmp) && input != "" {
			r.simple = []pipeline.When{{Input: input, Operator: "in", Values: []string{p}}}
		}
		return r
	case "buildingTag":
		env, input, _ := c.operand("TAG_NAME", sc)
		r := cond{ok: true, shell: `[ -n "$TAG_NAME" ]`, env: []pipeline.Env{env}}
		r.simple = []pipeline.When{{Input: input, Operator: "notin", Values: []string{""}}}
		return r
	case "tag":
		p, cmp, ok := pat()
		env, input, _ := c.operand("TAG_NAME", sc)
		if !ok || p == "" {
			return cond{ok: true, shell: `[ -n "$TAG_NAME" ]`, env: []pipeline.Env{env}, simple: []pipeline.When{{Input: input, Operator: "notin", Values: []string{""}}}}
		}
		test, ok := match("TAG_NAME", p, cmp)
		if !ok {
			return cond{why: "unknown comparator " + cmp}
		}
		r := cond{ok: true, shell: `[ -n "$TAG_NAME" ] && ` + test, env: []pipeline.Env{env}}
		if equalityOnly(p, cmp) {
			r.simple = []pipeline.When{{Input: input, Operator: "in", Values: []string{p}}}
		}
		return r
	case "changeRequest":
		env, input, _ := c.operand("CHANGE_ID", sc)
		r := cond{ok: true, shell: `[ -n "$CHANGE_ID" ]`, env: []pipeline.Env{env}, simple: []pipeline.When{{Input: input, Operator: "notin", Values: []string{""}}}}
		cmp, _ := litArg(&model.Step{Args: x.Args}, "comparator", -1)
		if cmp == "" {
			cmp = "EQUALS"
		}
		for _, a := range x.Args {
			if a.Name == "" || a.Name == "comparator" {
				continue
			}
			if a.Name != "target" && a.Name != "branch" {
				return cond{why: "changeRequest " + a.Name + ": PaC exposes no such pull-request field portably"}
			}
			v, ok := lit(&a.Value)
			if !ok {
				return cond{why: "changeRequest " + a.Name + " is not a literal"}
			}
			varName := map[string]string{"target": "CHANGE_TARGET", "branch": "CHANGE_BRANCH"}[a.Name]
			e, in, _ := c.operand(varName, sc)
			test, ok := match(varName, v, cmp)
			if !ok {
				return cond{why: "unknown comparator " + cmp}
			}
			r.shell += " && " + test
			r.env = mergeEnv(r.env, []pipeline.Env{e})
			if equalityOnly(v, cmp) {
				r.simple = append(r.simple, pipeline.When{Input: in, Operator: "in", Values: []string{v}})
			} else {
				r.simple = nil
			}
		}
		return r
	case "environment":
		name, ok1 := litArg(&model.Step{Args: x.Args}, "name", -1)
		value, ok2 := litArg(&model.Step{Args: x.Args}, "value", -1)
		if !ok1 || !ok2 {
			return cond{why: "environment condition is not literal: " + oneLine(x.Raw)}
		}
		env, input, ok := c.operand(name, sc)
		if !ok {
			return cond{why: "environment variable " + name + " is not set in the Jenkinsfile"}
		}
		if ic, _ := litArg(&model.Step{Args: x.Args}, "ignoreCase", -1); ic == "true" {
			return cond{ok: true, shell: fmt.Sprintf(`[ "$(printf '%%s' "$%s" | tr A-Z a-z)" = %s ]`, env.Name, shellQuote(strings.ToLower(value))), env: []pipeline.Env{env}}
		}
		r := cond{ok: true, shell: fmt.Sprintf(`[ "$%s" = %s ]`, env.Name, shellQuote(value)), env: []pipeline.Env{env}}
		if input != "" {
			r.simple = []pipeline.When{{Input: input, Operator: "in", Values: []string{value}}}
		}
		return r
	case "equals":
		exp, ok1 := litArg(&model.Step{Args: x.Args}, "expected", -1)
		act := model.ArgNamed(x.Args, "actual")
		if !ok1 || act == nil {
			return cond{why: "equals needs a literal expected value: " + oneLine(x.Raw)}
		}
		if a, ok := lit(act); ok {
			if a == exp {
				return cond{ok: true, shell: "true", simple: []pipeline.When{}}
			}
			return cond{ok: true, shell: "false"}
		}
		return c.compare(strings.TrimSpace(act.Raw), "==", exp, sc)
	case "expression":
		return c.expression(x, sc)
	case "not":
		if len(x.Children) != 1 {
			return cond{why: "not needs exactly one condition"}
		}
		r := c.condition(x.Children[0], sc)
		if !r.ok {
			return r
		}
		out := cond{ok: true, shell: "! { " + r.shell + "; }", env: r.env, approx: r.approx}
		if len(r.simple) == 1 {
			w := r.simple[0]
			w.Operator = map[string]string{"in": "notin", "notin": "in"}[w.Operator]
			out.simple = []pipeline.When{w}
		}
		return out
	case "allOf":
		return c.allOf(x.Children, sc)
	case "anyOf":
		out := cond{ok: true}
		var tests []string
		for _, ch := range x.Children {
			r := c.condition(ch, sc)
			if !r.ok {
				return r
			}
			out.approx = append(out.approx, r.approx...)
			tests = append(tests, "{ "+r.shell+"; }")
			out.env = mergeEnv(out.env, r.env)
		}
		if len(tests) == 0 {
			tests = []string{"false"}
		}
		out.shell = "{ " + strings.Join(tests, " || ") + "; }"
		return out
	case "changeset", "changelog":
		return cond{why: x.Name + " needs the commit history of the build (PaC on-path-change applies to the whole PipelineRun)"}
	case "triggeredBy":
		return cond{why: "triggeredBy: Tekton runs carry no Jenkins build cause (split runs by PaC event instead)"}
	case "isRestartedRun":
		return cond{ok: true, shell: "false", approx: []string{"isRestartedRun is always false: Tekton cannot restart from a stage"}}
	}
	return cond{why: "unknown condition " + oneLine(x.Raw)}
}

var (
	exprCmp  = lazyre.New(`^(?:return\s+)?([A-Za-z_][\w.]*(?:\[['"][^'"]+['"]\])?)\s*(==|!=)\s*(?:'([^']*)'|"([^"$]*)"|(true|false|-?\d+))\s*;?$`)
	exprLit  = lazyre.New(`^(?:return\s+)?(true|false)\s*;?$`)
	exprLits = lazyre.New(`^(?:return\s+)?(?:'([^']*)'|"([^"$]*)")\s*(==|!=)\s*(?:'([^']*)'|"([^"$]*)")\s*;?$`)
	exprFile = lazyre.New(`^(?:return\s+)?(!?)\s*fileExists\s*\(?\s*(?:'([^']*)'|"([^"$]*)")\s*\)?\s*;?$`)
	exprCmpR = lazyre.New(`^(?:return\s+)?(?:'([^']*)'|"([^"$]*)")\s*(==|!=)\s*([A-Za-z_][\w.]*)\s*;?$`)
	exprBool = lazyre.New(`^(?:return\s+)?(!?)\s*(params\.[A-Za-z_]\w*|env\.[A-Za-z_]\w*)\s*;?$`)
	exprRe   = lazyre.New(`^(?:return\s+)?([A-Za-z_][\w.]*)\s*==~\s*/(.*)/\s*;?$`)
)

// expression recognises the usual expression { } forms; other Groovy can't be evaluated statically.
func (c *conv) expression(x model.Condition, sc scope) cond {
	var body string
	if len(x.Args) > 0 && x.Args[0].Value.Kind == model.Closure {
		body = strings.TrimSpace(x.Args[0].Value.Str)
	}
	if m := exprLit.FindStringSubmatch(body); m != nil {
		return constCond(m[1] == "true")
	}
	if m := exprLits.FindStringSubmatch(body); m != nil {
		eq := m[1]+m[2] == m[4]+m[5]
		return constCond(eq == (m[3] == "=="))
	}
	if m := exprFile.FindStringSubmatch(body); m != nil {
		// Evaluated in the workspace by a guard task (or a step's shell test).
		test := "[ -e " + shellQuote(m[2]+m[3]) + " ]"
		if m[1] == "!" {
			test = "[ ! -e " + shellQuote(m[2]+m[3]) + " ]"
		}
		return cond{ok: true, shell: test}
	}
	if m := exprCmp.FindStringSubmatch(body); m != nil {
		return c.compare(m[1], m[2], m[3]+m[4]+m[5], sc)
	}
	if m := exprCmpR.FindStringSubmatch(body); m != nil {
		return c.compare(m[4], m[3], m[1]+m[2], sc)
	}
	if m := exprBool.FindStringSubmatch(body); m != nil {
		// Boolean params are the strings "true"/"false" in Tekton.
		op := "=="
		if m[1] == "!" {
			op = "!="
		}
		return c.compare(m[2], op, "true", sc)
	}
	if m := exprRe.FindStringSubmatch(body); m != nil {
		env, _, ok := c.operand(m[1], sc)
		if !ok {
			return cond{why: "expression reads " + m[1] + ", which is not known statically"}
		}
		return cond{ok: true, shell: fmt.Sprintf(`printf '%%s' "$%s" | grep -Eqx %s`, env.Name, shellQuote(m[2])), env: []pipeline.Env{env},
			approx: []string{"Java regex " + m[2] + " evaluated with grep -E"}}
	}
	return cond{why: "expression { " + oneLine(body) + " } is Groovy evaluated at run time"}
}

// compare builds "<operand> == / != literal".
func (c *conv) compare(operand, op, value string, sc scope) cond {
	env, input, ok := c.operand(operand, sc)
	if !ok {
		return cond{why: operand + " is not known statically"}
	}
	test := fmt.Sprintf(`[ "$%s" = %s ]`, env.Name, shellQuote(value))
	w := pipeline.When{Input: input, Operator: "in", Values: []string{value}}
	if op == "!=" {
		test = fmt.Sprintf(`[ "$%s" != %s ]`, env.Name, shellQuote(value))
		w.Operator = "notin"
	}
	r := cond{ok: true, shell: test, env: []pipeline.Env{env}}
	if input != "" {
		r.simple = []pipeline.When{w}
	}
	return r
}

// constCond is a condition known when converting: true needs no when; false gets one that
// never holds, so the stage shows as skipped, as in Jenkins.
func constCond(v bool) cond {
	if v {
		return cond{ok: true, shell: "true", simple: []pipeline.When{}}
	}
	return cond{ok: true, shell: "false", simple: []pipeline.When{{Input: "false", Operator: "in", Values: []string{"true"}}}}
}
