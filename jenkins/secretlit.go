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
	why, ok := secret.Literal(name, value)
	if !ok {
		return pipeline.Env{Name: name, Value: value}
	}
	sec := pipeline.Sanitize(name)
	f := c.find(line, col, convert.Manual, "secret-literal", "environment %s is a plain-text secret (%s): it is not copied; steps read it from key value of Secret %s; create the Secret, remove the value from the Jenkinsfile and revoke it", name, why, sec)
	f.Rule = "secret-literal"
	f.Action = fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", sec, name)
	return pipeline.Env{Name: name, SecretName: sec, SecretKey: "value"}
}

// literalParam handles a string parameter whose default is a plain-text secret as a password
// parameter: steps read it from a Secret, and the default is not copied (secret-literal).
func (c *conv) literalParam(line, col int, name, def string) bool {
	why, ok := secret.Literal(name, def)
	if !ok {
		return false
	}
	sec := pipeline.Sanitize(name)
	f := c.find(line, col, convert.Manual, "secret-literal", "parameter %s defaults to a plain-text secret (%s): the default is not copied; steps read it from key value of Secret %s; create the Secret, remove the default from the Jenkinsfile and revoke it", name, why, sec)
	f.Rule = "secret-literal"
	f.Action = fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", sec, name)
	c.passwordEnv = append(c.passwordEnv, pipeline.Env{Name: name, SecretName: sec, SecretKey: "value"})
	return true
}
