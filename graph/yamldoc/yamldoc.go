// Package yamldoc splits a multi-document YAML stream into documents whose nodes
// carry absolute line numbers, with limits so that no input can exhaust memory.
package yamldoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// Limits on one document; they bound the work a hostile input can cause.
const (
	MaxDepth = 200
	MaxNodes = 100000
)

// Doc is one non-empty document of a stream.
type Doc struct {
	Path       string
	Root       *yaml.Node // the top-level mapping (or whatever the document holds)
	APIVersion string
	Kind       string
	Name       string
	Comment    string // comments on the document node itself (above the first key, set apart)
}

// Line is the document's first line (its root node).
func (d *Doc) Line() int { return d.Root.Line }

// Parse decodes every document of data. Errors are *convert.PosError.
func Parse(path string, data []byte) ([]*Doc, error) {
	var docs []*Doc
	err := Stream(path, data, func(d *Doc) { docs = append(docs, d) })
	return docs, err
}

// Stream decodes the documents of data one at a time, calling fn with each, as Parse returns
// them: a caller that drops each document holds one tree at a time. Errors are *convert.PosError.
func Stream(path string, data []byte, fn func(*Doc)) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return convert.YAMLError(path, err)
		}
		if n.Kind != yaml.DocumentNode || len(n.Content) == 0 {
			continue
		}
		root := n.Content[0]
		if err := check(root); err != nil {
			return convert.Errorf(path, root.Line, root.Column, "%v", err)
		}
		if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			continue
		}
		fn(&Doc{
			Path:       path,
			Root:       root,
			APIVersion: Str(root, "apiVersion"),
			Kind:       Str(root, "kind"),
			Name:       Str(root, "metadata", "name"),
			Comment:    strings.TrimSpace(n.HeadComment + "\n" + n.FootComment),
		})
	}
}

// check bounds nesting depth and alias expansion.
func check(n *yaml.Node) error {
	budget := MaxNodes
	var walk func(n *yaml.Node, depth int) error
	walk = func(n *yaml.Node, depth int) error {
		if depth > MaxDepth {
			return fmt.Errorf("YAML nested too deeply (limit %d)", MaxDepth)
		}
		if budget--; budget < 0 {
			return fmt.Errorf("YAML too large after alias expansion (limit %d nodes)", MaxNodes)
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			return walk(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(n, 0)
}

// Deref follows aliases.
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < MaxDepth; i++ {
		n = n.Alias
	}
	return n
}

// Get walks mapping keys; it returns nil when any step is missing or not a mapping.
func Get(n *yaml.Node, keys ...string) *yaml.Node {
	n = Deref(n)
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = Deref(n.Content[i+1])
				break
			}
		}
		n = next
	}
	return n
}

// Key returns the key node of k in mapping n, for positions.
func Key(n *yaml.Node, k string) *yaml.Node {
	n = Deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == k {
			return n.Content[i]
		}
	}
	return nil
}

// Str is the scalar value at keys, or "".
func Str(n *yaml.Node, keys ...string) string {
	v := Get(n, keys...)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// Items is the content of a sequence at keys, or nil.
func Items(n *yaml.Node, keys ...string) []*yaml.Node {
	v := Get(n, keys...)
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, len(v.Content))
	for i, c := range v.Content {
		out[i] = Deref(c)
	}
	return out
}

// Pairs is the key/value list of a mapping at keys, aliases followed.
func Pairs(n *yaml.Node, keys ...string) [][2]*yaml.Node {
	v := Get(n, keys...)
	if v == nil || v.Kind != yaml.MappingNode {
		return nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(v.Content); i += 2 {
		out = append(out, [2]*yaml.Node{v.Content[i], Deref(v.Content[i+1])})
	}
	return out
}

// Walk calls fn on every node under n (aliases followed once, bounded by check).
func Walk(n *yaml.Node, fn func(*yaml.Node)) {
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > MaxDepth {
			return
		}
		n = Deref(n)
		if n == nil {
			return
		}
		fn(n)
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
}

// Comments gathers every comment attached to nodes under n.
func Comments(n *yaml.Node) string {
	var b strings.Builder
	Walk(n, func(x *yaml.Node) {
		for _, c := range []string{x.HeadComment, x.LineComment, x.FootComment} {
			if c != "" {
				b.WriteString(c)
				b.WriteByte('\n')
			}
		}
	})
	return b.String()
}
