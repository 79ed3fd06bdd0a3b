package convert

import (
	"errors"
	"testing"
)

func TestYAMLError(t *testing.T) {
	for in, want := range map[string]string{
		"yaml: line 9: could not find expected ':'": "f.yaml:9:1: could not find expected ':'",
		"yaml: control characters are not allowed":  "f.yaml: control characters are not allowed",
	} {
		if got := YAMLError("f.yaml", errors.New(in)).Error(); got != want {
			t.Errorf("YAMLError(%q) = %q, want %q", in, got, want)
		}
	}
}
