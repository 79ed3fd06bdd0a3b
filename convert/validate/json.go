package validate

import (
	"encoding/json"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"
)

// appendJSON appends the JSON that sigs.k8s.io/yaml's YAMLToJSON (YAML 1.1, as kubectl
// reads) makes of the document n was parsed from, and reports true; or reports false when
// some scalar could read differently under YAML 1.1 than under yaml.v3's 1.2, or the node
// uses what this does not mirror (tags, anchors, merge keys, duplicate or non-string keys).
// Then the caller converts the text itself, so the kubectl reading guarantee holds.
func appendJSON(b []byte, n *yaml.Node) ([]byte, bool) { return jsonWriter{}.append(b, n) }

// jsonWriter is appendJSON with one node, hole, written by fill instead (see pieces).
type jsonWriter struct {
	hole *yaml.Node
	fill func([]byte) ([]byte, bool)
}

func (w jsonWriter) append(b []byte, n *yaml.Node) ([]byte, bool) {
	if n == w.hole && n != nil {
		return w.fill(b)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return b, false
		}
		return w.append(b, n.Content[0])
	case yaml.MappingNode:
		if n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
			return b, false
		}
		type pair struct {
			key string
			val *yaml.Node
		}
		pairs := make([]pair, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || scalarKind(k) != "str" || k.Value == "<<" {
				return b, false
			}
			pairs = append(pairs, pair{k.Value, n.Content[i+1]})
		}
		// YAMLToJSON goes through a Go map: keys come out sorted, and a duplicate would collapse.
		sort.Slice(pairs, func(i, j int) bool { return pairs[i].key < pairs[j].key })
		b = append(b, '{')
		for i, p := range pairs {
			if i > 0 {
				if pairs[i-1].key == p.key {
					return b, false
				}
				b = append(b, ',')
			}
			b = appendString(b, p.key)
			b = append(b, ':')
			var ok bool
			if b, ok = w.append(b, p.val); !ok {
				return b, false
			}
		}
		return append(b, '}'), true
	case yaml.SequenceNode:
		if n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
			return b, false
		}
		b = append(b, '[')
		for i, c := range n.Content {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = w.append(b, c); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	case yaml.ScalarNode:
		switch scalarKind(n) {
		case "str":
			return appendString(b, n.Value), true
		case "null":
			return append(b, "null"...), true
		case "bool":
			return append(b, strings.ToLower(n.Value)...), true
		case "int":
			return append(b, n.Value...), true
		}
	}
	return b, false
}

func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // json.Marshal's escaping, as YAMLToJSON's
	return append(b, q...)
}

// scalarKind is what both YAML 1.1 (yaml.v2, kubectl) and yaml.v3 read a scalar as: str,
// null, bool or int; or "" when they may differ or this does not mirror it exactly.
func scalarKind(n *yaml.Node) string {
	if n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		return ""
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return "str"
	}
	v := n.Value
	switch v {
	case "", "~", "null", "Null", "NULL":
		return "null"
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "bool"
	case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "<<":
		return "" // YAML 1.1 bools and the merge key: the hazard itself
	}
	switch c := v[0]; {
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		if canonicalInt(v) {
			return "int"
		}
		if dottedVersion(v) {
			return "str"
		}
		// YAML 1.1 and 1.2 ints, floats, timestamps and .inf/.nan use only these bytes.
		if strings.Trim(v, "0123456789abcdefABCDEFxXoObBtTzZpPiInNyY+-._: \t") == "" {
			return ""
		}
	}
	return "str"
}

// dottedVersion reports a digit-led run of digits and two or more dots (1.7.0): a string in
// both, since ints take no dot, floats one, and timestamps need a dash.
func dottedVersion(v string) bool {
	if v[0] < '0' || v[0] > '9' || strings.Count(v, ".") < 2 {
		return false
	}
	return strings.Trim(v, "0123456789.") == ""
}

// canonicalInt reports a decimal int both YAML versions read and print alike: no sign but
// '-', no leading zero, no underscore, and well inside int64.
func canonicalInt(v string) bool {
	d := strings.TrimPrefix(v, "-")
	if d == "" || len(d) > 18 || (d[0] == '0' && (len(d) > 1 || d != v)) {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// NodeJSON is the JSON kubectl would make of the document root was parsed from, built from
// the node (see appendJSON); false when only the document's text can say (YAML 1.1 hazards).
func NodeJSON(root *yaml.Node) ([]byte, bool) { return appendJSON(nil, root) }

// kubectlJSON is the JSON kubectl reads from a document's text (YAML 1.1, where a plain `on`
// is a bool): from n, parsed from text, when every scalar reads alike in 1.1 and 1.2, else from text.
func kubectlJSON(n *yaml.Node, text []byte) ([]byte, error) {
	if j, ok := appendJSON(nil, n); ok {
		return j, nil
	}
	return sigsyaml.YAMLToJSON(text)
}
