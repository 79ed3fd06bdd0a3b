package pipeline

import (
	"bytes"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// The yaml.v3 emitter keeps every event of a document until the document ends (its event
// queue never shrinks), so one 5,000-task Pipeline held hundreds of MB. encode prints each
// item of the big lists on its own instead, as a one-item list, and splices the pieces into
// the rest of the document at the item's indentation: the same bytes, since the emitter
// never wraps lines (best width unlimited) and indents only relative to the parent.

// spliceMark is the placeholder a spliced list holds while the rest of the document prints;
// \x01 makes it print double-quoted and escaped, so no ordinary value reads the same.
const spliceMark = "\x01tkn-migrate-splice-"

// lazyItems are the n items of a list node that has no Content of its own: item(i) builds
// item i while encode prints it, and the node is dropped once printed.
type lazyItems struct {
	n    int
	item func(i int) (*yaml.Node, error)
}

// list is one spliced list: its items, built by lazy or taken from Content.
type list struct {
	node *yaml.Node
	lazy lazyItems
}

func (l list) len() int {
	if l.lazy.item != nil {
		return l.lazy.n
	}
	return len(l.node.Content)
}

func (l list) item(i int) (*yaml.Node, error) {
	if l.lazy.item != nil {
		return l.lazy.item(i)
	}
	return l.node.Content[i], nil
}

// encode renders one document with two-space indentation; lazy gives the items of the list
// nodes it names. The printer writes yaml.v3's bytes for the shapes Emit builds; yaml.v3
// prints anything else.
func encode(doc *yaml.Node, lazy map[*yaml.Node]lazyItems) ([]byte, error) {
	out, ok := printDoc(doc, lazy)
	if checkPrint != nil {
		checkPrint(doc, lazy, out, ok)
	}
	if ok {
		return out, nil
	}
	return encodeYAML(doc, lazy)
}

// checkPrint, set by tests, sees every document and what the printer made of it.
var checkPrint func(doc *yaml.Node, lazy map[*yaml.Node]lazyItems, printed []byte, ok bool)

// encodeYAML renders doc with yaml.v3, splicing the items of its big lists in.
func encodeYAML(doc *yaml.Node, lazy map[*yaml.Node]lazyItems) ([]byte, error) {
	var lists []list
	collectLists(doc, lazy, &lists)
	if len(lists) == 0 {
		return encodeWhole(doc)
	}
	saved := make([][]*yaml.Node, len(lists))
	for i, l := range lists {
		saved[i] = l.node.Content
		l.node.Content = []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: spliceMark + strconv.Itoa(i)}}
	}
	skeleton, err := encodeWhole(doc)
	for i, l := range lists {
		l.node.Content = saved[i]
	}
	if err != nil {
		return nil, err
	}
	out, ok, err := splice(skeleton, lists)
	if err != nil || ok {
		return out, err
	}
	// A value printed like a mark: splicing can't tell them apart, so print the whole tree.
	for _, l := range lists {
		if l.lazy.item == nil {
			continue
		}
		for i := 0; i < l.lazy.n; i++ {
			it, err := l.lazy.item(i)
			if err != nil {
				return nil, err
			}
			l.node.Content = append(l.node.Content, it)
		}
	}
	return encodeWhole(doc)
}

// collectLists finds the non-empty lists reached from the document through mappings only
// (spec.tasks, spec.finally, spec.params...), in the order they print.
func collectLists(n *yaml.Node, lazy map[*yaml.Node]lazyItems, lists *[]list) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			collectLists(c, lazy, lists)
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			collectLists(n.Content[i], lazy, lists)
		}
	case yaml.SequenceNode:
		l := list{node: n, lazy: lazy[n]}
		if l.len() > 0 && n.Style&yaml.FlowStyle == 0 {
			*lists = append(*lists, l)
		}
	}
}

// splice replaces each mark line of skeleton with the items of its list, printed one by
// one; ok is false when a mark is not found exactly once where expected.
func splice(skeleton []byte, lists []list) (out []byte, ok bool, err error) {
	out = make([]byte, 0, len(skeleton))
	rest := skeleton
	var item bytes.Buffer
	for i, l := range lists {
		line := []byte("- \"" + escapedMark(i) + "\"\n")
		at := bytes.Index(rest, line)
		if at < 0 || bytes.Contains(rest[at+len(line):], line) {
			return nil, false, nil
		}
		start := bytes.LastIndexByte(rest[:at], '\n') + 1
		indent := rest[start:at]
		if len(bytes.TrimLeft(indent, " ")) != 0 {
			return nil, false, nil
		}
		out = append(out, rest[:start]...)
		for j := 0; j < l.len(); j++ {
			it, err := l.item(j)
			if err != nil {
				return nil, false, err
			}
			item.Reset()
			if err := encodeTo(&item, &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{it}}); err != nil {
				return nil, false, err
			}
			out = appendIndented(out, item.Bytes(), indent)
		}
		rest = rest[at+len(line):]
	}
	return append(out, rest...), true, nil
}

// escapedMark is mark i as the emitter prints it inside double quotes.
func escapedMark(i int) string { return `\x01` + spliceMark[1:] + strconv.Itoa(i) }

// appendIndented appends text with indent before every non-empty line, as the emitter
// indents a nested block (blank lines of a literal block stay empty).
func appendIndented(out, text, indent []byte) []byte {
	for len(text) > 0 {
		end := bytes.IndexByte(text, '\n') + 1
		if end == 0 {
			end = len(text)
		}
		if text[0] != '\n' {
			out = append(out, indent...)
		}
		out = append(out, text[:end]...)
		text = text[end:]
	}
	return out
}

func encodeWhole(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	if err := encodeTo(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func encodeTo(buf *bytes.Buffer, doc *yaml.Node) error {
	enc := yaml.NewEncoder(buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return enc.Close()
}
