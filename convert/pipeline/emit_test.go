package pipeline

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

var update = flag.Bool("update", false, "rewrite golden files")

func ptr[T any](v T) *T { return &v }

// fullModel uses every field of the model once, so the golden shows each rendering.
func fullModel() *Pipeline {
	return &Pipeline{
		Name:     "My Project",
		Comments: []string{"from .travis.yml:1"},
		Params:   []Param{{Name: "go-version", Description: "Go toolchain", Default: ptr("1.22")}},
		Workspaces: []Workspace{
			{Name: "cache", Description: "Build cache.", Optional: true},
			{Name: "ssh-key", Description: "Deploy key.", Secret: "deploy-key"},
		},
		Timeout:     "1h30m0s",
		HostAliases: []HostAlias{{IP: "127.0.0.1", Hostnames: []string{"db.local", "cache.local"}}},
		Checkout:    &Checkout{Depth: "50", Submodules: ptr(false), Subdirectory: "src", Comments: []string{"from .travis.yml:3 git"}},
		Tasks: []*Task{
			{
				Name:       "test",
				Comments:   []string{"from .travis.yml:10 script"},
				Matrix:     &Matrix{Params: []MatrixParam{{Name: "go", Values: []string{"1.21", "1.22"}}}, Include: []MatrixInclude{{Name: "race", Params: []Binding{{Name: "go", Value: "1.22"}, {Name: "flags", Value: "-race"}}}}},
				Retries:    2,
				Timeout:    "30m0s",
				TaskParams: []Param{{Name: "go"}, {Name: "flags", Default: ptr("")}, {Name: "go-default"}},
				Params:     []Binding{{Name: "go-default", Value: "$(params.go-version)"}},
				Workspaces: []Binding{{Name: "cache", Value: "cache"}},
				Image:      "golang:1.22",
				Env:        []Env{{Name: "CI", Value: "true"}},
				Sidecars: []Sidecar{
					{Name: "postgresql", Image: "postgres:16", Env: []Env{{Name: "POSTGRES_HOST_AUTH_METHOD", Value: "trust"}}, ReadyExec: []string{"pg_isready", "-h", "127.0.0.1"}},
					{Name: "docker", Image: "docker:27-dind", Privileged: true, ReadyPort: 2375},
				},
				Steps: []Step{
					{Name: "Run tests", Comments: []string{"tkn-migrate: manual: something (.travis.yml:12)"}, Script: "go test ./...", Env: []Env{
						{Name: "GO_VERSION", Value: "$(params.go)"},
						{Name: "GO111MODULE", Value: "on"},
						{Name: "TOKEN", SecretName: "travis-secure-env", SecretKey: "TOKEN", Comment: "secure value from .travis.yml:5"},
					}, OnError: "continue"},
					{Name: "Run tests", Image: "alpine:3.20", Script: "echo one\necho two\n", WorkingDir: "/tmp", Timeout: "5m0s"},
					{Name: "windows", Image: "mcr.microsoft.com/windows/nanoserver:ltsc2022", Command: []string{"cmd.exe", "/C"}, Args: []string{"build.bat"}},
				},
			},
			{
				Name:         "deploy",
				RunAfter:     []string{"test"},
				When:         []When{{Input: "$(params.revision)", Operator: "in", Values: []string{"main"}}},
				Results:      []string{"version"},
				NodeSelector: []Binding{{Name: "kubernetes.io/arch", Value: "arm64"}},
				Steps:        []Step{{Name: "deploy", Image: "alpine:3.20", Script: "echo deploy", Privileged: true}},
			},
		},
		Finally: []*Task{{
			Name:  "after-failure",
			When:  []When{{Input: "$(tasks.status)", Operator: "in", Values: []string{"Failed"}}},
			Steps: []Step{{Name: "notify", Image: "alpine:3.20", Script: "echo failed"}},
		}},
		Runs: []Run{
			{Name: "push", Comments: []string{"branches: only main"}, Annotations: []Binding{
				{Name: "pipelinesascode.tekton.dev/on-event", Value: "[push]"},
				{Name: "pipelinesascode.tekton.dev/on-target-branch", Value: "[main]"},
			}},
			{Name: "pull-request", Annotations: []Binding{{Name: "pipelinesascode.tekton.dev/on-event", Value: "[pull_request]"}}},
		},
	}
}

func TestEmitGolden(t *testing.T) {
	cases := map[string]struct {
		p    *Pipeline
		opts convert.Options
	}{
		"full":         {fullModel(), convert.Options{}},
		"full-v1beta1": {fullModel(), convert.Options{To: "v1beta1", CatalogRef: catalog.Git}},
		"pod-local": {&Pipeline{Name: "jobs", PodLocalSource: true, Runs: []Run{{Name: "push"}},
			Workspaces: []Workspace{{Name: "shared", Description: "Files passed between jobs.", VolumeClaim: true}},
			Tasks: []*Task{{Name: "build", Workspaces: []Binding{{Name: "ws-a", Value: "shared", SubPath: "a"}}, Steps: []Step{
				{Name: "clone", Comments: []string{"each task clones into its own pod"}, Ref: &catalog.Ref{Resolver: "hub", Params: []catalog.Param{{Name: "kind", Value: "stepaction"}, {Name: "name", Value: "git-clone"}}},
					Params: []Binding{{Name: "url", Value: "$(params.repo-url)"}, {Name: "output-path", Value: "/workspace/build"}}},
				{Name: "sh", Image: "alpine:3.20", Script: "make", Env: []Env{{Name: "COMMIT", Value: "$(steps.clone.results.commit)"}}},
			}}}}, convert.Options{}},
		// Comments quote source text; YAML allows no control character even in a comment.
		"control-comment": {&Pipeline{Name: "ctl", Comments: []string{"key \x1b]0;title\a\x1b[2J\x00\x7f\u0080 is not a Travis key"}, Runs: []Run{{Name: "push"}},
			Tasks: []*Task{{Name: "build", Comments: []string{"stage \x1b[31mred\x1b[0m\ttab"}, Steps: []Step{{Name: "sh", Image: "alpine:3.20", Script: "make"}}}}}, convert.Options{}},
		"minimal": {&Pipeline{Name: "min", FileStem: "Jenkinsfile.release", Runs: []Run{{Name: "push"}}, Tasks: []*Task{{Name: "build", Steps: []Step{{Name: "sh", Image: "alpine:3.20", Script: "make"}}}}}, convert.Options{}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			files, err := Emit("repo", c.p, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			for _, f := range files {
				if err := validate.Documents(f.Path, f.Data); err != nil {
					t.Errorf("invalid output: %v", err)
				}
				got.WriteString("=== " + filepath.ToSlash(f.Path) + "\n")
				got.Write(f.Data)
			}
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from %s (run with -update):\n%s", golden, got.String())
			}
		})
	}
}

func TestEmitDeterministic(t *testing.T) {
	a, err := Emit("x", fullModel(), convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Emit("x", fullModel(), convert.Options{})
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) {
			t.Fatalf("%s differs between runs", a[i].Path)
		}
	}
}

// TestSharedKeysUnchanged: Emit leaves the key nodes every document shares as they were made.
func TestSharedKeysUnchanged(t *testing.T) {
	if _, err := Emit("x", fullModel(), convert.Options{}); err != nil {
		t.Fatal(err)
	}
	for key, n := range sharedKeys() {
		if want := str(key); !reflect.DeepEqual(n, want) {
			t.Errorf("shared key %q is now %+v", key, *n)
		}
	}
}

func TestEmitErrors(t *testing.T) {
	tests := []struct {
		name string
		p    *Pipeline
		want string
	}{
		{"no name", &Pipeline{}, "pipeline has no name"},
		{"no tasks", &Pipeline{Name: "p"}, `pipeline "p" has no tasks`},
		{"empty task", &Pipeline{Name: "p", Tasks: []*Task{{Name: "t"}}}, `task "t" has neither steps nor a catalog reference`},
		{"duplicate run", &Pipeline{Name: "p", Tasks: []*Task{{Name: "t", Steps: []Step{{Name: "s", Image: "a:1", Script: "x"}}}}, Runs: []Run{{Name: "push"}, {Name: "Push"}}}, `two PipelineRuns named "push"`},
	}
	for _, tt := range tests {
		_, err := Emit("d", tt.p, convert.Options{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestSanitizeAndNamer(t *testing.T) {
	for in, want := range map[string]string{
		"Build & Test": "build-test", "  ": "unnamed", "1st": "t-1st", "UPPER_case": "upper-case",
		"a-very-long-name-that-goes-on-and-on-and-on-beyond-the-sixty-three-limit":     "a-very-long-name-that-goes-on-and-on-and-on-beyond-the-s-2ee640",
		"a-very-long-name-that-goes-on-and-on-and-on-beyond-the-sixty-three-limit-too": "a-very-long-name-that-goes-on-and-on-and-on-beyond-the-s-b4934e",
	} {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("p", 63)
	if got := runName(long, "pull-request"); len(got) != 63 || !strings.HasSuffix(got, "-pull-request") {
		t.Errorf("runName = %q", got)
	}
	if got := runName("app", "push"); got != "app-push" {
		t.Errorf("runName = %q", got)
	}
	n := NewNamer("fetch-source", "build-3")
	got := []string{n.Name("Fetch Source"), n.Name("build"), n.Name("Build"), n.Name("build"), n.Name("build-2"), n.Name("build")}
	want := []string{"fetch-source-2", "build", "build-2", "build-4", "build-2-2", "build-5"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("name %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestHoistEnv(t *testing.T) {
	a, b := Env{Name: "A", Value: "1"}, Env{Name: "B", Value: "2"}
	ref := Env{Name: "C", Value: "$(B)/x"}
	tests := []struct {
		name      string
		steps     [][]Env
		hoisted   []Env
		remaining [][]Env
	}{
		{"common prefix", [][]Env{{a, b}, {a, b, {Name: "C", Value: "3"}}}, []Env{a, b}, [][]Env{nil, {{Name: "C", Value: "3"}}}},
		{"prefix only", [][]Env{{a, b}, {b, a}}, nil, [][]Env{{a, b}, {b, a}}},
		{"kept when a remaining entry reads it", [][]Env{{a, b, ref}, {a, b, ref, {Name: "D", Value: "$(B)"}}}, []Env{a}, [][]Env{{b, ref}, {b, ref, {Name: "D", Value: "$(B)"}}}},
		{"one step", [][]Env{{a}}, nil, [][]Env{{a}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := &Task{}
			for _, env := range tt.steps {
				task.Steps = append(task.Steps, Step{Env: env})
			}
			task.HoistEnv()
			if !reflect.DeepEqual(task.Env, tt.hoisted) {
				t.Errorf("hoisted %v, want %v", task.Env, tt.hoisted)
			}
			for i, s := range task.Steps {
				if len(s.Env) != len(tt.remaining[i]) || len(s.Env) > 0 && !reflect.DeepEqual(s.Env, tt.remaining[i]) {
					t.Errorf("step %d keeps %v, want %v", i, s.Env, tt.remaining[i])
				}
			}
		})
	}
}
