package upgrade

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
)

var update = flag.Bool("update", false, "rewrite golden files")

// caseOptions reads testdata/<case>/options (key=value lines), if any.
func caseOptions(t *testing.T, dir string) convert.Options {
	var o convert.Options
	data, err := os.ReadFile(filepath.Join(dir, "options"))
	if err != nil {
		return o
	}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, v, _ := strings.Cut(l, "=")
		switch k {
		case "to":
			o.To = v
		case "catalog":
			m, err := catalog.ParseRefMode(v)
			if err != nil {
				t.Fatal(err)
			}
			o.CatalogRef = m
		}
	}
	return o
}

func formatFindings(fs []convert.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s:%d:%d %s %s: %s\n", f.File, f.Line, f.Col, f.Class, f.Rule, f.Message)
		if f.Action != "" {
			fmt.Fprintf(&b, "  run: %s\n", f.Action)
		}
	}
	return b.String()
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", file, got, want)
	}
}

func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/input.yaml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, in := range dirs {
		dir := filepath.Dir(in)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			opts := caseOptions(t, dir)
			src := convert.Source{Path: "input.yaml", Data: data, Kind: convert.KindTekton}
			c := New()
			if err := c.Index(src); err != nil {
				t.Fatal(err)
			}
			res, err := c.Convert(src, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Files) != 1 || res.Files[0].Path != "input.yaml" {
				t.Fatalf("want one file at the input path, got %+v", res.Files)
			}
			out := res.Files[0].Data
			if n := c.fallbacks.Load(); n > 0 {
				t.Errorf("%d documents fell back to whole-document printing", n)
			}
			golden(t, filepath.Join(dir, "expected.yaml"), out)
			golden(t, filepath.Join(dir, "findings.txt"), []byte(formatFindings(res.Findings)))

			if err := validateOutput("expected.yaml", out); err != nil {
				t.Errorf("output fails Tekton validation: %v", err)
			}
			// Idempotence: the output converts to itself, with nothing left to report.
			again, err := New().Convert(convert.Source{Path: "input.yaml", Data: out}, opts)
			if err != nil {
				t.Fatalf("second pass: %v", err)
			}
			if string(again.Files[0].Data) != string(out) {
				t.Errorf("second pass changes the output:\n%s", again.Files[0].Data)
			}
			if len(again.Findings) != 0 {
				t.Errorf("second pass reports:\n%s", formatFindings(again.Findings))
			}
			// Minimal diff: we change no more source lines than the edit itself needs.
			if ours, kyaml := changedLines(t, data, out); ours > kyaml {
				t.Errorf("diff touches %d source lines, the edit needs %d", ours, kyaml)
			}
		})
	}
}

// changedLines counts, over the documents that stay documents, the source lines (not
// blank, not comments) our output removes or changes, and the lines kyaml's own print
// of the tree changes for the same edit.
func changedLines(t *testing.T, in, out []byte) (ours, needed int) {
	t.Helper()
	a, err := splitDocs("in", in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := splitDocs("out", out)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("document count changed: %d → %d", len(a), len(b))
	}
	content := func(l string) bool {
		t := strings.TrimSpace(l)
		return t != "" && !strings.HasPrefix(t, "#")
	}
	for i := range a {
		if a[i].node == nil || b[i].node == nil {
			continue
		}
		src, dst := splitLines(a[i].text), splitLines(b[i].text)
		st, before := bestStyle(a[i].node, a[i].text, kyaml.DeriveSeqIndentStyle(string(in)) == "wide")
		// A scalar the source wraps over several lines is one printed line: its other
		// source lines are no extra edit.
		printedAt := map[int]bool{}
		for _, m := range align(splitLines(before), src) {
			printedAt[m] = true
		}
		for _, o := range diffLines(src, dst) {
			if !o.equal {
				for x, l := range src[o.i:o.j] {
					if content(l) && printedAt[o.i+x] {
						ours++
					}
				}
			}
		}
		after, err := printNode(b[i].node, st)
		if err != nil {
			t.Fatal(err)
		}
		pb := splitLines(before)
		for _, o := range diffLines(pb, splitLines(after)) {
			if !o.equal {
				for _, l := range pb[o.i:o.j] {
					if content(l) {
						needed++
					}
				}
			}
		}
	}
	return ours, needed
}

// An already-v1 file comes out byte-identical with nothing to report.
func TestAlreadyV1Identical(t *testing.T) {
	data, err := os.ReadFile("testdata/already-v1/input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := New().Convert(convert.Source{Path: "x.yaml", Data: data}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Files[0].Data) != string(data) || len(res.Findings) != 0 {
		t.Errorf("already-v1 changed or reported: %q %v", res.Files[0].Data, res.Findings)
	}
}

// A file that only needs its apiVersion changed gives a one-line diff.
func TestAPIVersionOnlyOneLine(t *testing.T) {
	data, err := os.ReadFile("testdata/apiversion-only/input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := New().Convert(convert.Source{Path: "x.yaml", Data: data}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in, out := splitLines(string(data)), splitLines(string(res.Files[0].Data))
	if len(in) != len(out) {
		t.Fatalf("line count changed: %d → %d", len(in), len(out))
	}
	var changed []string
	for i := range in {
		if in[i] != out[i] {
			changed = append(changed, in[i]+" → "+out[i])
		}
	}
	if len(changed) != 1 || !strings.Contains(changed[0], "apiVersion: tekton.dev/v1\n") {
		t.Errorf("want exactly the apiVersion line changed, got %q", changed)
	}
}
