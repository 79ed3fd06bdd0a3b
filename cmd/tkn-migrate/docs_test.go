package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// docsEpoch dates the checked-in man pages (SOURCE_DATE_EPOCH), so regenerating them is reproducible.
const docsEpoch = "1767225600"

// TestDocsCurrent regenerates the man and markdown pages and compares them with docs/man and
// docs/cli; run with -update after changing a command or flag.
func TestDocsCurrent(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", docsEpoch)
	tmp := t.TempDir()
	ios := &IOStreams{In: bytes.NewReader(nil), Out: io.Discard, ErrOut: io.Discard}
	for _, d := range []struct{ flag, checkedIn string }{{"--man", "../../docs/man"}, {"--markdown", "../../docs/cli"}} {
		out := filepath.Join(tmp, filepath.Base(d.checkedIn))
		if code := run([]string{"docs", d.flag, out}, ios); code != 0 {
			t.Fatalf("docs %s exited %d", d.flag, code)
		}
		if *update {
			if err := os.RemoveAll(d.checkedIn); err != nil {
				t.Fatal(err)
			}
			if err := os.CopyFS(d.checkedIn, os.DirFS(out)); err != nil {
				t.Fatal(err)
			}
		}
		want, got := readDir(t, d.checkedIn), readDir(t, out)
		for name, data := range got {
			if w, ok := want[name]; !ok {
				t.Errorf("%s/%s is missing (run go test ./cmd/tkn-migrate -run TestDocsCurrent -update)", d.checkedIn, name)
			} else if !bytes.Equal(w, data) {
				t.Errorf("%s/%s is out of date (run go test ./cmd/tkn-migrate -run TestDocsCurrent -update)", d.checkedIn, name)
			}
		}
		for name := range want {
			if _, ok := got[name]; !ok {
				t.Errorf("%s/%s documents no command any more", d.checkedIn, name)
			}
		}
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	return files
}
