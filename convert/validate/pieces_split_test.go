package validate

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"

	"go.yaml.in/yaml/v3"
)

// TestAdmitInPartsExact: a Pipeline admitted task by task passes only where Tekton's own
// decode and admission of the whole text pass, with the whole tree's memo key; over every
// corpus and golden document, the documents built to trap the cut, and each Pipeline with
// tasks broken one way at a time (every break one that Tekton refuses). Documents, which
// falls back to the whole path, gives the whole path's verdict and position on all of them.
func TestAdmitInPartsExact(t *testing.T) {
	withBig(t, 0)
	verdicts.Reset()
	docs := append(seenDocuments(), trickyDocuments()...)
	var broken []string
	for _, text := range docs {
		broken = append(broken, brokenPipelines(text)...)
		for _, b := range brokenEnv(text) { // the env values a task's cut leaves in (envcut.go)
			if tekton(b) != "pass" {
				broken = append(broken, b)
			}
		}
	}
	passed, declined := 0, 0
	check := func(text string, mustFail bool) {
		p, ok := readPieces([]byte(text))
		if !ok {
			return
		}
		key, named, pass := p.admitInParts()
		tek := tekton(text)
		if mustFail && tek == "pass" {
			t.Errorf("a break Tekton does not refuse:\n%s", text)
		}
		if !pass {
			if tek == "pass" {
				declined++
			}
		} else {
			passed++
			if tek != "pass" {
				t.Errorf("admitted in parts, Tekton says %s\n%s", tek, text)
			}
			var whole yaml.Node
			if yaml.Unmarshal([]byte(text), &whole) != nil {
				t.Errorf("admitted in parts what does not parse whole:\n%s", text)
				return
			}
			if wantKey, wantNamed := renamedKey(&whole, []byte(text)); key != wantKey || named != wantNamed {
				t.Errorf("in parts key %x %v, the whole tree's %x %v\n%s", key, named, wantKey, wantNamed, text)
			}
		}
		var whole yaml.Node
		if mustFail || yaml.Unmarshal([]byte(text), &whole) != nil {
			return
		}
		// Where the parts do not pass, both are the whole path, whose words Tekton's graph
		// check may order differently from run to run: the verdict and its position compare.
		verdicts.Reset()
		got, want := verdictHead(Documents("p.yaml", []byte(text))), "<nil>"
		if whole.Kind != 0 {
			if e := validate("", &whole, []byte(text)); e != nil {
				want = verdictHead(place(e, "p.yaml", 1))
			}
		}
		if got != want {
			t.Errorf("Documents says %v, the whole path %v\n%s", got, want, text)
		}
	}
	for _, text := range docs {
		check(text, false)
	}
	passedSeen := passed
	for _, text := range broken {
		check(text, true)
	}
	if passedSeen < 50 || len(broken) < 500 {
		t.Errorf("admitted in parts only %d documents, %d broken ones: too few to show anything", passedSeen, len(broken))
	}
	t.Logf("admitted in parts %d documents (%d broken tried), declined %d that Tekton passes", passedSeen, len(broken), declined)
}

// verdictHead is a verdict's position, kind and name, or <nil>.
func verdictHead(err error) string {
	if err == nil {
		return "<nil>"
	}
	head, _, _ := strings.Cut(err.Error(), " fails Tekton validation")
	return head
}

// breaks are ways to break one task of a Pipeline, each one a check of Pipeline.Validate that
// reads the task's steps, or a Pipeline-level check of what the cut task keeps.
var breaks = []struct {
	name string
	f    func(task *yaml.Node, first string) bool // false when it does not apply to the task
	all  func(tasks []*yaml.Node) bool            // or a break across tasks
}{
	{name: "step name", f: func(t *yaml.Node, _ string) bool { return setStep(t, "name", "Not_A_Step") }},
	{name: "no steps", f: func(t *yaml.Node, _ string) bool {
		if steps := stepsOf(t); steps != nil {
			steps.Content = nil
			steps.Style = yaml.FlowStyle
			return true
		}
		return false
	}},
	{name: "kind with steps", f: func(t *yaml.Node, _ string) bool {
		if ts := child(t, "taskSpec"); ts != nil && stepsOf(t) != nil {
			setKey(ts, "kind", "Task")
			return true
		}
		return false
	}},
	{name: "undeclared param in a step", f: func(t *yaml.Node, _ string) bool { return setStep(t, "args", "$(params.not-declared-anywhere)") }},
	{name: "result of no task in a step", f: func(t *yaml.Node, _ string) bool {
		return setStep(t, "args", "$(tasks.no-such-task.results.r)")
	}},
	{name: "result of a later task in the first's step", all: func(ts []*yaml.Node) bool {
		// the first task waits for a result of the last, which runs after it: a cycle
		first, last := scalar(ts[0], "name"), scalar(ts[len(ts)-1], "name")
		if last == "" || !setStep(ts[0], "args", "$(tasks."+last+".results.r)") {
			return false
		}
		setSeq(ts[len(ts)-1], "runAfter", first)
		return true
	}},
	{name: "a matrix emits an array result another task reads", all: func(ts []*yaml.Node) bool {
		// read from the cut task's results
		ts0 := child(ts[0], "taskSpec")
		if first := scalar(ts[0], "name"); first == "" || stepsOf(ts[0]) == nil || child(ts0, "results") != nil || child(ts[0], "matrix") != nil {
			return false
		} else if !addItem(ts[len(ts)-1], "params", "name", "from-matrix", "value", "$(tasks."+first+".results.mr[*])") {
			return false
		}
		addItem(ts0, "results", "name", "mr", "type", "array")
		m := &yaml.Node{Kind: yaml.MappingNode}
		addItem(m, "params", "name", "mx", "value", "")
		setSeq(m.Content[1].Content[0], "value", "a")
		ts[0].Content = append(ts[0].Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "matrix"}, m)
		return true
	}},
	{name: "runAfter no task", f: func(t *yaml.Node, _ string) bool { setSeq(t, "runAfter", "no-such-task"); return true }},
	{name: "duplicate name", f: func(t *yaml.Node, first string) bool {
		if n := child(t, "name"); n != nil && first != "" && n.Value != first {
			n.Value = first
			return true
		}
		return false
	}},
	{name: "undeclared workspace", f: func(t *yaml.Node, _ string) bool {
		return addItem(t, "workspaces", "name", "w-not-declared", "workspace", "w-not-declared")
	}},
	{name: "undeclared param in a task param", f: func(t *yaml.Node, _ string) bool {
		return addItem(t, "params", "name", "p-not-declared", "value", "$(params.p-not-declared)")
	}},
	{name: "bad task name", f: func(t *yaml.Node, _ string) bool { setKey(t, "name", "Not_A_Label"); return true }},
}

// brokenPipelines are text, when it is a v1 Pipeline whose tasks (or finally tasks) the
// pieces take, broken in each way of breaks at one task: the last and a middle one.
func brokenPipelines(text string) []string {
	p, ok := readPieces([]byte(text))
	if !ok || scalar(p.skel, "kind") != "Pipeline" || scalar(p.skel, "apiVersion") != "tekton.dev/v1" {
		return nil
	}
	var out []string
	for _, b := range breaks {
		for _, which := range []int{-1, 1} {
			var doc yaml.Node
			if yaml.Unmarshal([]byte(text), &doc) != nil {
				return nil
			}
			spec := child(rootOf(&doc), "spec")
			if spec == nil {
				return nil
			}
			seq := child(spec, "tasks")
			if seq == nil || len(seq.Content) != len(p.items) {
				seq = child(spec, "finally")
			}
			if seq == nil || seq.Kind != yaml.SequenceNode || len(seq.Content) < 2 {
				return nil
			}
			i := which
			if i < 0 {
				i = len(seq.Content) - 1
			}
			first := scalar(seq.Content[0], "name")
			applied := false
			if b.f != nil {
				applied = b.f(seq.Content[i], first)
			} else if which < 0 {
				applied = b.all(seq.Content)
			}
			if !applied {
				continue
			}
			b, err := yaml.Marshal(&doc)
			if err == nil {
				out = append(out, string(b))
			}
		}
	}
	return out
}

func stepsOf(task *yaml.Node) *yaml.Node {
	if ts := child(task, "taskSpec"); ts != nil && ts.Kind == yaml.MappingNode {
		if s := child(ts, "steps"); s != nil && s.Kind == yaml.SequenceNode && len(s.Content) > 0 {
			return s
		}
	}
	return nil
}

// setStep sets key of the task's first step to value (args: a one-item list).
func setStep(task *yaml.Node, key, value string) bool {
	steps := stepsOf(task)
	if steps == nil || steps.Content[0].Kind != yaml.MappingNode {
		return false
	}
	if key == "args" {
		setSeq(steps.Content[0], key, value)
	} else {
		setKey(steps.Content[0], key, value)
	}
	return true
}

// addItem appends to the task's list under key a mapping of k1: v1 and k2: v2.
func addItem(task *yaml.Node, key, k1, v1, k2, v2 string) bool {
	m := &yaml.Node{Kind: yaml.MappingNode}
	setKey(m, k1, v1)
	setKey(m, k2, v2)
	seq := child(task, key)
	if seq == nil {
		seq = &yaml.Node{Kind: yaml.SequenceNode}
		task.Content = append(task.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, seq)
	}
	seq.Content = append(seq.Content, m)
	return true
}

func setKey(m *yaml.Node, key, value string) {
	v := &yaml.Node{Kind: yaml.ScalarNode, Value: value, Style: yaml.DoubleQuotedStyle}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}

func setSeq(m *yaml.Node, key, value string) {
	seq := &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: value, Style: yaml.DoubleQuotedStyle}}}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = seq
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, seq)
}

// FuzzAdmitInParts: whatever Pipeline is admitted task by task, Tekton's own decode and
// admission of the whole text pass, and the memo key is the whole tree's.
func FuzzAdmitInParts(f *testing.F) {
	for _, d := range trickyDocuments() {
		f.Add(d)
		for _, b := range brokenPipelines(d) {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, ok := readAnySize(text)
		if !ok {
			return
		}
		key, named, pass := p.admitInParts()
		if !pass {
			return
		}
		if tek := tekton(text); tek != "pass" {
			t.Fatalf("admitted in parts, Tekton says %s\n%s", tek, text)
		}
		var whole yaml.Node
		if err := yaml.Unmarshal([]byte(text), &whole); err != nil {
			t.Fatalf("admitted in parts what does not parse whole (%v):\n%s", err, text)
		}
		if wantKey, wantNamed := renamedKey(&whole, []byte(text)); key != wantKey || named != wantNamed {
			t.Fatalf("in parts key differs from the whole tree's\n%s", text)
		}
	})
}

// readAnySize is readPieces of text, however small.
func readAnySize(text string) (*pieces, bool) {
	old := bigDocument
	bigDocument = 0
	defer func() { bigDocument = old }()
	return readPieces([]byte(text))
}

// A big Pipeline admitted in parts: a pass is found without the whole typed object.
func TestBigPipelineAdmittedInParts(t *testing.T) {
	withBig(t, 32<<10)
	var b strings.Builder
	b.WriteString("apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: big\nspec:\n  tasks:\n")
	for i := 0; b.Len() < bigDocument; i++ {
		fmt.Fprintf(&b, "    - name: s%d\n      taskSpec:\n        steps:\n          - image: alpine\n            script: echo %d\n", i, i)
	}
	p, ok := readPieces([]byte(b.String()))
	if !ok {
		t.Fatal("not read in pieces")
	}
	if _, _, pass := p.admitInParts(); !pass {
		t.Fatal("not admitted in parts")
	}
}

// TestShareWithPrevious: a task's workspace bindings and runAfter names equal to the task
// before's are shared with it, values unchanged; others are left as they are.
func TestShareWithPrevious(t *testing.T) {
	bind := func(ws ...string) []v1.WorkspacePipelineTaskBinding {
		var out []v1.WorkspacePipelineTaskBinding
		for _, w := range ws {
			out = append(out, v1.WorkspacePipelineTaskBinding{Name: w, Workspace: w})
		}
		return out
	}
	prev := v1.PipelineTask{Name: "s0", Workspaces: bind("source")}
	same := v1.PipelineTask{Name: "s1", RunAfter: []string{"fetch", strings.Clone("s0")}, Workspaces: bind("source")}
	shareWithPrevious(&same, &prev)
	if &same.Workspaces[0] != &prev.Workspaces[0] || unsafe.StringData(same.RunAfter[1]) != unsafe.StringData(prev.Name) {
		t.Error("equal bindings or runAfter name not shared")
	}
	if !reflect.DeepEqual(same, v1.PipelineTask{Name: "s1", RunAfter: []string{"fetch", "s0"}, Workspaces: bind("source")}) {
		t.Errorf("sharing changed the task: %+v", same)
	}
	other := v1.PipelineTask{Name: "s2", RunAfter: []string{"s1"}, Workspaces: bind("source", "cache")}
	shareWithPrevious(&other, &same)
	if &other.Workspaces[0] == &same.Workspaces[0] || !reflect.DeepEqual(other.Workspaces, bind("source", "cache")) {
		t.Error("different bindings shared")
	}
	none := v1.PipelineTask{Name: "s3"}
	shareWithPrevious(&none, &prev)
	if none.Workspaces != nil {
		t.Error("no bindings became the previous task's")
	}
}
