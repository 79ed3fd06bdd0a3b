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

func workdir(t *testing.T) string {
	dir := t.TempDir()
	for _, d := range []string{".git", "sub"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// jobPath is where the job of task name works: its private copy of the checkout,
// at <owner>/<repo> under the job's own directory.
func jobPath(dir, name string, elem ...string) string {
	return filepath.Join(append([]string{dir, ".tkn-migrate", "jobs", name, "owner", "repo"}, elem...)...)
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
	code, out := runStep(t, dir, p.Tasks[0].Steps[0], "")
	if code != 1 {
		t.Fatalf("job exit %d, want 1 (a script command failed)\n%s", code, out)
	}
	if got := read(t, jobPath(dir, p.Tasks[0].Name, "sub", "out.txt")); got != "helper:bar:hi there" {
		t.Errorf("script after a failing command: got %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "sub", "out.txt")); err == nil {
		t.Error("the job wrote into the shared checkout, not its own copy")
	}
	if got := read(t, jobPath(dir, p.Tasks[0].Name, "sub", "branch.txt")); got != "main" {
		t.Errorf("TRAVIS_BRANCH = %q, want main", got)
	}
	var fail *pipeline.Task
	for _, f := range p.Finally {
		if strings.HasSuffix(f.Name, "after-failure") {
			fail = f
		}
	}
	if fail == nil {
		t.Fatal("no after_failure finally task")
	}
	if code, out := runStep(t, dir, fail.Steps[0], "Failed"); code != 0 {
		t.Fatalf("after_failure exit %d\n%s", code, out)
	}
	if got := read(t, jobPath(dir, p.Tasks[0].Name, "sub", "hook.txt")); got != "helper:bar:hi there" {
		t.Errorf("after_failure did not get the job's shell state: %q", got)
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
	code, out := runStep(t, dir, p.Tasks[0].Steps[0], "")
	if code != 2 {
		t.Fatalf("job exit %d, want 2 (errored)\n%s", code, out)
	}
	for _, f := range []string{"install2.txt", "script.txt"} {
		if _, err := os.Stat(jobPath(dir, p.Tasks[0].Name, f)); err == nil {
			t.Errorf("%s exists: commands after a failed setup command ran", f)
		}
	}
	code, out = runStep(t, dir, p.Finally[0].Steps[0], "Failed")
	if code != 0 {
		t.Fatalf("after_script exit %d\n%s", code, out)
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
	code, out := runStep(t, dir, p.Tasks[0].Steps[0], "")
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
		if code, out := runStep(t, dir, p.Tasks[0].Steps[0], ""); code != 0 {
			t.Fatalf("job exit %d\n%s", code, out)
		}
		var dep *pipeline.Task
		for _, x := range p.Tasks {
			if strings.HasSuffix(x.Name, "-deploy") {
				dep = x
			}
		}
		if dep == nil {
			t.Fatal("no deploy task")
		}
		if code, out := runStep(t, dir, dep.Steps[0], ""); code != 0 {
			t.Fatalf("%s: deploy exit %d\n%s", c.on, code, out)
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
	if p.Tasks[0].Steps[0].OnError != "continue" {
		t.Fatalf("onError = %q", p.Tasks[0].Steps[0].OnError)
	}
	dir := workdir(t)
	if code, _ := runStep(t, dir, p.Tasks[0].Steps[0], ""); code != 1 {
		t.Fatalf("job exit %d, want 1", code)
	}
	for _, f := range p.Finally {
		if code, out := runStep(t, dir, f.Steps[0], "Succeeded"); code != 0 {
			t.Fatalf("%s exit %d\n%s", f.Name, code, out)
		}
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
		for _, e := range x.Steps[0].Env {
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

// TestJobsOwnDirs: two cells of one matrix task, run in the same workspace, each work in
// their own copy of the checkout with their own state, and each cell's hook finds its own.
func TestJobsOwnDirs(t *testing.T) {
	p := model(t, `language: shell
env:
  - A=1
  - A=2
script:
  - echo "$A" > a.txt
  - cat shared.txt >> a.txt
  - test "$A" = 1
after_script: cat a.txt > after.txt
after_success: touch success
after_failure: touch failure
`)
	main := p.Tasks[0]
	if main.Matrix == nil || len(main.Matrix.Include) != 2 || len(p.Finally) != 3 {
		t.Fatalf("want one 2-cell matrix task with one after_script hook, got %d tasks, %d finally", len(p.Tasks), len(p.Finally))
	}
	dir := workdir(t)
	if err := os.WriteFile(filepath.Join(dir, "shared.txt"), []byte("from the clone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cells := map[string]string{}
	for _, in := range main.Matrix.Include {
		vars := map[string]string{}
		for _, b := range in.Params {
			vars["$(params."+b.Name+")"] = b.Value
		}
		want := map[string]int{"A=1": 0, "A=2": 1}[vars["$(params.env)"]]
		if code, out := runStepWith(t, dir, main.Steps[0], "", vars); code != want {
			t.Fatalf("cell %s: exit %d, want %d\n%s", in.Name, code, want, out)
		}
		for _, f := range p.Finally {
			// Tekton gives the hooks the matrix task's one status: Failed, as one cell failed
			if code, out := runStepWith(t, dir, f.Steps[0], "Failed", vars); code != 0 {
				t.Fatalf("cell %s %s: exit %d\n%s", in.Name, f.Name, code, out)
			}
		}
		cells[in.Name] = vars["$(params.env)"]
	}
	entries, err := os.ReadDir(filepath.Join(dir, ".tkn-migrate", "jobs"))
	if err != nil || len(entries) != 2 {
		t.Fatalf("want 2 job directories, got %d (%v)", len(entries), err)
	}
	var got []string
	for _, e := range entries {
		d := e.Name()
		if !strings.HasPrefix(d, main.Name+"-") {
			t.Errorf("job directory %s is not named after task %s", d, main.Name)
		}
		state := read(t, jobPath(dir, d, ".git", "tkn-migrate-"+main.Name+".state"))
		if !strings.Contains(state, "cd "+jobPath(dir, d)) {
			t.Errorf("%s: the state does not return to the job's own directory", d)
		}
		var hook string
		for _, h := range []string{"success", "failure"} {
			if _, err := os.Stat(jobPath(dir, d, h)); err == nil {
				hook += h
			}
		}
		got = append(got, read(t, jobPath(dir, d, "a.txt"))+" | "+read(t, jobPath(dir, d, "after.txt"))+" | "+hook)
	}
	if len(got) != 2 || got[0] == got[1] {
		t.Errorf("cells did not keep their own files: %q", got)
	}
	for _, g := range got {
		if g != "1\nfrom the clone | 1\nfrom the clone | success" && g != "2\nfrom the clone | 2\nfrom the clone | failure" {
			t.Errorf("job files %q: want the cell's own A, the cloned file and the hook of its own result", g)
		}
	}
	for _, f := range []string{"a.txt", "after.txt", ".git/tkn-migrate-" + main.Name + ".state"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s written to the shared checkout", f)
		}
	}
}

// TestSameCellValues: cells that a matrix could only tell apart by name get a job
// param, so their directories, keyed by param values, still differ.
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
	dir := workdir(t)
	for _, in := range main.Matrix.Include {
		vars := map[string]string{}
		for _, b := range in.Params {
			vars["$(params."+b.Name+")"] = b.Value
		}
		if vars["$(params.job)"] != in.Name {
			t.Errorf("cell %s: job param %q", in.Name, vars["$(params.job)"])
		}
		if code, out := runStepWith(t, dir, main.Steps[0], "", vars); code != 0 {
			t.Fatalf("cell %s: exit %d\n%s", in.Name, code, out)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, ".tkn-migrate", "jobs"))
	if len(entries) != 2 {
		t.Fatalf("want 2 job directories, got %d", len(entries))
	}
	for _, e := range entries {
		if got := read(t, jobPath(dir, e.Name(), "where.txt")); got != jobPath(dir, e.Name()) {
			t.Errorf("%s: the job ran in %s", e.Name(), got)
		}
	}
}
