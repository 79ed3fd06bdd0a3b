package convert

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// parsesClean is what ScanBlock's ok promises: every document parses and no mapping has a
// key twice.
func parsesClean(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := dupIn("x", &doc, 0); err != nil {
			return err
		}
	}
}

func TestScanBlockCases(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"a: 1\nb:\n  c: x\n  d:\n  - e\n  - f: g\n    h: |\n      text: with: colons\n\n      # not a comment\n    i: 'it''s'\n", true},
		{"a: 1\n---\n# only a comment\n---\nb: \"x\" # c\n", true},
		{"a:\n- x\n- y\nb: {}\nc: []\n", true},
		{"a: x #c\nb: x#c\nc: http://h:1/p\n", true},
		{"a: {b: 1, c: [x, 'y', \"z\"], d: {}}\nb: [ -v, --x=1 ]\n", true}, // one-line flow collections
		{"a: x\n  y\n\n  z\nb: 1\n", true},                                 // a multi-line plain scalar
		{"a:\n- -v\n- --x\n", true},                                        // plain scalars starting with -
		{"a: 1\na: 2\n", false},                                            // duplicate
		{"a:\n  b: 1\n  b: 2\n", false},                                    // duplicate, nested
		{"a: {b: 1, b: 2}\n", false},                                       // duplicate in a flow mapping
		{"- a\n- b\n", false},                                              // a sequence root
		{"a: b: c\n", false},                                               // a mapping value inside a plain scalar
		{"a: &x 1\nb: *x\n", false},                                        // anchors and aliases
		{"a: \"open\n  close\"\n", false},                                  // a multi-line quoted scalar
		{"a: [b, c\n  ]\n", false},                                         // a multi-line flow collection
		{"a: [b:c]\n", false},                                              // a colon in a flow scalar
		{"a: [b,]\n", false},                                               // a trailing comma
		{"a: x\n  # c\n  y\n", false},                                      // a comment ends a plain scalar
		{"a: x\n  - y\n", false},                                           // a continuation starting with an indicator
		{"a: 'x'\n  y\n", false},                                           // a quoted scalar continued
		{"a: -\n", false},                                                  // a bare -
		{"a: |\n  \n b\n", false},                                          // leading spaces-only line of a block scalar
		{"a:\n\tb: 1\n", false},                                            // a tab as indentation
		{"a: 1\n  b: 2\n", false},                                          // deeper key after a scalar
		{"a:\n  - x\n  b: 1\n", false},                                     // key after a deeper sequence
		{"a: \"\\q\"\n", false},                                            // an invalid escape
		{"\"a\": 1\n", false},                                              // a quoted key
		{"a: 1\r\n", false},                                                // CR
	} {
		_, ok := ScanBlock([]byte(c.in), nil)
		if ok != c.ok {
			t.Errorf("ScanBlock(%q) ok = %v, want %v", c.in, ok, c.ok)
		}
		if ok {
			if err := parsesClean([]byte(c.in)); err != nil {
				t.Errorf("ScanBlock(%q) ok, but yaml.v3: %v", c.in, err)
			}
		}
	}
}

// TestScanBlockKeys checks the paths, values and positions the scan reports.
func TestScanBlockKeys(t *testing.T) {
	in := "a: 1\nb:\n- c: 'x'\n  d:\n    e: \"y\" # z\n---\nf: |\n  g: h\ni: {j: [{k: l}], m: n}\no: p\n  q\n"
	var got []string
	docs, ok := ScanBlock([]byte(in), func(k *BlockKey) bool {
		var p []string
		for _, e := range k.Path {
			p = append(p, string(e))
		}
		got = append(got, strings.Join(append(p, string(k.Key)), ".")+"="+string(k.Value)+"@"+itoa(k.Doc)+":"+itoa(k.Line)+":"+itoa(k.Col))
		return true
	})
	if !ok {
		t.Fatal("not ok")
	}
	want := "a=1@0:1:1 b=@0:2:1 b.-.c=x@0:3:3 b.-.d=@0:4:3 b.-.d.e=y@0:5:5 f=@1:7:1 i=@1:9:1 i.j=@1:9:0 i.j.-.k=l@1:9:0 i.m=n@1:9:0 o=@1:10:1"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("keys:\n got %s\nwant %s", g, want)
	}
	if len(docs) != 2 || in[docs[0].Start:docs[0].End] != "a: 1\nb:\n- c: 'x'\n  d:\n    e: \"y\" # z\n" || docs[1].Line != 7 || docs[1].RootLine != 7 || in[docs[1].Start:docs[1].End] != "f: |\n  g: h\ni: {j: [{k: l}], m: n}\no: p\n  q\n" {
		t.Errorf("docs %+v", docs)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestScanBlockAgreesOnCorpus: on every YAML file of the corpus and the repository's test
// data, a scan that says ok is never contradicted by yaml.v3.
func TestScanBlockAgreesOnCorpus(t *testing.T) {
	var roots []string
	if c := filepath.Join("..", "..", "shared", "corpus"); dirExists(c) {
		roots = append(roots, c)
	}
	roots = append(roots, "..")
	n, decided := 0, 0
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !IsYAML(p) {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			n++
			if _, ok := ScanBlock(data, nil); ok {
				decided++
				if err := parsesClean(data); err != nil {
					t.Errorf("%s: scan ok, but yaml.v3: %v", p, err)
				}
			}
			return nil
		})
	}
	t.Logf("%d YAML files, %d decided by the scan", n, decided)
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func FuzzScanBlock(f *testing.F) {
	f.Add([]byte("a: 1\nb:\n  - c: |\n      x\n    d: 'y'\n---\ne: {}\n"))
	f.Add([]byte("a:\n- x\nb: \"\\x41\"\n"))
	f.Add([]byte("a: {b: [c, 'd'], e: {}}\nf: g\n  h\ng:\n- -v\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys := 0
		if _, ok := ScanBlock(data, func(k *BlockKey) bool { keys += len(k.Key) + len(k.Path); return true }); ok {
			if err := parsesClean(data); err != nil {
				t.Fatalf("scan ok, but yaml.v3: %v", err)
			}
		}
	})
}

// BenchmarkScanBlock scans every YAML file of the corpus and the repository's test data
// (a file already v1 costs one such scan).
func BenchmarkScanBlock(b *testing.B) {
	var files [][]byte
	size := 0
	for _, root := range []string{filepath.Join("..", "..", "shared", "corpus"), ".."} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && IsYAML(p) {
				if data, err := os.ReadFile(p); err == nil {
					files = append(files, data)
					size += len(data)
				}
			}
			return nil
		})
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			ScanBlock(f, func(*BlockKey) bool { return true })
		}
	}
}
