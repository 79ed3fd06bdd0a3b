package validate

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"
)

// withBig sets the size from which documents are read in pieces for the test's duration.
func withBig(t *testing.T, n int) {
	t.Helper()
	old := bigDocument
	bigDocument = n
	t.Cleanup(func() { bigDocument = old })
}

// tekton is Tekton's own verdict on a document: sigs.k8s.io/yaml's conversion (as kubectl),
// the strict decode and admission, with no node tree of ours.
func tekton(text string) string {
	var head struct{ APIVersion, Kind string }
	if err := sigsyaml.Unmarshal([]byte(text), &head); err != nil {
		return "does not parse"
	}
	obj := newObject(head.APIVersion, head.Kind)
	if obj == nil {
		return "not a kind we validate"
	}
	raw, err := sigsyaml.YAMLToJSON([]byte(text))
	if err != nil {
		return "does not parse"
	}
	if err := StrictDecode(raw, obj); err != nil {
		return "decode: " + err.Error()
	}
	if fe := Admit(obj); fe != nil {
		return "admit: " + strings.TrimSpace(fe.Error())
	}
	return "pass"
}

// verdictOf is Tekton's verdict as an *Error reports it, in tekton's words.
func verdictOf(e *Error) string {
	if e == nil {
		return "pass"
	}
	msg := e.Err.Error()
	if strings.HasPrefix(msg, "json: ") || strings.HasPrefix(msg, "error unmarshaling") {
		return "decode: " + msg
	}
	return "admit: " + msg
}

// TestPiecesAreTheWhole: read item by item, every corpus and golden document that the pieces
// take gives the whole tree's JSON and memo key byte for byte, and Tekton's verdict and
// position on it are those of the whole parse and of Tekton's own decode of the text.
func TestPiecesAreTheWhole(t *testing.T) {
	withBig(t, 0)
	verdicts.Reset()
	taken, declined := 0, 0
	for _, text := range append(seenDocuments(), trickyDocuments()...) {
		var whole yaml.Node
		if yaml.Unmarshal([]byte(text), &whole) != nil || whole.Kind == 0 {
			if p, ok := readPieces([]byte(text)); ok {
				if _, _, _, _, ok := p.read(); ok {
					t.Errorf("pieces read what does not parse whole:\n%s", text)
				}
			}
			continue
		}
		p, ok := readPieces([]byte(text))
		if !ok {
			continue
		}
		d, raw, key, named, ok := p.read()
		if !ok {
			declined++
			continue
		}
		taken++
		want, wholeOK := appendJSON(nil, &whole)
		if !wholeOK || !bytes.Equal(raw, want) {
			t.Errorf("pieces give\n%s\nthe whole tree (ok %v)\n%s\n%s", raw, wholeOK, want, text)
			continue
		}
		if wantKey, wantNamed := renamedKey(&whole, []byte(text)); key != wantKey || named != wantNamed {
			t.Errorf("pieces key %x %v, the whole tree's %x %v\n%s", key, named, wantKey, wantNamed, text)
		}
		e, _, _, done := p.check()
		wholeErr := validate("", &whole, []byte(text))
		if !done || fmt.Sprint(e) != fmt.Sprint(wholeErr) {
			t.Errorf("pieces verdict (done %v) %v, the whole tree's %v\n%s", done, e, wholeErr, text)
		}
		if got, want := verdictOf(e), tekton(text); got != want {
			t.Errorf("pieces verdict %s, Tekton's %s\n%s", got, want, text)
		}
		_ = d
	}
	if taken < 100 {
		t.Errorf("the pieces took only %d documents (declined %d): too few to show anything", taken, declined)
	}
	t.Logf("pieces took %d documents, declined %d", taken, declined)
}

// trickyDocuments are built to trap a line-by-line cut: sequences inside block and quoted
// scalars, anchors across items, comments at column 0, indentless sequences, CRLF, empty
// first lines, YAML 1.1 hazards inside an item, and failures Tekton positions in an item.
func trickyDocuments() []string {
	head := "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n"
	task := func(name string) string {
		return "    - name: " + name + "\n      taskSpec:\n        steps:\n          - image: alpine\n            script: echo " + name + "\n"
	}
	docs := []string{
		head + task("a") + task("b") + task("c"),
		head + task("a") + "# a comment at column 0\n" + task("b") + "    # and one at the item's\n" + task("c"),
		head + task("a") + task("b") + "  finally:\n" + task("f") + task("g"),
		head + task("a") + task("Not_A_Label") + task("c"),
		head + task("a") + task("b") + task("a"),
		head + task("a") + "    - name: b\n      runAfter: [nope]\n      taskRef: {name: t}\n",
		head + task("a") + "    - name: b\n      taskReff: {name: t}\n" + task("c"),
		head + task("a") + "    -\n      name: b\n      taskRef: {name: t}\n" + task("c"),
		strings.ReplaceAll(head, "  tasks:\n", "  tasks:\n") + strings.ReplaceAll(task("a")+task("b"), "\n    ", "\n  ")[2:],
		"apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n  - name: a\n    taskRef: {name: t}\n  - name: b\n    taskRef: {name: t}\n  params:\n  - name: x\n",
		strings.ReplaceAll(head+task("a")+task("b"), "\n", "\r\n"),
		head + "    - &first\n      name: a\n      taskRef: {name: t}\n    - name: b\n      taskRef: *first\n",
		head + task("a") + "    - name: b\n      taskSpec:\n        steps:\n          - image: alpine\n            env: [{name: X, value: on}]\n",
		head + task("a") + "    - name: b\n      taskSpec:\n        steps:\n          - image: alpine\n            script: \"echo\n    - name: c\n              done\"\n" + task("d"),
		head + task("a") + "    - name: b\n      taskSpec:\n        steps:\n          - image: alpine\n            script: 'one\n    - two'\n" + task("d"),
		head + task("a") + "    - name: b\n      params: [{name: x,\n    - y}]\n      taskRef: {name: t}\n",
		"apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - image: alpine\n      script: |\n        - a\n        - b\n        - c\n        - d\n        - e\n        - f\n        - g\n",
		"apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  description: |\n    - a\n    - b\n    - c\n    - d\n    - e\n  steps:\n    - image: alpine\n    - image: busybox\n",
		"apiVersion: tekton.dev/v1\nkind: Task\nspec:\n  steps:\n    - image: alpine\n      env:\n        - name: T\n          valueFrom:\n            secretKeyRef:\n              name: repo-token\n              key: k\n    - image: alpine\n      env:\n        - name: U\n          valueFrom:\n            secretKeyRef:\n              name: other\n              key: k\nmetadata:\n  name: after-the-sequence\n",
		"apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\nspec:\n  pipelineRef:\n    name: repo-a\n  params:\n    - name: a\n      value: x\n    - name: b\n      value: $(params.y\n",
		"apiVersion: tekton.dev/v1\nkind: List\nitems:\n  - apiVersion: tekton.dev/v1\n    kind: Task\n    metadata: {name: a}\n    spec: {steps: [{image: alpine}]}\n  - apiVersion: tekton.dev/v1\n    kind: Task\n    metadata: {name: b}\n    spec: {steps: []}\n",
		head + "    - name: a\n      taskRef: {name: t}\n    -\tname: b\n      taskRef: {name: t}\n",
	}
	return docs
}

// A big generated Pipeline is validated from its pieces, never from a whole tree, with the
// whole parse's verdict: a pass, and a failure positioned in one of its items.
func TestBigPipelineInPieces(t *testing.T) {
	verdicts.Reset()
	var b strings.Builder
	b.WriteString("apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: big\nspec:\n  tasks:\n")
	for i := 0; b.Len() < bigDocument; i++ {
		fmt.Fprintf(&b, "    # from Jenkinsfile:%d\n    - name: s%d\n      runAfter:\n        - s%d\n      taskSpec:\n        steps:\n          - name: sh\n            image: alpine\n            script: |\n              echo %d\n", i, i+1, i, i)
	}
	b.WriteString("    - name: s0\n      taskRef: {name: t}\n")
	text := b.String()
	if p, ok := readPieces([]byte(text)); !ok {
		t.Fatal("a big Pipeline is not read in pieces")
	} else if _, _, _, _, ok := p.read(); !ok {
		t.Fatal("its pieces decline")
	}
	if err := Documents("big.yaml", []byte(text)); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(text, "- s700\n", "- s70000\n", 1)
	err := Documents("big.yaml", []byte(bad))
	var whole yaml.Node
	if yaml.Unmarshal([]byte(bad), &whole) != nil {
		t.Fatal("does not parse")
	}
	want := place(validate("", &whole, []byte(bad)), "big.yaml", 1)
	if err == nil || want == nil || err.Error() != want.Error() {
		t.Errorf("got %v\nwant %v", err, want)
	}
	if !strings.Contains(fmt.Sprint(err), "big.yaml:") || !strings.Contains(fmt.Sprint(err), "s70000") {
		t.Errorf("the failure is not positioned at the task: %v", err)
	}
}

// FuzzPieces: whatever the pieces read, the whole parse reads alike: the same JSON and the
// same memo key, or the pieces decline.
func FuzzPieces(f *testing.F) {
	for _, d := range trickyDocuments() {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, ok := readAnySize(text)
		if !ok {
			return
		}
		_, raw, key, named, ok := p.read()
		if !ok {
			return
		}
		var whole yaml.Node
		if err := yaml.Unmarshal([]byte(text), &whole); err != nil {
			t.Fatalf("pieces read what does not parse whole (%v):\n%s", err, text)
		}
		want, wholeOK := appendJSON(nil, &whole)
		if !wholeOK || !bytes.Equal(raw, want) {
			t.Fatalf("pieces give\n%s\nthe whole tree (ok %v)\n%s", raw, wholeOK, want)
		}
		if wantKey, wantNamed := renamedKey(&whole, []byte(text)); key != wantKey || named != wantNamed {
			t.Fatalf("pieces key differs from the whole tree's")
		}
	})
}
