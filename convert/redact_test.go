package convert

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert/secret"
)

// redactMarkersByLine is redactMarkers read line by line, as it first was.
func redactMarkersByLine(data []byte) []byte {
	var out []byte
	for rest := data; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		if i := bytes.Index(line, markerText); i >= 0 {
			line = append(append([]byte(nil), line[:i]...), secret.Redact(string(line[i:]))...)
		}
		out = append(out, line...)
	}
	return out
}

// TestRedactMarkersExact: redactMarkers changes what the line-by-line reading changes, on
// every golden and corpus file, and on markers holding secrets, several to a line, at the
// text's edges and without a final newline.
func TestRedactMarkersExact(t *testing.T) {
	m := string(markerText)
	texts := []string{"", m, m + " curl -u a:Pw9xQz7Lm", "x\n# " + m + " https://bob:Pw9xQz7Lm@h/x\n" + m + "\n",
		"# " + m + " a " + m + " TOKEN=Zq8Lm2pX7vRt9Kw\ny: 1\n# " + m + " --password=hunter2xyzQ", "\n\n" + m + "\n\n"}
	changed := 0
	for _, dir := range []string{"testdata", "../travis/testdata", "../jenkins/testdata", "../../shared/corpus"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			texts = append(texts, string(data))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range texts {
		got, want := redactMarkers([]byte(s)), redactMarkersByLine([]byte(s))
		if strings.Contains(s, m) && !bytes.Equal(got, want) {
			t.Errorf("redactMarkers(%.200q) = %.200q, want %.200q", s, got, want)
		}
		if !strings.Contains(s, m) && string(got) != s {
			t.Errorf("redactMarkers(%.200q) changed a text without a marker", s)
		}
		if string(got) != s {
			changed++
		}
	}
	if len(texts) < 500 || changed < 3 {
		t.Fatalf("%d texts, %d changed: the texts miss the markers", len(texts), changed)
	}
}
