package validate

import (
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"
)

// TestAdmitCutExact: AdmitCut gives Admit's verdict and words on every corpus and golden
// document, the documents built to trap the pieces, each Pipeline with a task broken, and each
// document with a step's env value broken one way at a time (ways Tekton refuses, but for a
// task result in finally), and the cut is taken on enough passing and refused ones to show something.
func TestAdmitCutExact(t *testing.T) {
	docs := append(seenDocuments(), trickyDocuments()...)
	var broken []string
	for _, text := range docs {
		broken = append(broken, brokenPipelines(text)...)
		broken = append(broken, brokenEnv(text)...)
	}
	broken = append(broken, repeatedEnv...)
	cutPassed, envRefused := 0, 0
	check := func(text string, broken bool) {
		plain, cut := decodedTwice(text)
		if plain == nil {
			return
		}
		restore := cutEnv(cut)
		if restore != nil {
			restore()
		}
		want, got := verdictWords(Admit(plain)), verdictWords(AdmitCut(cut))
		if got != want {
			t.Errorf("AdmitCut says %s, Admit %s\n%s", got, want, text)
		}
		if restore != nil && want == "pass" {
			cutPassed++
		}
		if restore != nil && broken && want != "pass" {
			envRefused++
		}
	}
	for _, text := range docs {
		check(text, false)
	}
	for _, text := range broken {
		check(text, true)
	}
	if cutPassed < 40 || envRefused < 200 {
		t.Errorf("the cut was taken on %d passing documents and %d refused ones: too few to show anything", cutPassed, envRefused)
	}
	t.Logf("cut taken on %d passing documents, %d refused ones (%d broken tried)", cutPassed, envRefused, len(broken))
}

// decodedTwice is the document decoded as Tekton decodes it, twice (nil: no kind we validate).
func decodedTwice(text string) (Object, Object) {
	var head struct{ APIVersion, Kind string }
	if sigsyaml.Unmarshal([]byte(text), &head) != nil {
		return nil, nil
	}
	a, b := newObject(head.APIVersion, head.Kind), newObject(head.APIVersion, head.Kind)
	raw, err := sigsyaml.YAMLToJSON([]byte(text))
	if a == nil || err != nil || StrictDecode(raw, a) != nil || StrictDecode(raw, b) != nil {
		return nil, nil
	}
	return a, b
}

// verdictWords is pass, or the error's lines sorted: Tekton's graph check words may come in
// another order from run to run.
func verdictWords(fe interface{ Error() string }) string {
	if fe == nil || fe.Error() == "" {
		return "pass"
	}
	lines := strings.Split(strings.TrimSpace(fe.Error()), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// envBreaks are env values Tekton refuses in a step, each through a check that reads env values.
var envBreaks = []string{
	"$(params.not-declared-anywhere)",  // unknown parameter
	"x $(params.a.b.c) y",              // three dot-separated parts
	"$(context.task.no-such-thing)",    // unknown task context variable
	"$(context.taskRun.no-such-thing)", // unknown taskRun context variable
	"$(tasks.no-such-task.results.r)",  // result of no task (a Pipeline's graph)
	"$(steps.s.outputs.o)",             // artifacts, behind a feature flag
}

// brokenEnv is the document once per env break, set as the value of the first env entry of its
// first step that has env (v1 Pipeline tasks and finally, or a v1 Task), with a plain entry left
// beside it so that the cut still drops something.
func brokenEnv(text string) []string {
	var out []string
	for _, bad := range envBreaks {
		var doc yaml.Node
		if yaml.Unmarshal([]byte(text), &doc) != nil {
			return nil
		}
		root := rootOf(&doc)
		if root.Kind != yaml.MappingNode || scalar(root, "apiVersion") != "tekton.dev/v1" {
			return nil
		}
		env := firstEnv(root)
		if env == nil || strings.HasPrefix(bad, "$(tasks.") && scalar(root, "kind") != "Pipeline" {
			continue
		}
		e := env.Content[0]
		if e.Kind != yaml.MappingNode || child(e, "valueFrom") != nil {
			return nil
		}
		setKey(e, "value", bad)
		plain := &yaml.Node{Kind: yaml.MappingNode}
		setKey(plain, "name", "TKN_MIGRATE_PLAIN")
		setKey(plain, "value", "plain")
		env.Content = append(env.Content, plain)
		b, err := yaml.Marshal(&doc)
		if err != nil {
			return nil
		}
		out = append(out, string(b))
	}
	return out
}

// firstEnv is the env sequence of the first step that has one.
func firstEnv(root *yaml.Node) *yaml.Node {
	spec := child(root, "spec")
	if spec == nil || spec.Kind != yaml.MappingNode {
		return nil
	}
	var specs []*yaml.Node
	switch scalar(root, "kind") {
	case "Task":
		specs = append(specs, spec)
	case "Pipeline":
		for _, f := range []string{"tasks", "finally"} {
			if seq := child(spec, f); seq != nil && seq.Kind == yaml.SequenceNode {
				for _, task := range seq.Content {
					if ts := child(task, "taskSpec"); ts != nil && ts.Kind == yaml.MappingNode {
						specs = append(specs, ts)
					}
				}
			}
		}
	}
	for _, ts := range specs {
		steps := child(ts, "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		for _, s := range steps.Content {
			if env := child(s, "env"); env != nil && env.Kind == yaml.SequenceNode && len(env.Content) > 0 {
				return env
			}
		}
	}
	return nil
}

// repeatedEnv are documents whose env value repeats one that passes elsewhere: in another task
// that declares the parameter, or in a step whose results it reads.
var repeatedEnv = func() []string {
	task := func(name, params, step2 string) string {
		return "    - name: " + name + "\n      taskSpec:\n" + params + "        steps:\n" +
			"          - name: s1\n            image: alpine\n            env: [{name: X, value: $(params.p)}, {name: Y, value: ok}]\n" +
			"          - name: s2\n            image: alpine\n            env: [{name: X, value: " + step2 + "}]\n"
	}
	head := "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n"
	declared := "        params: [{name: p, type: string}]\n"
	return []string{
		head + task("a", declared, "$(params.p)") + task("b", "", "$(params.p)"),
		head + task("a", declared, "$(params.p)") + task("b", declared, "$(params.q)"),
		head + task("a", declared, "$(steps.s1.results.r)"),
		head + task("a", declared, "$(steps.s2.results.r)"),
	}
}()
