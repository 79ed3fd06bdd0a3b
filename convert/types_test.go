package convert

import (
	"errors"
	"testing"
)

func TestYAMLError(t *testing.T) {
	for in, want := range map[string]string{
		"yaml: line 9: could not find expected ':'":      "f.yaml:9:1: invalid YAML: could not find expected ':'",
		"yaml: line 3: did not find expected ',' or ']'": "f.yaml:4:1: invalid YAML: did not find expected ',' or ']'",
		"yaml: control characters are not allowed":       "f.yaml: invalid YAML: control characters are not allowed",
	} {
		if got := YAMLError("f.yaml", errors.New(in)).Error(); got != want {
			t.Errorf("YAMLError(%q) = %q, want %q", in, got, want)
		}
	}
}
