package convert

import "os"

// Changes compares output files with what is on disk, as Run does for each outcome; callers
// that rewrite a batch's outputs afterwards (convert --consolidate) recompute them with it.
func Changes(src Source, files []File) ([]Change, error) {
	info, err := os.Stat(src.Path)
	if err != nil {
		info = nil // stdin, or a source gone since: nothing to compare the write against
	}
	return changes(src, info, files)
}
