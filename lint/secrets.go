package lint

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert/secret"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// checkSecretLiterals: TKN204, a credential written in plain text as an env value, a param
// value, a param default or inside a step script, where anyone who can read the object (or the run) reads it. The
// detector is the converters' (convert/secret), so lint and convert agree on what a secret is.
func checkSecretLiterals(in *input) {
	for _, d := range in.docs {
		if d.Root.Kind != yaml.MappingNode || !tekton(d) {
			continue
		}
		yamldoc.Walk(d.Root, func(n *yaml.Node) {
			if n.Kind != yaml.MappingNode {
				return
			}
			if sc := yamldoc.Get(n, "script"); sc != nil && sc.Kind == yaml.ScalarNode {
				for _, msg := range secret.InScript(sc.Value) {
					in.report("TKN204", "", d.Path, sc, msg)
				}
			}
			name := yamldoc.Get(n, "name")
			if name == nil || name.Kind != yaml.ScalarNode {
				return
			}
			for _, key := range []string{"value", "default"} {
				v := yamldoc.Get(n, key)
				if v == nil || v.Kind != yaml.ScalarNode {
					continue
				}
				why, ok := secret.Value(name.Value, v.Value)
				if !ok {
					continue
				}
				what := name.Value
				if key == "default" {
					what = "the default of " + what
				}
				in.report("TKN204", "", d.Path, v, fmt.Sprintf("%s is a plain-text secret (%s): put it in a Secret and read it with valueFrom.secretKeyRef (env) or a Secret-backed workspace", what, why))
			}
		})
	}
}
