package convert_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

// TestCurrentFilesThroughTheEngine: a v1 file the upgrade leaves alone has no change and no
// finding; one with a key given twice is still refused at the key's line, as kubectl would.
func TestCurrentFilesThroughTheEngine(t *testing.T) {
	dir := t.TempDir()
	task := "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: echo\n"
	dup := task + "      image: busybox\n"
	for name, data := range map[string]string{"a.yaml": task, "b.yaml": dup} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := &convert.Engine{Converters: frontends.All(), Workers: 2}
	ins, _ := e.Inputs([]string{dir})
	var got []string
	err := e.Run(ins, func(o *convert.Outcome) error {
		line := filepath.Base(o.Source.Path) + ":"
		if o.Err != nil {
			line += " " + strings.TrimPrefix(o.Err.Error(), dir+string(filepath.Separator))
		}
		if len(o.Changes) > 0 || len(o.Result.Findings) > 0 {
			line += " changed or found"
		}
		got = append(got, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.yaml:", `b.yaml: b.yaml:10:7: duplicate key "image" (first at line 8): YAML allows a key once per mapping`}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestCurrentFilesNotValidated: the engine validates what it converts; a v1 file the upgrade
// leaves alone is marked Current and passes unvalidated (lint checks it), whether the fast
// path's scan read it or the upgrade ran (a multi-line quoted scalar), unless
// EmitCurrent asks for it (-o emits it), while the same Task in v1beta1 is upgraded and
// its output refused.
func TestCurrentFilesNotValidated(t *testing.T) {
	dir := t.TempDir()
	bad := "kind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: BAD NAME\n      image: alpine:3.20\n"
	unscanned := bad + "      script: \"echo one\n        two\"\n"
	for name, data := range map[string]string{"v1.yaml": "apiVersion: tekton.dev/v1\n" + bad, "v1beta1.yaml": "apiVersion: tekton.dev/v1beta1\n" + bad, "v1-unscanned.yaml": "apiVersion: tekton.dev/v1\n" + unscanned} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, emitCurrent := range []bool{false, true} {
		e := &convert.Engine{Converters: frontends.All(), EmitCurrent: emitCurrent}
		ins, _ := e.Inputs([]string{dir})
		var got []string
		if err := e.Run(ins, func(o *convert.Outcome) error {
			got = append(got, fmt.Sprintf("%s current=%v changes=%d err=%v", filepath.Base(o.Source.Path), o.Current, len(o.Changes), o.Err != nil))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want := []string{fmt.Sprintf("v1-unscanned.yaml current=true changes=0 err=%v", emitCurrent), fmt.Sprintf("v1.yaml current=true changes=0 err=%v", emitCurrent), "v1beta1.yaml current=false changes=0 err=true"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("EmitCurrent %v:\n%s\nwant\n%s", emitCurrent, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestCurrentMarkersRedactedWhenEmitted: a current file's Result is its bytes as read, which
// nothing writes; a run that emits it (-o) gets its manual markers redacted like any output.
func TestCurrentMarkersRedactedWhenEmitted(t *testing.T) {
	dir := t.TempDir()
	task := "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    # tkn-migrate: manual: was curl -u admin:s3cretpassw0rd https://example.com\n    - name: s\n      image: alpine:3.20\n"
	if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(task), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, emit := range []bool{false, true} {
		e := &convert.Engine{Converters: frontends.All(), EmitCurrent: emit}
		ins, _ := e.Inputs([]string{dir})
		if err := e.Run(ins, func(o *convert.Outcome) error {
			if !o.Current || o.Err != nil || (len(o.Changes) > 0) != emit || len(o.Result.Files) != 1 { // emitted, the redacted file differs
				t.Fatalf("emit %v: current %v, err %v, %d changes", emit, o.Current, o.Err, len(o.Changes))
			}
			if got := strings.Contains(string(o.Result.Files[0].Data), "s3cretpassw0rd"); got == emit {
				t.Errorf("emit %v: secret in the result: %v", emit, got)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMarkersRedactedBeforeWrite: a converted file's marker comments are redacted in what -w
// writes and the diff shows (Changes), not only in the Result.
func TestMarkersRedactedBeforeWrite(t *testing.T) {
	dir := t.TempDir()
	task := "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    # tkn-migrate: manual: was curl -u admin:s3cretpassw0rd https://example.com\n    - name: s\n      image: alpine:3.20\n"
	if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(task), 0o644); err != nil {
		t.Fatal(err)
	}
	e := &convert.Engine{Converters: frontends.All()}
	ins, _ := e.Inputs([]string{dir})
	if err := e.Run(ins, func(o *convert.Outcome) error {
		if o.Current || o.Err != nil || len(o.Changes) != 1 {
			t.Fatalf("current %v, err %v, %d changes", o.Current, o.Err, len(o.Changes))
		}
		if got := string(o.Changes[0].New); strings.Contains(got, "s3cretpassw0rd") || got != string(o.Result.Files[0].Data) {
			t.Errorf("change to write:\n%s\nresult:\n%s", got, o.Result.Files[0].Data)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
