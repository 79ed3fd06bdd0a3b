package jenkins

import "testing"

// TestShellTracker checks where an expansion lands after each prefix of a script.
func TestShellTracker(t *testing.T) {
	tests := []struct {
		prefix, want string
		expands      bool
	}{
		{"echo ", "${X}", true},
		{"echo '", `'"${X}"'`, true},
		{"echo 'a' \"", "${X}", true},
		{`echo "it's `, "${X}", true},
		{`echo 'it'\''s `, `'"${X}"'`, true},
		{`echo \'`, "${X}", true},
		{"echo 'multi\nline ", `'"${X}"'`, true},
		{"cat <<EOT\n'", "${X}", true},
		{"cat <<'EOT'\n", "${X}", false},
		{"cat <<\\EOT\n", "${X}", false},
		{"cat <<-\"EOT\"\n", "${X}", false},
		{"cat <<'EOT'\nbody\n  EOT\necho '", `'"${X}"'`, true},
		{"cat <<'A' <<B\nbody\nA\n", "${X}", true},
		{"echo $((1<<2)) '", `'"${X}"'`, true},
		{"# it's a comment\necho '", `'"${X}"'`, true},
		{"echo a#b '", `'"${X}"'`, true},
	}
	for _, tt := range tests {
		var tr shellTracker
		tr.write(tt.prefix)
		got, expands := tr.expansion("X")
		if got != tt.want || expands != tt.expands {
			t.Errorf("after %q: got %q %v, want %q %v", tt.prefix, got, expands, tt.want, tt.expands)
		}
	}
}
