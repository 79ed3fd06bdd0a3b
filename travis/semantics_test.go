package travis

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

// tektonVar stands in for what Tekton substitutes in env values at run time.
var tektonVar = regexp.MustCompile(`\$\([^)]*\)`)

// runStep runs one converted step script with bash in dir, the way the step container
// would: env from the step (Tekton variables substituted), working directory dir.
func runStep(t *testing.T, dir string, s pipeline.Step, status string) (int, string) {
	t.Helper()
	return runStepWith(t, dir, s, status, nil)
}

// runStepWith also substitutes vars (e.g. a matrix cell's "$(params.version)").
func runStepWith(t *testing.T, dir string, s pipeline.Step, status string, vars map[string]string) (int, string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found")
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	for _, e := range s.Env {
		v := tektonVar.ReplaceAllStringFunc(e.Value, func(m string) string {
			if v, ok := vars[m]; ok {
				return v
			}
			switch {
			case m == "$(workspaces.source.path)":
				return dir
			case m == "$(params.branch)":
				return "refs/heads/main"
			case m == "$(params.event-type)":
				return "push"
			case m == "$(params.tag)":
				return "" // a branch build
			case m == "$(params.repo-slug)":
				return "owner/repo"
			case strings.HasSuffix(m, ".status)"):
				return status
			}
			return "x"
		})
		if rest, ok := strings.CutPrefix(v, "/workspace"); ok {
			v = dir + rest // the pod's own /workspace emptyDir
		}
		env = append(env, e.Name+"="+v)
	}
	cmd := exec.Command(bash, "-c", s.Script)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// model converts src to the pipeline model (before emitting).
func model(t *testing.T, src string) *pipeline.Pipeline {
	t.Helper()
	c, err := build(convert.Source{Path: "x/.travis.yml", Data: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.pipeline()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// workdir stands for a job pod's /workspace after its clone step: the checkout at
// build/owner/repo (Travis's $HOME/build/<owner>/<repo>).
func workdir(t *testing.T) string {
	dir := t.TempDir()
	for _, d := range []string{".git", "sub"} {
		if err := os.MkdirAll(jobPath(dir, "", d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// jobPath is a path in the job's checkout; every job has its own pod, so its own root.
func jobPath(dir, _ string, elem ...string) string {
	return filepath.Join(append([]string{dir, "build", "owner", "repo"}, elem...)...)
}

// runTask runs a job task's steps in order as its pod would (root is the pod's /workspace,
// the clone step's checkout already there): a failing step without onError: continue ends
// the task with its exit code, as Tekton does.
func runTask(t *testing.T, root string, task *pipeline.Task, vars map[string]string) (int, string) {
	t.Helper()
	var logs strings.Builder
	for _, s := range task.Steps {
		if s.Ref != nil {
			continue // the git-clone StepAction: workdir made the checkout
		}
		code, out := runStepWith(t, root, s, "", vars)
		logs.WriteString(s.Name + ": " + out)
		if code != 0 && s.OnError != "continue" {
			return code, logs.String()
		}
	}
	return 0, logs.String()
}

// stepOf returns the step of task called name.
func stepOf(t *testing.T, task *pipeline.Task, name string) pipeline.Step {
	t.Helper()
	for _, s := range task.Steps {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("task %s has no step %s", task.Name, name)
	return pipeline.Step{}
}

// cellVars are the matrix params of one cell as Tekton substitutes them.
func cellVars(in pipeline.MatrixInclude) map[string]string {
	vars := map[string]string{}
	for _, b := range in.Params {
		vars["$(params."+b.Name+")"] = b.Value
	}
	return vars
}

func read(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return strings.TrimSpace(string(b))
}

// TestOneShell runs a converted job: cd, export and functions carry across phases and
// into after_failure; every script command runs; the exit code is Travis's.
func TestOneShell(t *testing.T) {
	p := model(t, `language: shell
env: GREETING="hi there"
before_install: cd sub && export FOO=bar
install: helper() { echo "helper:$FOO:$GREETING"; }
script:
  - "false"
  - helper > out.txt
  - echo "$TRAVIS_BRANCH" > branch.txt
after_failure: helper > hook.txt
after_success: touch success.txt
`)
	dir := workdir(t)
	code, out := runTask(t, dir, p.Tasks[0], nil)
	if code != 1 {
		t.Fatalf("task exit %d, want 1 (a script command failed)\n%s", code, out)
	}
	if got := read(t, jobPath(dir, p.Tasks[0].Name, "sub", "out.txt")); got != "helper:bar:hi there" {
		t.Errorf("script after a failing command: got %q", got)
	}
	if got := read(t, jobPath(dir, p.Tasks[0].Name, "sub", "branch.txt")); got != "main" {
		t.Errorf("TRAVIS_BRANCH = %q, want main", got)
	}
	if got := read(t, jobPath(dir, p.Tasks[0].Name, "sub", "hook.txt")); got != "helper:bar:hi there" {
		t.Errorf("after_failure did not get the job's shell state: %q", got)
	}
	if _, err := os.Stat(jobPath(dir, p.Tasks[0].Name, "sub", "success.txt")); err == nil {
		t.Error("after_success ran for a failed job")
	}
	if len(p.Finally) != 0 {
		t.Errorf("hooks are steps of the job's pod, not %d finally tasks", len(p.Finally))
	}
}

// TestSetupFailure: a failing install ends the job as errored (exit 2) before script,
// and the after_* hooks then do nothing, as in Travis.
func TestSetupFailure(t *testing.T) {
	p := model(t, `language: shell
install:
  - "false"
  - touch install2.txt
script: touch script.txt
after_script: touch after.txt
`)
	dir := workdir(t)
	code, out := runTask(t, dir, p.Tasks[0], nil)
	if code != 2 {
		t.Fatalf("task exit %d, want 2 (errored)\n%s", code, out)
	}
	for _, f := range []string{"install2.txt", "script.txt"} {
		if _, err := os.Stat(jobPath(dir, p.Tasks[0].Name, f)); err == nil {
			t.Errorf("%s exists: commands after a failed setup command ran", f)
		}
	}
	if _, err := os.Stat(jobPath(dir, p.Tasks[0].Name, "after.txt")); err == nil {
		t.Error("after_script ran after an errored job")
	}
}

// TestConditionGuard: a job if: that needs a regex is checked by the step at run time.
func TestConditionGuard(t *testing.T) {
	p := model(t, `language: shell
jobs:
  include:
    - if: branch =~ ^rel-
      script: touch ran.txt
`)
	dir := workdir(t)
	code, out := runTask(t, dir, p.Tasks[0], nil)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if _, err := os.Stat(jobPath(dir, p.Tasks[0].Name, "ran.txt")); err == nil {
		t.Error("the job ran although branch main does not match ^rel-")
	}
}

// TestDeployGuard: deploy.on decides at run time, as dpl does; the script provider
// runs in the job's restored shell state.
func TestDeployGuard(t *testing.T) {
	for _, c := range []struct {
		on   string
		runs bool
	}{{"branch: main", true}, {"branch: [dev, release]", false}, {"tags: true", false}, {"all_branches: true\n    condition: $FOO = bar", true}} {
		p := model(t, `language: shell
before_install: export FOO=bar
script: "true"
deploy:
  provider: script
  script: echo "$FOO" > deployed.txt
  on:
    `+c.on+`
`)
		dir := workdir(t)
		if code, out := runTask(t, dir, p.Tasks[0], nil); code != 0 {
			t.Fatalf("%s: task exit %d\n%s", c.on, code, out)
		}
		_, err := os.Stat(jobPath(dir, p.Tasks[0].Name, "deployed.txt"))
		if ran := err == nil; ran != c.runs {
			t.Errorf("on %s: deployed=%v, want %v", c.on, ran, c.runs)
		}
		if c.runs {
			if got := read(t, jobPath(dir, p.Tasks[0].Name, "deployed.txt")); got != "bar" {
				t.Errorf("deploy did not see the job's exports: %q", got)
			}
		}
	}
}

// TestAllowFailureHooks: an allowed failure keeps the pipeline going (onError: continue)
// and still runs after_failure, not after_success.
func TestAllowFailureHooks(t *testing.T) {
	p := model(t, `language: shell
script: "false"
after_success: touch success.txt
after_failure: touch failure.txt
jobs:
  allow_failures:
    - os: linux
`)
	if last := p.Tasks[0].Steps[len(p.Tasks[0].Steps)-1]; last.Name != "result" || last.OnError != "continue" {
		t.Fatalf("last step %s onError = %q, want the result step with continue", last.Name, last.OnError)
	}
	dir := workdir(t)
	if code, out := runTask(t, dir, p.Tasks[0], nil); code != 0 {
		t.Fatalf("task exit %d, want 0 (an allowed failure)\n%s", code, out)
	}
	if _, err := os.Stat(jobPath(dir, p.Tasks[0].Name, "success.txt")); err == nil {
		t.Error("after_success ran for a failed job")
	}
	if _, err := os.Stat(jobPath(dir, p.Tasks[0].Name, "failure.txt")); err != nil {
		t.Error("after_failure did not run for a failed, allowed job")
	}
}

// TestSecureMatrixEnv: jobs whose own env entry is secure are not matrix cells, and
// each gets its own Secret reference; no encrypted text reaches the output.
func TestSecureMatrixEnv(t *testing.T) {
	src := "language: shell\nenv:\n  - A=1\n  - A=2\n  - secure: ZW5jcnlwdGVk\nscript: echo $A\n"
	p := model(t, src)
	var matrixTasks, secretRefs int
	for _, x := range p.Tasks {
		if x.Matrix != nil {
			matrixTasks++
			if n := len(x.Matrix.Include); n != 2 {
				t.Errorf("matrix of %d cells, want the 2 plain ones", n)
			}
		}
		for _, e := range stepOf(t, x, jobStep).Env {
			if e.SecretName != "" {
				secretRefs++
			}
			if strings.Contains(e.Value, "ZW5jcnlwdGVk") {
				t.Error("encrypted value copied")
			}
		}
	}
	if matrixTasks != 1 || secretRefs != 1 {
		t.Errorf("matrix tasks %d, secret refs %d; want 1 and 1", matrixTasks, secretRefs)
	}
}

// TestJobsOwnDirs: the two cells of one matrix task run in their own pods, each from its
// own clone; each cell's hooks see its own state and result.
func TestJobsOwnDirs(t *testing.T) {
	p := model(t, `language: shell
env:
  - A=1
  - A=2
script:
  - echo "$A" > a.txt
  - cat cloned.txt >> a.txt
  - test "$A" = 1
after_script: cat a.txt > after.txt
after_success: touch success
after_failure: touch failure
`)
	main := p.Tasks[0]
	if main.Matrix == nil || len(main.Matrix.Include) != 2 || len(p.Finally) != 0 {
		t.Fatalf("want one 2-cell matrix task and no finally tasks, got %d tasks, %d finally", len(p.Tasks), len(p.Finally))
	}
	if s := main.Steps[0]; s.Ref == nil || s.Ref.Get("kind") != "stepaction" || s.Ref.Get("name") != "git-clone" {
		t.Fatalf("the first step is not the git-clone StepAction: %+v", s)
	}
	var got []string
	for _, in := range main.Matrix.Include {
		vars := cellVars(in)
		dir := workdir(t)
		if err := os.WriteFile(jobPath(dir, "", "cloned.txt"), []byte("from the clone\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"A=1": 0, "A=2": 1}[vars["$(params.env)"]]
		if code, out := runTask(t, dir, main, vars); code != want {
			t.Fatalf("cell %s: exit %d, want %d\n%s", in.Name, code, want, out)
		}
		var hook string
		for _, h := range []string{"success", "failure"} {
			if _, err := os.Stat(jobPath(dir, "", h)); err == nil {
				hook += h
			}
		}
		got = append(got, read(t, jobPath(dir, "", "a.txt"))+" | "+read(t, jobPath(dir, "", "after.txt"))+" | "+hook)
	}
	if strings.Join(got, " / ") != "1\nfrom the clone | 1\nfrom the clone | success / 2\nfrom the clone | 2\nfrom the clone | failure" {
		t.Errorf("cells: %q: want each cell's own A, the cloned file and the hook of its own result", got)
	}
}

// TestSameCellValues: cells that a matrix could only tell apart by name get a job param.
func TestSameCellValues(t *testing.T) {
	p := model(t, `language: shell
jobs:
  include:
    - name: one
      script: pwd > where.txt
    - name: two
      script: pwd > where.txt
`)
	main := p.Tasks[0]
	if main.Matrix == nil || len(main.Matrix.Include) != 2 {
		t.Fatalf("want one 2-cell matrix task, got %d tasks", len(p.Tasks))
	}
	for _, in := range main.Matrix.Include {
		vars := cellVars(in)
		if vars["$(params.job)"] != in.Name {
			t.Errorf("cell %s: job param %q", in.Name, vars["$(params.job)"])
		}
		dir := workdir(t)
		if code, out := runTask(t, dir, main, vars); code != 0 {
			t.Fatalf("cell %s: exit %d\n%s", in.Name, code, out)
		}
		if got := read(t, jobPath(dir, "", "where.txt")); got != jobPath(dir, "") {
			t.Errorf("%s: the job ran in %s, not its checkout", in.Name, got)
		}
	}
}
