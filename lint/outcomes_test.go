package lint

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// outputFindings is what Output adds to an outcome of files.
func outputFindings(files []File) []convert.Finding {
	o := &convert.Outcome{}
	for _, f := range files {
		o.Result.Files = append(o.Result.Files, convert.File{Path: f.Path, Data: f.Data})
	}
	Output(o)
	return o.Result.Findings
}

func plainOutput(files []File) []convert.Finding {
	rememberClean = false
	defer func() { rememberClean = true }()
	return outputFindings(files)
}

// movedTo is files with their base names under dir.
func movedTo(files []File, dir string) []File {
	out := make([]File, len(files))
	for i, f := range files {
		out[i] = File{Path: filepath.Join(dir, filepath.Base(f.Path)), Data: f.Data}
	}
	return out
}

// TestCleanOutputsExact: Output with its memo of clean output sets adds exactly what linting
// each set adds, on the converters' goldens, every lint golden case (sets with errors, which
// are never remembered) and the converted corpus, each set met again under another directory.
func TestCleanOutputsExact(t *testing.T) {
	sets, names, _ := lintSets(t)
	elsewhere := t.TempDir()
	hits, withErrors := 0, 0
	for _, n := range names {
		files := sets[n]
		if len(files) == 0 {
			continue
		}
		cleanOutputs.Reset()
		want := plainOutput(files)
		if got := outputFindings(files); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: first Output\n%v\nplain\n%v", n, got, want)
		}
		moved := movedTo(files, elsewhere)
		wantMoved := plainOutput(moved)
		if got := outputFindings(moved); !reflect.DeepEqual(got, wantMoved) {
			t.Errorf("%s: Output again elsewhere\n%v\nplain\n%v", n, got, wantMoved)
		}
		_, keyed := outputKey(files, make([][]validate.Span, len(files)))
		remembered := knownClean(files)
		switch {
		case remembered && len(want) > 0:
			t.Errorf("%s: remembered as clean with %d errors", n, len(want))
		case remembered:
			hits++
		case keyed && len(want) > 0:
			withErrors++
		}
	}
	t.Logf("%d sets remembered clean, %d with errors not remembered", hits, withErrors)
	if hits < 100 || withErrors < 10 {
		t.Errorf("%d sets remembered clean, %d with errors: the memo is not exercised", hits, withErrors)
	}
}
