package lint

import (
	"errors"

	"github.com/tkn-migrate/tkn-migrate/convert"
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
