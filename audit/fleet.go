package audit

import (
	"os"
	"path/filepath"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// Inputs finds the source files of the fleet under paths and the repository of each. Without
// reposIn, a file's repository is the nearest directory holding .git (the engine's scope), or
// the PATH it was found under; with reposIn, each child directory of every PATH is one
// repository. repos[i] is the directory of inputs[i].
func Inputs(e *convert.Engine, paths []string, reposIn bool) (inputs []convert.Input, repos []string, errs []error) {
	wd, _ := os.Getwd()
	for _, p := range paths {
		units := []string{p}
		if reposIn {
			entries, err := os.ReadDir(p)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			units = units[:0]
			for _, en := range entries {
				if en.IsDir() && en.Name() != ".git" {
					units = append(units, filepath.Join(p, en.Name()))
				}
			}
		}
		for _, u := range units {
			ins, ierrs := e.Inputs([]string{u})
			errs = append(errs, ierrs...)
			dir := u
			if st, err := os.Stat(u); err == nil && !st.IsDir() {
				dir = filepath.Dir(u)
			}
			for _, in := range ins {
				repo := dir
				if !reposIn && in.Scope != "" {
					repo = display(wd, in.Scope)
				}
				inputs = append(inputs, in)
				repos = append(repos, filepath.Clean(repo))
			}
		}
	}
	return inputs, repos, errs
}

// display is an absolute directory relative to the working directory, as users name paths.
func display(wd, abs string) string {
	if wd == "" {
		return abs
	}
	if rel, err := filepath.Rel(wd, abs); err == nil {
		return rel
	}
	return abs
}

// Run converts the inputs in memory, writing nothing, and collects the audit; each is called
// after every input (a progress bar).
func Run(e *convert.Engine, inputs []convert.Input, repos []string, inputErrs []error, each func()) (*Report, error) {
	c := NewCollector()
	for _, err := range inputErrs {
		p := errorPath(err)
		c.Add(filepath.ToSlash(filepath.Dir(p)), filepath.Base(p), &convert.Outcome{Source: convert.Source{Path: p}, Err: err})
	}
	i := 0
	err := e.Run(inputs, func(o *convert.Outcome) error {
		repo := repos[i]
		i++
		rel, err := filepath.Rel(repo, o.Source.Path)
		if err != nil {
			rel = o.Source.Path
		}
		c.Add(filepath.ToSlash(repo), filepath.ToSlash(rel), o)
		if each != nil {
			each()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.Report(), nil
}

func errorPath(err error) string {
	if pe, ok := err.(*convert.PosError); ok {
		return pe.Path
	}
	if pe, ok := err.(*os.PathError); ok {
		return pe.Path
	}
	return ""
}
