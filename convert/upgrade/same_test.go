package upgrade

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// allStyles are every style bestStyle may pick.
var allStyles = []style{{2, true}, {2, false}, {4, false}, {4, true}, {3, false}}

// samePrintHolds fails when a and b are samePrint but print differently in some style.
func samePrintHolds(t *testing.T, a, b *yaml.Node) bool {
	t.Helper()
	same := samePrint(a, b)
	if !same {
		return false
	}
	for _, st := range allStyles {
		pa, errA := printNode(a, st)
		pb, errB := printNode(b, st)
		if pa != pb || (errA == nil) != (errB == nil) {
			t.Errorf("samePrint, but in style %v:\n%s\n---\n%s", st, pa, pb)
		}
	}
	return true
}

func parseNode(t *testing.T, text string) *yaml.Node {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(text), &n); err != nil {
		t.Fatal(err)
	}
	return &n
}

func TestSamePrint(t *testing.T) {
	const src = "# head\na: x # line\nb:\n  - \"q\"\n  - 1\nc: {d: true}\nf: \"1\"\ne: |\n  text\n# foot\n"
	cases := []struct {
		name string
		edit func(n *yaml.Node)
		same bool
	}{
		{"untouched", func(*yaml.Node) {}, true},
		{"position only", func(n *yaml.Node) { n.Content[0].Content[1].Line = 99 }, true},
		{"implicit tag left out", func(n *yaml.Node) { n.Content[0].Content[1].Tag = "" }, true},
		{"long tag", func(n *yaml.Node) { n.Content[0].Content[1].Tag = "tag:yaml.org,2002:str" }, true},
		{"map tag left out", func(n *yaml.Node) { n.Content[0].Tag = "" }, true},
		{"quoted string's tag left out", func(n *yaml.Node) { get(n.Content[0], "b").Content[0].Tag = "" }, true},
		{"int made a string", func(n *yaml.Node) { get(n.Content[0], "b").Content[1].Tag = "!!str" }, false},
		{"int's tag left out", func(n *yaml.Node) { get(n.Content[0], "b").Content[1].Tag = "" }, true},
		{"quoted string written plain with its tag", func(n *yaml.Node) { get(n.Content[0], "f").Style = 0 }, true},
		{"quoted string written plain without its tag", func(n *yaml.Node) { get(n.Content[0], "f").Style, get(n.Content[0], "f").Tag = 0, "" }, false},
		{"quoted string single-quoted", func(n *yaml.Node) { get(n.Content[0], "f").Style = yaml.SingleQuotedStyle }, false},
		{"multi-line string plain", func(n *yaml.Node) { get(n.Content[0], "e").Style = 0 }, true},
		{"multi-line string folded", func(n *yaml.Node) { get(n.Content[0], "e").Style = yaml.FoldedStyle }, false},
		{"non-specific tag", func(n *yaml.Node) { n.Content[0].Content[1].Tag = "!" }, false},
		{"value", func(n *yaml.Node) { n.Content[0].Content[1].Value = "y" }, false},
		{"style", func(n *yaml.Node) { n.Content[0].Content[1].Style = yaml.DoubleQuotedStyle }, false},
		{"flow to block", func(n *yaml.Node) { get(n.Content[0], "c").Style = 0 }, false},
		{"line comment", func(n *yaml.Node) { n.Content[0].Content[1].LineComment = "# other" }, false},
		{"head comment", func(n *yaml.Node) { n.Content[0].Content[0].HeadComment = "" }, false},
		{"anchor", func(n *yaml.Node) { n.Content[0].Content[1].Anchor = "x" }, false},
		{"key removed", func(n *yaml.Node) { del(n.Content[0], "e") }, false},
		{"item added", func(n *yaml.Node) {
			get(n.Content[0], "b").Content = append(get(n.Content[0], "b").Content, scalar("z"))
		}, false},
	}
	for _, c := range cases {
		a := parseNode(t, src)
		b := clone(a)
		c.edit(b)
		if got := samePrintHolds(t, a, b); got != c.same {
			t.Errorf("%s: samePrint = %v, want %v", c.name, got, c.same)
		}
	}
}

// On every corpus document, a tree with the tags the printer leaves out dropped, and the
// quotes it adds anyway removed, is samePrint with the parsed one, and then prints alike
// in every style.
func TestSamePrintCorpus(t *testing.T) {
	n := 0
	for _, src := range corpusFiles(t) {
		docs, err := splitDocs(src.Path, src.Data)
		if err != nil {
			continue
		}
		for _, d := range docs {
			if d.node == nil {
				continue
			}
			b := clone(d.node)
			walkScalars(b, func(s *yaml.Node) {
				switch r := implicitTag(s.Value); {
				case s.Style == 0 && s.ShortTag() == r:
					s.Tag = "" // left out by the printer
				case s.Style == yaml.DoubleQuotedStyle && s.Tag == "!!str" && r != "!!str" && !strings.Contains(s.Value, "\n"):
					s.Style = 0 // quoted by the printer
				}
			})
			if !samePrintHolds(t, d.node, b) {
				t.Errorf("%s:%d: not samePrint after dropping implicit tags", src.Path, d.line)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no corpus documents")
	}
}

// A document text met again renders from the memo only when its upgrade is the same: the
// same TaskRun binds a resource of each repository's own URL.
func TestRenderMemoPerUpgrade(t *testing.T) {
	const task = "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: build\nspec:\n  resources:\n    inputs:\n      - name: source\n        type: git\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: ls\n"
	const res = "apiVersion: tekton.dev/v1alpha1\nkind: PipelineResource\nmetadata:\n  name: src\nspec:\n  type: git\n  params:\n    - name: url\n      value: https://example.com/%s.git\n"
	const run = "apiVersion: tekton.dev/v1beta1\nkind: TaskRun\nmetadata:\n  name: run\nspec:\n  taskRef:\n    name: build\n  resources:\n    inputs:\n      - name: source\n        resourceRef:\n          name: src\n"
	convertRun := func(repo string) string {
		c := New()
		srcs := []convert.Source{
			{Path: repo + "/task.yaml", Data: []byte(task), Scope: repo},
			{Path: repo + "/res.yaml", Data: []byte(strings.Replace(res, "%s", repo, 1)), Scope: repo},
			{Path: repo + "/run.yaml", Data: []byte(run), Scope: repo},
		}
		for _, s := range srcs {
			if err := c.Index(s); err != nil {
				t.Fatal(err)
			}
		}
		out, err := c.Convert(srcs[2], convert.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return string(out.Files[0].Data)
	}
	cold := func(repo string) string {
		styleMemo.Reset()
		renderMemo.Reset()
		return convertRun(repo)
	}
	a, b := cold("repo-a"), cold("repo-b")
	if !strings.Contains(a, "repo-a.git") || !strings.Contains(b, "repo-b.git") {
		t.Fatalf("each run should bind its own repository's URL:\n%s\n---\n%s", a, b)
	}
	cold("repo-a")
	if got := convertRun("repo-b"); got != b {
		t.Errorf("with repo-a's rendering remembered, repo-b's run became:\n%s\nwant:\n%s", got, b)
	}
	if got := convertRun("repo-b"); got != b {
		t.Errorf("rendered from the memo:\n%s\nwant:\n%s", got, b)
	}
}
