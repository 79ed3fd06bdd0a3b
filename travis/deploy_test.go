package travis

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeployProviderInJobDir: a provider step runs in the job's own copy of the checkout,
// where the job built its files, and not when the job skipped itself or never started.
func TestDeployProviderInJobDir(t *testing.T) {
	for _, c := range []struct {
		name, cond  string
		start, runs bool
	}{{"ran", "branch = main", true, true}, {"skipped by the job", "branch =~ ^rel-", true, false}, {"never started", "branch = main", false, false}} {
		p := model(t, `language: shell
script: touch built.txt
deploy:
  provider: npm
  api_token: $NPM_SECRET
  on:
    branch: main
jobs:
  include:
    - if: `+c.cond+`
`)
		dir := workdir(t)
		// a stand-in npm records where it ran, if the job's files are there
		bin := filepath.Join(dir, "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		fake := "#!/bin/sh\n[ -f built.txt ] && pwd > \"$HOME/npm-ran\"\n"
		if err := os.WriteFile(filepath.Join(bin, "npm"), []byte(fake), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		job := p.Tasks[0]
		if !c.start {
			os.RemoveAll(jobPath(dir, "")) // the clone failed
		}
		code, out := runTask(t, dir, job, nil)
		if want := map[bool]int{true: 0, false: 2}[c.start]; code != want {
			t.Fatalf("%s: task exit %d, want %d\n%s", c.name, code, want, out)
		}
		got, err := os.ReadFile(filepath.Join(dir, "npm-ran"))
		if ran := err == nil; ran != c.runs {
			t.Fatalf("%s: npm ran=%v, want %v", c.name, ran, c.runs)
		}
		if c.runs && strings.TrimSpace(string(got)) != jobPath(dir, job.Name) {
			t.Errorf("%s: npm ran in %s, want the job's directory %s", c.name, strings.TrimSpace(string(got)), jobPath(dir, job.Name))
		}
	}
}

// TestAllowFailureNoDeploy: onError: continue lets the deploy task run after a failed,
// allowed job; Travis deploys only a job that passed.
func TestAllowFailureNoDeploy(t *testing.T) {
	for _, c := range []struct {
		script string
		runs   bool
	}{{`"true"`, true}, {`"false"`, false}} {
		p := model(t, `language: shell
script: `+c.script+`
deploy:
  provider: script
  script: touch deployed.txt
  on:
    branch: main
jobs:
  allow_failures:
    - os: linux
`)
		dir := workdir(t)
		if code, out := runTask(t, dir, p.Tasks[0], nil); code != 0 {
			t.Fatalf("script %s: task exit %d, want 0 (allowed to fail)\n%s", c.script, code, out)
		}
		_, err := os.Stat(jobPath(dir, p.Tasks[0].Name, "deployed.txt"))
		if ran := err == nil; ran != c.runs {
			t.Errorf("script %s: deployed=%v, want %v", c.script, ran, c.runs)
		}
	}
}

// TestMatrixDeploy: each cell deploys from its own pod, with its own exports, when its own
// job passed, as Travis deploys from each job that passed.
func TestMatrixDeploy(t *testing.T) {
	p := model(t, `language: shell
env:
  - A=1
  - A=2
script:
  - export B="b$A"
  - test "$A" = 1
deploy:
  provider: script
  script: echo "$A $B" > deployed.txt
  on:
    branch: main
`)
	job := p.Tasks[0]
	if job.Matrix == nil || len(job.Matrix.Include) != 2 || len(p.Tasks) != 1 {
		t.Fatal("want one matrix task of 2 cells holding the deploy")
	}
	var got []string
	for _, in := range job.Matrix.Include {
		dir := workdir(t)
		code, out := runTask(t, dir, job, cellVars(in))
		d, err := os.ReadFile(jobPath(dir, "", "deployed.txt"))
		got = append(got, fmt.Sprintf("exit %d deployed %q %v", code, strings.TrimSpace(string(d)), err == nil))
		_ = out
	}
	if want := `exit 0 deployed "1 b1" true|exit 1 deployed "" false`; strings.Join(got, "|") != want {
		t.Errorf("cells: %s\nwant %s", strings.Join(got, "|"), want)
	}
}
