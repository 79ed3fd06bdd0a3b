// Package gitpr prepares pull-request branches with the git CLI: a branch from HEAD, the
// converted files committed on it, nothing pushed. The caller opens the PR (gh, glab).
package gitpr

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// git runs git in repo and returns its trimmed stdout; the error carries git's stderr.
func git(repo string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", args[0], msg)
	}
	return strings.TrimSpace(out.String()), nil
}

// Root is the top directory of the work tree holding dir.
func Root(dir string) (string, error) { return git(dir, "rev-parse", "--show-toplevel") }

// Dirty lists the paths git status reports changed or untracked, so a branch never picks up
// work the user has not committed.
func Dirty(repo string) ([]string, error) {
	out, err := git(repo, "status", "--porcelain", "--untracked-files=normal")
	if err != nil || out == "" {
		return nil, err
	}
	var paths []string
	for _, l := range strings.Split(out, "\n") {
		if len(l) > 3 {
			paths = append(paths, l[3:])
		}
	}
	return paths, nil
}

// Branch creates branch name from HEAD and checks it out; an existing branch is an error,
// so an earlier run's commit is never moved.
func Branch(repo, name string) error {
	if _, err := git(repo, "check-ref-format", "--branch", name); err != nil {
		return fmt.Errorf("%q is not a valid branch name", name)
	}
	_, err := git(repo, "checkout", "-q", "-b", name)
	return err
}

// Commit stages exactly paths (relative to repo) and commits them; it returns the commit id.
func Commit(repo, message string, paths []string) (string, error) {
	if _, err := git(repo, append([]string{"add", "--"}, paths...)...); err != nil {
		return "", err
	}
	if _, err := git(repo, append([]string{"commit", "-q", "-m", message, "--"}, paths...)...); err != nil {
		return "", err
	}
	return git(repo, "rev-parse", "HEAD")
}
