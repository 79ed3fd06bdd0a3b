package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestTektonManifests holds the shipped tekton/ Task and Pipeline to our own bar: Tekton's
// validation (convert --check changes nothing) and lint with no finding but the StorageClass note.
func TestTektonManifests(t *testing.T) {
	for _, args := range [][]string{
		{"convert", "--check", "../../tekton"},
		{"lint", "../../tekton"},
	} {
		var out, errb bytes.Buffer
		code := run(args, &IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errb})
		if code != exitOK {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, &out, &errb)
		}
		if args[0] == "lint" && !strings.HasSuffix(out.String(), "4 files: 0 errors, 0 warnings, 2 info\n") {
			t.Errorf("lint found more than the runs' volumeClaimTemplate notes:\n%s", &out)
		}
	}
}
