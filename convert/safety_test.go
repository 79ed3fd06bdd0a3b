package convert

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSocketsAndDevicesNeverBlock: a socket or a device, named on the command line or met in a
// walk, is an error naming what it is and is never opened (a device may never end).
func TestSocketsAndDevicesNeverBlock(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(dir, "s.yaml"))
	if err != nil {
		t.Skip("no unix sockets here:", err)
	}
	defer l.Close()
	named := []string{"/dev/zero", dir}
	want := "/dev/zero: a device is not a regular file; skipped"
	if err := syscall.Mknod(filepath.Join(dir, "zero.yaml"), syscall.S_IFCHR|0o644, 1<<8|5); err == nil {
		want += "\nDIR/s.yaml: a socket is not a regular file; skipped\nDIR/zero.yaml: a device is not a regular file; skipped"
	} else {
		want += "\nDIR/s.yaml: a socket is not a regular file; skipped" // no mknod without root
	}
	write(t, filepath.Join(dir, "a.yaml"), "apiVersion: tekton.dev/v1beta1\nkind: Task\n")
	if got := inputErrors(t, dir, named...); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// inputErrors lists the errors Inputs gives for paths (dir written DIR), failing the test if
// Inputs blocks.
func inputErrors(t *testing.T, dir string, paths ...string) string {
	t.Helper()
	done := make(chan []error)
	go func() {
		_, errs := (&Engine{}).Inputs(paths)
		done <- errs
	}()
	select {
	case errs := <-done:
		var got []string
		for _, err := range errs {
			got = append(got, strings.ReplaceAll(err.Error(), dir, "DIR"))
		}
		return strings.Join(got, "\n")
	case <-time.After(10 * time.Second):
		t.Fatal("Inputs blocked")
	}
	return ""
}

// panicky is a front-end whose Index panics on "index-panic" and Convert on "convert-panic".
type panicky struct{ upper }

func (p *panicky) Index(src Source) error {
	if strings.Contains(string(src.Data), "index-panic") {
		panic("index boom")
	}
	return nil
}

func (p *panicky) Convert(src Source, o Options) (Result, error) {
	if strings.Contains(string(src.Data), "convert-panic") {
		panic("convert boom")
	}
	return p.upper.Convert(src, o)
}

// TestAPanicFailsThatFileAlone: a panic while indexing (the main goroutine) or converting (a
// worker) fails that input with an internal error; the inputs around it convert.
func TestAPanicFailsThatFileAlone(t *testing.T) {
	dir := t.TempDir()
	var ins []Input
	for _, c := range []struct{ name, data string }{
		{"1.yaml", strings.Replace(validTask, "name: t", "name: x", 1)},
		{"2.yaml", validTask + "# index-panic\n"},
		{"3.yaml", validTask + "# convert-panic\n"},
		{"4.yaml", strings.Replace(validTask, "name: t", "name: x", 1)},
	} {
		p := filepath.Join(dir, c.name)
		write(t, p, c.data)
		ins = append(ins, Input{Path: p, Kind: KindTekton})
	}
	e := &Engine{Converters: map[Kind]Converter{KindTekton: &panicky{}}, Workers: 2}
	var got []string
	if err := e.Run(ins, func(o *Outcome) error {
		line := filepath.Base(o.Source.Path) + ":"
		if o.Err != nil {
			line += " " + strings.ReplaceAll(o.Err.Error(), dir+"/", "")
		}
		for range o.Changes {
			line += " changed"
		}
		got = append(got, line)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := "1.yaml: changed\n2.yaml: 2.yaml: internal error, please report it: index boom\n3.yaml: 3.yaml: internal error, please report it: convert boom\n4.yaml: changed"
	if strings.Join(got, "\n") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

// TestReadOnlyDirectoryFailsThatFileAlone: -w in a directory it may not write fails that file
// with a positioned error; the old file and the directory stay as they were.
func TestReadOnlyDirectoryFailsThatFileAlone(t *testing.T) {
	if !unprivileged(t) {
		return
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "t.yaml")
	write(t, p, "old\n")
	c := readChange(t, p, "new\n")
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	if err := WriteChange(c, true); err == nil || err.Error() != p+": not written: permission denied" {
		t.Fatalf("got %v", err)
	}
	if got := content(t, p); got != "old\n" {
		t.Errorf("old file now %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// unprivilegedEnv names the test a copy of the test binary runs as uid 65534.
const unprivilegedEnv = "TKN_MIGRATE_UNPRIVILEGED_TEST"

// unprivileged reports whether the calling test's body should run in this process. Root
// bypasses the permission checks such a test is about, so as root the test instead runs in a
// copy of this test binary as uid and gid 65534 (nobody), and passes only if it passed there.
func unprivileged(t *testing.T) bool {
	t.Helper()
	if os.Getenv(unprivilegedEnv) == t.Name() {
		if os.Geteuid() == 0 {
			t.Fatal("the copy still runs as root")
		}
		return true
	}
	if os.Geteuid() != 0 {
		return true
	}
	exe, err := os.Open("/proc/self/exe") // the copy execs it through its fd: no directory on the way needs to be readable by nobody
	if err != nil {
		t.Skip("can't reopen the test binary to run it unprivileged:", err)
	}
	defer exe.Close()
	// Its own temporary directories go in one nobody may write (t.TempDir's parent is root's alone).
	tmp, err := os.MkdirTemp("", "tkn-migrate-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	if err := os.Chmod(tmp, 0o777); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/proc/self/fd/3", "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1", "-test.v")
	cmd.ExtraFiles = []*os.File{exe}
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), unprivilegedEnv+"="+t.Name(), "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err != nil && !errors.As(err, &exit):
		t.Skip("can't run the test as uid 65534 here:", err)
	case err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()+" "):
		t.Fatalf("as uid 65534: %v\n%s", err, out)
	}
	return false
}
