package lint

import (
	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// parseFile calls fn with each document of a file as yamldoc.Stream does. A file that is one
// big document (a generated Pipeline of thousands of tasks) is first walked a piece at a time
// (tooBig): when yamldoc's bounds refuse it, the refusal is returned without the whole tree,
// which would take about 12 bytes per byte of text only to be dropped.
func parseFile(path string, data []byte, fn func(*yamldoc.Doc)) error {
	if err := convert.DuplicateKey(path, data); err != nil {
		return err // kubectl refuses the file, and which value wins is the parser's accident
	}
	if usePieces {
		if err, known := tooBig(path, data); known {
			return err
		}
	}
	return yamldoc.Stream(path, data, fn)
}

var usePieces = true // tests compare with the plain parse

// bound is the first of yamldoc's bounds a walk crosses.
type bound int

const (
	within bound = iota
	tooDeep
	tooLarge
)

// tooBig is yamldoc's refusal of data, known true, when data is one document that
// convert/validate reads in pieces and yamldoc's check of its tree would refuse: the walk
// below is yamldoc's (depth first, aliases followed, the first bound crossed wins) with the
// placeholder sequence standing for the items, parsed one at a time. Every item must parse,
// as the whole would (validate's pieces read as the whole does or fail), unless validate
// passed the text; known is false
// otherwise, and when the bounds hold, since then the whole tree is small enough to parse.
// The cut's conditions are docTexts': no line break yaml.v3 counts that the cut does not, no
// NUL, no directive, and one document.
func tooBig(path string, data []byte) (err error, known bool) {
	if len(data) < piecesFrom || !cuttable(data) {
		return nil, false
	}
	if chunks := validate.Split(data); len(chunks) != 1 || len(chunks[0].Text) != len(data) {
		return nil, false
	}
	root, hole, items, ok := validate.InPieces(data)
	if !ok {
		return nil, false
	}
	// convert/validate passed the text (as convert --check lints its output): it parsed whole,
	// so the items past a bound crossed need not be parsed to know it.
	passed, asked := false, false
	parses := func() bool {
		if !asked {
			passed, asked = validate.Passed(data), true
		}
		return passed
	}
	budget := yamldoc.MaxNodes
	parsed, visited := true, false // every item read as one item; the walk reached them
	var walk func(n *yaml.Node, depth int) bound
	walk = func(n *yaml.Node, depth int) bound {
		if depth > yamldoc.MaxDepth {
			return tooDeep
		}
		if budget--; budget < 0 {
			return tooLarge
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			return walk(n.Alias, depth+1)
		}
		if n == hole {
			visited = true
			b := within
			stopped := false
			parsed = parsed && items(func(item *yaml.Node) bool {
				if b == within {
					b = walk(item, depth+1)
				}
				stopped = b != within && parses()
				return !stopped // else the rest must parse too
			}) || stopped
			return b
		}
		for _, c := range n.Content {
			if b := walk(c, depth+1); b != within {
				return b
			}
		}
		return within
	}
	b := walk(root, 0)
	if b == within {
		return nil, false
	}
	if !visited && !parses() {
		parsed = items(func(*yaml.Node) bool { return true })
	}
	if !parsed {
		return nil, false
	}
	if b == tooDeep {
		return convert.Errorf(path, root.Line, root.Column, "YAML nested too deeply (limit %d)", yamldoc.MaxDepth), true
	}
	return convert.Errorf(path, root.Line, root.Column, "YAML too large after alias expansion (limit %d nodes)", yamldoc.MaxNodes), true
}

// piecesFrom is the size from which a one-document file is walked in pieces first: a document
// within yamldoc's bounds is then parsed twice, and one under this size that crosses them
// builds a tree of at most about 15 MB (12 bytes per byte) before it is refused. Documents of
// 100,000 nodes (the bound) take some 1.5 MB or more as the front-ends write them.
var piecesFrom = 1 << 20
