package upgrade

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// validatedKinds reports that data holds Tekton documents and that Tekton's validation knows
// every one's apiVersion and kind: only then did "it validates" say anything about the input
// (validation passes an unknown version such as a bare "tekton.dev/" untouched).
func validatedKinds(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	seen := false
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			return seen && errors.Is(err, io.EOF)
		}
		av, _ := doc["apiVersion"].(string)
		kind, _ := doc["kind"].(string)
		if !bytes.Contains([]byte(av), []byte("tekton.dev/")) {
			continue
		}
		if validate.NewObject(av, kind) == nil {
			return false
		}
		seen = true
	}
}

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
			if validate.Documents("f.yaml", data) == nil && validatedKinds(data) {
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
