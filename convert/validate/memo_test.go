package validate

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// TestRefNamesVerdict: Tekton's verdict, message and position included, does not change when a
// name refNames leaves out becomes another of its kind, on generated documents and on documents
// built to fail around it (steps, sidecars, stepTemplate, PipelineRun specs, resolvers).
func TestRefNamesVerdict(t *testing.T) {
	env := "env:\n        - name: TOKEN\n          valueFrom:\n            secretKeyRef:\n              name: repo-a-token\n              key: token\n"
	secretDocs := []string{
		"apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine\n      " + env,
		"apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine\n      script: echo $(params.nope)\n      " + env,
		"apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params: [{name: a, type: array}]\n  steps:\n    - name: s\n      image: alpine\n      args: [\"x $(params.a)\"]\n      " + env,
		"apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  stepTemplate:\n    " + strings.ReplaceAll(env, "\n  ", "\n") + "  steps:\n    - name: s\n      command: [sh]\n      script: echo\n      " + env,
		"apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  sidecars:\n    - name: s\n      " + env + "  steps:\n    - image: alpine\n",
		"apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: a\n      taskSpec:\n        steps:\n          - name: s\n            image: alpine\n            script: echo $(params.x) $(context.pipelineRun.name)\n            " + strings.ReplaceAll(env, "\n", "\n      "),
		"apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\nspec:\n  pipelineSpec:\n    tasks:\n      - name: a\n        taskSpec:\n          steps:\n            - image: alpine\n              script: echo $(tasks.b.results.r)\n              " + strings.ReplaceAll(env, "\n", "\n        ") + "\n",
	}
	run := "apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\nspec:\n  pipelineRef:\n    name: repo-a\n"
	refDocs := []string{
		run,
		run + "    resolver: git\n",
		run + "  pipelineSpec:\n    tasks:\n      - name: a\n        taskRef: {name: t}\n",
		run + "  timeouts: {pipeline: 1h, tasks: 2h}\n",
		run + "  params:\n    - name: x\n      value: $(params.y\n",
		"apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: a\n      pipelineRef:\n        name: repo-a\n",
	}
	for _, dir := range []string{"../../travis/testdata", "../../jenkins/testdata"} {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(path, ".yaml") {
				data, _ := os.ReadFile(path)
				for _, d := range splitDocuments(data) {
					text := string(d.text)
					if !strings.Contains(text, "tekton.dev/v1\n") {
						continue
					}
					if strings.Contains(text, "secretKeyRef:") {
						secretDocs = append(secretDocs, text)
					}
					if strings.Contains(text, "pipelineRef:") {
						refDocs = append(refDocs, text)
					}
				}
			}
			return nil
		})
	}
	checkRefVerdicts(t, secretSpan, secretDocs, []string{"x", strings.Repeat("long-", 60), "Not_A_Label", "a.b", "ünï", "s p a c e"})
	checkRefVerdicts(t, refSpan, refDocs, []string{"x", "a-b", strings.Repeat("a", 63), "abc123"})

	// A reference is a different matter: Tekton checks it (here a result reference in a
	// Pipeline), so such a name is not left out.
	ref := "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: a\n      taskSpec:\n        steps:\n          - image: alpine\n            " +
		strings.ReplaceAll(strings.Replace(env, "name: repo-a-token", "name: $(tasks.b.results.r)", 1), "\n", "\n      ")
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(ref), &doc); err != nil {
		t.Fatal(err)
	}
	if e := validate("", &doc, nil); e == nil {
		t.Error("a secretKeyRef name referencing a missing task's result passed")
	}
	refNames(doc.Content[0], func(n *yaml.Node, _ spanKind) { t.Errorf("%q left out of the key", n.Value) })
}

// checkRefVerdicts sets every name of the kind in each document to each of names and compares
// Tekton's verdict with the original's.
func checkRefVerdicts(t *testing.T, kind spanKind, docs, names []string) {
	t.Helper()
	verdict := func(doc *yaml.Node) string { return fmt.Sprintf("%v", validate("", doc, nil)) }
	passed, failed, mutated := 0, 0, 0
	for _, text := range docs {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		want := verdict(&doc)
		if want == "<nil>" {
			passed++
		} else {
			failed++
		}
		var refs []*yaml.Node
		refNames(doc.Content[0], func(n *yaml.Node, k spanKind) {
			if k == kind {
				refs = append(refs, n)
			}
		})
		for _, name := range names {
			for _, n := range refs {
				n.Value = name
			}
			mutated += len(refs)
			if got := verdict(&doc); got != want {
				t.Errorf("%c names %q changed the verdict:\n got %s\nwant %s\n%s", kind, name, got, want, text)
			}
		}
	}
	if passed < 5 || failed < 4 || mutated < 100 {
		t.Fatalf("%c: %d passing, %d failing documents, %d names changed: too few to show anything", kind, passed, failed, mutated)
	}
}

// Documents that differ only in the names renamedKey leaves out share one validation.
func TestMemoSharesSecretNames(t *testing.T) {
	doc := func(repo string) string {
		return "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: " + repo + "\nspec:\n  steps:\n    - name: s\n      image: alpine\n      env:\n        - name: T\n          valueFrom:\n            secretKeyRef:\n              name: " + repo + "-deploy-api-key\n              key: token\n"
	}
	if err := Documents("a.yaml", []byte(doc("shared-a"))); err != nil {
		t.Fatal(err)
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc("shared-b")), &n); err != nil {
		t.Fatal(err)
	}
	key, ok := renamedKey(&n, []byte(doc("shared-b")))
	if e, hit := lookup(key); !ok || !hit || e != nil {
		t.Errorf("renamed key of another repository: ok %v, remembered %v", ok, hit)
	}
	// Tekton checks a v1 name only for being a DNS label, so any length of one shares the pass.
	if err := yaml.Unmarshal([]byte(doc("shared-bbb")), &n); err != nil {
		t.Fatal(err)
	}
	key, _ = renamedKey(&n, []byte(doc("shared-bbb")))
	if e, hit := lookup(key); !hit || e != nil {
		t.Errorf("renamed key of a repository named at another length: remembered %v", hit)
	}
}

// TestFileShareOfVerdicts: one file of many distinct documents puts at most fileShare entries
// in the memo, and its verdicts past the share are Tekton's all the same, failures placed at
// their lines.
func TestFileShareOfVerdicts(t *testing.T) {
	defer func(v int) { fileShare = v }(fileShare)
	fileShare = 5
	var docs []string
	for i := 0; i < 8; i++ {
		step := "alpine"
		if i%3 == 2 {
			step = "" // fails: a step needs an image
		}
		docs = append(docs, fmt.Sprintf("apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: share-%d\nspec:\n  steps:\n    - name: s%d\n      image: %q\n", i, i, step))
	}
	data := []byte(strings.Join(docs, "---\n"))
	verdicts.Reset()
	got := fmt.Sprint(Documents("share.yaml", data))
	if n := verdicts.Len(); n != fileShare {
		t.Errorf("memo holds %d entries, want the file's share %d", n, fileShare)
	}
	fileShare = memoLimit
	verdicts.Reset()
	want := `share.yaml:25:7: Task "share-2" fails Tekton validation: missing field(s): spec.steps[0].Image
share.yaml:52:7: Task "share-5" fails Tekton validation: missing field(s): spec.steps[0].Image`
	if got != want {
		t.Errorf("with the share:\n%s\nwant:\n%s", got, want)
	}
	if got := fmt.Sprint(Documents("share.yaml", data)); got != want {
		t.Errorf("without a share:\n%s\nwant:\n%s", got, want)
	}
	if n := verdicts.Len(); n <= 5 {
		t.Errorf("without a share the memo holds only %d entries", n)
	}
}
