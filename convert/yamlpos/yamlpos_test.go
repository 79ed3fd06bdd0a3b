package yamlpos

import (
	"fmt"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestOf checks against yaml.v3 itself: each input's error must point at the line given.
func TestOf(t *testing.T) {
	tests := []struct {
		in   string
		line int
		msg  string
	}{
		{"a: 1\nb: 2\nc: [x\n", 3, "did not find expected ',' or ']'"},
		{"a: 1\nb: {x: 1\n", 2, "did not find expected ',' or '}'"},
		{"a: 1\nb: 2\n  c: 3\n", 3, "mapping values are not allowed in this context"},
		{"a: 1\n\tb: 2\n", 2, "found a tab character that violates indentation"},
		{"a: 'x\n", 2, "found unexpected end of stream"},
		{"- a\nb: 1\n", 2, "did not find expected '-' indicator"},
	}
	for _, tt := range tests {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(tt.in), &n)
		if err == nil {
			t.Fatalf("%q parsed", tt.in)
		}
		line, msg := Of(err)
		if line != tt.line || msg != tt.msg {
			t.Errorf("%q: Of(%q) = %d %q, want %d %q", tt.in, err, line, msg, tt.line, tt.msg)
		}
	}
	if line, msg := Of(fmt.Errorf("yaml: control characters are not allowed")); line != 0 || msg != "control characters are not allowed" {
		t.Errorf("no line: got %d %q", line, msg)
	}
}
