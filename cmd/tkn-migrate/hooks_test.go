package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestPreCommitHooks runs every entry of .pre-commit-hooks.yaml as pre-commit does (the entry,
// then the staged file names its files pattern selects) on an up-to-date Task and an old one.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct{ ID, Entry, Files string }
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	current := filepath.Join(dir, "task.yaml")
	old := filepath.Join(dir, "old.yaml")
	write(t, current, "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: hello\nspec:\n  steps:\n    - name: hello\n      image: docker.io/library/alpine:3.20@sha256:"+strings.Repeat("0", 64)+"\n      script: echo hello\n")
	write(t, old, "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: hello\nspec:\n  steps:\n    - name: hello\n      image: docker.io/library/alpine:3.20@sha256:"+strings.Repeat("0", 64)+"\n      script: echo hello\n")
	want := map[string][2]int{ // exit code on current, on old
		"tkn-migrate-check": {exitOK, exitChanges},
		"tkn-migrate-lint":  {exitOK, exitOK},
	}
	if len(hooks) != len(want) {
		t.Fatalf("%d hooks, want %d", len(hooks), len(want))
	}
	for _, h := range hooks {
		args := strings.Fields(h.Entry)
		if len(args) == 0 || args[0] != "tkn-migrate" {
			t.Fatalf("hook %s: entry %q does not run tkn-migrate", h.ID, h.Entry)
		}
		files := regexp.MustCompile(h.Files)
		for i, f := range []string{current, old} {
			if !files.MatchString(filepath.ToSlash(f)) {
				t.Fatalf("hook %s: files %q does not select %s", h.ID, h.Files, f)
			}
			var out, errb bytes.Buffer
			code := run(append(args[1:], f), &IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errb})
			if code != want[h.ID][i] {
				t.Errorf("hook %s on %s: exit %d, want %d\nstdout: %s\nstderr: %s", h.ID, filepath.Base(f), code, want[h.ID][i], &out, &errb)
			}
		}
	}
	for _, h := range hooks {
		if h.ID != "tkn-migrate-check" {
			continue
		}
		for _, name := range []string{".travis.yml", "Jenkinsfile", "Jenkinsfile.release", "ci/build.jenkinsfile", "jobs/x/config.xml"} {
			if !regexp.MustCompile(h.Files).MatchString(name) {
				t.Errorf("tkn-migrate-check does not select %s", name)
			}
		}
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
