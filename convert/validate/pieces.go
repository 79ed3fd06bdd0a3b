package validate

import (
	"bytes"
	"crypto/sha256"

	"go.yaml.in/yaml/v3"
)

// bigDocument is the size from which a document is read a piece at a time: yaml.v3's tree
// of a document takes about 12 bytes per byte of text, Tekton's typed object about 2.
var bigDocument = 256 << 10

// pieces is a document read without holding its whole tree: a skeleton (the text with the
// items of its longest block sequence replaced by one placeholder item) and those items,
// each parsed alone when its turn comes.
//
// Reading item by item gives the whole parse's values, or fails so that the caller parses
// the whole text: the items are the lines from one line of k spaces and a block entry "-" to
// the next such line, all lines between being deeper, blank or comments; a line at column k
// or less that is none of those ends the sequence. Such a line inside a quoted or flow
// scalar cuts that scalar, and its piece then fails to parse; a "sequence" inside a block
// scalar leaves the placeholder a string, which the skeleton check refuses; an alias to
// another piece's anchor fails to parse, and anchors send appendJSON to the text.
type pieces struct {
	text       []byte
	k          int     // the items' column, 0-based
	items      []piece // in text order; the sequence ends at end
	end        int
	skel, hole *yaml.Node // the skeleton's root and its placeholder sequence
	skelText   []byte
	holeAt     int // the placeholder's offset in skelText
}

// piece is one item of the sequence: where its text starts.
type piece struct{ off int }

// placeholder is the item standing for the sequence in the skeleton.
const placeholder = "- 0\n"

// readPieces finds the longest block sequence of a big document and parses the skeleton;
// false when the document is small or not worth it, or the skeleton does not check out.
func readPieces(text []byte) (*pieces, bool) {
	if len(text) < bigDocument {
		return nil, false
	}
	k, items, end := longestSequence(text)
	if len(items) < 2 {
		return nil, false
	}
	p := &pieces{text: text, k: k, items: items, end: end}
	skel := make([]byte, 0, items[0].off+k+len(placeholder)+len(text)-end)
	skel = append(skel, text[:items[0].off]...)
	p.holeAt = len(skel)
	skel = append(append(skel, bytes.Repeat([]byte{' '}, k)...), placeholder...)
	skel = append(skel, text[end:]...)
	var doc yaml.Node
	if yaml.Unmarshal(skel, &doc) != nil || doc.Kind == 0 {
		return nil, false
	}
	line := 1 + bytes.Count(text[:items[0].off], []byte("\n"))
	p.skel, p.hole, p.skelText = rootOf(&doc), findHole(&doc, line, k+1), skel
	return p, p.hole != nil
}

// findHole is the placeholder sequence at line, column col: one item, the plain scalar 0.
func findHole(n *yaml.Node, line, col int) *yaml.Node {
	if n.Kind == yaml.SequenceNode && n.Line == line && n.Column == col {
		if len(n.Content) == 1 && n.Content[0].Kind == yaml.ScalarNode && n.Content[0].Value == "0" &&
			n.Content[0].Style == 0 && n.Content[0].Line == line {
			return n
		}
		return nil
	}
	for _, c := range n.Content {
		if h := findHole(c, line, col); h != nil {
			return h
		}
	}
	return nil
}

// longestSequence finds, line by line, the block sequence spanning the most bytes: its
// items' column, their starts and its end.
func longestSequence(text []byte) (int, []piece, int) {
	type seq struct {
		k     int
		items []piece
	}
	var open []seq // by increasing column
	bestK, bestEnd := 0, 0
	var best []piece
	closeFrom := func(col, at int) { // ends the open sequences at column col or deeper
		for len(open) > 0 && open[len(open)-1].k >= col {
			s := open[len(open)-1]
			open = open[:len(open)-1]
			if at-s.items[0].off > bestEnd-firstOff(best) {
				bestK, best, bestEnd = s.k, s.items, at
			}
		}
	}
	for off := 0; off < len(text); {
		end := bytes.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += off + 1
		}
		line := text[off:end]
		body := bytes.TrimLeft(line, " ")
		col := len(line) - len(body)
		switch {
		case len(bytes.TrimSpace(body)) == 0 || body[0] == '#':
			// blank or a comment: part of whatever it sits in
		case body[0] == '-' && (len(body) == 1 || body[1] == ' ' || body[1] == '\t' || body[1] == '\n' || body[1] == '\r'):
			closeFrom(col+1, off)
			if n := len(open); n > 0 && open[n-1].k == col {
				open[n-1].items = append(open[n-1].items, piece{off})
			} else {
				open = append(open, seq{k: col, items: []piece{{off}}})
			}
		default:
			closeFrom(col, off)
		}
		off = end
	}
	closeFrom(0, len(text))
	return bestK, best, bestEnd
}

func firstOff(items []piece) int {
	if len(items) == 0 {
		return 0
	}
	return items[0].off
}

// appendJSON appends the document's JSON as appendJSON would from the whole tree, parsing
// one item at a time, and calls span with each name renamedKey leaves out (offsets in the
// document's text); false when some piece declines or does not read as one item.
func (p *pieces) appendJSON(b []byte, v1 bool, span func(span)) ([]byte, bool) {
	w := jsonWriter{hole: p.hole, fill: func(b []byte) ([]byte, bool) {
		b = append(b, '[')
		ok := p.eachItem(v1, span, func(i int, n *yaml.Node) bool {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			b, ok = appendJSON(b, n)
			return ok
		})
		return append(b, ']'), ok
	}}
	return w.append(b, p.skel)
}

// eachItem parses the items one at a time, in order, and calls f with each one's node, then
// span with the names renamedKey leaves out of it (v1); false when an item does not read as
// one item or f declines.
func (p *pieces) eachItem(v1 bool, span func(span), f func(i int, n *yaml.Node) bool) bool {
	for i, it := range p.items {
		end := p.end
		if i+1 < len(p.items) {
			end = p.items[i+1].off
		}
		text := p.text[it.off:end]
		var doc yaml.Node
		if yaml.Unmarshal(text, &doc) != nil {
			return false
		}
		r := rootOf(&doc)
		if r.Kind != yaml.SequenceNode || len(r.Content) != 1 || r.Column != p.k+1 {
			return false
		}
		if !f(i, r.Content[0]) {
			return false
		}
		if v1 {
			lines := lineStarts(text)
			refNames(r.Content[0], func(n *yaml.Node, kind spanKind) {
				if sp, ok := spanOf(text, lines, n); ok {
					sp.off += it.off
					sp.kind = kind
					span(sp)
				}
			})
		}
	}
	return true
}

// skelCut is the spans renamedKey leaves out of the skeleton, in the document's text.
func (p *pieces) skelCut(root *yaml.Node, v1 bool) []span {
	var cut []span
	for _, sp := range nameSpans(root, p.skelText, v1) {
		cut = append(cut, p.skelSpan(sp))
	}
	return cut
}

// skelSpan maps a span of the skeleton's text to the document's.
func (p *pieces) skelSpan(sp span) span {
	if sp.off > p.holeAt {
		sp.off += p.end - p.items[0].off - p.k - len(placeholder)
	}
	return sp
}

// check validates the document from its pieces, as Documents does from its tree (a big
// Pipeline task by task when that passes, see admitInParts): the verdict, and the key a pass is shared under; done false leaves the document to the
// whole parse (a kind this does not read, a List, or a piece that declines).
func (p *pieces) check() (e *Error, nameKey [sha256.Size]byte, named, done bool) {
	if nameKey, named, pass := p.admitInParts(); pass {
		return nil, nameKey, named, true
	}
	d, raw, nameKey, named, ok := p.read()
	if !ok {
		return nil, nameKey, false, false
	}
	if ne, hit := lookup(nameKey); named && hit && ne == nil {
		return nil, nameKey, named, true // the same document under another name passed
	}
	if err := StrictDecode(raw, d.obj); err != nil {
		return d.fail(err), nameKey, named, true
	}
	return d.admitText(p.text), nameKey, named, true
}

// read is the document's empty typed object and error description, its JSON, and its
// renamedKey; false when the whole parse must say.
func (p *pieces) read() (d *decoded, raw []byte, nameKey [sha256.Size]byte, named, ok bool) {
	root := p.skel
	if root.Kind != yaml.MappingNode {
		return nil, nil, nameKey, false, false
	}
	if d = describe("", root); d == nil {
		return nil, nil, nameKey, false, false
	}
	v1 := scalar(root, "apiVersion") == "tekton.dev/v1"
	cut := p.skelCut(root, v1)
	if raw, ok = p.appendJSON(nil, v1, func(sp span) { cut = append(cut, sp) }); !ok {
		return nil, nil, nameKey, false, false
	}
	nameKey, named = cutKey(p.text, cut)
	return d, raw, nameKey, named, true
}
