package convert

import (
	"io"
	"os"
)

// ReadYAML reads every YAML file under paths as the commands that take Tekton YAML do (lint,
// graph, simulate): a directory is walked as convert walks it, "-" is stdin, and each file is
// read within maxSize and handed to add. Unreadable paths are returned; the rest are still read.
func ReadYAML(paths []string, maxSize int64, stdin io.Reader, add func(path string, data []byte)) []error {
	var errs []error
	read := func(path string, r io.Reader) {
		data, err := ReadLimited(path, r, maxSize)
		if err != nil {
			errs = append(errs, err)
			return
		}
		add(path, data)
	}
	open := func(path string) {
		f, err := os.Open(path)
		if err != nil {
			errs = append(errs, err)
			return
		}
		defer f.Close()
		read(path, f)
	}
	for _, p := range paths {
		if p == "-" {
			read(StdinPath, stdin)
			continue
		}
		st, err := os.Stat(p)
		switch {
		case err != nil:
			errs = append(errs, err)
		case !st.IsDir():
			open(p)
		default:
			if err := Walk(p, func(path string) {
				if IsYAML(path) {
					open(path)
				}
			}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}
