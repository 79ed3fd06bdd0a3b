package travis

import (
	"bytes"
	"errors"
	"io"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/yamlpos"
)

// Input limits: Travis files are small, so anything near these is hostile or broken.
const (
	maxFileSize   = 1 << 20
	maxNodes      = 200000 // after alias and merge-key expansion (billion laughs)
	maxDepth      = 64
	maxConfigJobs = 4096 // 20 times Travis's own limit of 200 jobs per build (docs)
)

// mapping is a resolved YAML mapping with its keys in source order.
type mapping struct {
	node *yaml.Node // the mapping node (for its position)
	keys []*yaml.Node
	vals map[string]*yaml.Node
	kpos map[string]*yaml.Node
}

func (m *mapping) get(k string) *yaml.Node {
	if m == nil {
		return nil
	}
	return m.vals[k]
}

func (m *mapping) has(k string) bool { return m != nil && m.kpos[k] != nil }

// keyNode returns the key node of k (for positions), or the mapping node.
func (m *mapping) keyNode(k string) *yaml.Node {
	if n := m.kpos[k]; n != nil {
		return n
	}
	return m.node
}

// parse decodes one .travis.yml into a resolved tree: aliases replaced by their
// targets and merge keys (<<) applied, so later code never sees either.
func parse(path string, data []byte) (*yaml.Node, error) {
	if len(data) > maxFileSize {
		return nil, convert.Errorf(path, 1, 1, "file is larger than %d bytes", maxFileSize)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}, nil // Travis runs one default job
		}
		return nil, yamlError(path, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, convert.Errorf(path, extra.Line, extra.Column, "a .travis.yml holds one YAML document, found a second")
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(path, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}, nil
		}
		root = root.Content[0]
	}
	r := resolver{path: path}
	out, err := r.resolve(root, 0)
	if err != nil {
		return nil, err
	}
	if out.Kind != yaml.MappingNode {
		if out.Tag == "!!null" {
			return &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}, nil // only comments: one default job
		}
		return nil, convert.Errorf(path, out.Line, out.Column, "a .travis.yml must be a mapping of keys, found %s", describe(out))
	}
	return out, nil
}

// yamlError turns a yaml.v3 error ("yaml: line 3: ...") into path:line:col.
func yamlError(path string, err error) error {
	line, msg := yamlpos.Of(err)
	return convert.Errorf(path, max(line, 1), 1, "invalid YAML: %s", msg)
}

type resolver struct {
	path  string
	nodes int
}

func (r *resolver) resolve(n *yaml.Node, depth int) (*yaml.Node, error) {
	r.nodes++
	if r.nodes > maxNodes {
		return nil, convert.Errorf(r.path, n.Line, n.Column, "YAML expands to more than %d nodes (alias bomb?)", maxNodes)
	}
	if depth > maxDepth {
		return nil, convert.Errorf(r.path, n.Line, n.Column, "YAML nesting deeper than %d levels", maxDepth)
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, convert.Errorf(r.path, n.Line, n.Column, "unknown alias %q", n.Value)
		}
		return r.resolve(n.Alias, depth+1)
	case yaml.SequenceNode:
		c := *n
		c.Content = make([]*yaml.Node, 0, len(n.Content))
		for _, e := range n.Content {
			x, err := r.resolve(e, depth+1)
			if err != nil {
				return nil, err
			}
			c.Content = append(c.Content, x)
		}
		return &c, nil
	case yaml.MappingNode:
		return r.resolveMap(n, depth)
	}
	return n, nil
}

// resolveMap applies merge keys: explicit keys win, and among merged maps the first wins.
func (r *resolver) resolveMap(n *yaml.Node, depth int) (*yaml.Node, error) {
	c := *n
	c.Content = nil
	explicit := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if !isMerge(n.Content[i]) {
			explicit[n.Content[i].Value] = true
		}
	}
	seen := map[string]int{} // key -> index in c.Content
	add := func(k, v *yaml.Node, merged bool) {
		if merged && (explicit[k.Value] || seen[k.Value] > 0) {
			return
		}
		if i, ok := seen[k.Value]; ok && i > 0 {
			c.Content[i] = v // a repeated key: the last one wins, as in Ruby's YAML
			return
		}
		c.Content = append(c.Content, k, v)
		seen[k.Value] = len(c.Content) - 1
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMerge(k) {
			src, err := r.resolve(v, depth+1)
			if err != nil {
				return nil, err
			}
			var maps []*yaml.Node
			switch src.Kind {
			case yaml.MappingNode:
				maps = []*yaml.Node{src}
			case yaml.SequenceNode:
				maps = src.Content
			}
			for _, m := range maps {
				if m.Kind != yaml.MappingNode {
					return nil, convert.Errorf(r.path, v.Line, v.Column, "merge key << needs a mapping or a list of mappings")
				}
				for j := 0; j+1 < len(m.Content); j += 2 {
					add(m.Content[j], m.Content[j+1], true)
				}
			}
			if len(maps) == 0 {
				return nil, convert.Errorf(r.path, v.Line, v.Column, "merge key << needs a mapping or a list of mappings")
			}
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return nil, convert.Errorf(r.path, k.Line, k.Column, "mapping keys must be scalars")
		}
		x, err := r.resolve(v, depth+1)
		if err != nil {
			return nil, err
		}
		add(k, x, false)
	}
	return &c, nil
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "!!merge" || k.Tag == "")
}

// asMap views a resolved mapping node as a mapping.
func asMap(n *yaml.Node) *mapping {
	m := &mapping{node: n, vals: map[string]*yaml.Node{}, kpos: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		m.keys = append(m.keys, k)
		m.vals[k.Value] = n.Content[i+1]
		m.kpos[k.Value] = k
	}
	return m
}

// describe names a node's type for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	switch n.Tag {
	case "!!int":
		return "an integer (" + n.Value + ")"
	case "!!float":
		return "a number (" + n.Value + ")"
	case "!!bool":
		return "a boolean (" + n.Value + ")"
	case "!!null":
		return "null"
	}
	return "a string"
}

func isNull(n *yaml.Node) bool { return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") }

// scalars returns a scalar or a list of scalars as strings (the source text, so "3.10" stays "3.10").
func scalars(n *yaml.Node) ([]string, bool) {
	switch {
	case isNull(n):
		return nil, true
	case n.Kind == yaml.ScalarNode:
		return []string{n.Value}, true
	case n.Kind == yaml.SequenceNode:
		var out []string
		for _, e := range n.Content {
			if e.Kind != yaml.ScalarNode {
				return nil, false
			}
			if !isNull(e) {
				out = append(out, e.Value)
			}
		}
		return out, true
	}
	return nil, false
}
