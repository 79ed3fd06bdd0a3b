package validate

import "go.yaml.in/yaml/v3"

// InPieces reads a big document as Documents does, without its whole tree: the skeleton's
// root, its placeholder sequence (whose one item stands for the items), and items, which
// parses the items one at a time, in order, calling f with each one's node; items is false
// when an item does not read as one item (the whole text must then say) or f declines. ok is
// false when the document is not read in pieces (small, or the skeleton does not check out).
func InPieces(text []byte) (root, hole *yaml.Node, items func(f func(n *yaml.Node) bool) bool, ok bool) {
	p, ok := readPieces(text)
	if !ok {
		return nil, nil, nil, false
	}
	return p.skel, p.hole, func(f func(n *yaml.Node) bool) bool {
		return p.eachItem(false, nil, func(_ int, n *yaml.Node) bool { return f(n) })
	}, true
}
