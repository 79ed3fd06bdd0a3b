package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestColor checks the text reports of convert and lint: severity words are coloured on a
// terminal, and plain under NO_COLOR or when not a terminal.
func TestColor(t *testing.T) {
	dir := t.TempDir()
	task := filepath.Join(dir, "task.yaml")
	data := "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - image: alpine\n      script: echo\n"
	if err := os.WriteFile(task, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	jf := filepath.Join(dir, "Jenkinsfile")
	if err := os.WriteFile(jf, []byte("pipeline {\n  agent any\n  stages {\n    stage('a') { steps { input 'ok?' } }\n  }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const yellow, reset = "\x1b[33m", "\x1b[0m"
	for _, tt := range []struct {
		name    string
		tty     bool
		noColor bool
		colored bool
	}{
		{"terminal", true, false, true},
		{"NO_COLOR", true, true, false},
		{"pipe", false, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TERM", "xterm")
			t.Setenv("NO_COLOR", "1")
			if !tt.noColor {
				os.Unsetenv("NO_COLOR")
			}
			var out, errOut bytes.Buffer
			ios := &IOStreams{Out: &out, ErrOut: &errOut, OutTTY: tt.tty, ErrTTY: tt.tty}
			_ = lintRun(&LintOptions{IO: ios, Paths: []string{task}, Report: "text", MaxSize: convert.DefaultMaxSize})
			word := "warning"
			if tt.colored {
				word = yellow + "warning" + reset
			}
			if want := task + ":7:14: " + word + ": "; !bytes.Contains(out.Bytes(), []byte(want)) {
				t.Errorf("lint: no %q in\n%q", want, out.String())
			}
			out.Reset()
			_ = convertRun(&ConvertOptions{IO: ios, Paths: []string{jf}, List: true, Report: "text", To: "v1", CatalogRef: "hub", MaxSize: convert.DefaultMaxSize})
			word = "manual"
			if tt.colored {
				word = yellow + "manual" + reset
			}
			if want := jf + ":4:26: " + word + ": "; !bytes.Contains(errOut.Bytes(), []byte(want)) {
				t.Errorf("convert: no %q in\n%q", want, errOut.String())
			}
		})
	}
}
