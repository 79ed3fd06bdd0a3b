package upgrade

import (
	"encoding/binary"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// samePrint reports whether two trees print alike in every style: the fields yaml.v3's
// encoder reads agree throughout (it ignores Line, Column and an alias's target). A tree
// compare costs a fraction of printing both, and false only means "print to find out".
func samePrint(a, b *yaml.Node) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.Kind != b.Kind || a.Style != b.Style || a.Value != b.Value ||
		a.Anchor != b.Anchor || a.HeadComment != b.HeadComment || a.LineComment != b.LineComment ||
		a.FootComment != b.FootComment || len(a.Content) != len(b.Content) || !sameTag(a, b) {
		return false
	}
	for i := range a.Content {
		if !samePrint(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

// sameTag reports whether the encoder emits a and b (equal in kind, style and value) with
// the same tag: an explicit tag that equals the one the value resolves to is left out,
// so "" and "!!str" on a plain string print alike.
func sameTag(a, b *yaml.Node) bool {
	if a.Tag == b.Tag {
		return true
	}
	switch a.Kind {
	case yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode:
	default:
		return false
	}
	// Kept as written: a tagged style, the non-specific "!", and invalid UTF-8 (printed as !!binary).
	if a.Style&yaml.TaggedStyle != 0 || a.Tag == "!" || b.Tag == "!" ||
		a.Kind == yaml.ScalarNode && !utf8.ValidString(a.Value) {
		return false
	}
	return a.ShortTag() == b.ShortTag()
}

// appendTree appends an encoding of every field of n's tree that the printer reads, so
// that trees with equal encodings print alike; with positions, Line and Column too.
func appendTree(b []byte, n *yaml.Node, positions bool) []byte {
	if n == nil {
		return append(b, 0xff)
	}
	b = append(b, byte(n.Kind))
	b = binary.AppendUvarint(b, uint64(n.Style))
	for _, f := range [...]string{n.Tag, n.Value, n.Anchor, n.HeadComment, n.LineComment, n.FootComment} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	if positions {
		b = binary.AppendUvarint(b, uint64(n.Line))
		b = binary.AppendUvarint(b, uint64(n.Column))
	}
	b = binary.AppendUvarint(b, uint64(len(n.Content)))
	for _, c := range n.Content {
		b = appendTree(b, c, positions)
	}
	return b
}
