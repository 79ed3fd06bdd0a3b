package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// copyTree copies testdata dir src to a fresh temporary directory and returns it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestSecretsNeverLeaveTheirFile feeds known secret values through every input kind, every
// output mode and every report format, and greps everything the command produced for them.
// Only the input's own text may hold them: its unchanged source files, and the context and
// removed lines of a diff of it.
func TestSecretsNeverLeaveTheirFile(t *testing.T) {
	raw, err := os.ReadFile("testdata/secrets/SECRETS")
	if err != nil {
		t.Fatal(err)
	}
	secrets := strings.Fields(string(raw))
	leak := func(where string, data []byte) {
		t.Helper()
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds secret %s", where, s)
			}
		}
	}
	// The sources that no mode rewrites: they keep their own secrets.
	sources := map[string]bool{"SECRETS": true, "travis/.travis.yml": true, "jenkinsfile/Jenkinsfile": true, "jobxml/config.xml": true}
	modes := [][]string{nil, {"-l"}, {"--check"}, {"-o", "-"}, {"-o", "OUT"}, {"-w"}, {"--strict"}}
	for _, mode := range modes {
		for _, format := range []string{"text", "json", "markdown", "sarif"} {
			for _, toFile := range []bool{false, true} {
				dir := copyTree(t, "testdata/secrets")
				args := []string{"convert", "--report", format}
				out := filepath.Join(t.TempDir(), "out")
				for _, a := range mode {
					args = append(args, strings.ReplaceAll(a, "OUT", out))
				}
				reportFile := filepath.Join(t.TempDir(), "report")
				if toFile {
					args = append(args, "--report-file", reportFile)
				}
				args = append(args, dir)
				var stdout, stderr bytes.Buffer
				code := run(args, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr})
				name := strings.Join(args[1:len(args)-1], " ")
				if code == exitError {
					t.Fatalf("%s: exit %d\n%s", name, code, stderr.String())
				}
				leak(name+": stderr", stderr.Bytes())
				if toFile {
					data, err := os.ReadFile(reportFile)
					if err != nil {
						t.Fatal(err)
					}
					leak(name+": report file", data)
				}
				if mode == nil || mode[0] == "--strict" {
					// A diff shows the input's own lines; no added line may hold a secret.
					for _, l := range strings.SplitAfter(stdout.String(), "\n") {
						if strings.HasPrefix(l, "+") {
							leak(name+": added diff line", []byte(l))
						}
					}
				} else {
					leak(name+": stdout", stdout.Bytes())
				}
				if len(mode) == 2 && mode[1] == "OUT" {
					walkFiles(t, out, func(rel string, data []byte) { leak(name+": "+rel, data) })
				}
				written := len(mode) > 0 && mode[0] == "-w" // only -w rewrites the old Tekton inputs
				walkFiles(t, dir, func(rel string, data []byte) {
					if !sources[filepath.ToSlash(rel)] && (written || !strings.HasPrefix(rel, "tekton-")) {
						leak(name+": "+rel, data)
					}
				})
			}
		}
	}
	// Standard input, one kind at a time.
	for _, in := range []struct{ file, kind string }{
		{"tekton-pipelinerun.yaml", "tekton"}, {"tekton-taskrun.yaml", "tekton"}, {"travis/.travis.yml", "travis"},
		{"jenkinsfile/Jenkinsfile", "jenkinsfile"}, {"jobxml/config.xml", "jenkins-xml"},
	} {
		data, err := os.ReadFile(filepath.Join("testdata/secrets", in.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"text", "json", "markdown", "sarif"} {
			var stdout, stderr bytes.Buffer
			code := run([]string{"convert", "--from", in.kind, "--report", format, "-o", "-", "-"}, &IOStreams{In: bytes.NewReader(data), Out: &stdout, ErrOut: &stderr})
			if code == exitError {
				t.Fatalf("%s: exit %d\n%s", in.file, code, stderr.String())
			}
			leak(in.file+" on stdin: stdout", stdout.Bytes())
			leak(in.file+" on stdin: stderr", stderr.Bytes())
		}
	}
}

// TestLintKeepsSecretsInTheirFile: lint quotes keys, values and names in its findings and
// errors; a secret among them is redacted in every report format, on stdout and in a
// --report-file, as convert's findings are.
func TestLintKeepsSecretsInTheirFile(t *testing.T) {
	raw, err := os.ReadFile("testdata/secrets/SECRETS")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "markdown", "sarif"} {
		reportFile := filepath.Join(t.TempDir(), "report")
		for _, args := range [][]string{{"lint", "--report", format, "testdata/secrets-lint"},
			{"lint", "--report", format, "--report-file", reportFile, "testdata/secrets-lint"}} {
			var stdout, stderr bytes.Buffer
			run(args, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr})
			all := stdout.String() + stderr.String()
			if data, err := os.ReadFile(reportFile); err == nil {
				all += string(data)
			}
			if !strings.Contains(all, "TKN001") {
				t.Fatalf("%s: no unknown-field finding:\n%s", strings.Join(args, " "), all)
			}
			for _, s := range strings.Fields(string(raw)) {
				if strings.Contains(all, s) {
					t.Errorf("%s: output holds secret %s", strings.Join(args, " "), s)
				}
			}
		}
	}
}

func walkFiles(t *testing.T, root string, visit func(rel string, data []byte)) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		visit(rel, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNothingRunsAsACommandItWasnt converts sources whose fields that become script text
// (Jenkins stage names, when conditions, params, environment and step arguments; Maven targets,
// goals, pom and properties; matrix axis values; Travis apt packages, addons, language versions,
// job names and deploy options) hold $(...), backticks, ; and newlines, then runs every
// generated script with sh (bash for a bash shebang) where each command is a no-op stub but
// touch, and checks that touch never ran and that no script holds a Tekton param or result
// reference, which Tekton would fill in before sh parses the script.
func TestNothingRunsAsACommandItWasnt(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"convert", "-o", out, "testdata/inject"}, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	bin := t.TempDir()
	log := filepath.Join(t.TempDir(), "touched")
	stub := func(name, body string) {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	stub("touch", `echo "$@" >> `+shellQuote(log))
	for _, name := range []string{"sudo", "apt-get", "mvn", "python", "python3", "pip", "twine", "npm", "git", "curl", "docker", "ssh-agent", "ssh-add", "sdkmanager", "go"} {
		stub(name, "exit 0")
	}
	// The scripts set up their directories (under the scratch HOME) with the real tools.
	for _, name := range []string{"rm", "mkdir", "cp", "find", "tar", "grep", "tr", "cat", "mktemp", "basename"} {
		if p, err := exec.LookPath(name); err == nil {
			if err := os.Symlink(p, filepath.Join(bin, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	scripts := 0
	walkFiles(t, out, func(rel string, data []byte) {
		for i, script := range scriptsOf(t, data) {
			scripts++
			// Tekton pastes a param's or result's value into the script before sh reads it: values
			// reach scripts through step env only.
			if strings.Contains(script, "$(params.") || strings.Contains(script, "$(tasks.") {
				t.Errorf("%s script %d pastes a Tekton param or result into its text:\n%s", rel, i, script)
			}
			shell := "sh"
			if strings.HasPrefix(script, "#!/usr/bin/env bash") || strings.HasPrefix(script, "#!/bin/bash") {
				shell = "bash"
			}
			work := t.TempDir()
			// A Travis deploy task continues the job's private checkout.
			if err := os.MkdirAll(filepath.Join(work, ".tkn-migrate/jobs/test/repo/.git"), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("/bin/"+shell, "-c", script)
			cmd.Dir = work
			cmd.Env = []string{"PATH=" + bin, "HOME=" + work, "TMPDIR=" + work, "TRAVIS_BUILD_DIR=" + work,
				"BRANCH_NAME=rel-1", "TRAVIS_BRANCH=master", "TRAVIS_EVENT_TYPE=push"}
			_ = cmd.Run() // scripts fail on the stubs; only what they ran matters
			if data, err := os.ReadFile(log); err == nil {
				t.Errorf("%s script %d ran touch %s", rel, i, strings.TrimSpace(string(data)))
				_ = os.Remove(log)
			}
		}
	})
	if scripts < 40 {
		t.Errorf("only %d scripts generated", scripts)
	}
}

// scriptsOf returns the value of every script key in a YAML stream.
func scriptsOf(t *testing.T, data []byte) []string {
	t.Helper()
	var out []string
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			break
		}
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == "script" && n.Content[i+1].Kind == yaml.ScalarNode {
						out = append(out, n.Content[i+1].Value)
					}
				}
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(&n)
	}
	return out
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestABatchSurvivesAnyOneBadFile: a FIFO (named or walked), a read-only file and a symlink
// under -w each fail alone with a positioned message, a walked symlink is reported as skipped,
// the rest converts, and the report is still written.
func TestABatchSurvivesAnyOneBadFile(t *testing.T) {
	dir := t.TempDir()
	task := "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: NAME\nspec:\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: echo\n"
	files := map[string]string{"tree/good.yaml": "good", "tree/ro.yaml": "ro", "real.yaml": "real", "outside.yaml": "outside"}
	for p, name := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(strings.Replace(task, "NAME", name, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Chmod(filepath.Join(dir, "tree/ro.yaml"), 0o444))
	must(syscall.Mkfifo(filepath.Join(dir, "tree/pipe.yaml"), 0o644))
	must(syscall.Mkfifo(filepath.Join(dir, "named.yaml"), 0o644))
	must(os.Symlink(filepath.Join(dir, "outside.yaml"), filepath.Join(dir, "tree/link.yaml")))
	must(os.Symlink(filepath.Join(dir, "real.yaml"), filepath.Join(dir, "named-link.yaml")))
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run([]string{"convert", "-w", "--report-file", "report.json", "--report", "json", "named.yaml", "named-link.yaml", "tree"},
			&IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr})
	}()
	var code int
	select {
	case code = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the batch blocked")
	}
	if code != exitError {
		t.Errorf("exit %d", code)
	}
	want := `named.yaml: a named pipe (FIFO) is not a regular file; skipped
tree/link.yaml: warning: skipped: a symlink out of the walked tree (a walk does not follow symlinks; name its target to convert it)
tree/pipe.yaml: a named pipe (FIFO) is not a regular file; skipped
named-link.yaml: refusing to write through symlink named-link.yaml
tree/ro.yaml: not written: the file is read-only; use --force to replace it
`
	if stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
	if got, _ := os.ReadFile("tree/good.yaml"); !bytes.Contains(got, []byte("tekton.dev/v1\n")) {
		t.Errorf("good.yaml not converted:\n%s", got)
	}
	for _, p := range []string{"tree/ro.yaml", "real.yaml", "outside.yaml"} {
		if got, _ := os.ReadFile(p); !bytes.Contains(got, []byte("v1beta1")) {
			t.Errorf("%s was written", p)
		}
	}
	rep, err := os.ReadFile("report.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"errors": 4`, `"path": "tree/good.yaml"`, `"rule": "skipped"`} {
		if !bytes.Contains(rep, []byte(s)) {
			t.Errorf("report lacks %s:\n%s", s, rep)
		}
	}
}

// TestNewlineInFileNameOutput: a path with a newline is quoted in the -o - comment and the diff
// header, so neither breaks the YAML stream or the patch.
func TestNewlineInFileNameOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a\nb")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".travis.yml"), []byte("language: go\nscript: go test ./...\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Dir(dir))
	for _, mode := range [][]string{{"-o", "-"}, nil} {
		var stdout, stderr bytes.Buffer
		if code := run(append(append([]string{"convert"}, mode...), "a\nb"), &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}); code != exitOK {
			t.Fatalf("exit %d\n%s", code, stderr.String())
		}
		first := strings.SplitN(stdout.String(), "\n", 3)
		want := []string{"---", `# "a\nb/.tekton/pipeline.yaml"`}
		if mode == nil {
			want = []string{"--- /dev/null", `+++ "b/a\nb/.tekton/pipeline.yaml"`}
		}
		if first[0] != want[0] || first[1] != want[1] {
			t.Errorf("%v: got %q, want %q", mode, first[:2], want)
		}
	}
}

// TestTerminalGetsNoControlCharacters: text that convert and lint print to a terminal quotes
// file names and source text; their control characters are shown escaped, so a repository
// can't send the terminal escape sequences.
func TestTerminalGetsNoControlCharacters(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".travis.yml", "language: python\npython: \"3.12\"\n\"k\\e]0;title\\a\\e[2J\": 1\nscript: \"true\"\n")
	write("task.yaml", "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  \"x\\e[2J\": 1\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: echo\n")
	write("bad\x1b[2J.yaml", "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: [\n")
	if err := os.Symlink("/nonexistent", filepath.Join(dir, "link\x1b[2J.yaml")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"convert", dir}, {"convert", "--check", dir}, {"lint", dir}} {
		var stdout, stderr bytes.Buffer
		run(args, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr})
		all := stdout.String() + stderr.String()
		if !strings.Contains(all, `\x1b[2J`) {
			t.Errorf("%s: the escaped sequence is not shown:\n%s", strings.Join(args, " "), all)
		}
		for _, r := range all {
			if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r < 0xa0 {
				t.Errorf("%s: output holds control character %U:\n%q", strings.Join(args, " "), r, all)
				break
			}
		}
	}
}
