package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// panicWriter panics on every write, as a bug in an output step would.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("output boom") }

// TestAPanicWhileWritingFailsThatFileAlone: a panic in a file's output step (on the main
// goroutine) fails that file with an internal error and lets the batch go on.
func TestAPanicWhileWritingFailsThatFileAlone(t *testing.T) {
	o := &ConvertOptions{List: true, IO: &IOStreams{Out: panicWriter{}}}
	out := &convert.Outcome{Source: convert.Source{Path: "a.yaml"}, Changes: []convert.Change{{Path: "a.yaml"}}}
	if err := o.handle(out); err != nil {
		t.Fatalf("the batch stopped: %v", err)
	}
	if out.Err == nil || out.Err.Error() != "a.yaml: internal error, please report it: output boom" {
		t.Errorf("got %v", out.Err)
	}
}

// TestCheckFailsWhileOldTektonIsLeft: --check exits 1 while a v1alpha1 Run is left or a kind: List holds old Tekton items,
// and 2 on an input it cannot read (UTF-16, a DOCTYPE, a duplicate key); a walked symlink is
// an unsupported finding (so --strict fails), and --check fails on one out of the tree, whose
// target the run never checks, but passes one whose target the same walk converts.
func TestCheckFailsWhileOldTektonIsLeft(t *testing.T) {
	old := "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: {name: t}\nspec: {steps: [{name: s, image: a, script: b}]}\n"
	for _, c := range []struct {
		name, file, data string
		check, strict    int
	}{
		{"v1alpha1 Run", "run.yaml", alphaRun, exitChanges, exitOK},
		{"list", "list.yaml", "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: tekton.dev/v1beta1\n    kind: Task\n    metadata: {name: t}\n    spec: {steps: [{name: s, image: a, script: b}]}\n", exitChanges, exitOK},
		{"utf-16", "u16.yaml", "\xff\xfea\x00p\x00i\x00", exitError, exitError},
		{"doctype", "config.xml", "<?xml version='1.1'?>\n<!DOCTYPE project [<!ENTITY x \"y\">]>\n<project>&x;</project>\n", exitError, exitError},
		{"duplicate key", "dup.yaml", old + "kind: Task\n", exitError, exitError},
		{"symlink out of the tree", "link.yaml", "", exitChanges, exitChanges},
		{"symlink within the tree", "link.yaml", "@inside", exitOK, exitChanges},
	} {
		dir := t.TempDir()
		tree := filepath.Join(dir, "tree")
		if err := os.MkdirAll(tree, 0o755); err != nil {
			t.Fatal(err)
		}
		if c.data == "@inside" {
			current := "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: a\n      script: b\n"
			if err := os.WriteFile(filepath.Join(tree, "real.yaml"), []byte(current), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("real.yaml", filepath.Join(tree, c.file)); err != nil {
				t.Fatal(err)
			}
		} else if c.data == "" {
			if err := os.WriteFile(filepath.Join(dir, "old.yaml"), []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(dir, "old.yaml"), filepath.Join(tree, c.file)); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(filepath.Join(tree, c.file), []byte(c.data), 0o644); err != nil {
			t.Fatal(err)
		}
		for flag, want := range map[string]int{"--check": c.check, "--strict": c.strict} {
			args := []string{"convert", flag, tree}
			if flag == "--strict" {
				args = []string{"convert", "--strict", "-o", t.TempDir(), tree}
			}
			var stdout, stderr bytes.Buffer
			if code := run(args, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}); code != want {
				t.Errorf("%s %s: exit %d, want %d\n%s", c.name, flag, code, want, stderr.String())
			}
		}
	}
}

// alphaRun is a v1alpha1 Run, which the upgrade makes a v1beta1 CustomRun.
const alphaRun = "apiVersion: tekton.dev/v1alpha1\nkind: Run\nmetadata:\n  name: r\nspec:\n  ref:\n    apiVersion: example.dev/v1alpha1\n    kind: Example\n    name: my-example\n"

// TestCheckPassesOnceARunIsUpgraded: --check fails on a v1alpha1 Run and passes once convert -w
// wrote the v1beta1 CustomRun, which stays as it is.
func TestCheckPassesOnceARunIsUpgraded(t *testing.T) {
	f := filepath.Join(t.TempDir(), "run.yaml")
	if err := os.WriteFile(f, []byte(alphaRun), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flag string
		want int
	}{{"--check", exitChanges}, {"-w", exitOK}, {"--check", exitOK}} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"convert", c.flag, f}, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}); code != c.want {
			t.Errorf("convert %s: exit %d, want %d\n%s", c.flag, code, c.want, stderr.String())
		}
	}
	want := strings.Replace(strings.Replace(alphaRun, "tekton.dev/v1alpha1\nkind: Run", "tekton.dev/v1beta1\nkind: CustomRun", 1), "  ref:", "  customRef:", 1)
	if got, _ := os.ReadFile(f); string(got) != want {
		t.Errorf("wrote:\n%s\nwant:\n%s", got, want)
	}
}

// TestTwoInputsNeverShareAnOutput: under -o DIR, /x/a.yaml and x/a.yaml both mirror to
// DIR/x/a.yaml; the second is an error naming both, never a silent overwrite.
func TestTwoInputsNeverShareAnOutput(t *testing.T) {
	task := "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: NAME\nspec:\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: echo\n"
	root := t.TempDir()
	abs := filepath.Join(root, "x", "a.yaml")
	cwd := filepath.Join(root, "cwd")
	rel := filepath.Join(strings.TrimPrefix(root, "/"), "x", "a.yaml")
	for p, name := range map[string]string{abs: "first", filepath.Join(cwd, rel): "second"} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(task, "NAME", name, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(cwd)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"convert", "-o", out, abs, rel}, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}); code != exitError {
		t.Errorf("exit %d", code)
	}
	want := rel + ": not written: " + filepath.Join(out, rel) + " would also receive " + abs + "\n"
	if got := strings.SplitAfter(stderr.String(), "\n")[0]; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if data, _ := os.ReadFile(filepath.Join(out, rel)); !bytes.Contains(data, []byte("name: first")) {
		t.Errorf("the first output was overwritten:\n%s", data)
	}
}

// TestOutputDirNeverReplacesItsInput: an -o DIR holding the inputs where they mirror to (-o .)
// would replace each input with its output, past -w's refusals (a read-only file, a file with
// hard links); each such file is an error naming -w, and stays as it was.
func TestOutputDirNeverReplacesItsInput(t *testing.T) {
	task := "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: echo\n"
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "repo"), 0o755); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join("repo", "a.yaml")
	if err := os.WriteFile(filepath.Join(root, in), []byte(task), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(root, in), filepath.Join(root, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"convert", "-o", ".", "repo"}, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}); code != exitError {
		t.Errorf("exit %d\n%s", code, stderr.String())
	}
	want := in + ": not written: " + in + " is the input itself; -w rewrites inputs in place\n"
	if got := strings.SplitAfter(stderr.String(), "\n")[0]; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	for _, p := range []string{in, "link.yaml"} {
		if data, _ := os.ReadFile(p); string(data) != task {
			t.Errorf("%s was replaced:\n%s", p, data)
		}
	}
}
