package upgrade

import (
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

func taskDoc(name, image string) string {
	return "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: " + name + "\nspec:\n  steps:\n    - image: " + image + "\n"
}

// runOf binds a resource, so converting it needs the Task it references.
const runOf = "apiVersion: tekton.dev/v1beta1\nkind: TaskRun\nmetadata:\n  name: r\nspec:\n  taskRef:\n    name: build\n" +
	"  resources:\n    inputs:\n      - name: src\n        resourceSpec:\n          type: git\n          params:\n            - name: url\n              value: https://example.com/r.git\n"

// A reference resolves to the nearest definition: same file, same directory, nearest
// ancestor directory, then anywhere in the repository.
func TestProximity(t *testing.T) {
	files := map[string]string{
		"base/task.yaml":                taskDoc("build", "base"),
		"overlays/prod/task.yaml":       taskDoc("build", "prod"),
		"overlays/prod/run.yaml":        runOf,
		"overlays/dev/run.yaml":         runOf + "---\n" + taskDoc("build", "dev-own"),
		"overlays/task.yaml":            taskDoc("build", "overlays"),
		"overlays/stage/deep/run.yaml":  runOf,
		"examples/v1alpha1/run.yaml":    runOf,
		"examples/v1beta1/run.yaml":     runOf,
		"examples/v1alpha1/x/task.yaml": taskDoc("build", "alpha"),
	}
	c := New()
	for _, p := range sortedKeysOf(files) {
		if err := c.Index(convert.Source{Path: p, Data: []byte(files[p])}); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"overlays/prod/run.yaml":       "overlays/prod/task.yaml", // same directory
		"overlays/dev/run.yaml":        "overlays/dev/run.yaml",   // same file
		"overlays/stage/deep/run.yaml": "overlays/task.yaml",      // nearest ancestor directory
	}
	for from, def := range want {
		v := c.index("").withLocal(from, nil)
		if e := v.lookup("Task", "build"); e == nil || e.path != def {
			t.Errorf("%s: resolved to %v, want %s", from, e, def)
		}
		if len(v.amb.seen) != 0 {
			t.Errorf("%s: reported an ambiguity", from)
		}
	}
	// Neither base/ nor overlays/prod/ is an ancestor of examples/: four definitions tie at
	// repository level and differ, which is a manual finding, not an error.
	res, err := c.Convert(convert.Source{Path: "examples/v1beta1/run.yaml", Data: []byte(runOf)}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := formatFindings(res.Findings)
	wantF := `examples/v1beta1/run.yaml:7:11 manual ambiguous-reference: Task "build" has equally near definitions that differ (base/task.yaml:1, examples/v1alpha1/x/task.yaml:1, overlays/dev/run.yaml:17, overlays/prod/task.yaml:1, overlays/task.yaml:1); this conversion used the first: check which one the reference means` + "\n"
	if !strings.Contains(got, wantF) {
		t.Errorf("findings:\n%s\nwant a line:\n%s", got, wantF)
	}
}

// Byte-identical copies of a definition are one object: no finding, wherever they are.
func TestIdenticalDuplicates(t *testing.T) {
	c := New()
	for _, p := range []string{"a/task.yaml", "b/task.yaml", "run/run.yaml"} {
		data := taskDoc("build", "same")
		if p == "run/run.yaml" {
			data = runOf
		}
		if err := c.Index(convert.Source{Path: p, Data: []byte(data)}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := c.Convert(convert.Source{Path: "run/run.yaml", Data: []byte(runOf)}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Rule == "ambiguous-reference" {
			t.Errorf("identical copies reported: %s", f.Message)
		}
	}
}

func sortedKeysOf(m map[string]string) []string {
	b := map[string]bool{}
	for k := range m {
		b[k] = true
	}
	return sortedKeys(b)
}

// TestIndexKeepsNoTrees: the full index keeps each object's summary and text, not its tree;
// a document's view parses what it looks up once, to the tree the file's parse gives, and
// another document's view parses it again.
func TestIndexKeepsNoTrees(t *testing.T) {
	checked := 0
	for _, s := range fastPathFiles(t) {
		c := New()
		if c.indexFast(s) {
			continue // a current file: indexed from the scan (TestLazyIndexMatches)
		}
		c = New()
		if err := c.Index(s); err != nil {
			continue
		}
		docs, err := splitDocs(s.Path, s.Data)
		if err != nil {
			t.Fatalf("%s: indexed, but: %v", s.Path, err)
		}
		full, got := newIndex().withLocal(s.Path, docs), c.index("") // a file converted alone keeps its trees
		if describe(got) != describe(full) {
			t.Errorf("%s: index\n%s\nparsed index\n%s", s.Path, describe(got), describe(full))
			continue
		}
		for k, es := range got.byKey {
			for i, e := range es {
				if e.node != nil || !e.reparse {
					t.Errorf("%s: %s keeps its tree", s.Path, k)
				}
				if i > 0 {
					continue // lookup returns the first of equally near definitions
				}
				one, other := got.forDocument(), got.forDocument()
				a := one.lookup(e.kind, e.name)
				if one.lookup(e.kind, e.name) != a || other.lookup(e.kind, e.name) == a {
					t.Errorf("%s: %s is not parsed once per document", s.Path, k)
				}
				x, _ := printNode(a.node, style{2, true})
				y, _ := printNode(full.byKey[k][0].node, style{2, true})
				if x != y {
					t.Errorf("%s: %s parses again to\n%s\nnot\n%s", s.Path, k, x, y)
				}
				checked++
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d objects checked", checked)
	}
	t.Logf("%d objects checked", checked)
}
