package pipeline

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// spliceCases are documents whose list items print with comments, literal blocks (blank
// lines, leading spaces, kept trailing newlines), nested lists and quoted values.
func spliceCases() map[string]*yaml.Node {
	item := func(name, script string, comments ...string) *yaml.Node {
		m := mapNode()
		m.HeadComment = commentBlock(comments)
		set(m, "name", str(name))
		set(m, "runAfter", strSeq([]string{"a", "on", "1"}))
		steps := seqNode()
		s := mapNode()
		set(s, "name", str("x"), "step\ncomment")
		set(s, "script", str(script))
		set(s, "args", strSeq([]string{"", " lead", "a: b", "#x", "multi\nline\n\n"}))
		steps.Content = append(steps.Content, s)
		set(m, "steps", steps)
		return m
	}
	doc := func(items ...*yaml.Node) *yaml.Node {
		root := mapNode()
		set(root, "kind", str("Pipeline"), "head")
		spec := mapNode()
		tasks := seqNode()
		tasks.Content = items
		set(spec, "tasks", tasks, "the tasks")
		set(spec, "empty", seqNode())
		set(spec, "scalars", strSeq([]string{"x", "y\nz"}))
		set(root, "spec", spec)
		return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
	}
	return map[string]*yaml.Node{
		"plain":          doc(item("a", "echo a\n"), item("b", "echo b\n")),
		"comment":        doc(item("a", "echo\n\n\necho\n", "from Jenkinsfile:1", "two\nlines"), item("b", "x", "c")),
		"literal":        doc(item("a", "  indented\n\n  more\n"), item("b", "keep\n\n\n"), item("c", "tab\there\n")),
		"trailing-space": doc(item("a", "sp \nx\n")),
		"mark":           doc(item(spliceMark+"0", "x\n")),
	}
}

// TestEncodeSplicesLikeWhole: printing list items one by one gives the bytes of one encoding.
func TestEncodeSplicesLikeWhole(t *testing.T) {
	for name, d := range spliceCases() {
		want, err := encodeWhole(d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encode(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: spliced\n%s\nwhole\n%s", name, got, want)
		}
	}
}

// TestEncodeFallsBackOnMarkValue: a literal block holding a mark's line can't be told from
// the mark, so the document prints whole, lazy items included.
func TestEncodeFallsBackOnMarkValue(t *testing.T) {
	items := []*yaml.Node{str("one"), str("two")}
	build := func(lazy bool) (*yaml.Node, map[*yaml.Node]lazyItems) {
		root := mapNode()
		set(root, "text", str("- \""+escapedMark(0)+"\"\n"))
		l := seqNode()
		set(root, "list", l)
		if !lazy {
			l.Content = items
			return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}, nil
		}
		return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}},
			map[*yaml.Node]lazyItems{l: {n: len(items), item: func(i int) (*yaml.Node, error) { return items[i], nil }}}
	}
	whole, _ := build(false)
	want, err := encodeWhole(whole)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(want), "  - \""+escapedMark(0)+"\"\n") {
		t.Fatalf("the literal does not hold the mark's line:\n%s", want)
	}
	doc, lazy := build(true)
	got, err := encode(doc, lazy)
	if err != nil || string(got) != string(want) {
		t.Errorf("got %q (%v), want %q", got, err, want)
	}
}

// TestEncodeLazyItems: items built while printing come out as if the tree held them.
func TestEncodeLazyItems(t *testing.T) {
	for name, d := range spliceCases() {
		want, _ := encodeWhole(d)
		tasks := d.Content[0].Content[3].Content[1] // spec.tasks
		items := tasks.Content
		tasks.Content = nil
		built := 0
		got, err := encode(d, map[*yaml.Node]lazyItems{tasks: {n: len(items), item: func(i int) (*yaml.Node, error) { built++; return items[i], nil }}})
		tasks.Content = items
		if err != nil || string(got) != string(want) || built != len(items) {
			t.Errorf("%s: built %d of %d, got\n%s\nwant\n%s", name, built, len(items), got, want)
		}
	}
}
