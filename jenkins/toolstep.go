package jenkins

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
	"github.com/tkn-migrate/tkn-migrate/jenkins/tools"
)

// toolKinds reads a tool type: the tools {} symbol, or the installation class the tool step's
// type: names (hudson.model.JDK, hudson.tasks.Maven$MavenInstallation, ...).
var toolKinds = []struct {
	re   *lazyre.Regexp
	kind string
}{
	{lazyre.New(`(?i)maven|mvn|^M\d|M2_HOME`), "maven"},
	{lazyre.New(`(?i)gradle`), "gradle"},
	{lazyre.New(`(?i)node`), "nodejs"},
	{lazyre.New(`(?i)jdk|java|openjdk|temurin`), "jdk"},
	{lazyre.New(`(?i)^go(lang)?([-_ ]?\d|$)|GOROOT|golang`), "go"},
}

// toolKind works out a tool's kind from the step's type:, else the env var it sets
// (JAVA_HOME), else its installation name.
func toolKind(typ, envVar, name string) string {
	for _, s := range []string{typ, envVar, name} {
		if s == "" {
			continue
		}
		if tools.Known(strings.ToLower(s)) {
			return strings.ToLower(s)
		}
		for _, k := range toolKinds {
			if k.re.MatchString(s) {
				return k.kind
			}
		}
	}
	return ""
}

// toolStep applies tool 'name' (or tool name: 'x', type: 'jdk') to the scope as tools {} does:
// the steps after it run in an image carrying the tool, which sets its own JAVA_HOME/PATH.
func (c *conv) toolStep(s *model.Step, envVar string, sc scope) (scope, bool) {
	name, ok := c.staticString(arg(s, "name", 0), sc)
	if !ok {
		return sc, false
	}
	typ, _ := litArg(s, "type", -1)
	kind := toolKind(typ, envVar, name)
	if kind == "" {
		return sc, false
	}
	sc.tools = sc.tools.With(kind, name)
	img, exact := sc.tools.Image()
	class := convert.Converted
	if !exact {
		class = convert.Approximated
	}
	c.find(s.Line, s.Col, class, "tools", "tool %s %q → image %s for the steps after it (the image sets its own home and PATH)", kind, name, img)
	return sc, true
}

// toolExpr matches a tool step inside a GString: ${tool 'jdk8'}, ${tool name: 'x', type: 'jdk'}.
var toolExpr = lazyre.New(`^tool\b`)

// withEnvTool handles withEnv(["JAVA_HOME=${tool 'jdk8'}"]) and "PATH+MAVEN=${tool 'M3'}/bin":
// the tool picks the image, and the entry is dropped since the image sets the variable.
func (c *conv) withEnvTool(item *model.Value, sc scope) (scope, bool) {
	if item.Kind != model.GString {
		return sc, false
	}
	key := ""
	for _, p := range item.Parts {
		if p.Expr == "" {
			if key == "" {
				key, _, _ = strings.Cut(p.Lit, "=")
			}
			continue
		}
		if !toolExpr.MatchString(strings.TrimSpace(p.Expr)) {
			continue
		}
		f, err := parseFile("tool", []byte(strings.TrimSpace(p.Expr)))
		if err != nil || f.Script == nil || len(f.Script.Stmts) != 1 || f.Script.Stmts[0].Kind != model.Call {
			return sc, false
		}
		st := f.Script.Stmts[0]
		st.Line, st.Col = item.Line, item.Col
		return c.toolStep(st, strings.Split(key, "+")[0], sc)
	}
	return sc, false
}
