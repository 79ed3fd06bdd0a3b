package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/lint"
)

// TestLintFilesRereads: lint without the files' bytes held (read again from disk for the
// documents checked again: a run read before its Pipeline and Task) reports what lint.Run
// reports on the bytes.
func TestLintFilesRereads(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a-run.yaml", "apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\nspec:\n  pipelineRef:\n    name: p\n"+
		"  workspaces:\n    - name: a\n      persistentVolumeClaim:\n        claimName: one\n    - name: b\n      persistentVolumeClaim:\n        claimName: two\n")
	write("b-pipeline.yaml", "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  workspaces:\n    - name: a\n    - name: b\n"+
		"  tasks:\n    - name: t\n      taskRef:\n        name: t\n      workspaces:\n        - name: w\n          workspace: a\n        - name: v\n          workspace: b\n")
	write("c-task.yaml", "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params:\n    - name: needed\n"+
		"  workspaces:\n    - name: w\n  steps:\n    - name: s\n      image: alpine:3\n      script: echo\n")
	files, findings, errs := lintFiles([]string{dir}, 1<<20, nil, false)
	var read []lint.File
	for _, f := range files {
		if f.Data != nil {
			t.Errorf("%s: bytes kept", f.Path)
		}
		data, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		read = append(read, lint.File{Path: f.Path, Data: data})
	}
	want, wantErrs := lint.Run(read)
	if !reflect.DeepEqual(findings, want) || fmt.Sprint(errs) != fmt.Sprint(wantErrs) || len(want) < 3 {
		t.Errorf("lintFiles\n%v\n%v\nlint.Run\n%v\n%v", findings, errs, want, wantErrs)
	}
}

// TestRereadRefusesChangedFile: a file edited between lint's first read and its read for the
// documents checked again is refused with its path, not linted as a mix of two versions.
func TestRereadRefusesChangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.yaml")
	first := []byte("kind: PipelineRun\n")
	if err := os.WriteFile(path, first, 0o644); err != nil {
		t.Fatal(err)
	}
	read := reread([]lint.File{{Path: path}}, [][sha256.Size]byte{sha256.Sum256(first)}, 1<<20)
	if data, err := read(0); err != nil || string(data) != string(first) {
		t.Fatalf("unchanged file: %q, %v", data, err)
	}
	if err := os.WriteFile(path, []byte("kind: TaskRun\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := read(0)
	if want := path + ": changed on disk while lint read it; run lint again"; data != nil || err == nil || err.Error() != want {
		t.Fatalf("changed file: %q, %v; want error %q", data, err, want)
	}
}
