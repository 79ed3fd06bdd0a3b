package validate

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestPassedAdmitted: Passed sees the verdicts Documents and Admitted leave, Admitted records
// only text whose own JSON is the one admitted, and its pass is shared under other names.
func TestPassedAdmitted(t *testing.T) {
	defer ForgetVerdicts()
	task := "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: build\nspec:\n  steps:\n    - name: s\n      image: alpine\n"
	bad := strings.Replace(task, "name: s\n", "name: Bad_S\n", 1)
	renamed := strings.Replace(task, "name: build", "name: test", 1)
	raw := func(text string) []byte {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		j, ok := NodeJSON(&doc)
		if !ok {
			t.Fatal("no JSON")
		}
		return j
	}
	ForgetVerdicts()
	if Passed([]byte(task)) {
		t.Fatal("passed with nothing remembered")
	}
	Admitted([]byte(task), raw(bad), "tekton.dev/v1", "Task") // not this text's JSON: nothing recorded
	if Passed([]byte(task)) {
		t.Fatal("Admitted recorded a text whose JSON is not the one admitted")
	}
	Admitted([]byte(task), raw(task), "tekton.dev/v1", "Pipeline") // not this text's kind
	if Passed([]byte(task)) {
		t.Fatal("Admitted recorded a text of another kind")
	}
	Admitted([]byte(task), raw(task), "tekton.dev/v1", "Task")
	if !Passed([]byte(task)) || !Passed([]byte(renamed)) {
		t.Fatal("Admitted's pass not seen, or not shared under another name")
	}
	ForgetVerdicts()
	if err := Documents("t.yaml", []byte(task+"---\n"+bad)); err == nil {
		t.Fatal("bad passed")
	}
	if chunks := Split([]byte(task + "---\n" + bad)); len(chunks) != 2 || !Passed(chunks[0].Text) || Passed(chunks[1].Text) || chunks[1].Line != 10 {
		t.Fatalf("after Documents: %d chunks, %v %v", len(chunks), Passed(chunks[0].Text), Passed(chunks[1].Text))
	}
}
