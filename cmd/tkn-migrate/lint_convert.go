package main

import (
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/lint"
)

// lintOutput runs lint's checks on what a conversion emits: an error-level finding there is
// a converter bug or a flaw carried over from the input, and the report shows it as
// unsupported, so --strict counts it.
func lintOutput(out *convert.Outcome) {
	if out.Err != nil {
		return
	}
	var files []lint.File
	for _, f := range out.Result.Files {
		if convert.IsYAML(f.Path) && !f.Partial { // part of an object (kustomize) is not judged alone
			files = append(files, lint.File{Path: f.Path, Data: f.Data})
		}
	}
	if len(files) == 0 {
		return
	}
	fs, _ := lint.Run(files) // the outputs passed validation, so they parse
	for _, f := range fs {
		if f.Severity == lint.Error {
			c := f.Convert()
			c.Message = "converted output: " + c.Message
			out.Result.Findings = append(out.Result.Findings, c)
		}
	}
}
