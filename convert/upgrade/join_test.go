package upgrade

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestJoinedReserveExact: the output sized early holds the same bytes as the pieces joined at
// the end, whether what was read so far foretold too little, about right or too much, and
// keeps no more than a quarter of room unused.
func TestJoinedReserveExact(t *testing.T) {
	pieces := []string{"", "apiVersion: v1\n", "---\n", strings.Repeat("x", 300), "", "kind: Task\n", strings.Repeat("y\n", 70)}
	want := strings.Join(pieces, "")
	for at := 0; at <= len(pieces); at++ {
		for _, in := range []int{0, 1, len(want) / 2, len(want), len(want) + 10, 4 * len(want)} {
			j := joined{in: in}
			for i, p := range pieces {
				if i == at {
					j.reserve()
				}
				j.read += len(p) / 2
				j.WriteString(p)
			}
			if at == len(pieces) {
				j.reserve()
			}
			got := j.bytes()
			if string(got) != want {
				t.Fatalf("input %d, reserved after %d pieces: %q, want %q", in, at, got, want)
			}
			if cap(got) > len(got)+len(got)/3+1 {
				t.Errorf("input %d, reserved after %d pieces: cap %d for %d bytes", in, at, cap(got), len(got))
			}
		}
	}
}

// TestBigFileOutputSizedEarly: a file over reserveFrom converts to the same bytes when its
// output is sized early as when its pieces are joined at the end, indexed or not.
func TestBigFileOutputSizedEarly(t *testing.T) {
	data := bigFile(40)
	defer func(v int) { reserveFrom = v }(reserveFrom)
	for _, indexed := range []bool{false, true} {
		var outs [][]byte
		for _, from := range []int{len(data) + 1, len(data) / 2} {
			reserveFrom = from
			c := New()
			src := convert.Source{Path: "big.yaml", Data: bytes.Clone(data), Kind: convert.KindTekton}
			if indexed {
				if err := c.Index(src); err != nil {
					t.Fatal(err)
				}
			}
			res, err := c.Convert(src, convert.Options{})
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, res.Files[0].Data)
		}
		if !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("indexed %v: the output sized early differs from the one joined at the end", indexed)
		}
		if bytes.Equal(outs[0], data) {
			t.Errorf("indexed %v: nothing upgraded", indexed)
		}
	}
}

// TestConvertSplitsIndexCopy: the index keeps one copy of a file, which its entries slice and
// Convert splits; the output is the one of the file converted alone, and a file whose bytes
// changed since it was indexed is converted from its own bytes.
func TestConvertSplitsIndexCopy(t *testing.T) {
	data := bigFile(2)
	c := New()
	src := convert.Source{Path: "f.yaml", Data: data, Kind: convert.KindTekton}
	if err := c.Index(src); err != nil {
		t.Fatal(err)
	}
	text := c.index("").texts["f.yaml"]
	if text != string(data) {
		t.Fatalf("index text %q", text)
	}
	e := c.index("").byKey["Task/build-0"][0]
	if unsafe.StringData(e.text) != unsafe.StringData(text) {
		t.Errorf("the entry's text is not a slice of the index's copy")
	}
	want, err := New().Convert(convert.Source{Path: "f.yaml", Data: bytes.Clone(data), Kind: convert.KindTekton}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Convert(src, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Files[0].Data, want.Files[0].Data) {
		t.Errorf("indexed output differs from the output converted alone")
	}
	changed := bytes.Replace(bytes.Clone(data), []byte("golang:1.22"), []byte("golang:1.23"), 1)
	got, err = c.Convert(convert.Source{Path: "f.yaml", Data: changed, Kind: convert.KindTekton}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got.Files[0].Data, []byte("golang:1.23")) {
		t.Errorf("a changed file was converted from the index's stale copy")
	}
}

// TestFileShareOfMemos: one file of many distinct documents puts at most an eighth of each
// memo's entries and a thirty-second of its bytes in it, and converts to the same bytes as with the memos cold and unbounded.
func TestFileShareOfMemos(t *testing.T) {
	data := bigFile(800)
	styleMemo.Reset()
	renderMemo.Reset()
	strictMemo.Reset()
	res, err := New().Convert(convert.Source{Path: "big.yaml", Data: data, Kind: convert.KindTekton}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := styleMemo.Len(); n != styleMemo.Limit/8 {
		t.Errorf("style memo: %d entries, want the file's share %d", n, styleMemo.Limit/8)
	}
	if n := strictMemo.Len(); n != strictMemo.Limit/8 {
		t.Errorf("strict memo: %d entries, want the file's share %d", n, strictMemo.Limit/8)
	}
	if n := renderMemo.Len(); n == 0 || n > renderMemo.Limit/8 {
		t.Errorf("render memo: %d entries, want 1 to %d", n, renderMemo.Limit/8)
	}
	// Each entry holds a converted document of the file: the n shortest must fit in the
	// file's thirty-second of the render memo's bytes.
	lens := []int{}
	for _, d := range strings.Split(string(res.Files[0].Data), "---\n") {
		lens = append(lens, len(d))
	}
	slices.Sort(lens)
	least := 0
	for _, l := range lens[:min(renderMemo.Len(), len(lens))] {
		least += l
	}
	if least > renderMemo.Size/32 {
		t.Errorf("render memo: %d entries of at least %d bytes, over the file's share of %d", renderMemo.Len(), least, renderMemo.Size/32)
	}
	// Each group alone, with no share, converts to the same text.
	var want []byte
	groups := strings.Split(string(data), "---\napiVersion: tekton.dev/v1beta1\nkind: Task\n")
	for i, g := range groups {
		if i > 0 {
			g = "apiVersion: tekton.dev/v1beta1\nkind: Task\n" + g
			want = append(want, "---\n"...)
		}
		styleMemo.Reset()
		renderMemo.Reset()
		strictMemo.Reset()
		r, err := New().Convert(convert.Source{Path: "big.yaml", Data: []byte(g), Kind: convert.KindTekton}, convert.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r.Files[0].Data...)
	}
	if !bytes.Equal(res.Files[0].Data, want) {
		t.Errorf("the file converted with its share differs from its groups converted alone")
	}
}
