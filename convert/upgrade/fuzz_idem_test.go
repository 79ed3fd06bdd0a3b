package upgrade

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// upgradeOnce indexes and converts one file with a fresh converter, as one CLI run does.
func upgradeOnce(data []byte) (convert.Result, error) {
	c := New()
	src := convert.Source{Path: "f.yaml", Data: data, Kind: convert.KindTekton}
	if err := c.Index(src); err != nil {
		return convert.Result{}, err
	}
	return c.Convert(src, convert.Options{})
}

// FuzzUpgradeIdempotent checks what FuzzUpgrade's comment promises: an upgrade of a file that
// Tekton's validation accepts (v1beta1 or v1) is accepted too, and upgrading an accepted output
// again changes nothing.
func FuzzUpgradeIdempotent(f *testing.F) {
	ins, _ := filepath.Glob("testdata/*/input.yaml")
	for _, in := range ins {
		if data, err := os.ReadFile(in); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := upgradeOnce(data)
		if err != nil || len(res.Files) != 1 {
			return
		}
		out := res.Files[0].Data
		if err := validate.Documents("f.yaml", out); err != nil {
			if validate.Documents("f.yaml", data) == nil && bytes.Contains(data, []byte("tekton.dev/")) {
				t.Fatalf("a valid input upgrades to an invalid output: %v\n%s", err, out)
			}
			return // the engine refuses it: nothing is written
		}
		again, err := upgradeOnce(out)
		if err != nil {
			t.Fatalf("the upgraded file fails to upgrade: %v\n%s", err, out)
		}
		if !bytes.Equal(again.Files[0].Data, out) {
			t.Fatalf("not idempotent:\nfirst:\n%s\nsecond:\n%s", out, again.Files[0].Data)
		}
	})
}
