package validate

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// A remembered failure is placed in each file at its own line, and the second file is not validated again.
func TestMemoPlacesRememberedErrors(t *testing.T) {
	doc := "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: memo-p\nspec:\n  tasks:\n    - name: Not_A_Label\n      taskRef: {name: b}\n"
	first := Documents("a.yaml", []byte(doc))
	if _, ok := lookup(sha256.Sum256([]byte(doc))); !ok {
		t.Fatal("verdict not remembered")
	}
	second := Documents("b.yaml", []byte("kind: ConfigMap\n---\n"+doc))
	want := fmt.Sprintf("%v", first)
	if want == "<nil>" {
		t.Fatal("want a failure")
	}
	if got, exp := fmt.Sprintf("%v", second), "b.yaml:9:13:"+want[len("a.yaml:7:13:"):]; got != exp {
		t.Errorf("second file:\n got %s\nwant %s", got, exp)
	}
}

// Concurrent callers share the memo; run with -race.
func TestMemoConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			doc := fmt.Sprintf("apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: c%d\nspec:\n  steps:\n    - name: s\n      image: alpine\n", i%3)
			if err := Documents("c.yaml", []byte(doc)); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
}

// A pass is shared by the same document under another name, but not by one whose name's
// length fails: an EventListener's name may not pass 60 characters.
func TestMemoRenamed(t *testing.T) {
	el := func(name string) string {
		return "apiVersion: triggers.tekton.dev/v1beta1\nkind: EventListener\nmetadata:\n  name: " + name +
			"\nspec:\n  triggers:\n    - name: t\n      bindings: [{kind: TriggerBinding, ref: b}]\n      template: {ref: tt}\n"
	}
	short, other, long := strings.Repeat("a", 59), strings.Repeat("b", 59), strings.Repeat("c", 61)
	for _, c := range []struct{ name, want string }{
		{short, "<nil>"},
		{other, "<nil>"},
		{long, `el.yaml:4:9: EventListener "` + long + `" fails Tekton validation: invalid value: eventListener name '` + long + `' must be no more than 60 characters long: metadata.name`},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(el(c.name)), &doc); err != nil {
			t.Fatal(err)
		}
		key, ok := renamedKey(&doc, []byte(el(c.name)))
		if !ok {
			t.Fatalf("%s: no renamed key", c.name)
		}
		_, hit := lookup(key)
		if want := c.name == other; hit != want {
			t.Errorf("%s: renamed key remembered = %v, want %v", c.name, hit, want)
		}
		if got := fmt.Sprintf("%v", Documents("el.yaml", []byte(el(c.name)))); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
