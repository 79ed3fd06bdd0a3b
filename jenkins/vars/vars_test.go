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
