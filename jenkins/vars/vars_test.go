package vars

import (
	"reflect"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

func TestShellRefs(t *testing.T) {
	got := ShellRefs(`echo "$BUILD_NUMBER ${WORKSPACE}/x $HOME $BUILD_URL $GIT_COMMIT $BUILD_NUMBER"`)
	want := []string{"BUILD_NUMBER", "BUILD_URL", "GIT_COMMIT", "WORKSPACE"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestBinder(t *testing.T) {
	b := NewBinder(true)
	commit, _ := Lookup("GIT_COMMIT")
	branch, _ := Lookup("BRANCH_NAME")
	if got := b.Var(commit); got != "$(params.jenkins-git-commit)" {
		t.Errorf("Var = %s", got)
	}
	b.Var(branch)
	b.Param("TARGET")
	b.Param("TARGET")
	task := &pipeline.Task{}
	b.Apply(task)
	wantParams := []pipeline.Binding{
		{Name: "jenkins-git-commit", Value: "$(tasks.fetch-source.results.commit)"},
		{Name: "jenkins-branch-name", Value: "$(params.jenkins-branch-name)"},
		{Name: "TARGET", Value: "$(params.TARGET)"},
	}
	if !reflect.DeepEqual(task.Params, wantParams) || len(task.TaskParams) != 3 {
		t.Errorf("params = %+v / %+v", task.Params, task.TaskParams)
	}
	if !reflect.DeepEqual(b.Needs(), map[string]string{"jenkins-branch-name": "{{ source_branch }}"}) {
		t.Errorf("needs = %v", b.Needs())
	}
	p := &pipeline.Pipeline{Runs: []pipeline.Run{{Name: "push"}}}
	Declare(p, []string{"jenkins-branch-name"}, b.Needs())
	if len(p.Params) != 1 || p.Runs[0].Params[0].Value != "{{ source_branch }}" {
		t.Errorf("declare: %+v", p)
	}
	if Unmappable("BUILD_URL") == "" || Unmappable("HOME") != "" {
		t.Error("Unmappable")
	}
}

// Each run binds a variable as Jenkins multibranch sets it for that kind of build.
func TestRunValue(t *testing.T) {
	run := func(event, target string) pipeline.Run {
		return pipeline.Run{Annotations: []pipeline.Binding{
			{Name: "pipelinesascode.tekton.dev/on-event", Value: "[" + event + "]"},
			{Name: "pipelinesascode.tekton.dev/on-target-branch", Value: "[" + target + "]"},
		}}
	}
	push, pr, tag := run("push", "*"), run("pull_request", "*"), run("push", TagRef)
	for _, c := range []struct {
		param string
		run   pipeline.Run
		want  string
	}{
		{"jenkins-branch-name", push, "{{ source_branch }}"},
		{"jenkins-branch-name", pr, "PR-{{ pull_request_number }}"},
		{"jenkins-branch-name", tag, "{{ git_tag }}"},
		{"jenkins-tag-name", push, ""},
		{"jenkins-tag-name", pr, ""},
		{"jenkins-tag-name", tag, "{{ git_tag }}"},
		{"jenkins-change-target", push, ""},
		{"jenkins-change-target", pr, "{{ target_branch }}"},
		{"jenkins-change-target", tag, ""},
		{"jenkins-change-branch", pr, "{{ source_branch }}"},
	} {
		v, _ := Lookup(map[string]string{"jenkins-branch-name": "BRANCH_NAME", "jenkins-tag-name": "TAG_NAME", "jenkins-change-target": "CHANGE_TARGET", "jenkins-change-branch": "CHANGE_BRANCH"}[c.param])
		if got := RunValue(c.param, v.RunValue, c.run); got != c.want {
			t.Errorf("%s on %v: got %q, want %q", c.param, c.run.Annotations, got, c.want)
		}
	}
}
