package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/report"
	"github.com/tkn-migrate/tkn-migrate/internal/gitpr"
)

// PROptions are convert's pull-request flags: per repository, a branch from HEAD holding the
// conversion as one commit, and the markdown report as the PR description.
type PROptions struct {
	Branch     string
	Message    string
	Body       string
	AllowDirty bool
}

// DefaultPRBody is where the PR description goes, at the top of each repository.
const DefaultPRBody = "PR_BODY.md"

func (p *PROptions) flags(f *pflag.FlagSet) {
	f.StringVar(&p.Branch, "pr-branch", "", "in each PATH (a git checkout), create branch `NAME` from HEAD and commit the conversion on it")
	f.StringVar(&p.Message, "commit-message", "Migrate CI to Tekton v1 with tkn-migrate", "commit message for --pr-branch")
	f.StringVar(&p.Body, "pr-body", DefaultPRBody, "with --pr-branch, write the markdown report to `FILE` (relative paths are inside each repository); it is not committed")
	f.BoolVar(&p.AllowDirty, "allow-dirty", false, "with --pr-branch, accept a work tree with uncommitted changes (only converted files are committed)")
}

func (p *PROptions) validate(modes int, paths []string) error {
	if p.Branch == "" {
		return nil
	}
	if modes > 0 {
		return flagErrorf("--pr-branch writes and commits; it excludes -l, -w, -o and --check")
	}
	if slices.Contains(paths, "-") {
		return flagErrorf("--pr-branch needs repository directories, not standard input")
	}
	if filepath.IsAbs(p.Body) && len(paths) > 1 {
		return flagErrorf("--pr-body %s is absolute: every repository would write the same file", p.Body)
	}
	return nil
}

// prRun converts each PATH on its own branch and prints "repo branch commit" per repository
// converted, so a script can push and open the pull requests.
func prRun(o *ConvertOptions, eng *convert.Engine) error {
	inline := o.Report == "text" || o.ReportFile != ""
	rep := o.newReport(o.Report == "markdown")
	defer rep.Close()
	failed := false
	for _, dir := range o.Paths {
		line, err := o.prRepo(eng, dir, rep, inline)
		if err != nil {
			fmt.Fprintf(o.IO.ErrOut, "%s: %v\n", dir, err)
			failed = true
			continue
		}
		if line != "" {
			fmt.Fprintln(o.IO.Out, line)
		}
	}
	if err := o.writeReport(rep); err != nil {
		return err
	}
	if failed {
		return exitCodeError{exitError}
	}
	return o.exit(rep, false)
}

// prRepo handles one repository; it returns "" when there is nothing to convert.
func (o *ConvertOptions) prRepo(eng *convert.Engine, dir string, all *report.Report, inline bool) (string, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("not a directory")
	}
	root, err := gitpr.Root(dir)
	if err != nil {
		return "", fmt.Errorf("not a git work tree")
	}
	body := o.PR.Body
	if !filepath.IsAbs(body) {
		body = filepath.Join(dir, body)
	}
	if !o.PR.AllowDirty {
		dirty, err := gitpr.Dirty(dir)
		if err != nil {
			return "", err
		}
		// An earlier run's PR description is ours, not the user's work.
		dirty = slices.DeleteFunc(dirty, func(p string) bool { return sameFile(filepath.Join(root, p), body) })
		if len(dirty) > 0 {
			return "", fmt.Errorf("the work tree has uncommitted changes (%s); commit or stash them, or pass --allow-dirty", strings.Join(dirty, ", "))
		}
	}
	inputs, inputErrs := eng.Inputs([]string{dir})
	rep := o.newReport(true) // the PR description
	defer rep.Close()
	add := func(out *convert.Outcome) {
		rep.Add(out)
		all.Add(out)
		if out.Err != nil && inline {
			fmt.Fprintln(o.IO.ErrOut, out.Err)
		}
	}
	for _, err := range inputErrs {
		add(&convert.Outcome{Source: convert.Source{Path: errorPath(err)}, Err: err})
	}
	var changes []convert.Change
	if err := eng.Run(inputs, func(out *convert.Outcome) error {
		add(out)
		changes = append(changes, out.Changes...)
		return nil
	}); err != nil {
		return "", err
	}
	if len(changes) == 0 {
		fmt.Fprintf(o.IO.ErrOut, "%s: nothing to convert; no branch created\n", dir)
		return "", nil
	}
	if err := gitpr.Branch(dir, o.PR.Branch); err != nil {
		return "", err
	}
	var paths []string
	for _, c := range changes {
		if err := convert.WriteFile(c.Path, c.New, c.Mode); err != nil {
			return "", err
		}
		rel, err := filepath.Rel(dir, c.Path)
		if err != nil {
			return "", err
		}
		paths = append(paths, filepath.ToSlash(rel))
	}
	commit, err := gitpr.Commit(dir, o.PR.Message, paths)
	if err != nil {
		return "", err
	}
	f, err := os.Create(body)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := report.Markdown(f, rep); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s %s", dir, o.PR.Branch, commit), nil
}

// sameFile reports whether two paths name one existing file (git prints resolved paths).
func sameFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}
