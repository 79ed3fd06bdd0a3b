package jenkins

import (
	"fmt"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// configFileProvider([configFile(fileId: 'settings', variable: 'MAVEN_SETTINGS')]) { ... }:
// each managed file becomes a Secret-backed workspace (settings files often hold passwords),
// its variable the file's path there, and targetLocation a copy made before each shell step.
func (c *conv) configFileProvider(ch *chain, s *model.Step, sc scope) {
	l := arg(s, "managedFiles", 0)
	if l == nil || l.Kind != model.List {
		c.wrapper(ch, s, sc)
		return
	}
	var env []pipeline.Env
	for i := range l.List {
		f := &l.List[i]
		if f.Kind != model.CallVal || f.Call == nil || f.Call.Name != "configFile" {
			ch.comment(c.marker(f.Line, f.Col, convert.Manual, "config-file", "managed file %s is not converted", oneLine(f.Raw)))
			continue
		}
		id, ok := c.staticString(arg(f.Call, "fileId", -1), sc)
		if !ok {
			ch.comment(c.marker(f.Line, f.Col, convert.Manual, "config-file", "managed file %s has no literal fileId", oneLine(f.Raw)))
			continue
		}
		secret := "config-" + pipeline.Sanitize(id)
		ws := c.secretWorkspace(secret)
		sc.workspaces = append(sc.workspaces, ws)
		path := "$(workspaces." + ws + ".path)/file"
		if v, ok := litArg(f.Call, "variable", -1); ok && v != "" {
			env = append(env, pipeline.Env{Name: v, Value: path})
		}
		if t, ok := litArg(f.Call, "targetLocation", -1); ok && t != "" {
			sc.prelude = append(append([]string(nil), sc.prelude...), fmt.Sprintf("mkdir -p \"$(dirname %s)\" && cp \"%s\" %s", shellQuote(t), path, shellQuote(t)))
		}
		c.find(f.Line, f.Col, convert.Manual, "config-file", "managed config file %q → Secret %s mounted as workspace %s (its path in the variable); create it from the file's content in Jenkins (Managed files)", id, secret, ws).Action =
			fmt.Sprintf("kubectl create secret generic %s --from-file=file=<the managed file>", secret)
	}
	c.steps(ch, s.Body, sc.withEnv(env...))
}
