package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// treeGen builds a document from fuzz bytes: shape picks node kinds, styles, tags and
// comments, words the scalar values.
type treeGen struct {
	shape  []byte
	words  []string
	nodes  int
	lazy   map[*yaml.Node]lazyItems
	shared []*yaml.Node // nodes built inside lists, which may appear again
}

func (g *treeGen) next() int {
	if len(g.shape) == 0 {
		return 0
	}
	b := g.shape[0]
	g.shape = g.shape[1:]
	return int(b)
}

// samples are values that exercise the emitter's choices: types a plain scalar reads
// as, indicators, spaces and breaks at the edges, escapes, a byte order mark.
var samples = []string{
	"", "on", "y", "true", "False", "null", "~", "12", "-7", "0x1F", "0o17", "0b101", "-0b11", "1_000", "1.5",
	".5", "1e3", "1e999", "+.inf", ".NaN", "2024-01-02", "2001-12-14t21:59:43.10-05:00", "0777", "<<",
	"- a", "-a", "a: b", "a:b", ": x", "? x", "#x", "a #b", "a#b", "---", "...x", "'q'", "\"d\"", "@x", "`x`",
	"%x", "!x", "&x", "*x", "|", ">", "[x]", "{x}", ",x", " lead", "trail ", "a  b", "tab\tx", "a\n", "a\n\n",
	"\n", "\na", " a\nb\n", "a \nb\n", "a\n b\n", "x\u2028y", "x\u0085y", "x\ry", "é", "\uFEFFbom", "\x00\x07\x1b",
	"\u00a0", "\uE000", "\uFFFE", "\U0001F600", "a\\b", "line one\nline two\n", strings.Repeat("k", 129),
}

var nodeTags = []string{"!!str", "!!str", "!!str", "!!int", "!!bool", "", "!!float", "!!map", "!!seq", "!custom"}

var nodeStyles = []yaml.Style{0, 0, 0, yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle, yaml.LiteralStyle,
	yaml.FoldedStyle, yaml.FlowStyle, yaml.TaggedStyle, yaml.DoubleQuotedStyle | yaml.LiteralStyle}

func (g *treeGen) word() string {
	n := g.next()
	if n%3 == 0 && len(g.words) > 0 {
		return g.words[(n/3)%len(g.words)]
	}
	s := samples[n%len(samples)]
	if n >= 200 { // two samples joined
		s += samples[g.next()%len(samples)]
	}
	return s
}

func (g *treeGen) comment() string {
	switch n := g.next(); n % 8 {
	case 0:
		return commentBlock([]string{g.word()})
	case 1:
		return strings.ToValidUTF8(g.word(), "?")
	}
	return ""
}

func (g *treeGen) scalar() *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: g.word()}
	if g.next()%8 == 0 {
		n.Tag = nodeTags[g.next()%len(nodeTags)]
		n.Style = nodeStyles[g.next()%len(nodeStyles)]
	} else {
		n = str(n.Value)
	}
	if g.next()%64 == 0 {
		n.LineComment = "# line"
	}
	return n
}

// node builds a node; inList says it lies inside a list, where it may be one built before
// (Emit shares a task's env lists; encodeYAML splices only lists outside any list).
func (g *treeGen) node(depth int, inList bool) *yaml.Node {
	g.nodes++
	if inList && len(g.shared) > 0 && g.next()%6 == 0 {
		return g.shared[g.next()%len(g.shared)]
	}
	kind := g.next() % 4
	if depth > 4 || g.nodes > 200 {
		kind = 0
	}
	switch kind {
	case 1:
		m := mapNode()
		for i := g.next() % 4; i > 0; i-- {
			k := g.scalar()
			k.HeadComment = g.comment()
			v := g.node(depth+1, inList)
			if g.next()%32 == 0 {
				v.HeadComment = g.comment()
			}
			m.Content = append(m.Content, k, v)
		}
		if g.next()%32 == 0 {
			m.Style = yaml.FlowStyle
		}
		if inList {
			g.shared = append(g.shared, m)
		}
		return m
	case 2, 3:
		s := seqNode()
		var items []*yaml.Node
		for i := g.next() % 6; i > 0; i-- {
			it := g.node(depth+1, true)
			it.HeadComment = g.comment()
			items = append(items, it)
		}
		if g.next()%3 == 0 {
			g.lazy[s] = lazyItems{n: len(items), item: func(i int) (*yaml.Node, error) { return items[i], nil }}
		} else {
			s.Content = items
			if inList {
				g.shared = append(g.shared, s)
			}
		}
		return s
	}
	return g.scalar()
}

// document is a root mapping of 1 to 5 keys.
func (g *treeGen) document() *yaml.Node {
	root := mapNode()
	for i := g.next()%5 + 1; i > 0; i-- {
		k := g.scalar()
		k.HeadComment = g.comment()
		root.Content = append(root.Content, k, g.node(1, false))
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
}

// checkPrinted compares the printer with yaml.v3 on doc; it reports whether the printer took it.
func checkPrinted(t *testing.T, doc *yaml.Node, lazy map[*yaml.Node]lazyItems) bool {
	t.Helper()
	got, ok := printDoc(doc, lazy)
	if !ok {
		return false
	}
	want, err := encodeYAML(doc, lazy)
	if err != nil {
		t.Fatalf("printed a document yaml.v3 refuses (%v):\n%s", err, got)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("printed\n%q\nyaml.v3 prints\n%q\nfor\n%s", got, want, dumpTree(doc, 0, lazy))
	}
	return true
}

// FuzzPrint builds random trees of the node shapes the printer handles and some it does
// not: whatever it prints must be yaml.v3's bytes.
func FuzzPrint(f *testing.F) {
	f.Add([]byte{1, 3, 2, 0, 5, 9, 2, 1, 3, 0, 0, 7}, "name", "a: b\nc\n")
	f.Add([]byte{1, 3, 0, 4, 0, 2, 3, 1, 2, 8, 3, 0, 1, 16, 0, 1, 40, 0, 0, 3}, "", "# x")
	f.Add([]byte{1, 2, 9, 0, 1, 2, 3, 2, 2, 0, 1, 4, 5, 6, 1, 2, 0, 0, 9, 1, 200, 60}, "é\n", " ")
	f.Add(bytes.Repeat([]byte{1, 1, 0, 2, 2, 1, 0, 3, 4, 3}, 12), "script\n\n", "x\ty")
	f.Fuzz(func(t *testing.T, shape []byte, w1, w2 string) {
		g := &treeGen{shape: shape, words: []string{w1, w2}, lazy: map[*yaml.Node]lazyItems{}}
		checkPrinted(t, g.document(), g.lazy)
	})
}

// TestPrintScalars prints each sample as a key, a value, a list item and a literal block
// at two depths, under comments, as the printer and yaml.v3 do.
func TestPrintScalars(t *testing.T) {
	printed := 0
	for _, s := range samples {
		for _, style := range []yaml.Style{0, yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle, yaml.LiteralStyle} {
			v := func() *yaml.Node { n := str(s); n.Style |= style; return n }
			item := mapNode()
			set(item, "k", v(), "first\nsecond")
			set(item, s, v())
			item.HeadComment = commentBlock([]string{s})
			inner := mapNode()
			set(inner, "list", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{v(), item, seqNode(), mapNode()}})
			root := mapNode()
			set(root, "a", v(), "head of the document")
			set(root, "spec", inner)
			if checkPrinted(t, &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}, nil) {
				printed++
			}
		}
	}
	if printed < len(samples)*3 {
		t.Errorf("printed %d of %d documents", printed, len(samples)*4)
	}
}

// TestPrintLazyError: an item that fails to build fails the encode, as before the printer.
func TestPrintLazyError(t *testing.T) {
	boom := errors.New("boom")
	root := mapNode()
	tasks := seqNode()
	set(root, "tasks", tasks)
	lazy := map[*yaml.Node]lazyItems{tasks: {n: 2, item: func(i int) (*yaml.Node, error) {
		if i == 1 {
			return nil, boom
		}
		return str("ok"), nil
	}}}
	if _, err := encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}, lazy); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
}

// TestPrintRandomTrees compares the printer with yaml.v3 on 20,000 pseudo-random trees
// (a fixed seed), with words drawn from the characters the emitter treats apart.
func TestPrintRandomTrees(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	alphabet := []string{"a", "b", " ", "\n", ":", "#", "-", "'", `"`, "\t", "é", "\u2028", "\r", "\x00", "\xff",
		"\uFEFF", "!", "?", "0", "1", ".", "e", "_", "x", "y", "n", "o", "~", "|", ">", "%", "@", `\`, "[", "{", ",", "&", "*"}
	word := func() string {
		var b strings.Builder
		for i := r.Intn(8); i > 0; i-- {
			b.WriteString(alphabet[r.Intn(len(alphabet))])
		}
		return b.String()
	}
	printed := 0
	for n := 0; n < 20000; n++ {
		shape := make([]byte, 20+r.Intn(200))
		r.Read(shape)
		g := &treeGen{shape: shape, words: []string{word(), word(), word()}, lazy: map[*yaml.Node]lazyItems{}}
		if checkPrinted(t, g.document(), g.lazy) {
			printed++
		}
	}
	if printed < 2000 {
		t.Errorf("printed %d of 20,000 trees", printed)
	}
}

// dumpTree shows a tree, lazy items included, for a failure message.
func dumpTree(n *yaml.Node, depth int, lazy map[*yaml.Node]lazyItems) string {
	s := fmt.Sprintf("%s%v tag=%q style=%v value=%q head=%q line=%q\n", strings.Repeat("  ", depth), n.Kind, n.Tag, n.Style, n.Value, n.HeadComment, n.LineComment)
	for _, c := range n.Content {
		s += dumpTree(c, depth+1, lazy)
	}
	if l := lazy[n]; l.item != nil {
		for i := 0; i < l.n; i++ {
			c, _ := l.item(i)
			s += "  (lazy) " + dumpTree(c, depth+1, lazy)
		}
	}
	return s
}

// TestResolveWords: resolveTag's length bound holds every word it looks up.
func TestResolveWords(t *testing.T) {
	for w, tag := range resolveWords {
		if len(w) > 5 || resolveTag(w) != tag {
			t.Errorf("%q: length %d, resolveTag %s, want %s", w, len(w), resolveTag(w), tag)
		}
	}
}
