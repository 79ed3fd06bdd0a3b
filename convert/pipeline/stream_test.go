package pipeline

import (
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
		got, err := encode(d)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: spliced\n%s\nwhole\n%s", name, got, want)
		}
	}
}

// TestEncodeFallsBackOnMarkValue: a value printed like a mark can't be told from it, so the
// document prints whole.
func TestEncodeFallsBackOnMarkValue(t *testing.T) {
	root := mapNode()
	set(root, "a", strSeq([]string{spliceMark + "0"}))
	set(root, "b", strSeq([]string{"x"}))
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
	skeleton := []byte("a:\n  - \"" + escapedMark(0) + "\"\nb:\n  - \"" + escapedMark(0) + "\"\n")
	if _, ok, err := splice(skeleton, []*yaml.Node{root.Content[1]}); ok || err != nil {
		t.Errorf("splice of a doubled mark: ok %v, err %v", ok, err)
	}
	want, _ := encodeWhole(doc)
	got, err := encode(doc)
	if err != nil || string(got) != string(want) {
		t.Errorf("got %q (%v), want %q", got, err, want)
	}
}
