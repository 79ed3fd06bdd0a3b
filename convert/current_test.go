package convert_test

import (
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
