package upgrade

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// fastPathFiles are the Tekton files the fast path is checked on: the corpus, every YAML
// file of the golden cases (inputs and expected outputs), and the upgrade's own output
// of each (the files a later run meets already current).
func fastPathFiles(t *testing.T) []convert.Source {
	srcs := corpusFiles(t)
	filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !convert.IsYAML(p) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, convert.Source{Path: p, Data: data, Kind: convert.KindTekton})
		return nil
	})
	var outs []convert.Source
	for _, s := range srcs {
		res, err := New().Convert(s, convert.Options{})
		if err != nil {
			continue
		}
		for _, f := range res.Files {
			outs = append(outs, convert.Source{Path: filepath.Join("out", f.Path), Data: f.Data, Kind: convert.KindTekton})
		}
	}
	return append(srcs, outs...)
}

// TestCurrentIsExact: whenever Current says an input needs nothing, the full upgrade returns
// it byte for byte with no finding and no error, for each file converted alone and for all of
// them indexed together (references across files resolve).
func TestCurrentIsExact(t *testing.T) {
	srcs := fastPathFiles(t)
	together := New()
	for _, s := range srcs {
		together.Index(s)
	}
	current := 0
	for _, s := range srcs {
		alone := New()
		alone.Index(s)
		if New().Current(s, convert.Options{}) != alone.Current(s, convert.Options{}) {
			t.Errorf("%s: Current differs with and without Index", s.Path) // the scan cached by Index is the scan
		}
		for _, c := range []*Converter{alone, together} {
			if c.Current(s, convert.Options{To: "v1beta1"}) {
				t.Errorf("%s: Current for an upgrade to v1beta1", s.Path)
			}
			if !c.Current(s, convert.Options{To: "v1"}) {
				continue
			}
			if c == together {
				current++
			}
			if err := duplicateKeyFree(s.Data); err != nil {
				t.Errorf("%s: Current, but %v", s.Path, err)
			}
			res, err := c.Convert(s, convert.Options{})
			switch {
			case err != nil:
				t.Errorf("%s: Current, but Convert fails: %v", s.Path, err)
			case len(res.Findings) > 0:
				t.Errorf("%s: Current, but Convert finds:\n%s", s.Path, formatFindings(res.Findings))
			case len(res.Files) != 1 || res.Files[0].Path != s.Path || string(res.Files[0].Data) != string(s.Data) || res.Files[0].Partial:
				t.Errorf("%s: Current, but Convert changes it", s.Path)
			}
		}
	}
	t.Logf("%d of %d files current", current, len(srcs))
	if current == 0 {
		t.Error("no file took the fast path")
	}
}

// duplicateKeyFree is the check precheck skips for a current file, done with a parse.
func duplicateKeyFree(data []byte) error {
	docs, err := splitDocs("f", data)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if d.node != nil {
			if k := dupKey(d.node); k != "" {
				return &convert.PosError{Path: "f", Msg: "duplicate key " + k}
			}
		}
	}
	return nil
}

func dupKey(n *yaml.Node) string {
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if seen[n.Content[i].Value] {
				return n.Content[i].Value
			}
			seen[n.Content[i].Value] = true
		}
	}
	for _, c := range n.Content {
		if k := dupKey(c); k != "" {
			return k
		}
	}
	return ""
}

// TestLazyIndexMatches: the entries the pre-scan indexes are those a parse indexes, and
// each parses, when looked up, to the node the parse holds.
func TestLazyIndexMatches(t *testing.T) {
	lazy := 0
	for _, s := range fastPathFiles(t) {
		fast := New()
		if !fast.indexFast(s) {
			continue
		}
		docs, err := splitDocs(s.Path, s.Data)
		if err != nil {
			t.Errorf("%s: pre-scan accepted it, but: %v", s.Path, err)
			continue
		}
		full := newIndex()
		for _, d := range docs {
			if d.node != nil {
				full.add(s.Path, d)
			}
		}
		got := fast.index("")
		if describe(got) != describe(full) {
			t.Errorf("%s: lazy index\n%s\nparsed index\n%s", s.Path, describe(got), describe(full))
			continue
		}
		for k, es := range got.byKey {
			for i, e := range es {
				lazy++
				a, _ := printNode(e.resolved().node, style{2, true})
				b, _ := printNode(full.byKey[k][i].node, style{2, true})
				if a != b {
					t.Errorf("%s: %s parses lazily to\n%s\nnot\n%s", s.Path, k, a, b)
				}
			}
		}
	}
	if lazy == 0 {
		t.Error("no entry indexed lazily")
	}
}

func describe(x *index) string {
	var out []string
	for k, es := range x.byKey {
		for _, e := range es {
			out = append(out, strings.Join([]string{k, e.path, itoa(e.line), itoa(e.col), e.kind, e.name, e.version, e.text}, "|"))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestForget: a forgotten scope's objects no longer resolve, other scopes' still do.
func TestForget(t *testing.T) {
	c := New()
	task := []byte("apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - image: alpine\n")
	c.Index(convert.Source{Path: "a/t.yaml", Data: task, Scope: "a"})
	c.Index(convert.Source{Path: "b/t.yaml", Data: task, Scope: "b"})
	c.Forget("a")
	if c.idxs["a"] != nil || c.objects["a/t.yaml"] != nil {
		t.Error("scope a still indexed")
	}
	if c.index("b").lookup("Task", "t") == nil || c.objects["b/t.yaml"] == nil {
		t.Error("scope b lost")
	}
}

// TestCurrentVariableForms: every variable form denyBytes names is one the full upgrade acts
// on in a v1 Task, so Current must refuse it; a task name that merely ends in "inputs" is
// none of them, and such a file stays on the fast path.
func TestCurrentVariableForms(t *testing.T) {
	const task = "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params:\n    - name: p\n  steps:\n    - name: s\n      image: alpine\n      script: echo %s\n"
	for _, v := range []string{"$(inputs.params.p)", "$(inputs.resources.src.path)", "$(outputs.resources.img.url)", "${inputs.params.p}", "${outputs.resources.img.url}", "$(resources.inputs.src.path)", "$(tasks.multiply-inputs.results.product)"} {
		src := convert.Source{Path: "t.yaml", Data: []byte(fmt.Sprintf(task, v)), Kind: convert.KindTekton}
		c := New()
		c.Index(src)
		res, err := c.Convert(src, convert.Options{})
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		acts := len(res.Findings) > 0 || len(res.Files) != 1 || string(res.Files[0].Data) != string(src.Data)
		if cur := c.Current(src, convert.Options{}); cur == acts {
			t.Errorf("%s: Current %v, but the upgrade acts on it: %v", v, cur, acts)
		}
	}
}

// TestCurrentCustomRun: a v1beta1 CustomRun (what a Run becomes) is current, even with a
// status and a podTemplate-like key, which no filter reads there; a v1alpha1 Run and a
// CustomRun of a version Tekton never served are not.
func TestCurrentCustomRun(t *testing.T) {
	const doc = "apiVersion: %s\nkind: %s\nmetadata:\n  name: r\nspec:\n  %s:\n    apiVersion: example.dev/v1\n    kind: Example\n    name: e\n  timeout: 1m\nstatus:\n  conditions: []\n"
	task := "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine\n"
	for _, c := range []struct {
		av, kind, ref string
		current       bool
	}{
		{"tekton.dev/v1beta1", "CustomRun", "customRef", true},
		{"tekton.dev/v1alpha1", "Run", "ref", false},
		{"tekton.dev/v1", "CustomRun", "customRef", false},
	} {
		src := convert.Source{Path: "r.yaml", Data: []byte(task + "---\n" + fmt.Sprintf(doc, c.av, c.kind, c.ref)), Kind: convert.KindTekton}
		conv := New()
		conv.Index(src)
		if cur := conv.Current(src, convert.Options{}); cur != c.current {
			t.Errorf("%s %s: Current %v, want %v", c.av, c.kind, cur, c.current)
		}
	}
}

// FuzzCurrent keeps the fast path honest on inputs nobody wrote: when Current says a file
// needs nothing, the full upgrade agrees.
func FuzzCurrent(f *testing.F) {
	f.Add([]byte("apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine\n      script: |\n        echo hi\n"))
	f.Add([]byte("apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  generateName: r-\nspec:\n  pipelineRef:\n    name: p\n  workspaces:\n    - name: w\n      volumeClaimTemplate:\n        spec:\n          resources:\n            requests:\n              storage: 1Gi\n---\napiVersion: tekton.dev/v1beta1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  resources:\n    - name: src\n      type: git\n  tasks: []\n"))
	for _, seed := range []string{"already-v1/input.yaml", "beta-pipelinerun/expected.yaml", "conditions/expected.yaml"} {
		if data, err := os.ReadFile(filepath.Join("testdata", seed)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := New()
		src := convert.Source{Path: "f.yaml", Data: data, Kind: convert.KindTekton}
		c.Index(src)
		if !c.Current(src, convert.Options{}) {
			return
		}
		res, err := c.Convert(src, convert.Options{})
		if err != nil || len(res.Findings) > 0 || len(res.Files) != 1 || string(res.Files[0].Data) != string(data) {
			t.Fatalf("Current, but Convert: err %v, findings %v", err, res.Findings)
		}
		if err := duplicateKeyFree(data); err != nil {
			t.Fatalf("Current, but %v", err)
		}
	})
}
