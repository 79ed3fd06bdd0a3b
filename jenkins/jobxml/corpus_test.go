package jobxml

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// corpusDir is ../shared/corpus seen from the module root (this package is two levels down).
const corpusDir = "../../../shared/corpus/jenkins-xml"

// TestCorpus reads every config.xml of the corpus: each converts to valid Tekton, or says why not.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.xml"))
	if len(files) == 0 {
		t.Skip("corpus not present")
	}
	var converted, reasoned, failed int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		job, err := Convert(f, data, convert.Options{Placeholders: true})
		if err != nil {
			var pe *convert.PosError
			if !errors.As(err, &pe) || pe.Line == 0 {
				t.Errorf("%s: error without a position: %v", f, err)
			}
			t.Logf("%s: %v", filepath.Base(f), err)
			failed++
			continue
		}
		if job.Pipeline == nil || job.Script != "" {
			if len(job.Findings) == 0 && job.Script == "" {
				t.Errorf("%s: no output and no finding saying why", f)
			}
			reasoned++
			continue
		}
		out, err := pipeline.Emit(filepath.Dir(f), job.Pipeline, convert.Options{})
		if err != nil {
			t.Errorf("%s: emit: %v", f, err)
			continue
		}
		for _, o := range out {
			if err := validate.Documents(o.Path, o.Data); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
		converted++
	}
	t.Logf("%d files: %d converted, %d with a reason instead of output (or an inline script), %d positioned errors", len(files), converted, reasoned, failed)
}
