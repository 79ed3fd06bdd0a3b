package convert

import (
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile replaces path atomically (temp file, then rename) with the given mode.
// It refuses to write through a symlink, so a crafted tree can't redirect writes outside itself.
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
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tkn-migrate-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
