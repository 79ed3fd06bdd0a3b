package upgrade

import (
	"errors"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

func TestBadInput(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"malformed YAML", "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: x\n spec: [\n", "bad.yaml:5:1: invalid YAML: did not find expected key"},
		{"unknown field v1beta1", "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: x\nspec:\n  steps:\n    - name: a\n      image: busybox\n      imagePullPolicyy: Always\n",
			`bad.yaml:9:7: Task "x": unknown field "imagePullPolicyy"`},
		{"unknown field v1alpha1 inputs", "apiVersion: tekton.dev/v1alpha1\nkind: Task\nmetadata:\n  name: x\nspec:\n  inputs:\n    parms: []\n  steps:\n    - image: busybox\n",
			`bad.yaml:7:5: Task: unknown field "parms" in inputs`},
		{"unknown field v1alpha1 spec", "apiVersion: tekton.dev/v1alpha1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  taskz: []\n",
			`bad.yaml:6:3: Pipeline "p": unknown field "taskz"`},
		{"unknown field in PipelineResource", "---\napiVersion: tekton.dev/v1alpha1\nkind: PipelineResource\nmetadata:\n  name: r\nspec:\n  type: git\n  parms: []\n",
			`bad.yaml:8:3: PipelineResource: unknown field "parms" in spec`},
		{"unknown field in condition use", "apiVersion: tekton.dev/v1beta1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: a\n      taskRef: {name: a}\n      conditions:\n        - conditionRef: c\n          negate: true\n",
			`bad.yaml:11:11: Pipeline: unknown field "negate" in conditions`},
		{"inputs.params and params", "apiVersion: tekton.dev/v1alpha1\nkind: Task\nmetadata:\n  name: x\nspec:\n  params: []\n  inputs:\n    params: []\n  steps:\n    - image: busybox\n",
			`bad.yaml:8:5: Task: both inputs.params and params are set`},
		{"second document in chunk", "a: 1\n...\nb: 2\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New().Convert(convert.Source{Path: "bad.yaml", Data: []byte(c.in)}, convert.Options{})
			if c.want == "" {
				return // only must not panic
			}
			var pe *convert.PosError
			if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got %v, want prefix %q", err, c.want)
			}
		})
	}
}

// Non-Tekton YAML passes through byte for byte, even when odd.
func TestNonTektonUntouched(t *testing.T) {
	in := "kind: ConfigMap\napiVersion: v1\ndata:   {a: 1}   # x\n---\n- just\n- a list\n---\nplain scalar\n"
	res, err := New().Convert(convert.Source{Path: "x.yaml", Data: []byte(in)}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Files[0].Data) != in || len(res.Findings) != 0 {
		t.Errorf("changed: %q %v", res.Files[0].Data, res.Findings)
	}
}

func TestUnknownTarget(t *testing.T) {
	if _, err := New().Convert(convert.Source{Path: "x.yaml"}, convert.Options{To: "v2"}); err == nil {
		t.Error("accepted --to v2")
	}
}

// A zero Converter works and is safe for concurrent use.
func TestZeroConverterConcurrent(t *testing.T) {
	var c Converter
	in := []byte("apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - image: busybox\n")
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func() {
			res, err := c.Convert(convert.Source{Path: "t.yaml", Data: in}, convert.Options{})
			if err != nil {
				done <- err.Error()
				return
			}
			done <- string(res.Files[0].Data)
		}()
	}
	want := strings.Replace(string(in), "v1beta1", "v1", 1)
	for i := 0; i < 8; i++ {
		if got := <-done; got != want {
			t.Errorf("got %q", got)
		}
	}
}

// TestScopes checks that names resolve per repository: a PipelineResource of one
// repository never binds in another.
func TestScopes(t *testing.T) {
	task := "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: same\nspec:\n  steps:\n    - image: busybox\n"
	c := New()
	for _, scope := range []string{"repo-a", "repo-b"} {
		if err := c.Index(convert.Source{Path: scope + "/task.yaml", Data: []byte(task), Scope: scope}); err != nil {
			t.Fatalf("%s: %v", scope, err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.index("repo-a").lookup("Task", "same").path != "repo-a/task.yaml" || c.index("repo-b").lookup("Task", "same").path != "repo-b/task.yaml" {
		t.Error("lookup crossed scopes")
	}
	if c.index("repo-c").lookup("Task", "same") != nil {
		t.Error("an empty scope found a Task of another scope")
	}
}

// TestCRLF: a file with CRLF line endings keeps them on every line, edited ones included.
func TestCRLF(t *testing.T) {
	in := "# keep\r\napiVersion: tekton.dev/v1beta1   # trailing\r\nkind: Task\r\nmetadata:\r\n  name: t\r\nspec:\r\n  steps:\r\n    - name: s\r\n      image: alpine:3.20\r\n      script: echo\r\n"
	want := strings.Replace(in, "tekton.dev/v1beta1", "tekton.dev/v1", 1) // the comment keeps its spaces too
	res, err := New().Convert(convert.Source{Path: "crlf.yaml", Data: []byte(in)}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Files[0].Data); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
