package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
	"github.com/tkn-migrate/tkn-migrate/simulate/cli"
)

// inProcess runs tkn-migrate-simulate's own command in this process, in dir as the
// program would run there, and counts the runs.
func inProcess(runs *int) *Simulator {
	return &Simulator{Run: func(dir string, args []string) ([]byte, []byte, error) {
		*runs++
		wd, err := os.Getwd()
		if err != nil {
			return nil, nil, err
		}
		if err := os.Chdir(dir); err != nil {
			return nil, nil, err
		}
		defer os.Chdir(wd)
		var stdout, stderr bytes.Buffer
		if code := cli.Run(args, strings.NewReader(""), &stdout, &stderr); code != 0 && (code != 2 || stdout.Len() == 0) {
			return nil, stderr.Bytes(), fmt.Errorf("exit status %d", code)
		}
		return stdout.Bytes(), stderr.Bytes(), nil
	}}
}

// convertExamples converts a copy of the bundled examples (outside any git repository, so
// the default branch is main) into a report made with opts.
func convertExamples(t *testing.T, opts Options) *Report {
	t.Helper()
	tmp := t.TempDir()
	if err := os.CopyFS(filepath.Join(tmp, "testdata", "examples"), os.DirFS("../../testdata/examples")); err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(tmp); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd) // back to the package directory, where the golden files are
	mode, _ := catalog.ParseRefMode("hub")
	eng := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", CatalogRef: mode, Placeholders: true}}
	inputs, errs := eng.Inputs([]string{"testdata/examples"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rep := New(opts)
	if err := eng.Run(inputs, func(o *convert.Outcome) error { rep.Add(o); return nil }); err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestMarkdownSimulateExamples: the bundled Jenkinsfile and .travis.yml each get a .tekton/
// directory, simulated for a push to main and a pull request into it; the old Tekton file
// upgraded outside .tekton/ is no Pipelines-as-Code input.
func TestMarkdownSimulateExamples(t *testing.T) {
	runs := 0
	rep := convertExamples(t, Options{Draw: true, Simulate: inProcess(&runs)})
	var buf bytes.Buffer
	if err := Markdown(&buf, rep); err != nil {
		t.Fatal(err)
	}
	golden(t, "markdown/examples.md", buf.Bytes())
	if runs != 4 {
		t.Errorf("%d simulations, want 4 (two directories, two events)", runs)
	}
}

// TestMarkdownSimulateMissing: without the program, the section says so and lists the
// directories it would have simulated, never dropping out silently.
func TestMarkdownSimulateMissing(t *testing.T) {
	missing := errors.New("simulate needs the tkn-migrate-simulate program beside tkn-migrate or on PATH: go install ./cmd/...")
	rep := convertExamples(t, Options{Draw: true, Simulate: &Simulator{Missing: missing}})
	var buf bytes.Buffer
	if err := Markdown(&buf, rep); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	start, end := strings.Index(md, "### What runs"), strings.Index(md, "### Before you merge")
	if start < 0 || end < start {
		t.Fatalf("no simulate section:\n%s", md)
	}
	golden(t, "markdown/simulate-missing.md", []byte(md[start:end]))
}

// TestSimulateAsOutcomesArrive: a directory is simulated, and its files dropped, as soon as
// an input outside it arrives; one named after that is reported missing from the simulation.
func TestSimulateAsOutcomesArrive(t *testing.T) {
	run := func(path string) *convert.Outcome {
		return &convert.Outcome{Source: convert.Source{Path: path, Kind: convert.KindTekton},
			Result: convert.Result{Files: []convert.File{{Path: path, Data: []byte("apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: r\nspec:\n  pipelineSpec:\n    tasks:\n      - name: a\n        taskSpec:\n          steps:\n            - image: alpine\n              script: echo hi\n")}}}}
	}
	runs := 0
	rep := New(Options{Draw: true, Simulate: inProcess(&runs)})
	rep.Add(run("a/.tekton/run.yaml"))
	rep.Add(run("a/.tekton/other.yaml"))
	sets := rep.md.sim.sets
	if runs != 0 || len(sets) != 1 || len(sets[0].files) != 2 {
		t.Fatalf("before b: %d runs, %d sets", runs, len(sets))
	}
	rep.Add(run("b/.tekton/run.yaml"))
	if runs != 2 || !sets[0].done || sets[0].files != nil {
		t.Fatalf("a not simulated and dropped when b arrived: %d runs, done %v", runs, sets[0].done)
	}
	rep.Add(run("a/.tekton/late.yaml"))
	var buf bytes.Buffer
	if err := Markdown(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if runs != 4 {
		t.Errorf("%d simulations, want 4", runs)
	}
	if !strings.Contains(buf.String(), "Not in this simulation: the output of `a/.tekton/late.yaml`") {
		t.Errorf("the late input is not named:\n%s", buf.String())
	}
}

func TestSimulateCap(t *testing.T) {
	rep := New(Options{Draw: true, Simulate: &Simulator{Missing: errors.New("no program")}})
	for i := 0; i < MaxSimulated+3; i++ {
		p := fmt.Sprintf("r%d/.tekton/run.yaml", i)
		rep.Add(&convert.Outcome{Source: convert.Source{Path: p}, Result: convert.Result{Files: []convert.File{{Path: p}, {Path: p + ".txt"}}}})
	}
	var buf bytes.Buffer
	if err := Markdown(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "/.tekton`\n"); n != MaxSimulated {
		t.Errorf("%d directories listed, want %d", n, MaxSimulated)
	}
	if !strings.Contains(buf.String(), "3 more `.tekton/` directories not simulated") {
		t.Errorf("missing the note on directories not simulated:\n%s", buf.String())
	}
}

func TestTektonDir(t *testing.T) {
	for in, want := range map[string][2]string{
		"repo/.tekton/push.yaml":      {"repo/.tekton", "push.yaml"},
		".tekton/sub/a.yaml":          {".tekton", "sub/a.yaml"},
		"/abs/r/.tekton/x.yml":        {"/abs/r/.tekton", "x.yml"},
		"a/.tekton/b/.tekton/c.yaml":  {"a/.tekton/b/.tekton", "c.yaml"},
		"repo/tekton/pipeline.yaml":   {"", ""},
		"repo/.tekton":                {"", ""},
		"./repo//.tekton/./push.yaml": {"repo/.tekton", "push.yaml"},
	} {
		dir, rel, ok := tektonDir(in)
		if ok != (want[0] != "") || dir != filepath.FromSlash(want[0]) || rel != filepath.FromSlash(want[1]) {
			t.Errorf("tektonDir(%q) = %q, %q, %v; want %q, %q", in, dir, rel, ok, want[0], want[1])
		}
	}
}

func TestInside(t *testing.T) {
	for _, c := range []struct {
		p, dir string
		want   bool
	}{
		{"repo/.travis.yml", "repo", true},
		{"repo/.tekton/a.yaml", "repo", true},
		{"repo2/.travis.yml", "repo", false},
		{"repo", "repo", false},
		{".travis.yml", ".", true},
		{"../x/.travis.yml", ".", false},
		{"/abs/.travis.yml", ".", false},
		{"/abs/r/Jenkinsfile", "/abs/r", true},
	} {
		if got := inside(c.p, c.dir); got != c.want {
			t.Errorf("inside(%q, %q) = %v", c.p, c.dir, got)
		}
	}
}

func TestDemote(t *testing.T) {
	in := "### On push\n\n#### Run\n\n```mermaid\n# not a heading\n```\n| a | # b |\n"
	want := "##### On push\n\n###### Run\n\n```mermaid\n# not a heading\n```\n| a | # b |\n"
	if got := demote(in, 2); got != want {
		t.Errorf("demote:\n%s", got)
	}
}

func TestDefaultBranch(t *testing.T) {
	repo := t.TempDir()
	if got := defaultBranch(repo); got != "main" {
		t.Errorf("no origin: %q", got)
	}
	head := filepath.Join(repo, ".git", "refs", "remotes", "origin", "HEAD")
	if err := os.MkdirAll(filepath.Dir(head), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(head, []byte("ref: refs/remotes/origin/master\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := defaultBranch(repo); got != "master" {
		t.Errorf("origin/HEAD names master: %q", got)
	}
}

// TestShorten: a simulation past MaxSimulatedBytes keeps the runs that fit (the first
// always), every error, and the command that shows the rest.
func TestShorten(t *testing.T) {
	run := func(name string, size int) string {
		return "###### PipelineRun `" + name + "`: succeeds (Succeeded)\n\n" + strings.Repeat("x", size) + "\n\n"
	}
	head := "##### On push to main\n\n"
	small := head + run("a", 10)
	if got := shorten(small, "cmd"); got != small {
		t.Errorf("short report changed:\n%s", got)
	}
	big := head + run("a", MaxSimulatedBytes/2) + run("b", MaxSimulatedBytes/4) + run("c", MaxSimulatedBytes/2) + run("d", 10) +
		"- **error** `x.yaml:1:1: ParameterMissing: p`\n\n"
	want := head + run("a", MaxSimulatedBytes/2) + run("b", MaxSimulatedBytes/4) +
		"2 more PipelineRuns not shown here; `cmd` shows them.\n\n- **error** `x.yaml:1:1: ParameterMissing: p`\n\n"
	if got := shorten(big, "cmd"); got != want {
		t.Errorf("shorten:\n%s", got)
	}
	first := head + run("a", MaxSimulatedBytes*2) + run("b", 10)
	want = head + run("a", MaxSimulatedBytes*2) + "1 more PipelineRun not shown here; `cmd` shows it.\n\n"
	if got := shorten(first, "cmd"); got != want {
		t.Errorf("the first run is kept whole:\n%s", got)
	}
	one := head + run("a", MaxSimulatedBytes*2)
	if got := shorten(one, "cmd"); got != one {
		t.Error("a single run is kept whole")
	}
}

func TestShortenNotStarted(t *testing.T) {
	var names []string
	for i := 0; i < MaxNotStarted+2; i++ {
		names = append(names, fmt.Sprintf("`r%d`", i))
	}
	md := "##### On push to main\n\n" + notStarted + strings.Join(names, ", ") + ".\n\nNo PipelineRun starts.\n"
	want := "##### On push to main\n\n" + notStarted + strings.Join(names[:MaxNotStarted], ", ") + " and 2 more.\n\nNo PipelineRun starts.\n"
	if got := shortenNotStarted(md); got != want {
		t.Errorf("got:\n%s", got)
	}
	short := "##### On push to main\n\n" + notStarted + "`a`, `b`.\n\n"
	if got := shortenNotStarted(short); got != short {
		t.Errorf("short list changed:\n%s", got)
	}
}
