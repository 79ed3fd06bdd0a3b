package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

// spoolToFile sends every report's entries to a temporary file from the first one, in a
// directory of the test's own, which it returns.
func spoolToFile(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	old := spoolMemory
	spoolMemory = 0
	t.Cleanup(func() { spoolMemory = old })
	return dir
}

// TestGoldensFromFile renders the golden reports from entries read back from the temporary file.
func TestGoldensFromFile(t *testing.T) {
	spoolToFile(t)
	for name, test := range map[string]func(*testing.T){
		"Text": TestText, "JSON": TestJSON, "SARIF": TestSARIF, "SARIFEmpty": TestSARIFEmpty,
		"Markdown": TestMarkdown, "MarkdownEmpty": TestMarkdownEmpty, "MarkdownEscape": TestMarkdownEscape,
		"MarkdownGraphCap": TestMarkdownGraphCap,
	} {
		t.Run(name, test)
	}
}

// renders are every format a report is rendered in, by name.
var renders = map[string]func(*bytes.Buffer, *Report) error{
	"text":         func(b *bytes.Buffer, r *Report) error { return Text(b, r, TextOptions{}) },
	"text-ansi":    func(b *bytes.Buffer, r *Report) error { return Text(b, r, TextOptions{Colors: ANSI, OmitErrors: true}) },
	"text-summary": func(b *bytes.Buffer, r *Report) error { return Text(b, r, TextOptions{SummaryOnly: true}) },
	"json":         func(b *bytes.Buffer, r *Report) error { return JSON(b, r) },
	"sarif":        func(b *bytes.Buffer, r *Report) error { return SARIF(b, r) },
	"markdown":     func(b *bytes.Buffer, r *Report) error { return Markdown(b, r) },
}

// corpusOutcomes converts the shared corpus, each file in a repository of its own, as a
// batch, and returns every outcome (the few with errors too).
func corpusOutcomes(t *testing.T) []*convert.Outcome {
	t.Helper()
	tree := t.TempDir()
	for _, f := range corpustest.Files(t) {
		f.WriteRepo(t, filepath.Join(tree, f.Set, f.Name))
	}
	e := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", Placeholders: true}}
	ins, errs := e.Inputs([]string{tree})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var outs []*convert.Outcome
	if err := e.Run(ins, func(o *convert.Outcome) error { outs = append(outs, o); return nil }); err != nil {
		t.Fatal(err)
	}
	return outs
}

// TestCorpusReports renders the corpus's report in every format from entries held in memory
// and from entries read back from the temporary file, and compares the JSON and SARIF ones
// with encoding/json and go-sarif writing the whole report at once.
func TestCorpusReports(t *testing.T) {
	outs := corpusOutcomes(t)
	render := func(t *testing.T) map[string][]byte {
		got := map[string][]byte{}
		rep := New(Options{Draw: true}, outs...)
		defer rep.Close()
		for name, f := range renders {
			var b bytes.Buffer
			if err := f(&b, rep); err != nil {
				t.Fatal(name, err)
			}
			got[name] = b.Bytes()
		}
		return got
	}
	inMemory := render(t)
	dir := spoolToFile(t)
	fromFile := render(t)
	for name := range renders {
		if !bytes.Equal(inMemory[name], fromFile[name]) {
			t.Errorf("%s: rendered from the file differs from memory", name)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if want := wholeJSON(t, outs); !bytes.Equal(inMemory["json"], want) {
		t.Errorf("json differs from encoding/json's encoding of the whole report")
	}
	if want := wholeSARIF(t, outs); !bytes.Equal(inMemory["sarif"], want) {
		t.Errorf("sarif differs from go-sarif's encoding of the whole log")
	}
	if !bytes.Contains(inMemory["sarif"], []byte(`"toolExecutionNotifications"`)) || !bytes.Contains(inMemory["markdown"], []byte("### Errors")) {
		t.Error("the corpus has inputs that fail; their errors must be in the reports")
	}
}

// wholeJSON is the JSON report as one encoding/json value, its entries all in memory.
func wholeJSON(t *testing.T, outs []*convert.Outcome) []byte {
	t.Helper()
	r := Build(outs)
	defer r.Close()
	whole := struct {
		SchemaVersion int     `json:"schemaVersion"`
		Tool          string  `json:"tool"`
		Files         []File  `json:"files"`
		Summary       Summary `json:"summary"`
	}{r.SchemaVersion, r.Tool, []File{}, r.Summary}
	if err := r.each(func(f *File) error { whole.Files = append(whole.Files, *f); return nil }); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(whole); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wholeSARIF is the SARIF log built whole with go-sarif and written by its PrettyWrite.
func wholeSARIF(t *testing.T, outs []*convert.Outcome) []byte {
	t.Helper()
	r := Build(outs)
	defer r.Close()
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		t.Fatal(err)
	}
	run := sarif.NewRunWithInformationURI(r.Tool, InformationURI)
	run.Tool.Driver.Rules = []*sarif.ReportingDescriptor{}
	run.Results = []*sarif.Result{}
	ids := slices.Sorted(maps.Keys(r.rules))
	for _, id := range ids {
		run.AddRule(id).WithName(ruleName(id)).WithShortDescription(sarif.NewMultiformatMessageString("tkn-migrate: " + id))
	}
	inv := run.AddInvocation(r.Summary.Errors == 0)
	err = r.each(func(f *File) error {
		for _, fd := range sortedFindings(f.Findings) {
			if fd.Class == convert.Manual || fd.Class == convert.Unsupported {
				run.AddResult(sarifResult(fd, slices.Index(ids, fd.Rule)))
			}
		}
		if f.Error != "" {
			n := sarif.NewNotification().WithLevel("error").WithMessage(sarif.NewTextMessage(f.Error))
			n.WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().WithArtifactLocation(artifact(f.Path)))})
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	log.AddRun(run)
	var b bytes.Buffer
	if err := log.PrettyWrite(&b); err != nil {
		t.Fatal(err)
	}
	b.WriteString("\n")
	return b.Bytes()
}

// failAfter is a writer that fails once it has taken n bytes; wrote counts what it took.
type failAfter struct{ n, wrote int }

var errWrite = errors.New("disk full")

func (w *failAfter) Write(p []byte) (int, error) {
	k := min(len(p), w.n-w.wrote)
	w.wrote += k
	if k < len(p) {
		return k, errWrite
	}
	return k, nil
}

// TestSpoolFileRemoved checks the entries go to one temporary file past spoolMemory, that a
// renderer failing on its writer returns the error, and that Close removes the file after it.
func TestSpoolFileRemoved(t *testing.T) {
	dir := spoolToFile(t)
	for name, render := range map[string]func(io.Writer, *Report) error{
		"text":     func(w io.Writer, r *Report) error { return Text(w, r, TextOptions{}) },
		"json":     JSON,
		"sarif":    SARIF,
		"markdown": Markdown,
	} {
		t.Run(name, func(t *testing.T) {
			rep := migration(t)
			// The entries are in the file, which is unlinked already: a killed run leaves none.
			if left, _ := os.ReadDir(dir); rep.files.file == nil || rep.files.named || len(left) > 0 {
				t.Fatalf("want an unlinked spool file, got file %v (named %v) and %v in %s", rep.files.file, rep.files.named, left, dir)
			}
			whole := &failAfter{n: 1 << 30}
			if err := render(whole, rep); err != nil {
				t.Fatal(err)
			}
			// A writer fails at the start, and half-way through the output.
			for _, n := range []int{0, whole.wrote / 2} {
				if err := render(&failAfter{n: n}, rep); !errors.Is(err, errWrite) {
					t.Errorf("writer failing after %d bytes: err %v, want %v", n, err, errWrite)
				}
			}
			if err := rep.Close(); err != nil {
				t.Fatal(err)
			}
			if left, _ := os.ReadDir(dir); len(left) > 0 {
				t.Errorf("left after Close: %v", left)
			}
			if err := rep.Close(); err != nil {
				t.Errorf("a second Close: %v", err)
			}
			if err := render(&failAfter{n: 1 << 30}, rep); !errors.Is(err, errClosed) {
				t.Errorf("rendered after Close: err %v, want %v", err, errClosed)
			}
		})
	}
}

// TestSpoolUnwritable: a report whose temporary file can't be created says so when rendered,
// instead of leaving entries out.
func TestSpoolUnwritable(t *testing.T) {
	spoolToFile(t)
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	rep := migration(t)
	defer rep.Close()
	for name, f := range renders {
		if err := f(&bytes.Buffer{}, rep); err == nil || !strings.HasPrefix(err.Error(), "report: ") {
			t.Errorf("%s: err %v, want the spool's error", name, err)
		}
	}
}

// TestSpoolHeldBytes: past spoolMemory, what the report holds of its entries is one chunk,
// however many entries are added.
func TestSpoolHeldBytes(t *testing.T) {
	spoolToFile(t)
	rep := Build(nil)
	defer rep.Close()
	for i := range 20000 {
		p := filepath.Join("repo", strings.Repeat("x", i%50), "Jenkinsfile")
		rep.Add(&convert.Outcome{Source: convert.Source{Path: p, Kind: convert.KindJenkinsfile}, Result: convert.Result{Findings: []convert.Finding{
			{File: p, Line: i, Class: convert.Manual, Rule: "jenkins/step", Message: "step " + strings.Repeat("y", i%300) + " is not converted"},
		}}})
		if len(rep.files.buf) >= spoolChunk || cap(rep.files.buf) > 2*spoolChunk {
			t.Fatalf("after %d entries the report holds %d bytes (capacity %d) of them", i+1, len(rep.files.buf), cap(rep.files.buf))
		}
	}
	n := 0
	if err := rep.each(func(f *File) error {
		if want := "step " + strings.Repeat("y", n%300) + " is not converted"; f.Findings[0].Message != want || f.Findings[0].Line != n {
			t.Fatalf("entry %d read back as %+v", n, f.Findings[0])
		}
		n++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 20000 {
		t.Errorf("%d entries read back, want 20000", n)
	}
}
