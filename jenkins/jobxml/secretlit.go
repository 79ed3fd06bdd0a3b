package jobxml

import (
	"fmt"

	"github.com/beevik/etree"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/secret"
	"github.com/tkn-migrate/tkn-migrate/jenkins/vars"
)

// literalParam handles a string parameter whose default is a plain-text secret as a password
// parameter: steps read it from a Secret, and the default is not copied (secret-literal). Jenkins
// expands nothing in a default, so one glued to ${X} (secret.Value) moves whole.
func (c *conv) literalParam(d *etree.Element, name, def string) bool {
	why, ok := secret.Value(name, def)
	if !ok {
		return false
	}
	sec := pipeline.Sanitize(name)
	f := c.find(d, convert.Manual, "secret-literal", "parameter %s defaults to a plain-text secret (%s): the default is not copied; steps read it from key value of Secret %s; create the Secret, remove the default from config.xml and revoke it", name, why, sec)
	f.Rule = "secret-literal"
	f.Action = fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", sec, name)
	c.env = append(c.env, pipeline.Env{Name: vars.EnvName(name), SecretName: sec, SecretKey: "value"})
	return true
}

// maskSecrets is values with each plain-text secret (secret.Value, as a default of param
// name) replaced by secret.Mask, for a message that lists them.
func maskSecrets(name string, values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = v
		if _, ok := secret.Value(name, v); ok {
			out[i] = secret.Mask
		}
	}
	return out
}
