package jenkins

import (
	"fmt"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// secretName turns a credentials id into a Secret name. A literal id is sanitized; an
// interpolated one ("kubeconfig-${CLUSTER}") whose parts are params or matrix axes keeps them
// as Tekton references, which Tekton substitutes in a secretKeyRef name, so each run reads the
// Secret of its own value. dynamic is true then, and examples lists the Secrets the known
// values (param defaults) need.
func (c *conv) secretName(v *model.Value, sc scope) (name string, dynamic bool, examples []string, ok bool) {
	if id, ok := lit(v); ok && id != "" {
		return pipeline.Sanitize(id), false, nil, true
	}
	if v == nil || v.Kind != model.GString {
		return "", false, nil, false
	}
	var b, ex strings.Builder
	for _, p := range v.Parts {
		if p.Expr == "" {
			b.WriteString(strings.ToLower(p.Lit))
			ex.WriteString(strings.ToLower(p.Lit))
			continue
		}
		n := strings.TrimSpace(p.Expr)
		if m := paramsRE.FindStringSubmatch(n); m != nil {
			n = m[1] + m[2]
		} else if m := envRE.FindStringSubmatch(n); m != nil {
			n = m[1]
		}
		if e, found := sc.lookupEnv(n); found && paramRefRE.MatchString(e.Value) && e.SecretName == "" {
			b.WriteString(e.Value) // a matrix axis: the cell's own value
			ex.WriteString("<" + n + ">")
			continue
		}
		if !c.params[n] {
			return "", false, nil, false
		}
		b.WriteString(paramRef(n))
		def := "<" + n + ">"
		for _, q := range c.p.Params {
			if q.Name == paramName(n) && q.Default != nil && *q.Default != "" {
				def = strings.ToLower(*q.Default)
			}
		}
		ex.WriteString(def)
	}
	return b.String(), true, []string{ex.String()}, true
}

// secretFinding is the manual finding for a credential turned into a Secret reference: the
// Secret to create, and for an interpolated id the name pattern every value needs.
func (c *conv) secretFinding(line, col int, what, id, secret string, dynamic bool, examples []string, action string) {
	if !dynamic {
		c.find(line, col, convert.Manual, "credentials", "%s %q → Secret %s", what, id, secret).Action = fmt.Sprintf(action, secret)
		return
	}
	c.find(line, col, convert.Manual, "credentials", "%s with interpolated id %s → Secret %s, named per run from its params; create one Secret for every value the params take (e.g. %s)", what, id, secret, strings.Join(examples, ", ")).Action =
		fmt.Sprintf(action, examples[0])
}
