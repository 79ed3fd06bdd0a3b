package consolidate

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

var update = flag.Bool("update", false, "rewrite testdata/expected")

// TestFleetGolden converts testdata/fleet and consolidates it: orders and payments differ only
// in their Go version and share one Pipeline; search runs another test command (a near miss)
// and web is Python, so both keep their own. Every resulting file and the summary are compared
// byte for byte with testdata/expected.
func TestFleetGolden(t *testing.T) {
	// A copy outside this repository, so each directory is a repository of its own.
	wd, _ := os.Getwd()
	tmp := t.TempDir()
	if err := os.CopyFS(filepath.Join(tmp, "fleet"), os.DirFS("testdata/fleet")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(tmp); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	expected := filepath.Join(wd, "testdata", "expected")
	e := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", Placeholders: true}}
	ins, errs := e.Inputs([]string{"fleet"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var outs []*convert.Outcome
	if err := e.Run(ins, func(o *convert.Outcome) error {
		if o.Err != nil {
			t.Error(o.Err)
		}
		outs = append(outs, o)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	shared, sum, err := Run(outs, Options{Dir: "shared"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n", sum)
	for _, o := range append(outs, shared...) {
		for _, f := range o.Result.Files {
			fmt.Fprintf(&b, "=== %s\n%s", filepath.ToSlash(f.Path), f.Data)
		}
	}
	if *update {
		if err := os.WriteFile(expected, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(expected)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("testdata/expected differs (run with -update):\n%s", b.Bytes())
	}
	if sum.Repositories != 4 || sum.Pipelines != 3 || len(shared) != 1 {
		t.Errorf("%d repositories → %d pipelines, %d shared; want 4 → 3, 1 shared", sum.Repositories, sum.Pipelines, len(shared))
	}
}

// TestPipelineRef pins the reference each --shared-ref mode writes.
func TestPipelineRef(t *testing.T) {
	for _, c := range []struct {
		opts Options
		want catalog.Ref
	}{
		{Options{Dir: "shared"}, catalog.ClusterRef("pipeline", "p", DefaultNamespace)},
		{Options{Dir: "shared", Ref: "cluster", Location: "ci"}, catalog.ClusterRef("pipeline", "p", "ci")},
		{Options{Dir: "shared", Ref: "git", Location: "https://example.com/platform.git@v2"}, catalog.Ref{Resolver: "git", Params: []catalog.Param{
			{Name: "url", Value: "https://example.com/platform.git"}, {Name: "revision", Value: "v2"}, {Name: "pathInRepo", Value: "shared/p.yaml"}}}},
		{Options{Dir: "shared", Ref: "bundles", Location: "ghcr.io/acme/pipelines/"}, catalog.BundleRef("ghcr.io/acme/pipelines/p:0123456789ab", "p", "pipeline")},
	} {
		got, err := pipelineRef(c.opts, "p", filepath.Join(c.opts.Dir, "p.yaml"), "0123456789ab")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%+v: got %v, want %v", c.opts, got, c.want)
		}
	}
	if _, err := pipelineRef(Options{Ref: "git"}, "p", "p.yaml", "x"); err == nil {
		t.Error("git without a location: no error")
	}
}

// TestMarkersKeepApart: Pipelines equal but for a manual marker don't merge, since the shared
// one keeps a single member's comments and the other's marker would be lost.
func TestMarkersKeepApart(t *testing.T) {
	pipeline := func(name, comment string) string {
		return "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: " + name + "\nspec:\n  tasks:\n" + comment +
			"    - name: build\n      taskSpec:\n        steps:\n          - name: make\n            image: docker.io/library/golang:1.22\n            script: make\n"
	}
	run := func(name string) string {
		return "apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: " + name + "-push\nspec:\n  pipelineRef:\n    name: " + name + "\n"
	}
	outcome := func(dir, repo, comment string) *convert.Outcome {
		at := filepath.Join(dir, repo)
		return &convert.Outcome{Source: convert.Source{Path: at + "/Jenkinsfile", Kind: convert.KindJenkinsfile, Scope: at},
			Result: convert.Result{Files: []convert.File{
				{Path: at + "/.tekton/pipeline.yaml", Data: []byte(pipeline(repo, comment))},
				{Path: at + "/.tekton/push.yaml", Data: []byte(run(repo))}}}}
	}
	marker := "    # tkn-migrate: manual: archiveArtifacts \"*.jar\": Tekton keeps no build artifacts (Jenkinsfile:7)\n"
	for _, c := range []struct {
		a, b   string
		shared int
	}{
		{"", "", 1},
		{marker, "", 0},
		{marker, strings.Replace(marker, ":7)", ":12)", 1), 1}, // the same marker on another line
	} {
		dir := t.TempDir()
		outs := []*convert.Outcome{outcome(dir, "a", c.a), outcome(dir, "b", c.b)}
		shared, sum, err := Run(outs, Options{Dir: filepath.Join(dir, "shared")})
		if err != nil {
			t.Fatal(err)
		}
		if len(shared) != c.shared {
			t.Errorf("markers %q and %q: %d shared, want %d (%s)", c.a, c.b, len(shared), c.shared, sum)
		}
	}
}
