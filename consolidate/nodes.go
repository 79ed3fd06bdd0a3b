package consolidate

import (
	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

func deepCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = deepCopy(k)
	}
	return &c
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

func pair(m *yaml.Node, k string, v *yaml.Node) { m.Content = append(m.Content, scalar(k), v) }

// setName sets metadata.name.
func setName(root *yaml.Node, name string) {
	if v := yamldoc.Get(yamldoc.Get(root, "metadata"), "name"); v != nil {
		v.Value = name
	}
}

// addParam declares a string param of the shared Pipeline, after the ones it has.
func addParam(root *yaml.Node, name string) {
	spec := yamldoc.Get(root, "spec")
	ps := yamldoc.Get(spec, "params")
	if ps == nil {
		ps = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		// params come first in a Pipeline spec
		spec.Content = append([]*yaml.Node{scalar("params"), ps}, spec.Content...)
	}
	p := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	pair(p, "name", scalar(name))
	pair(p, "type", scalar("string"))
	pair(p, "description", scalar("Differs between the repositories sharing this Pipeline; each run passes its own."))
	ps.Content = append(ps.Content, p)
}

// setRef replaces a PipelineRun's pipelineRef by a resolver reference.
func setRef(run *yaml.Node, ref catalog.Ref) {
	pr := yamldoc.Get(yamldoc.Get(run, "spec"), "pipelineRef")
	pr.Content = nil
	pair(pr, "resolver", scalar(ref.Resolver))
	ps := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, p := range ref.Params {
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		pair(m, "name", scalar(p.Name))
		pair(m, "value", scalar(p.Value))
		ps.Content = append(ps.Content, m)
	}
	pair(pr, "params", ps)
}

// addRunParam passes a value to the shared Pipeline from a PipelineRun.
func addRunParam(run *yaml.Node, name, value string) {
	spec := yamldoc.Get(run, "spec")
	ps := yamldoc.Get(spec, "params")
	if ps == nil {
		ps = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		pair(spec, "params", ps)
	}
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	pair(m, "name", scalar(name))
	pair(m, "value", scalar(value))
	ps.Content = append(ps.Content, m)
}
