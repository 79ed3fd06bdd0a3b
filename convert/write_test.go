package convert

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readChange is the Change -w makes of a file read now, to be replaced by data.
func readChange(t *testing.T, path, data string) Change {
	t.Helper()
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return Change{Path: path, Old: old, New: []byte(data), Mode: st.Mode().Perm(), Read: st}
}

func content(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWritesAreSafe(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "t.yaml")

	t.Run("stale temp files of a killed run are removed, fresh ones kept", func(t *testing.T) {
		write(t, p, "old\n")
		stale := filepath.Join(dir, ".t.yaml.tkn-migrate-123")
		fresh := filepath.Join(dir, ".t.yaml.tkn-migrate-456")
		write(t, stale, "half")
		write(t, fresh, "half")
		past := time.Now().Add(-time.Hour)
		if err := os.Chtimes(stale, past, past); err != nil {
			t.Fatal(err)
		}
		if err := WriteChange(readChange(t, p, "new\n"), false); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(stale); err == nil {
			t.Error("stale temp file left")
		}
		if _, err := os.Stat(fresh); err != nil {
			t.Error("a temp file another run may be writing was removed")
		}
		os.Remove(fresh)
		if got := content(t, p); got != "new\n" {
			t.Errorf("content %q", got)
		}
	})

	t.Run("a file changed on disk after it was read is not overwritten", func(t *testing.T) {
		write(t, p, "old\n")
		c := readChange(t, p, "new\n")
		write(t, p, "edited meanwhile\n")
		err := WriteChange(c, true)
		if err == nil || err.Error() != p+": not written: the file changed on disk after it was read; run again to convert the new content" {
			t.Fatalf("got %v", err)
		}
		if got := content(t, p); got != "edited meanwhile\n" {
			t.Errorf("the edit was lost: %q", got)
		}
		// Same size and content restored but a new mtime: still refused (mtime, size and hash all count).
		write(t, p, "old\n")
		c = readChange(t, p, "new\n")
		later := time.Now().Add(time.Hour)
		if err := os.Chtimes(p, later, later); err != nil {
			t.Fatal(err)
		}
		if err := WriteChange(c, false); err == nil {
			t.Error("a touched file was overwritten")
		}
		// New content of the same size under the old mtime: the content alone refuses it.
		write(t, p, "old\n")
		c = readChange(t, p, "new\n")
		write(t, p, "odd\n")
		if err := os.Chtimes(p, c.Read.ModTime(), c.Read.ModTime()); err != nil {
			t.Fatal(err)
		}
		if err := WriteChange(c, false); err == nil {
			t.Error("a file with new content of the same size and mtime was overwritten")
		}
		if got := content(t, p); got != "odd\n" {
			t.Errorf("the edit was lost: %q", got)
		}
	})

	t.Run("read-only files are refused unless forced, and keep their mode", func(t *testing.T) {
		write(t, p, "old\n")
		if err := os.Chmod(p, 0o444); err != nil {
			t.Fatal(err)
		}
		c := readChange(t, p, "new\n")
		err := WriteChange(c, false)
		if err == nil || err.Error() != p+": not written: the file is read-only; use --force to replace it" {
			t.Fatalf("got %v", err)
		}
		if err := WriteChange(c, true); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(p)
		if got := content(t, p); got != "new\n" || st.Mode().Perm() != 0o444 {
			t.Errorf("content %q mode %v", got, st.Mode().Perm())
		}
		os.Chmod(p, 0o644)
	})

	t.Run("hard links are refused unless forced, then kept", func(t *testing.T) {
		write(t, p, "old\n")
		other := filepath.Join(dir, "other.yaml")
		os.Remove(other)
		if err := os.Link(p, other); err != nil {
			t.Fatal(err)
		}
		c := readChange(t, p, "new\n")
		err := WriteChange(c, false)
		if err == nil || err.Error() != p+": not written: the file has 2 hard links, which a replacement would break; use --force to rewrite it in place" {
			t.Fatalf("got %v", err)
		}
		if err := WriteChange(c, true); err != nil {
			t.Fatal(err)
		}
		if got := content(t, other); got != "new\n" {
			t.Errorf("the other link holds %q", got)
		}
		os.Remove(other)
	})

	t.Run("the owner is kept", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("needs root to give a file another owner")
		}
		write(t, p, "old\n")
		if err := os.Chown(p, 1234, 5678); err != nil {
			t.Fatal(err)
		}
		if err := WriteChange(readChange(t, p, "new\n"), false); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(p)
		sys := st.Sys().(*syscall.Stat_t)
		if sys.Uid != 1234 || sys.Gid != 5678 {
			t.Errorf("owner %d:%d", sys.Uid, sys.Gid)
		}
	})

	t.Run("a symlink is never written through", func(t *testing.T) {
		target := filepath.Join(dir, "target.yaml")
		link := filepath.Join(dir, "link.yaml")
		write(t, target, "old\n")
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		c := readChange(t, link, "new\n")
		if err := WriteChange(c, true); err == nil || !strings.Contains(err.Error(), "refusing to write through symlink") {
			t.Fatalf("got %v", err)
		}
		if got := content(t, target); got != "old\n" {
			t.Errorf("target written: %q", got)
		}
	})
}

// TestOutputDirNeverEscapes: -o DIR writes only inside DIR, whatever symlinks DIR holds.
func TestOutputDirNeverEscapes(t *testing.T) {
	out := t.TempDir()
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(out, "esc")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(out, "in"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(out, "in"), filepath.Join(out, "alias")); err != nil {
		t.Fatal(err)
	}
	err := WriteUnder(out, "esc/x/.tekton/p.yaml", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "is a symlink out of the output directory") {
		t.Fatalf("got %v", err)
	}
	if err := WriteUnder(out, "../p.yaml", []byte("x")); err == nil {
		t.Fatal("a path with .. was written")
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 0 {
		t.Fatalf("wrote outside DIR: %v", entries)
	}
	if err := WriteUnder(out, "alias/.tekton/p.yaml", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if got := content(t, filepath.Join(out, "in", ".tekton", "p.yaml")); got != "x" {
		t.Errorf("got %q", got)
	}
}

// TestWalkSkipsOutputDir: an -o DIR inside the tree is not read back as input.
func TestWalkSkipsOutputDir(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.yaml"), "apiVersion: tekton.dev/v1beta1\nkind: Task\n")
	write(t, filepath.Join(dir, "out", "a.yaml"), "apiVersion: tekton.dev/v1\nkind: Task\n")
	e := &Engine{Skip: []string{filepath.Join(dir, "out")}}
	ins, errs := e.Inputs([]string{dir})
	if len(errs) > 0 || len(ins) != 1 || ins[0].Path != filepath.Join(dir, "a.yaml") {
		t.Fatalf("inputs %v errors %v", ins, errs)
	}
}

// TestSpecialFilesNeverBlock: a FIFO named on the command line or met in a walk is an error
// and is never opened (opening a FIFO blocks until a writer comes).
func TestSpecialFilesNeverBlock(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	write(t, filepath.Join(dir, "a.yaml"), "apiVersion: tekton.dev/v1beta1\nkind: Task\n")
	want := "DIR/pipe.yaml: a named pipe (FIFO) is not a regular file; skipped\nDIR/pipe.yaml: a named pipe (FIFO) is not a regular file; skipped"
	if got := inputErrors(t, dir, fifo, dir); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestUnreadableInputInWalk: a .yaml the walk can't open is an error, not a silent skip.
func TestUnreadableInputInWalk(t *testing.T) {
	if !unprivileged(t) {
		return
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "a.yaml")
	write(t, p, "apiVersion: tekton.dev/v1beta1\nkind: Task\n")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	_, errs := (&Engine{}).Inputs([]string{dir})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "permission denied") {
		t.Fatalf("got %v", errs)
	}
}

// TestFullDiskFailsThatFileAlone: on a full file system -w gives a positioned error, and the old
// file and the directory are left as they were (no half-written file, no temporary file).
func TestFullDiskFailsThatFileAlone(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=16k"); err != nil {
		t.Skip("cannot mount a small file system here:", err)
	}
	defer syscall.Unmount(dir, 0)
	p := filepath.Join(dir, "t.yaml")
	write(t, p, "old\n")
	err := WriteChange(readChange(t, p, strings.Repeat("x", 64<<10)), false)
	if err == nil || err.Error() != p+": not written: no space left on device" {
		t.Fatalf("got %v", err)
	}
	if got := content(t, p); got != "old\n" {
		t.Errorf("old file now %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// recordOps makes fileOps log each call (temporary names as .NAME.tkn-migrate-*) and check the
// disk at that moment, failing the calls fail picks; it restores fileOps when t ends.
func recordOps(t *testing.T, dir string, fail func(call string) error) *[]string {
	t.Helper()
	saved := fileOps
	t.Cleanup(func() { fileOps = saved })
	var log []string
	name := func(p string) string {
		if p == dir {
			return "DIR"
		}
		base := filepath.Base(p)
		if i := strings.Index(base, tempMarker); i >= 0 {
			return base[:i+len(tempMarker)] + "*"
		}
		return base
	}
	call := func(c string) error {
		log = append(log, c)
		if fail != nil {
			return fail(c)
		}
		return nil
	}
	fileOps.write = func(f *os.File, b []byte) (int, error) {
		if err := call("write " + name(f.Name())); err != nil {
			return 0, err
		}
		return saved.write(f, b)
	}
	fileOps.sync = func(f *os.File) error {
		if err := call("sync " + name(f.Name())); err != nil {
			return err
		}
		return saved.sync(f)
	}
	fileOps.rename = func(from, to string) error {
		if err := call("rename " + name(from) + " " + name(to)); err != nil {
			return err
		}
		return saved.rename(from, to)
	}
	return &log
}

// TestWritesAreDurable: -w writes the temporary file, fsyncs it, renames it over the file and
// fsyncs the directory, in that order, so a crash leaves the old file or the whole new one; a
// failed fsync of the file leaves the old file and no temporary file, with a positioned error.
func TestWritesAreDurable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "t.yaml")
	entries := func() string {
		es, _ := os.ReadDir(dir)
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return strings.Join(names, " ")
	}

	t.Run("order", func(t *testing.T) {
		write(t, p, "old\n")
		// What the disk holds at each call: the temporary file whole before its fsync, the
		// old file until the rename, the new one at the directory's fsync.
		var seen []string
		log := recordOps(t, dir, func(c string) error {
			tmps, _ := filepath.Glob(filepath.Join(dir, ".t.yaml"+tempMarker+"*"))
			state := content(t, p)
			if len(tmps) == 1 {
				state += "+" + content(t, tmps[0])
			}
			seen = append(seen, c+": "+strings.ReplaceAll(state, "\n", `\n`))
			return nil
		})
		if err := WriteChange(readChange(t, p, "new\n"), false); err != nil {
			t.Fatal(err)
		}
		want := "write .t.yaml.tkn-migrate-*: old\\n+\n" +
			"sync .t.yaml.tkn-migrate-*: old\\n+new\\n\n" +
			"rename .t.yaml.tkn-migrate-* t.yaml: old\\n+new\\n\n" +
			"sync DIR: new\\n"
		if got := strings.Join(seen, "\n"); got != want {
			t.Errorf("calls\n%s\nwant\n%s", got, want)
		}
		if len(*log) != 4 || content(t, p) != "new\n" || entries() != "t.yaml" {
			t.Errorf("log %q, content %q, entries %q", *log, content(t, p), entries())
		}
	})

	t.Run("a hard-linked file rewritten in place is fsynced", func(t *testing.T) {
		write(t, p, "old\n")
		other := filepath.Join(dir, "other.yaml")
		if err := os.Link(p, other); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(other)
		log := recordOps(t, dir, nil)
		if err := WriteChange(readChange(t, p, "new\n"), true); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(*log, "\n"); got != "write t.yaml\nsync t.yaml" {
			t.Errorf("calls\n%s", got)
		}
	})

	t.Run("a failed fsync of the file leaves the old file", func(t *testing.T) {
		write(t, p, "old\n")
		log := recordOps(t, dir, func(c string) error {
			if c == "sync .t.yaml.tkn-migrate-*" {
				return &fs.PathError{Op: "sync", Path: "x", Err: syscall.EIO}
			}
			return nil
		})
		err := WriteChange(readChange(t, p, "new\n"), false)
		if err == nil || err.Error() != p+": not written: input/output error" {
			t.Fatalf("got %v", err)
		}
		if got := strings.Join(*log, "\n"); got != "write .t.yaml.tkn-migrate-*\nsync .t.yaml.tkn-migrate-*" {
			t.Errorf("calls after the failure:\n%s", got)
		}
		if got := content(t, p); got != "old\n" || entries() != "t.yaml" {
			t.Errorf("content %q, entries %q", got, entries())
		}
	})

	// The new file is in place when the directory's fsync fails: the error says so. A file
	// system that can't fsync a directory at all (EINVAL) is no error.
	for errno, want := range map[syscall.Errno]string{
		syscall.EIO:    p + ": written, but its directory could not be synced (input/output error): a crash now may bring back the old file",
		syscall.EINVAL: "<nil>",
	} {
		t.Run("a failed fsync of the directory: "+errno.Error(), func(t *testing.T) {
			write(t, p, "old\n")
			recordOps(t, dir, func(c string) error {
				if c == "sync DIR" {
					return &fs.PathError{Op: "sync", Path: dir, Err: errno}
				}
				return nil
			})
			if err := WriteChange(readChange(t, p, "new\n"), false); fmt.Sprint(err) != want {
				t.Errorf("got %v\nwant %s", err, want)
			}
			if got := content(t, p); got != "new\n" || entries() != "t.yaml" {
				t.Errorf("content %q, entries %q", got, entries())
			}
		})
	}
}
