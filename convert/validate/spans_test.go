package validate

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TextSpans finds, in stream offsets, the spans ParsedSpans finds in the parse of every
// front-end golden file, and of all of them in one stream, and each is its value.
func TestTextSpansMatchParsedSpans(t *testing.T) {
	files, spans := 0, 0
	var stream []byte
	check := func(path string, data []byte) {
		var want []Span
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc yaml.Node
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			want = append(want, ParsedSpans(rootOf(&doc), data)...)
		}
		got := TextSpans(data)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: TextSpans %v, ParsedSpans %v", path, got, want)
		}
		for _, sp := range got {
			if v := data[sp.Off : sp.Off+sp.Len]; !safeValue(v) || bytes.IndexByte(data[sp.Off:], '\n') != sp.Len && sp.Off+sp.Len != len(data) {
				t.Errorf("%s: span %q does not end its line", path, v)
			}
		}
		files++
		spans += len(got)
	}
	for _, dir := range []string{"../../travis/testdata", "../../jenkins/testdata"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !strings.HasSuffix(path, ".yaml") {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			check(path, data)
			stream = append(append(stream, "---\n"...), data...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check("all", stream)
	if files < 50 || spans < 200 {
		t.Errorf("%d files, %d spans: not exercised", files, spans)
	}
}
