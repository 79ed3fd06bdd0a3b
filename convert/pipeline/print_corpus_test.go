package pipeline_test

import (
	"bytes"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

// TestPrintCorpus converts every Travis and Jenkins input of the shared corpus and of the
// front-ends' golden tests, with the option sets that change what Emit builds, and checks
// that the printer printed every document, byte for byte as yaml.v3 does.
func TestPrintCorpus(t *testing.T) {
	var printed, fellBack int
	undo := pipeline.SetPrintCheck(func(ok bool, got, want []byte, err error) {
		if !ok {
			fellBack++
			return
		}
		printed++
		if err != nil {
			t.Errorf("printed a document yaml.v3 refuses (%v):\n%s", err, got)
		} else if !bytes.Equal(got, want) {
			t.Errorf("printed\n%s\nyaml.v3 prints\n%s", got, want)
		}
	})
	defer undo()
	conv := frontends.All()
	srcs := frontendInputs(t)
	for _, src := range srcs {
		c := conv[src.Kind]
		for _, opts := range []convert.Options{
			{To: "v1", Placeholders: true},
			{To: "v1beta1", CatalogRef: "bundles"},
		} {
			c.Convert(src, opts) // errors are the front-ends' tests' business
		}
	}
	if printed < 1000 || fellBack > 0 {
		t.Errorf("%d documents printed, %d left to yaml.v3 (want all of over 1,000 printed)", printed, fellBack)
	}
	t.Logf("%d inputs, %d documents printed", len(srcs), printed)
}
