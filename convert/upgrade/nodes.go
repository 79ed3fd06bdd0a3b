package upgrade

import (
	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// Small helpers over yaml.v3 nodes (the node type kyaml wraps). Edits keep key
// order: a renamed or moved key stays where the old one was.

func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// path follows mapping keys.
func path(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		m = get(m, k)
	}
	return m
}

func keyIndex(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

func keyNode(m *yaml.Node, key string) *yaml.Node {
	if i := keyIndex(m, key); i >= 0 {
		return m.Content[i]
	}
	return nil
}

func str(m *yaml.Node, key string) string {
	if n := get(m, key); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// del removes key and returns its value.
func del(m *yaml.Node, key string) *yaml.Node {
	i := keyIndex(m, key)
	if i < 0 {
		return nil
	}
	v := m.Content[i+1]
	m.Content = append(m.Content[:i], m.Content[i+2:]...)
	return v
}

// set replaces the value of key, or inserts key before the first of before
// that exists (appending when none does).
func set(m *yaml.Node, key string, v *yaml.Node, before ...string) {
	if i := keyIndex(m, key); i >= 0 {
		m.Content[i+1] = v
		return
	}
	at := len(m.Content)
	for _, b := range before {
		if i := keyIndex(m, b); i >= 0 && i < at {
			at = i
		}
	}
	insertAt(m, at, key, v)
}

func insertAt(m *yaml.Node, at int, key string, v *yaml.Node) {
	kv := []*yaml.Node{scalar(key), v}
	m.Content = append(m.Content[:at], append(kv, m.Content[at:]...)...)
}

// rename changes a key in place, keeping its position and comments.
func rename(m *yaml.Node, from, to string) bool {
	if k := keyNode(m, from); k != nil && keyIndex(m, to) < 0 {
		k.Value = to
		return true
	}
	return false
}

func scalar(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}

func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(kv); i += 2 {
		var v *yaml.Node
		switch x := kv[i+1].(type) {
		case string:
			v = scalar(x)
		case *yaml.Node:
			v = x
		}
		m.Content = append(m.Content, scalar(kv[i].(string)), v)
	}
	return m
}

func seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

func strSeq(vs ...string) *yaml.Node {
	s := seq()
	for _, v := range vs {
		s.Content = append(s.Content, scalar(v))
	}
	return s
}

func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// ensureSeq returns the sequence at key, creating it (before the given keys) when absent.
func ensureSeq(m *yaml.Node, key string, before ...string) *yaml.Node {
	if s := get(m, key); s != nil && s.Kind == yaml.SequenceNode {
		return s
	}
	s := seq()
	set(m, key, s, before...)
	return s
}

// ensureMap returns the mapping at key, creating it when absent.
func ensureMap(m *yaml.Node, key string, before ...string) *yaml.Node {
	if s := get(m, key); s != nil && s.Kind == yaml.MappingNode {
		return s
	}
	s := mapping()
	set(m, key, s, before...)
	return s
}

// byName finds the item of a sequence of mappings whose name is name.
func byName(s *yaml.Node, name string) *yaml.Node {
	for _, it := range items(s) {
		if str(it, "name") == name {
			return it
		}
	}
	return nil
}

// walkScalars calls f on every scalar below n.
func walkScalars(n *yaml.Node, f func(*yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		f(n)
		return
	}
	for _, c := range n.Content {
		walkScalars(c, f)
	}
}

// walkValues calls f on every scalar that is not a mapping key.
func walkValues(n *yaml.Node, f func(*yaml.Node)) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.ScalarNode:
		f(n)
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			walkValues(n.Content[i], f)
		}
	default:
		for _, c := range n.Content {
			walkValues(c, f)
		}
	}
}

// clone deep-copies a node tree.
func clone(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = clone(x)
	}
	if n.Alias != nil {
		c.Alias = n.Alias // aliases keep pointing at their anchor in the original tree
	}
	return &c
}

// addComment appends a line comment to n.
func addComment(n *yaml.Node, c string) {
	c = convert.Printable(c)
	if n.LineComment != "" {
		n.LineComment += " " + c
		return
	}
	n.LineComment = c
}

// addHeadComment adds a comment line above n.
func addHeadComment(n *yaml.Node, c string) {
	c = convert.Printable(c)
	if n.HeadComment != "" {
		n.HeadComment += "\n" + c
		return
	}
	n.HeadComment = c
}

// firstKey names the first key of a mapping, to insert before it; "" when empty.
func firstKey(m *yaml.Node) string {
	if m == nil || len(m.Content) == 0 {
		return ""
	}
	return m.Content[0].Value
}

// carryComments puts the comments of a removed node on the first of its replacements:
// head comments above it, line comments after its first value.
func carryComments(from *yaml.Node, to []*yaml.Node) {
	if len(to) == 0 || to[0].Kind != yaml.MappingNode || len(to[0].Content) < 2 {
		return
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.HeadComment != "" {
			addHeadComment(to[0], n.HeadComment)
		}
		if n.LineComment != "" {
			addComment(to[0].Content[1], n.LineComment)
		}
		if n.FootComment != "" {
			addHeadComment(to[0], n.FootComment)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(from)
}
