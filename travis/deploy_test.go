package travis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

// deployOf returns the deploy task of p.
func deployOf(t *testing.T, p *pipeline.Pipeline) *pipeline.Task {
	t.Helper()
	for _, x := range p.Tasks {
		if strings.HasSuffix(x.Name, "-deploy") {
			return x
		}
	}
	t.Fatal("no deploy task")
	return nil
}

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
		if c.start {
			if code, out := runStep(t, dir, job.Steps[0], ""); code != 0 {
				t.Fatalf("%s: job exit %d\n%s", c.name, code, out)
			}
		}
		for _, s := range deployOf(t, p).Steps {
			if code, out := runStep(t, dir, s, ""); code != 0 {
				t.Fatalf("%s: %s exit %d\n%s", c.name, s.Name, code, out)
			}
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
		runStep(t, dir, p.Tasks[0].Steps[0], "")
		for _, s := range deployOf(t, p).Steps {
			if code, out := runStep(t, dir, s, ""); code != 0 {
				t.Fatalf("script %s: %s exit %d\n%s", c.script, s.Name, code, out)
			}
		}
		_, err := os.Stat(jobPath(dir, p.Tasks[0].Name, "deployed.txt"))
		if ran := err == nil; ran != c.runs {
			t.Errorf("script %s: deployed=%v, want %v", c.script, ran, c.runs)
		}
	}
}

// TestMatrixDeploy: each cell's deploy runs in that cell's own directory with its own
// exports, and the one-status-for-all-cells approximation is reported.
func TestMatrixDeploy(t *testing.T) {
	c, err := build(convert.Source{Path: "x/.travis.yml", Data: []byte(`language: shell
env:
  - A=1
  - A=2
script: export B="b$A"
deploy:
  provider: script
  script: echo "$A $B" > deployed.txt
  on:
    branch: main
`)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.pipeline()
	if err != nil {
		t.Fatal(err)
	}
	job, dep := p.Tasks[0], deployOf(t, p)
	if job.Matrix == nil || dep.Matrix == nil || len(dep.Matrix.Include) != 2 {
		t.Fatal("want a matrix job task and a matrix deploy task of 2 cells")
	}
	dir := workdir(t)
	for _, in := range dep.Matrix.Include {
		vars := map[string]string{}
		for _, b := range in.Params {
			vars["$(params."+b.Name+")"] = b.Value
		}
		if code, out := runStepWith(t, dir, job.Steps[0], "", vars); code != 0 {
			t.Fatalf("cell %s: job exit %d\n%s", in.Name, code, out)
		}
		for _, s := range dep.Steps {
			if code, out := runStepWith(t, dir, s, "", vars); code != 0 {
				t.Fatalf("cell %s: %s exit %d\n%s", in.Name, s.Name, code, out)
			}
		}
	}
	dirs, err := filepath.Glob(jobPath(dir, job.Name+"-*", "deployed.txt"))
	if err != nil || len(dirs) != 2 {
		t.Fatalf("want one deployment in each of 2 job directories, got %v (%v)", dirs, err)
	}
	var got []string
	for _, d := range dirs {
		got = append(got, read(t, d))
	}
	if strings.Join(got, ",") != "1 b1,2 b2" && strings.Join(got, ",") != "2 b2,1 b1" {
		t.Errorf("deployments %q: want each cell's own A and B", got)
	}
	var found bool
	for _, f := range c.findings {
		found = found || f.Rule == "travis/matrix-deploy"
	}
	if !found {
		t.Error("no travis/matrix-deploy finding")
	}
}
