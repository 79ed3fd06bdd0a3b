package jenkins

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/pacmatch"
)

// jenkinsEvent is one forge event, as PaC sees it and as a Jenkins multibranch job sees it.
type jenkinsEvent struct {
	name string
	pac  pacmatch.Event
	// vars are PaC's template values for the event (pkg/customparams/standard.go).
	vars map[string]string
	// env is what Jenkins multibranch sets for the same build (branch-api SCM heads).
	env map[string]string
	tag bool // Jenkins builds it only when the job builds tags
}

var jenkinsEvents = []jenkinsEvent{
	{name: "push to main", pac: pacmatch.Push("main"),
		vars: map[string]string{"source_branch": "main", "target_branch": "main"},
		env:  map[string]string{"BRANCH_NAME": "main"}},
	{name: "pull request to main", pac: pacmatch.PullRequest("main", "feature-x"),
		vars: map[string]string{"source_branch": "feature-x", "target_branch": "main", "pull_request_number": "12"},
		env:  map[string]string{"BRANCH_NAME": "PR-12", "CHANGE_ID": "12", "CHANGE_TARGET": "main", "CHANGE_BRANCH": "feature-x"}},
	// A fork's main: the source branch is main, yet Jenkins names the build PR-13.
	{name: "pull request from a fork's main", pac: pacmatch.PullRequest("main", "main"),
		vars: map[string]string{"source_branch": "main", "target_branch": "main", "pull_request_number": "13"},
		env:  map[string]string{"BRANCH_NAME": "PR-13", "CHANGE_ID": "13", "CHANGE_TARGET": "main", "CHANGE_BRANCH": "main", "CHANGE_FORK": "someone"}},
	{name: "push to feature/x", pac: pacmatch.Push("feature/x"),
		vars: map[string]string{"source_branch": "feature/x", "target_branch": "feature/x"},
		env:  map[string]string{"BRANCH_NAME": "feature/x"}},
	// Ant's * stops at "/": when { branch 'release/*' } is false here.
	{name: "push to release/1.x/hotfix", pac: pacmatch.Push("release/1.x/hotfix"),
		vars: map[string]string{"source_branch": "release/1.x/hotfix", "target_branch": "release/1.x/hotfix"},
		env:  map[string]string{"BRANCH_NAME": "release/1.x/hotfix"}},
	{name: "tag push v1.2.0", pac: pacmatch.Tag("v1.2.0"), tag: true,
		vars: map[string]string{"source_branch": "refs/tags/v1.2.0", "target_branch": "refs/tags/v1.2.0", "git_tag": "v1.2.0"},
		env:  map[string]string{"BRANCH_NAME": "v1.2.0", "TAG_NAME": "v1.2.0"}},
}

// TestPaCMatchStages: for every Jenkinsfile of the corpus and the when/multibranch golden cases
// (declarative stages by their when, scripted stages outside conditionals), the stages
// that run for each event — PaC's own matcher picks the PipelineRun, its params bound from the
// event, then Tekton's when expressions and our guard tasks (run in sh) decide each task — are
// the stages whose when conditions Jenkins would find true for the same multibranch build.
func TestPaCMatchStages(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	files := append(corpusFiles(t, "jenkinsfile"), "testdata/when/Jenkinsfile", "testdata/multibranch/Jenkinsfile")
	var decided, undecided, compared int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		mf, err := parseFile(f, data)
		if err != nil {
			continue // scripted parse errors are counted by the corpus test
		}
		p, findings, err := Pipeline(f, data, convert.Options{Placeholders: true}, nil)
		if err != nil || p == nil {
			continue
		}
		res, err := emit(convert.Source{Path: f, Data: data}, filepath.Dir(f), p, findings, convert.Options{Placeholders: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var docs []byte
		for _, o := range res.Files {
			docs = append(docs, o.Data...)
			docs = append(docs, "\n---\n"...)
		}
		runs, err := pacmatch.Decode(docs)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, r := range runs {
			a := r.GetAnnotations()
			if a["pipelinesascode.tekton.dev/on-event"] == "" || a["pipelinesascode.tekton.dev/on-target-branch"] == "" {
				t.Errorf("%s: run %s lacks on-event or on-target-branch (PaC needs both)", filepath.Base(f), r.Name)
			}
		}
		buildsTags := false
		for _, r := range p.Runs {
			buildsTags = buildsTags || r.Name == "tag"
		}
		for _, ev := range jenkinsEvents {
			want, unknown := sourceStages(mf, ev.env, !ev.tag || buildsTags)
			decided += len(want)
			undecided += len(unknown)
			names, err := pacmatch.Match(runs, ev.pac)
			if err != nil {
				t.Fatalf("%s: %s: %v", f, ev.name, err)
			}
			if len(names) > 1 {
				t.Errorf("%s: %s starts %d runs %v; Jenkins builds it once", filepath.Base(f), ev.name, len(names), names)
				continue
			}
			got := map[string]bool{}
			for _, r := range runs {
				if len(names) == 1 && r.Name == names[0] {
					bound := map[string]string{}
					for _, b := range r.Spec.Params {
						bound[b.Name] = b.Value.StringVal
					}
					got = tektonStages(t, p, bound, ev)
				}
			}
			for key, run := range want {
				compared++
				if got[key] != run {
					t.Errorf("%s: %s: stage %s: Tekton runs it %v, Jenkins %v (run %v)", filepath.Base(f), ev.name, key, got[key], run, names)
				}
			}
		}
	}
	if compared == 0 {
		t.Fatal("no stage compared")
	}
	t.Logf("%d files × %d events: %d stage decisions compared, %d stages with conditions we can't evaluate statically", len(files), len(jenkinsEvents), decided, undecided)
}

var (
	stageFrom  = regexp.MustCompile(`^from \S+:(\d+) stage\(`)
	stageNamed = regexp.MustCompile(`^from \S+:\d+ stage[( ]('(?:[^'\\]|\\.)*')\)?( nested in steps)?$`)
)

// tektonStages runs the when expressions of the tasks of p as Tekton would in run: params from
// the run's bindings with PaC's {{ }} values for ev, guard tasks executed in sh. It returns the
// stage lines (from the tasks' head comments) of the tasks that run.
func tektonStages(t *testing.T, p *pipeline.Pipeline, bound map[string]string, ev jenkinsEvent) map[string]bool {
	t.Helper()
	params := map[string]string{}
	for _, q := range p.Params {
		if q.Default != nil {
			params[q.Name] = *q.Default
		}
	}
	for n, v := range bound {
		params[n] = pacTemplate.ReplaceAllStringFunc(v, func(m string) string {
			return ev.vars[strings.TrimSpace(m[2:len(m)-2])]
		})
	}
	results := map[string]string{}
	ran := map[string]bool{}
	for _, task := range p.Tasks {
		runs := true
		for _, w := range task.When {
			in := resolveRef(w.Input, params, results)
			found := false
			for _, v := range w.Values {
				found = found || v == in
			}
			runs = runs && found == (w.Operator == "in")
		}
		if runs && len(task.Results) == 1 && task.Results[0] == "run" {
			results["tasks."+task.Name+".results.run"] = guardResult(t, task, params, results)
		}
		for _, cm := range task.Comments {
			if m := stageFrom.FindStringSubmatch(cm); m != nil && runs {
				ran["line:"+m[1]] = true
			}
			if m := stageNamed.FindStringSubmatch(cm); m != nil && runs {
				ran["stage:"+m[1]] = true
			}
		}
	}
	return ran
}

var pacTemplate = regexp.MustCompile(`\{\{[^}]*\}\}`)

// resolveRef substitutes $(params.x) and $(tasks.t.results.r) in a Tekton value.
func resolveRef(v string, params, results map[string]string) string {
	return pipelineRef.ReplaceAllStringFunc(v, func(m string) string {
		inner := m[2 : len(m)-1]
		if n, ok := strings.CutPrefix(inner, "params."); ok {
			return params[n]
		}
		return results[inner]
	})
}

// guardResult runs a guard task's script in sh with its env resolved and returns its result.
func guardResult(t *testing.T, task *pipeline.Task, params, results map[string]string) string {
	bound := map[string]string{}
	for _, b := range task.Params {
		bound[b.Name] = resolveRef(b.Value, params, results)
	}
	out := filepath.Join(t.TempDir(), "run")
	for _, st := range task.Steps {
		cmd := exec.Command("sh", "-c", strings.ReplaceAll(st.Script, "$(results.run.path)", out))
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		for _, e := range append(append([]pipeline.Env(nil), task.Env...), st.Env...) {
			cmd.Env = append(cmd.Env, e.Name+"="+resolveRef(e.Value, bound, results))
		}
		if cmd.Run() != nil {
			return "" // a fail-loud placeholder: the stage's tasks are skipped
		}
	}
	b, _ := os.ReadFile(out)
	return string(b)
}
