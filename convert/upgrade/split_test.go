package upgrade

import (
	"os"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestSeparateFilesWireUp converts a Task and the Pipeline using it as two inputs that
// never see each other, and checks that the Pipeline binds every param and workspace
// the converted Task requires.
func TestSeparateFilesWireUp(t *testing.T) {
	conv := func(file string) []byte {
		data, err := os.ReadFile("testdata/split/" + file)
		if err != nil {
			t.Fatal(err)
		}
		res, err := New().Convert(convert.Source{Path: file, Data: data, Kind: convert.KindTekton}, convert.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out := res.Files[0].Data
		if err := validateOutput(file, out); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		return out
	}
	taskDocs, err := splitDocs("task.yaml", conv("task.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pipeDocs, err := splitDocs("pipeline.yaml", conv("pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	task := root(taskDocs[0].node)
	spec := get(task, "spec")
	checked := 0
	for _, pt := range pipelineTasks(get(root(pipeDocs[0].node), "spec")) {
		if str(get(pt, "taskRef"), "name") != str(get(task, "metadata"), "name") {
			continue
		}
		checked++
		for _, p := range items(get(spec, "params")) {
			if get(p, "default") == nil && byName(get(pt, "params"), str(p, "name")) == nil {
				t.Errorf("task %s leaves param %s of the Task unbound", str(pt, "name"), str(p, "name"))
			}
		}
		for _, w := range items(get(spec, "workspaces")) {
			if str(w, "optional") != "true" && byName(get(pt, "workspaces"), str(w, "name")) == nil {
				t.Errorf("task %s leaves workspace %s of the Task unbound", str(pt, "name"), str(w, "name"))
			}
		}
	}
	if checked != 2 {
		t.Fatalf("checked %d pipeline tasks, want 2", checked)
	}
}
