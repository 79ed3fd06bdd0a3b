package travis

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	pconfig "github.com/tektoncd/pipeline/pkg/apis/config"
	resolverconfig "github.com/tektoncd/pipeline/pkg/apis/config/resolver"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestCloneOwnedByCloneUser: the git-clone StepAction leaves the checkout owned by UID
// 65532 while job images run as root; safe.directory (env config) lets git work in it.
func TestCloneOwnedByCloneUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the clone another owner")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not found")
	}
	root := t.TempDir()
	dir := jobPath(root, "")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q"}, {"-c", "user.name=a", "-c", "user.email=a@example.invalid", "commit", "-q", "--allow-empty", "-m", "first"}} {
		if out, err := exec.Command(git, append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, 65532, 65532)
	}); err != nil {
		t.Fatal(err)
	}
	p := model(t, "language: shell\nscript: git log --format=%s > /tmp/log-$$.txt && mv /tmp/log-$$.txt log.txt\n")
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if code, out := runTask(t, root, p.Tasks[0], nil); code != 0 {
		t.Fatalf("task exit %d\n%s", code, out)
	}
	if got := read(t, jobPath(root, "", "log.txt")); got != "first" {
		t.Errorf("git log in the clone: %q", got)
	}
}

// TestNoSharedSource: jobs share no volume: every job task clones with the StepAction
// (through the --catalog-ref mode) and binds no workspace; the runs bind no PVC.
func TestNoSharedSource(t *testing.T) {
	src := convert.Source{Path: "x/.travis.yml", Data: []byte("language: shell\nscript: make\njobs:\n  include:\n    - script: a\n    - stage: deploy\n      script: b\n")}
	for mode, want := range map[string]string{"": "hub", "bundles": "bundles", "git": "git", "cluster": "cluster"} {
		res, err := Converter{}.Convert(src, convert.Options{CatalogRef: catalog.RefMode(mode)})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			text := string(f.Data)
			if strings.Contains(text, "workspaces:") || strings.Contains(text, "volumeClaimTemplate") || strings.Contains(text, "fetch-source") {
				t.Errorf("%s (%s): a shared workspace or checkout task remains", f.Path, mode)
			}
		}
		p := model(t, string(src.Data))
		for _, x := range p.Tasks {
			if len(x.Steps) == 0 || x.Steps[0].Ref == nil {
				t.Fatalf("task %s does not start with a clone step", x.Name)
			}
		}
		if n := strings.Count(string(res.Files[0].Data), "resolver: "+want); n != 2 {
			t.Errorf("--catalog-ref %q: %d clone steps use resolver %s, want 2", mode, n, want)
		}
	}
}

// TestStepActionsOnByDefault: the clone step needs no cluster configuration in tektoncd/pipeline
// v1.15.0: step refs validate at the default enable-api-fields, and every resolver the
// --catalog-ref modes use is enabled by default.
func TestStepActionsOnByDefault(t *testing.T) {
	if pconfig.DefaultEnableAPIFields != pconfig.BetaAPIFields {
		t.Errorf("default enable-api-fields is %q; resolver refs in steps need beta", pconfig.DefaultEnableAPIFields)
	}
	for name, on := range map[string]bool{"hub": resolverconfig.DefaultEnableHubResolver, "bundles": resolverconfig.DefaultEnableBundlesResolver,
		"git": resolverconfig.DefaultEnableGitResolver, "cluster": resolverconfig.DefaultEnableClusterResolver} {
		if !on {
			t.Errorf("the %s resolver is off by default", name)
		}
	}
}
