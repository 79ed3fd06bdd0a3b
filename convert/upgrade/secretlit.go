package upgrade

import (
	"net/url"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/secret"
)

// literal keeps a plain-text credential a PipelineResource holds out of the output: the
// param it would become is left empty (a URL keeps everything but its password), and a
// secret-literal finding at the binding names the field and where its value must go.
func (s *docState) literal(at *yaml.Node, field, value string) string {
	why, ok := secret.Literal(field, value)
	if !ok {
		return value
	}
	kept := ""
	if u, err := url.Parse(value); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		kept = u.String()
	}
	what := "its value is"
	if kept != "" {
		what = "its password is"
	}
	msg := "binding " + str(at, "name") + ": field " + field + " of the PipelineResource is a plain-text secret (" + why + "); " + what + " not copied: put it in a Secret and pass it at run time"
	for _, f := range s.findings {
		if f.Rule == "secret-literal" && f.Message == msg && f.Line == s.line(at) {
			return kept
		}
	}
	s.note(at, convert.Manual, "secret-literal", "%s", msg)
	return kept
}

// envLiterals reports each env entry of the object whose value is a plain-text secret, and each
// secret in a step script: the file keeps it (an upgrade changes no values), but a human must
// move it to a Secret.
func (s *docState) envLiterals(n *yaml.Node) {
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 64 {
			return
		}
		if n.Kind == yaml.MappingNode {
			for _, e := range items(get(n, "env")) {
				name, v := str(e, "name"), get(e, "value")
				if v == nil || v.Kind != yaml.ScalarNode {
					continue
				}
				if why, ok := secret.Value(name, v.Value); ok {
					s.note(v, convert.Manual, "secret-literal", "env %s is a plain-text secret (%s): put it in a Secret and read it with valueFrom.secretKeyRef", name, why)
				}
			}
			if sc := get(n, "script"); sc != nil && sc.Kind == yaml.ScalarNode {
				for _, msg := range secret.InScript(sc.Value) {
					s.note(sc, convert.Manual, "secret-literal", "%s", msg)
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
}
