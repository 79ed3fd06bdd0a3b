package upgrade

import (
	"encoding/binary"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// samePrint reports whether two trees print alike in every style: the fields yaml.v3's
// encoder reads agree throughout (it ignores Line, Column and an alias's target), or differ
// only where the encoder writes them alike (an implicit tag left out, a string that must
// be quoted). A tree compare costs a fraction of printing both, and false only means
// "print to find out".
func samePrint(a, b *yaml.Node) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.Kind != b.Kind || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.HeadComment != b.HeadComment || a.LineComment != b.LineComment || a.FootComment != b.FootComment ||
		len(a.Content) != len(b.Content) {
		return false
	}
	if a.Kind == yaml.ScalarNode {
		ta, sa := emitted(a)
		if tb, sb := emitted(b); ta != tb || sa != sb {
			return false
		}
	} else if a.Style != b.Style || !sameTag(a, b) {
		return false
	}
	for i := range a.Content {
		if !samePrint(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

// emitted returns the tag (short form, "" when left out) and the style yaml.v3's encoder
// writes scalar n with, following its encoder.node.
func emitted(n *yaml.Node) (string, yaml.Style) {
	if !utf8.ValidString(n.Value) {
		return "\x00" + n.Tag, n.Style // printed as !!binary, or refused: compared as written
	}
	const quoted = yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle
	tag, force := n.Tag, false
	if tag != "" && n.Style&yaml.TaggedStyle == 0 {
		switch stag := shortTag(tag); {
		case stag == "!!str" && n.Style&quoted != 0, stag == shortTag(implicitTag(n.Value)):
			tag = ""
		case stag == "!!str":
			tag, force = "", true // a string that reads as another type is quoted instead
		}
	}
	var st yaml.Style
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		st = yaml.DoubleQuotedStyle
	case n.Style&yaml.SingleQuotedStyle != 0:
		st = yaml.SingleQuotedStyle
	case n.Style&yaml.LiteralStyle != 0:
		st = yaml.LiteralStyle
	case n.Style&yaml.FoldedStyle != 0:
		st = yaml.FoldedStyle
	case strings.Contains(n.Value, "\n"):
		st = yaml.LiteralStyle
	case force:
		st = yaml.DoubleQuotedStyle
	}
	return shortTag(tag), st | n.Style&yaml.TaggedStyle
}

// implicitTag is the tag a plain scalar of value v resolves to.
func implicitTag(v string) string {
	return (&yaml.Node{Kind: yaml.ScalarNode, Value: v}).ShortTag()
}

// shortTag is t in its short form ("!!str" for tag:yaml.org,2002:str); "" and the
// non-specific "!" stay as they are.
func shortTag(t string) string {
	if t == "" || t == "!" {
		return t
	}
	return (&yaml.Node{Kind: yaml.SequenceNode, Tag: t}).ShortTag()
}

// sameTag reports whether the encoder emits collections a and b (equal in kind and style)
// with the same tag: one equal to the kind's own (!!map, !!seq) is left out.
func sameTag(a, b *yaml.Node) bool {
	if a.Tag == b.Tag {
		return true
	}
	if a.Kind != yaml.MappingNode && a.Kind != yaml.SequenceNode || a.Style&yaml.TaggedStyle != 0 || a.Tag == "!" || b.Tag == "!" {
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
