package convert

// Changes compares output files with what is on disk, as Run does for each outcome; callers
// that rewrite a batch's outputs afterwards (convert --consolidate) recompute them with it.
func Changes(src Source, files []File) ([]Change, error) { return changes(src, files) }
