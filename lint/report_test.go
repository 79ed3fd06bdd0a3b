package lint

import (
	"bytes"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert/report"
)

// TestReport renders a lint run through the conversion report formats.
func TestReport(t *testing.T) {
	files := load(t, "testdata/report")
	files = append(files, File{Path: "testdata/report/broken.yaml", Data: []byte("a: [\n")})
	fs, errs := Run(files)
	rep := report.New(report.Options{Draw: true}, Outcomes(files, fs, errs)...)
	if rep.Summary.Errors != 1 || rep.Summary.Files != 3 {
		t.Errorf("summary: %+v", rep.Summary)
	}
	for name, render := range map[string]func(*bytes.Buffer) error{
		"report.md":    func(b *bytes.Buffer) error { return report.Markdown(b, rep) },
		"report.sarif": func(b *bytes.Buffer) error { return report.SARIF(b, rep) },
		"report.txt":   func(b *bytes.Buffer) error { return report.Text(b, rep, report.TextOptions{}) },
	} {
		var b bytes.Buffer
		if err := render(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, "testdata/report/"+name, b.Bytes())
	}
}
