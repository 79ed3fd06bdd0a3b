package jenkins

import (
	"fmt"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/secret"
)

// literalEnv is environment NAME = 'value': a plain-text secret is bound from a Secret
// (secret-literal) instead of being copied into the output.
func (c *conv) literalEnv(name string, line, col int, value string) pipeline.Env {
	if env, ok := c.fromSecret(secret.Literal, line, col, "environment %s is a plain-text secret (%s): it is not copied", "value", name, value); ok {
		return env
	}
	return pipeline.Env{Name: name, Value: value}
}

// literalParam handles a string parameter whose default is a plain-text secret as a password
// parameter: steps read it from a Secret, and the default is not copied (secret-literal). Jenkins
// expands nothing in a default, so one glued to ${X} (secret.Value) moves whole.
func (c *conv) literalParam(line, col int, name, def string) bool {
	env, ok := c.fromSecret(secret.Value, line, col, "parameter %s defaults to a plain-text secret (%s): the default is not copied", "default", name, def)
	if ok {
		c.passwordEnv = append(c.passwordEnv, env)
	}
	return ok
}

// fromSecret is the env that reads name from key value of a Secret named after it, with the
// secret-literal finding (head names the variable and why, never the value), when value is a
// plain-text secret by judge; what is the word for the value removed from the Jenkinsfile.
func (c *conv) fromSecret(judge func(name, value string) (string, bool), line, col int, head, what, name, value string) (pipeline.Env, bool) {
	why, ok := judge(name, value)
	if !ok {
		return pipeline.Env{}, false
	}
	sec := c.secretNames.Name(pipeline.Sanitize(name), value) // a variable holding two secrets binds two Secrets
	f := c.find(line, col, convert.Manual, "secret-literal", head+"; steps read it from key value of Secret %s; create the Secret, remove the %s from the Jenkinsfile and revoke it", name, why, sec, what)
	f.Rule = "secret-literal"
	f.Action = fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", sec, name)
	return pipeline.Env{Name: name, SecretName: sec, SecretKey: "value"}, true
}
