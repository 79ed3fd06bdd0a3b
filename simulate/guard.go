package simulate

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/tektoncd/pipeline/pkg/apis/pipeline"
	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
)

// Result origins, as the report states them.
const (
	ResultComputed    = "computed"    // a tkn-migrate when guard, run with sh for the event
	ResultGiven       = "given"       // --result
	ResultPlaceholder = "placeholder" // "<task>.<result>"
)

// guardScript is the script jenkins/when.go writes for a when guard task, after Tekton
// substituted $(results.run.path): the condition is group 1.
var guardScript = regexp.MustCompile(`^if (.+); then run=true; else run=false; fi\necho "stage (?:[^"\\$` + "`" + `]|\\.)* runs: \$run"\nprintf %s "\$run" > "` +
	regexp.QuoteMeta(pipeline.DefaultResultPath) + `/run"\n$`)

// guardAtom is one test the converter composes a guard condition from (jenkins/when.go
// condition, match and compare); nothing else may appear, so only these ever run.
var guardAtom = func() *regexp.Regexp {
	v := `"\$[A-Za-z_][A-Za-z0-9_]*"`
	sq := `'(?:[^']|'\\'')*'`
	return regexp.MustCompile(strings.Join([]string{
		`printf '%s' ` + v + ` \| grep -Ei?qx ` + sq,
		`\[ ` + v + ` !?= ` + sq + ` \]`,
		`\[ -n ` + v + ` \]`,
		`\[ "\$\(printf '%s' ` + v + ` \| tr A-Z a-z\)" = ` + sq + ` \]`,
		`true`, `false`,
	}, "|"))
}()

// guardGlue is what may join the atoms: grouping, negation and && / ||.
var guardGlue = regexp.MustCompile(`^[{};!&| ]*$`)

// guardCondition returns the condition of a when guard the converter generated, if ts
// is one whose condition reads only its env (a fileExists test needs the workspace's
// files, which the simulation does not have).
func guardCondition(ts *v1.TaskSpec) (string, bool) {
	if ts == nil || len(ts.Results) != 1 || ts.Results[0].Name != "run" || len(ts.Steps) != 1 || ts.Steps[0].Name != "evaluate" {
		return "", false
	}
	m := guardScript.FindStringSubmatch(ts.Steps[0].Script)
	if m == nil || !guardGlue.MatchString(guardAtom.ReplaceAllString(m[1], "")) {
		return "", false
	}
	for _, e := range ts.Steps[0].Env {
		if e.ValueFrom != nil {
			return "", false
		}
	}
	return m[1], true
}

// runGuard runs a generated when guard's script with sh, as its step runs in the Pod:
// the step's env after Tekton's substitution, an empty working directory. ok is false
// when it is not such a guard, or sh fails, so its result stays a placeholder.
func runGuard(ts *v1.TaskSpec) (value string, ok bool) {
	if _, ok := guardCondition(ts); !ok {
		return "", false
	}
	dir, err := os.MkdirTemp("", "tkn-migrate-guard-")
	if err != nil {
		return "", false
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "run")
	st := ts.Steps[0]
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", strings.ReplaceAll(st.Script, pipeline.DefaultResultPath+"/run", out))
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for _, e := range st.Env {
		cmd.Env = append(cmd.Env, e.Name+"="+e.Value)
	}
	if cmd.Run() != nil {
		return "", false
	}
	b, err := os.ReadFile(out)
	return string(b), err == nil
}
