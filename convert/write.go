package convert

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// tempMarker names the temporary files of a write: .NAME.tkn-migrate-RANDOM beside NAME.
const tempMarker = ".tkn-migrate-"

// fileOps are the calls that make a write durable, in one place so a test can see their order
// and fail any of them; only this file uses them.
var fileOps = struct {
	write  func(f *os.File, b []byte) (int, error)
	sync   func(f *os.File) error // a file or a directory
	rename func(from, to string) error
}{(*os.File).Write, (*os.File).Sync, os.Rename}

// staleAge is how old a temporary file must be before a later run removes it as left by a kill.
const staleAge = time.Minute

// WriteFile replaces path atomically with the given mode: a temporary file beside it is
// written and fsynced, renamed over path, and the directory is fsynced, so a crash leaves
// the old file or the new one. It refuses to write through a symlink, so a crafted tree
// can't redirect writes outside itself.
func WriteFile(path string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, p := range []string{dir, path} {
		if st, err := os.Lstat(p); err == nil && st.Mode()&fs.ModeSymlink != 0 {
			return Errorf(path, 0, 0, "refusing to write through symlink %s", p)
		}
	}
	return replace(path, data, mode, nil)
}

// replace writes data to a temporary file beside path, gives it mode (and the owner of old,
// when set), fsyncs it, renames it over path and fsyncs the directory.
func replace(path string, data []byte, mode fs.FileMode, old fs.FileInfo) error {
	dir := filepath.Dir(path)
	cleanStale(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+tempMarker+"*")
	if err != nil {
		return writeErr(path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	fail := func(err error) error {
		tmp.Close()
		return writeErr(path, err)
	}
	if _, err := fileOps.write(tmp, data); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if old != nil {
		if st, ok := old.Sys().(*syscall.Stat_t); ok && (int(st.Uid) != os.Geteuid() || int(st.Gid) != os.Getegid()) {
			if err := tmp.Chown(int(st.Uid), int(st.Gid)); err != nil {
				tmp.Close()
				return Errorf(path, 0, 0, "not written: it belongs to uid %d gid %d, and the new file could not keep that owner (%v)", st.Uid, st.Gid, err)
			}
		}
	}
	if err := fileOps.sync(tmp); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return writeErr(path, err)
	}
	if err := fileOps.rename(tmp.Name(), path); err != nil {
		return writeErr(path, err)
	}
	return syncDir(path)
}

// syncDir makes the rename of path durable. The new content is in place by then, so a
// failure says so rather than "not written".
func syncDir(path string) error {
	d, err := os.Open(filepath.Dir(path))
	if err == nil {
		defer d.Close()
		err = fileOps.sync(d)
	}
	if err != nil && !errors.Is(err, syscall.EINVAL) { // some file systems can't sync a directory
		var fe *fs.PathError
		if errors.As(err, &fe) {
			err = fe.Err
		}
		return Errorf(path, 0, 0, "written, but its directory could not be synced (%v): a crash now may bring back the old file", err)
	}
	return nil
}

// cleanStale removes the temporary files an earlier, killed run left beside path.
func cleanStale(path string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+globEscape(filepath.Base(path))+tempMarker+"*"))
	for _, m := range matches {
		if st, err := os.Lstat(m); err == nil && st.Mode().IsRegular() && time.Since(st.ModTime()) > staleAge {
			os.Remove(m)
		}
	}
}

func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// writeErr positions an I/O error on the file it is about.
func writeErr(path string, err error) error {
	var pe *PosError
	if errors.As(err, &pe) {
		return err
	}
	var fe *fs.PathError
	if errors.As(err, &fe) {
		err = fe.Err
	}
	return Errorf(path, 0, 0, "not written: %v", err)
}

// WriteChange writes one change of -w. It refuses a file that changed on disk since it was
// read (the edit would be lost), a read-only file unless force, and a file with several hard
// links unless force (then it is rewritten in place, which keeps the links and the owner).
func WriteChange(c Change, force bool) error {
	st, err := os.Lstat(c.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !c.Created {
			return Errorf(c.Path, 0, 0, "not written: the file was removed after it was read")
		}
		return WriteFile(c.Path, c.New, c.Mode)
	case err != nil:
		return writeErr(c.Path, err)
	case c.Created:
		return Errorf(c.Path, 0, 0, "not written: the file was created after the batch started; run again")
	case st.Mode()&fs.ModeSymlink != 0:
		return Errorf(c.Path, 0, 0, "refusing to write through symlink %s", c.Path)
	case !st.Mode().IsRegular():
		return Errorf(c.Path, 0, 0, "not written: not a regular file")
	}
	if changedSince(c, st) {
		return Errorf(c.Path, 0, 0, "not written: the file changed on disk after it was read; run again to convert the new content")
	}
	if st.Mode().Perm()&0o222 == 0 && !force {
		return Errorf(c.Path, 0, 0, "not written: the file is read-only; use --force to replace it")
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Nlink > 1 {
		if !force {
			return Errorf(c.Path, 0, 0, "not written: the file has %d hard links, which a replacement would break; use --force to rewrite it in place", sys.Nlink)
		}
		return rewrite(c.Path, c.New)
	}
	return replace(c.Path, c.New, c.Mode, st)
}

// changedSince reports a file whose size, modification time or content differ from when it was read.
func changedSince(c Change, now fs.FileInfo) bool {
	if c.Read != nil && (c.Read.Size() != now.Size() || !c.Read.ModTime().Equal(now.ModTime())) {
		return true
	}
	cur, err := os.ReadFile(c.Path)
	return err != nil || !bytes.Equal(cur, c.Old)
}

// rewrite replaces a file's content in place (same inode: hard links and owner stay).
func rewrite(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return writeErr(path, err)
	}
	if _, err := fileOps.write(f, data); err != nil {
		f.Close()
		return writeErr(path, err)
	}
	if err := fileOps.sync(f); err != nil {
		f.Close()
		return writeErr(path, err)
	}
	if err := f.Close(); err != nil {
		return writeErr(path, err)
	}
	return nil
}

// WriteUnder writes rel under dir (-o DIR). Directories are created one by one, and a symlink
// met on the way may only lead to somewhere inside dir: no output lands outside it.
func WriteUnder(dir, rel string, data []byte) error {
	dst := filepath.Join(dir, rel)
	if !filepath.IsLocal(rel) {
		return Errorf(dst, 0, 0, "not written: %s leaves the output directory", rel)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return writeErr(dir, err)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return writeErr(dir, err)
	}
	cur := root
	parts := strings.Split(filepath.Dir(rel), string(filepath.Separator))
	for _, p := range parts {
		if p == "." || p == "" {
			continue
		}
		next := filepath.Join(cur, p)
		st, err := os.Lstat(next)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(next, 0o755); err != nil {
				return writeErr(dst, err)
			}
		case err != nil:
			return writeErr(dst, err)
		case st.Mode()&fs.ModeSymlink != 0:
			real, err := filepath.EvalSymlinks(next)
			if err != nil {
				return writeErr(dst, err)
			}
			if r, err := filepath.Rel(root, real); err != nil || !filepath.IsLocal(r) {
				return Errorf(dst, 0, 0, "not written: %s is a symlink out of the output directory", next)
			}
			next = real
		}
		cur = next
	}
	return WriteFile(filepath.Join(cur, filepath.Base(rel)), data, 0o644)
}
