package validate

import (
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
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
