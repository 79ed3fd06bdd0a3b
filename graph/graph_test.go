package graph

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update):\n%s", path, got)
	}
}

// TestGolden renders every Pipeline of each testdata/*.yaml as Mermaid and DOT.
func TestGolden(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/*.yaml")
	if len(inputs) == 0 {
		t.Fatal("no inputs")
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := Parse(in, data)
			if err != nil {
				t.Fatal(err)
			}
			var mmd, dot strings.Builder
			for i, p := range ps {
				if i > 0 {
					mmd.WriteString("\n")
				}
				mmd.WriteString(Mermaid(p))
				dot.WriteString(DOT(p))
			}
			base := strings.TrimSuffix(in, ".yaml")
			golden(t, base+".mmd", []byte(mmd.String()))
			golden(t, base+".dot", []byte(dot.String()))
		})
	}
}

func TestModel(t *testing.T) {
	data, err := os.ReadFile("testdata/results.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := Parse("results.yaml", data)
	if err != nil || len(ps) != 1 {
		t.Fatalf("got %d pipelines, err %v", len(ps), err)
	}
	p := ps[0]
	if p.Line != 12 || p.Task("end").Line != 41 {
		t.Errorf("lines: pipeline %d, end %d", p.Line, p.Task("end").Line)
	}
	cases := []struct {
		a, b string
		want bool
	}{
		{"clone", "end", true},      // end reads version's results, version runs after clone
		{"scan", "end", false},      // both wait for version only
		{"dangling", "scan", false}, // runAfter a missing task is dropped
		{"notify", "scan", true},    // finally follows every task
		{"notify", "cleanup", false},
	}
	for _, c := range cases {
		if got := p.Ordered(c.a, c.b); got != c.want {
			t.Errorf("Ordered(%s, %s) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	ws := p.Task("version").Workspaces
	if len(ws) != 1 || ws[0].Workspace != "src" || ws[0].SubPath != "app" || ws[0].Line != 38 {
		t.Errorf("workspaces: %+v", ws)
	}
}

func TestBadInput(t *testing.T) {
	_, err := Parse("x.yaml", []byte("apiVersion: tekton.dev/v1\nkind: Pipeline\nspec:\n  tasks: [\n"))
	pe, ok := err.(*convert.PosError)
	if !ok || pe.Line == 0 {
		t.Fatalf("want a positioned error, got %v", err)
	}
	// A bomb of aliases is refused, not expanded.
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	if _, err := Parse("bomb.yaml", []byte(b.String())); err == nil || !strings.Contains(err.Error(), "alias expansion") {
		t.Fatalf("alias bomb: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	inputs, _ := filepath.Glob("testdata/*.yaml")
	for _, in := range inputs {
		data, _ := os.ReadFile(in)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, _ := Parse("f.yaml", data)
		for _, p := range ps {
			Mermaid(p)
			DOT(p)
		}
	})
}

// TestCorpus draws every Pipeline in the shared corpus without crashing.
func TestCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		t.Skip("corpus absent")
	}
	n := 0
	for _, dir := range []string{"tekton-v1alpha1", "tekton-v1beta1", "catalog"} {
		filepath.Walk(filepath.Join(root, dir), func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || !strings.HasSuffix(path, ".yaml") {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := Parse(path, data)
			if err != nil {
				t.Errorf("%v", err)
			}
			for _, p := range ps {
				if !strings.HasPrefix(Mermaid(p), "flowchart TD\n") || !strings.HasPrefix(DOT(p), "digraph ") {
					t.Errorf("%s: bad rendering", path)
				}
				n++
			}
			return nil
		})
	}
	t.Logf("%d pipelines drawn", n)
	if n == 0 {
		t.Error("no Pipelines found in the corpus")
	}
}

func TestWrite(t *testing.T) {
	data, err := os.ReadFile("testdata/run.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := Parse("run.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"mermaid", "dot"} {
		var b strings.Builder
		if err := Write(&b, ps, format); err != nil {
			t.Fatal(err)
		}
		golden(t, "testdata/write."+format, []byte(b.String()))
	}
	if err := Write(&strings.Builder{}, ps, "svg"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestMatrixString(t *testing.T) {
	cases := []struct {
		m    Matrix
		want string
	}{
		{Matrix{Params: []MatrixParam{{"go", 2}}}, "matrix: go×2"},
		{Matrix{Params: []MatrixParam{{"go", 2}, {"os", -1}}, Include: 1}, "matrix: go×2, os×? +1 include"},
		{Matrix{Include: 2}, "matrix: 2 includes"},
	}
	for _, c := range cases {
		if got := c.m.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
