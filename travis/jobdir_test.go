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

// TestJobParentPrivate: what two cells of one matrix put beside their checkout (an
// out-of-source ../build) stays their own, as on Travis's separate VMs.
func TestJobParentPrivate(t *testing.T) {
	p := model(t, `language: shell
env:
  - A=1
  - A=2
script:
  - mkdir -p ../build && echo "$A" >> ../build/out.txt
  - cp ../build/out.txt seen.txt
`)
	job := p.Tasks[0]
	if job.Matrix == nil || len(job.Matrix.Include) != 2 {
		t.Fatal("want one matrix task of 2 cells")
	}
	dir := workdir(t)
	for _, in := range job.Matrix.Include {
		vars := map[string]string{}
		for _, b := range in.Params {
			vars["$(params."+b.Name+")"] = b.Value
		}
		if code, out := runStepWith(t, dir, job.Steps[0], "", vars); code != 0 {
			t.Fatalf("cell %s: exit %d\n%s", in.Name, code, out)
		}
	}
	seen, err := filepath.Glob(jobPath(dir, job.Name+"-*", "seen.txt"))
	if err != nil || len(seen) != 2 {
		t.Fatalf("want 2 job directories, got %v (%v)", seen, err)
	}
	got := read(t, seen[0]) + "," + read(t, seen[1])
	if got != "1,2" && got != "2,1" {
		t.Errorf("../build of each cell held %q: want only the cell's own line", got)
	}
}
