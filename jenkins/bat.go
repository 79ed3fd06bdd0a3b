package jenkins

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/secret"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// batchScript renders a bat script for one cmd.exe line. Each ${expr} of a GString becomes
// %NAME% with the value bound through step env: cmd pastes a variable's value as text before
// it parses the line, as Groovy pasted it. A Jenkins variable or param the script reads as
// %NAME% gets its env too. A batch file reads %% as %, a cmd /C line doesn't, so literal %%
// becomes %. why is set when an expression has no Tekton value (the step can't run).
func (c *conv) batchScript(v *model.Value, sc scope, line int) (script string, env []pipeline.Env, markers []string, why string) {
	seen, addEnv := envAdder(&env)
	var b strings.Builder
	why = c.interpolate(v, sc, line, addEnv,
		func(lit string) { b.WriteString(strings.ReplaceAll(lit, "%%", "%")) },
		func(name string) { b.WriteString("%" + name + "%") })
	if why != "" {
		return "", nil, nil, why
	}
	script = b.String()
	var names []string
	for _, m := range batchNameRE.FindAllStringSubmatch(script, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return script, env, c.byName(slices.Compact(names), "%%%s%%", seen, sc, line, addEnv), ""
}

// interpolate walks a script argument for a shell that reads step env by name: literal text
// goes to lit, and each ${expr} of a GString to read as the env var that holds its value,
// bound through addEnv. why is set when an expression has no Tekton value (the step can't run).
func (c *conv) interpolate(v *model.Value, sc scope, line int, addEnv func(ref), lit, read func(string)) (why string) {
	switch v.Kind {
	case model.String:
		lit(v.Str)
	case model.GString:
		for _, p := range v.Parts {
			if p.Expr == "" {
				lit(p.Lit)
				continue
			}
			r := c.resolve(p.Expr, sc)
			if !r.ok {
				return r.why
			}
			if r.class == convert.Approximated && r.why != "" {
				c.find(line, 0, convert.Approximated, "jenkins-variable", "%s", r.why)
			}
			addEnv(r)
			read(r.name)
		}
	default:
		return "the script is the Groovy expression " + oneLine(v.Raw) + ", computed at run time"
	}
	return ""
}

var batchNameRE = lazyre.New(`%([A-Za-z_][A-Za-z0-9_]*)%`)

// delayedRef is a cmd.exe delayed-expansion reference (!NAME!), not a secret.
var delayedRef = lazyre.New(`^![A-Za-z_]\w*!$`)

// batSecretEnv moves each plain-text secret the Jenkinsfile holds in a cmd.exe line to an env
// var read from key value of a Secret, written %VAR%: cmd pastes a variable's value as text
// before it parses the line, so the line reads as it did with the literal (the sh steps get
// the same from convert/secret/bind, which reads only scripts). A value holding % (cmd would
// have expanded it) or " (the runtime escapes quotes in args) can't move so: ok is false.
func (c *conv) batSecretEnv(line string, at int) (string, []pipeline.Env, bool) {
	hits, ok := c.commandSecrets(secret.ScanCmd, line, `%"`, delayedRef.MatchString)
	if !ok {
		return line, nil, false
	}
	var env []pipeline.Env
	var b strings.Builder
	last := 0
	for _, h := range hits {
		v := line[h.Start:h.End]
		name := c.secretVar(h, v, "bat", "%%%s%%", at)
		env = c.secretEnv(env, name)
		b.WriteString(line[last:h.Start] + "%" + name + "%")
		last = h.End
	}
	b.WriteString(line[last:])
	return b.String(), env, true
}

// commandSecrets finds the plain-text secrets the Jenkinsfile holds in a command's text (scan
// reads the shell's references), leaving generated text and what skip calls a reference; ok is
// false when one holds a character of bad, which the shell reads as syntax in the literal, so an
// env var read would change the command.
func (c *conv) commandSecrets(scan func(string) []secret.Hit, text, bad string, skip func(string) bool) (hits []secret.Hit, ok bool) {
	for _, h := range scan(text) {
		v := text[h.Start:h.End]
		if !strings.Contains(c.srcText, v) || skip(v) {
			continue // generated text, or a reference
		}
		if strings.ContainsAny(v, bad) {
			return nil, false
		}
		hits = append(hits, h)
	}
	return hits, true
}

// secretEnv binds env var name, once, to key value of its Secret.
func (c *conv) secretEnv(env []pipeline.Env, name string) []pipeline.Env {
	if slices.ContainsFunc(env, func(e pipeline.Env) bool { return e.Name == name }) {
		return env
	}
	return append(env, pipeline.Env{Name: name, SecretName: pipeline.Sanitize(c.p.Name + "-" + name), SecretKey: "value",
		Comment: "a plain-text secret of the source's command (create the Secret by hand)"})
}

// secretVar is the env var for secret v: one per value in the file, named as Scan suggests
// unless the Jenkinsfile already says that name; its secret-literal finding, which says the
// kind of command and how it reads the var (read, a format of the name), comes with it, at the
// value's first place from line at on (the step's).
func (c *conv) secretVar(h secret.Hit, v, kind, read string, at int) string {
	if name, ok := c.cmdSecrets[v]; ok {
		return name
	}
	if c.cmdSecrets == nil {
		c.cmdSecrets = map[string]string{}
	}
	taken := func(n string) bool {
		for _, given := range c.cmdSecrets {
			if given == n {
				return true
			}
		}
		return strings.Contains(c.srcText, n)
	}
	name := h.Var
	for n := 2; taken(name); n++ {
		name = h.Var + "_" + strconv.Itoa(n)
	}
	c.cmdSecrets[v] = name
	sec := pipeline.Sanitize(c.p.Name + "-" + name)
	line, col := convert.LineCol([]byte(c.srcText), indexFromLine(c.srcText, v, at))
	f := c.find(line, col, convert.Manual, "secret-literal", "%s in plain text in a %s command: it is not copied; the step reads it from %s, bound from key value of Secret %s; create the Secret, remove the value from %s and revoke it",
		h.What, kind, fmt.Sprintf(read, name), sec, c.base)
	f.Rule = "secret-literal"
	f.Action = fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", sec, name)
	return name
}

// indexFromLine is the offset of v's first place in text at line at (1-based) or after it, else
// its first place anywhere.
func indexFromLine(text, v string, at int) int {
	off := 0
	for n := 1; n < at && off < len(text); n++ {
		k := strings.IndexByte(text[off:], '\n')
		if k < 0 {
			break
		}
		off += k + 1
	}
	if i := strings.Index(text[off:], v); i >= 0 {
		return off + i
	}
	return strings.Index(text, v)
}

// masked is a cmd.exe script with each secret ScanCmd finds shown as secret.Mask, for the
// message of a step that fails loud: it reads no Secret and must not print one. Each secret
// from the Jenkinsfile gets a finding saying so, at its first place from line at on.
func (c *conv) masked(script, kind string, at int) string {
	var b strings.Builder
	last := 0
	for _, h := range secret.ScanCmd(script) {
		if v := script[h.Start:h.End]; strings.Contains(c.srcText, v) {
			line, col := convert.LineCol([]byte(c.srcText), indexFromLine(c.srcText, v, at))
			f := c.find(line, col, convert.Manual, "secret-literal", "%s in plain text in a %s command that fails loud: no step reads it, and the step's message and the output's comments show it redacted; put it in a Secret, remove it from %s and revoke it",
				h.What, kind, c.base)
			f.Rule = "secret-literal"
		}
		b.WriteString(script[last:h.Start] + secret.Mask)
		last = h.End
	}
	return b.String() + script[last:]
}
