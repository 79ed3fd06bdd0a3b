package travis

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestJobCopyOwnedByJobUser: git-clone leaves the checkout owned by UID 65532 while job
// images run as root; the job's copy belongs to the job's user, so git works in it.
func TestJobCopyOwnedByJobUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the clone another owner")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not found")
	}
	dir := t.TempDir()
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
	p := model(t, "language: shell\nscript: git log --format=%s > log.txt\n")
	if code, out := runStep(t, dir, p.Tasks[0].Steps[0], ""); code != 0 {
		t.Fatalf("job exit %d\n%s", code, out)
	}
	if got := read(t, jobPath(dir, p.Tasks[0].Name, "log.txt")); got != "first" {
		t.Errorf("git log in the job's copy: %q", got)
	}
}
