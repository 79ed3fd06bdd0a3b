package lint

import (
	"errors"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/memo"
)

// Outcomes packages a lint run as conversion outcomes, one per file, so that
// report.Build and every report renderer (text, json, markdown, sarif) take lint
// results too. Each file is its own output, so the markdown report draws its
// Pipelines; nothing is changed. Findings map through Finding.Convert.
func Outcomes(files []File, findings []Finding, errs []error) []*convert.Outcome {
	byFile := map[string][]convert.Finding{}
	for _, f := range findings {
		byFile[f.File] = append(byFile[f.File], f.Convert())
	}
	fileErr := map[string]error{}
	for _, err := range errs {
		var pe *convert.PosError
		if errors.As(err, &pe) && fileErr[pe.Path] == nil {
			fileErr[pe.Path] = err
		}
	}
	out := make([]*convert.Outcome, 0, len(files))
	for _, f := range files {
		o := &convert.Outcome{
			Source: convert.Source{Path: f.Path, Data: f.Data, Kind: convert.KindTekton},
			Result: convert.Result{Findings: byFile[f.Path]},
			Err:    fileErr[f.Path],
		}
		if o.Err == nil {
			o.Result.Files = []convert.File{{Path: f.Path, Data: f.Data}}
		}
		out = append(out, o)
	}
	return out
}

// Output runs lint's checks on what a conversion emits (convert's Engine.Prepare): an
// error-level finding there is a converter bug or a flaw carried over from the input, and
// the report shows it as unsupported, so --strict counts it. A file already current emitted
// nothing: lint run on its own is what checks it.
func Output(out *convert.Outcome) {
	if out.Err != nil || out.Current {
		return
	}
	var files []File
	for _, f := range out.Result.Files {
		if convert.IsYAML(f.Path) && !f.Partial { // part of an object (kustomize) is not judged alone
			files = append(files, File{Path: f.Path, Data: f.Data})
		}
	}
	if len(files) == 0 {
		return
	}
	if rememberClean && knownClean(files) {
		return
	}
	var (
		fs      []Finding
		errs    []error
		parsed  [][]*yamldoc.Doc
		spans   [][]validate.Span
		spansOK bool
		stream  = size(files) >= streamFrom
	)
	if stream {
		fs, errs, spans, spansOK = streamRun(files, errorChecks, rememberClean)
	} else {
		fs, errs, parsed = run(files, errorChecks) // the outputs passed validation, so they parse
	}
	clean := len(errs) == 0
	for _, f := range fs {
		if f.Severity == Error {
			clean = false
			c := f.Convert()
			c.Message = "converted output: " + c.Message
			out.Result.Findings = append(out.Result.Findings, c)
		}
	}
	switch {
	case rememberClean && clean && stream:
		rememberCleanSpans(files, spans, spansOK)
	case rememberClean && clean:
		rememberCleanSet(files, parsed)
	}
}

// cleanOutputs remembers the output file sets lint found no error in: converted output repeats
// across a fleet (catalog Tasks, shared templates), and whether lint finds an error in files of
// one directory is a function of their base names and bytes (references resolve within a
// repository, and a directory is in one; a path is otherwise only where a finding points), up
// to the renaming outputKey allows (a Pipeline named after its repository).
var cleanOutputs = memo.Map[struct{}]{Limit: 16384}

var rememberClean = true // tests compare with the plain path
