package convert

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// upper is a test front-end: it renames a Tekton file's "name: x" in place and
// writes a .tekton/out.yaml for other kinds; "panic" in the input makes it panic.
type upper struct{ indexed []string }

func (u *upper) Index(src Source) error {
	u.indexed = append(u.indexed, src.Path)
	if strings.Contains(string(src.Data), "dup") {
		return Errorf(src.Path, 3, 1, "duplicate")
	}
	return nil
}

func (u *upper) Convert(src Source, _ Options) (Result, error) {
	s := string(src.Data)
	switch {
	case strings.Contains(s, "panic"):
		panic("boom")
	case strings.Contains(s, "fail"):
		return Result{}, Errorf(src.Path, 2, 5, "bad input")
	case src.Kind == KindTekton:
		return Result{Files: []File{{Path: src.Path, Data: []byte(strings.ReplaceAll(s, "name: x", "name: renamed"))}},
			Findings: []Finding{{File: src.Path, Line: 1, Class: Manual, Rule: "test", Message: "m"}}}, nil
	}
	out := filepath.Join(filepath.Dir(src.Path), ".tekton", "out.yaml")
	return Result{Files: []File{{Path: out, Data: []byte(validTask)}}}, nil
}

const validTask = "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: echo\n"

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestInputsWalk(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.yaml"), "apiVersion: tekton.dev/v1beta1\nkind: Task\n")
	write(t, filepath.Join(dir, "plain.yaml"), "apiVersion: v1\nkind: ConfigMap\n")
	write(t, filepath.Join(dir, "sub", ".travis.yml"), "language: go\n")
	write(t, filepath.Join(dir, "sub", "Jenkinsfile"), "pipeline {}\n")
	write(t, filepath.Join(dir, "lib.groovy"), "def x() {}\n")
	write(t, filepath.Join(dir, "job", "config.xml"), "<?xml version='1.1'?>\n<project>\n</project>\n")
	write(t, filepath.Join(dir, "vendor", "v.yaml"), "apiVersion: tekton.dev/v1\n")
	write(t, filepath.Join(dir, ".git", "g.yaml"), "apiVersion: tekton.dev/v1\n")
	write(t, filepath.Join(dir, "node_modules", "n", "Jenkinsfile"), "node {}\n")
	if err := os.Symlink(filepath.Join(dir, "a.yaml"), filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	e := &Engine{}
	ins, errs := e.Inputs([]string{dir})
	var skipped *Skipped
	if len(errs) != 1 || !errors.As(errs[0], &skipped) || skipped.Path != filepath.Join(dir, "link.yaml") {
		t.Fatalf("want one warning about link.yaml, got %v", errs)
	}
	var got []string
	for _, in := range ins {
		rel, _ := filepath.Rel(dir, in.Path)
		got = append(got, rel+"="+string(in.Kind))
	}
	want := "a.yaml=tekton job/config.xml=jenkins-xml sub/.travis.yml=travis sub/Jenkinsfile=jenkinsfile"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestInputsErrors(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "README.md"), "# hi\n")
	e := &Engine{Stdin: strings.NewReader("just text\n")}
	_, errs := e.Inputs([]string{filepath.Join(dir, "README.md"), filepath.Join(dir, "missing.yaml"), "-"})
	var got []string
	for _, err := range errs {
		got = append(got, strings.ReplaceAll(err.Error(), dir, "DIR"))
	}
	want := []string{
		"DIR/README.md: cannot tell what kind of file this is; use --from",
		"stat DIR/missing.yaml: no such file or directory",
		"<stdin>: cannot tell what kind of input this is; use --from",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDetectStdin(t *testing.T) {
	for in, want := range map[string]Kind{
		"apiVersion: tekton.dev/v1beta1\nkind: Task\n":          KindTekton,
		"pipeline {\n  agent any\n}\n":                          KindJenkinsfile,
		"node('x') {\n  sh 'make'\n}\n":                         KindJenkinsfile,
		"<?xml version='1.1'?>\n<flow-definition plugin=\"x\">": KindJenkinsXML,
		"language: python\nscript: pytest\n":                    KindTravis,
		"hello":                                                 KindUnknown,
	} {
		if got := Detect("-", []byte(in)); got != want {
			t.Errorf("Detect(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	paths := map[string]string{
		"1.yaml":         strings.Replace(validTask, "name: t", "name: x", 1),
		"2.yaml":         validTask,
		"3.yaml":         "apiVersion: tekton.dev/v1\nkind: Task\n# fail\n",
		"4.yaml":         "apiVersion: tekton.dev/v1\nkind: Task\n# panic\n",
		"5.yaml":         "apiVersion: tekton.dev/v1\nkind: Task\n# dup\n",
		"6.yaml":         "apiVersion: tekton.dev/v1\nkind: Task\n\x00",
		"7.yaml":         "apiVersion: tekton.dev/v1\nkind: Task\n" + strings.Repeat("#", 200),
		"r/.travis.yml":  "language: go\n",
		"r2/.travis.yml": "language: go\n",
	}
	for p, d := range paths {
		write(t, filepath.Join(dir, p), d)
	}
	write(t, filepath.Join(dir, "r2", ".tekton", "out.yaml"), validTask) // already converted
	u := &upper{}
	e := &Engine{Converters: map[Kind]Converter{KindTekton: u, KindTravis: u}, MaxSize: 150, Workers: 3}
	ins, errs := e.Inputs([]string{dir})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	err := e.Run(ins, func(o *Outcome) error {
		rel, _ := filepath.Rel(dir, o.Source.Path)
		line := rel + ":"
		if o.Err != nil {
			line += " err=" + strings.ReplaceAll(o.Err.Error(), dir+"/", "")
		}
		for _, c := range o.Changes {
			r, _ := filepath.Rel(dir, c.Path)
			line += " change=" + r
			if c.Created {
				line += "(new)"
			}
		}
		got = append(got, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1.yaml: change=1.yaml",
		"2.yaml:",
		"3.yaml: err=3.yaml:2:5: bad input",
		"4.yaml: err=4.yaml: internal error, please report it: boom",
		"5.yaml: err=5.yaml:3:1: duplicate",
		"6.yaml: err=6.yaml:3:1: binary file: NUL byte",
		"7.yaml: err=7.yaml:3:114: input is over the 150-byte limit (--max-size)",
		"r/.travis.yml: change=r/.tekton/out.yaml(new)",
		"r2/.tekton/out.yaml:", // earlier output is Tekton input too, and converts to itself
		"r2/.travis.yml:",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\n\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(u.indexed) != 8 { // every readable input; 6 and 7 fail before Index
		t.Errorf("indexed %v", u.indexed)
	}
}

type invalidOut struct{}

func (invalidOut) Convert(src Source, _ Options) (Result, error) {
	return Result{Files: []File{{Path: src.Path, Data: []byte("apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  nope: 1\n")}}}, nil
}

func TestRunRejectsInvalidOutput(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "t.yaml")
	write(t, p, "apiVersion: tekton.dev/v1\nkind: Task\n")
	e := &Engine{Converters: map[Kind]Converter{KindTekton: invalidOut{}}}
	var o *Outcome
	if err := e.Run([]Input{{Path: p, Kind: KindTekton}}, func(x *Outcome) error { o = x; return nil }); err != nil {
		t.Fatal(err)
	}
	want := p + `:1:1: Task "t" fails Tekton validation: json: unknown field "nope"`
	if o.Err == nil || o.Err.Error() != want {
		t.Fatalf("got %v, want %s", o.Err, want)
	}
	if len(o.Changes) != 0 {
		t.Fatal("invalid output must not become a change")
	}
}

func TestRunStopsOnConsumerError(t *testing.T) {
	dir := t.TempDir()
	var ins []Input
	for i := 0; i < 50; i++ {
		p := filepath.Join(dir, strings.Repeat("a", i+1)+".yaml")
		write(t, p, "apiVersion: tekton.dev/v1\nkind: Task\n")
		ins = append(ins, Input{Path: p, Kind: KindTekton})
	}
	e := &Engine{Converters: map[Kind]Converter{KindTekton: &upper{}}, Workers: 2}
	n := 0
	stop := errors.New("stop")
	err := e.Run(ins, func(*Outcome) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("err=%v n=%d", err, n)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x", "f.yaml")
	if err := WriteFile(p, []byte("a"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	target := filepath.Join(t.TempDir(), "outside.yaml")
	write(t, target, "keep")
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("evil"), 0o644); err == nil || !strings.Contains(err.Error(), "refusing to write through symlink") {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Fatal("symlink target was overwritten")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "x"))
	if len(entries) != 1 {
		t.Fatalf("temp files left behind: %v", entries)
	}
}

func TestInputsScope(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "repo-a", ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(dir, "repo-a", "deploy", "task.yaml"), "apiVersion: tekton.dev/v1beta1\nkind: Task\n")
	write(t, filepath.Join(dir, "repo-b", ".git"), "gitdir: ../.git/worktrees/b\n") // a worktree's .git is a file
	write(t, filepath.Join(dir, "repo-b", "task.yaml"), "apiVersion: tekton.dev/v1beta1\nkind: Task\n")
	write(t, filepath.Join(dir, "loose", "task.yaml"), "apiVersion: tekton.dev/v1beta1\nkind: Task\n")
	ins, errs := (&Engine{}).Inputs([]string{dir, filepath.Join(dir, "repo-a", "deploy", "task.yaml")})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, in := range ins {
		rel, _ := filepath.Rel(dir, in.Path)
		scope := "-"
		if in.Scope != "" {
			scope, _ = filepath.Rel(dir, in.Scope)
		}
		got = append(got, rel+"@"+scope)
	}
	want := "loose/task.yaml@- repo-a/deploy/task.yaml@repo-a repo-b/task.yaml@repo-b repo-a/deploy/task.yaml@repo-a"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestRunOutputCollision(t *testing.T) {
	dir := t.TempDir()
	// Both inputs of kind travis make <dir>/.tekton/out.yaml with the test converter.
	a, b := filepath.Join(dir, ".travis.yml"), filepath.Join(dir, "Jenkinsfile")
	write(t, a, "language: go\n")
	write(t, b, "pipeline {}\n")
	e := &Engine{Converters: map[Kind]Converter{KindTravis: &upper{}}}
	var got []string
	err := e.Run([]Input{{Path: a, Kind: KindTravis}, {Path: b, Kind: KindTravis}}, func(o *Outcome) error {
		if o.Err != nil {
			got = append(got, strings.ReplaceAll(o.Err.Error(), dir+"/", ""))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "Jenkinsfile: output .tekton/out.yaml is also produced by .travis.yml; convert them separately or rename one"
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// TestNothingIsSilentlySkipped: a List of Tekton items is converted; UTF-16 text, a config.xml
// with a DOCTYPE and a walked symlink are named with a reason; duplicate keys in .travis.yml
// and Tekton YAML are errors at the second key's own line.
func TestNothingIsSilentlySkipped(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "list.yaml"), "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: tekton.dev/v1\n    kind: Task\n    metadata: {name: t}\n    spec: {steps: [{name: s, image: a, script: b}]}\n")
	write(t, filepath.Join(dir, "u16.yaml"), "\xff\xfea\x00p\x00i\x00")
	write(t, filepath.Join(dir, "j", "Jenkinsfile"), "\xfe\xff\x00p")
	write(t, filepath.Join(dir, "job", "config.xml"), "<?xml version='1.1'?>\n<!DOCTYPE project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<project>&x;</project>\n")
	write(t, filepath.Join(dir, "checkstyle.xml"), "<?xml version='1.0'?>\n<!DOCTYPE module PUBLIC \"-//x\" \"y.dtd\">\n<module/>\n") // not a Jenkins file
	write(t, filepath.Join(dir, "t", ".travis.yml"), "language: go\nscript: a\ngo: '1.22'\nscript: b\n")
	write(t, filepath.Join(dir, "dup.yaml"), "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: a\n      image: b\n")
	if err := os.Symlink(filepath.Join(dir, "dup.yaml"), filepath.Join(dir, "link.yml")); err != nil {
		t.Fatal(err)
	}
	u := &upper{}
	e := &Engine{Converters: map[Kind]Converter{KindTekton: u, KindTravis: u}}
	ins, errs := e.Inputs([]string{dir})
	var got []string
	for _, err := range errs {
		got = append(got, strings.ReplaceAll(err.Error(), dir+"/", ""))
	}
	err := e.Run(ins, func(o *Outcome) error {
		rel, _ := filepath.Rel(dir, o.Source.Path)
		if o.Err != nil {
			got = append(got, strings.ReplaceAll(o.Err.Error(), dir+"/", ""))
		} else {
			got = append(got, rel+": "+string(o.Source.Kind))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"j/Jenkinsfile:1:1: UTF-16 text (byte order mark FEFF): tkn-migrate reads UTF-8; convert it first, e.g. iconv -f UTF-16 -t UTF-8",
		"job/config.xml:2:1: refusing an XML file with a DOCTYPE: Jenkins writes none, and its entities are never expanded",
		"link.yml: skipped: a symlink to dup.yaml, which this walk converts",
		"u16.yaml:1:1: UTF-16 text (byte order mark FFFE): tkn-migrate reads UTF-8; convert it first, e.g. iconv -f UTF-16 -t UTF-8",
		`dup.yaml:9:7: duplicate key "image" (first at line 8): YAML allows a key once per mapping`,
		"list.yaml: tekton",
		`t/.travis.yml:4:1: duplicate key "script" (first at line 2): YAML allows a key once per mapping`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// many is a front-end generating one Pipeline with n PipelineTasks.
type many struct{ n int }

func (m many) Convert(src Source, _ Options) (Result, error) {
	var b strings.Builder
	b.WriteString("apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n")
	for i := 0; i < m.n; i++ {
		fmt.Fprintf(&b, "    - name: t%d\n      taskRef:\n        name: x\n", i)
	}
	return Result{Files: []File{{Path: filepath.Join(filepath.Dir(src.Path), ".tekton", "p.yaml"), Data: []byte(b.String())}}}, nil
}

// TestCapsNameTheFlag: an input holding or generating too much is refused with the flag that raises the cap.
func TestCapsNameTheFlag(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs.yaml")
	write(t, docs, "apiVersion: tekton.dev/v1\nkind: Task\n---\nkind: Task\n---\nkind: Task\n")
	travis := filepath.Join(dir, ".travis.yml")
	write(t, travis, "language: go\n")
	e := &Engine{Converters: map[Kind]Converter{KindTekton: &upper{}, KindTravis: many{3}}, MaxDocs: 2, MaxTasks: 2}
	var got []string
	if err := e.Run([]Input{{Path: docs, Kind: KindTekton}, {Path: travis, Kind: KindTravis}}, func(o *Outcome) error {
		got = append(got, strings.ReplaceAll(fmt.Sprint(o.Err), dir+"/", ""))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := "docs.yaml: 3 YAML documents, over the limit of 2 per input (--max-docs raises it)\n" +
		".travis.yml: generates 3 tasks, over the limit of 2 per input (--max-tasks raises it)"
	if strings.Join(got, "\n") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	e.MaxTasks = 3
	got = nil
	if err := e.Run([]Input{{Path: travis, Kind: KindTravis}}, func(o *Outcome) error {
		got = append(got, fmt.Sprint(o.Err))
		return nil
	}); err != nil || got[0] != "<nil>" {
		t.Errorf("at the cap: %v %v", got, err)
	}
}

// copier is a front-end that copies its source into a generated script, as Travis does with commands.
type copier struct{}

func (copier) Convert(src Source, _ Options) (Result, error) {
	var b strings.Builder
	b.WriteString("apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine\n      script: |\n")
	for _, l := range strings.Split(strings.TrimSpace(string(src.Data)), "\n") {
		b.WriteString("        " + l + "\n")
	}
	return Result{Files: []File{{Path: filepath.Join(filepath.Dir(src.Path), ".tekton", "t.yaml"), Data: []byte(b.String())}}}, nil
}

// TestSecretCopiedWithACommand: a secret inside a command that a front-end copies into a
// generated script gets a secret-literal finding at its source position, without the value;
// one in a manual marker, which redaction masks, gets none.
func TestSecretCopiedWithACommand(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".travis.yml")
	// The last line is a manual marker, which redaction masks: nothing is copied there.
	write(t, p, "make\ncurl -u deploy:Pa55w0rdXyz https://x\ncurl -u deploy:$PW https://x\n# tkn-migrate: manual: was curl -u deploy:Pa55w0rdMkr\n")
	e := &Engine{Converters: map[Kind]Converter{KindTravis: copier{}}}
	var got []string
	if err := e.Run([]Input{{Path: p, Kind: KindTravis}}, func(o *Outcome) error {
		for _, f := range o.Result.Findings {
			got = append(got, strings.ReplaceAll(fmt.Sprintf("%d:%d %s %s: %s", f.Line, f.Col, f.Class, f.Rule, f.Message), dir+"/", ""))
		}
		return o.Err
	}); err != nil {
		t.Fatal(err)
	}
	want := "2:16 manual secret-literal: a password passed to curl -u in plain text is copied into .tekton/t.yaml:11 with the command that uses it; move it to a Secret, read it from the environment, and revoke it"
	if strings.Join(got, "\n") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

// scoped is a test front-end that logs, in order, what the engine asks of it.
type scoped struct {
	mu  sync.Mutex
	log []string
}

func (s *scoped) add(ev string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, ev)
}

func (s *scoped) Index(src Source) error {
	s.add("index " + filepath.Base(src.Scope) + " " + filepath.Base(src.Path))
	return nil
}
func (s *scoped) Forget(scope string) { s.add("forget " + filepath.Base(scope)) }
func (s *scoped) Convert(src Source, _ Options) (Result, error) {
	s.add("convert " + filepath.Base(src.Scope) + " " + filepath.Base(src.Path))
	return Result{Files: []File{{Path: src.Path, Data: src.Data}}}, nil
}

// TestRunStreamsByScope: a repository is indexed whole before any of its files converts,
// and forgotten once, after its last conversion returns and before that file's Prepare; Prepare sees
// every outcome before the callback.
func TestRunStreamsByScope(t *testing.T) {
	dir := t.TempDir()
	for _, r := range []string{"a", "b", "c"} {
		if err := os.MkdirAll(filepath.Join(dir, r, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"1.yaml", "2.yaml", "3.yaml"} {
			write(t, filepath.Join(dir, r, f), validTask)
		}
	}
	s := &scoped{}
	var prepared sync.Map
	e := &Engine{Converters: map[Kind]Converter{KindTekton: s}, Workers: 2,
		Prepare: func(o *Outcome) {
			prepared.Store(o.Source.Path, true)
			s.add("prepare " + filepath.Base(o.Source.Scope) + " " + filepath.Base(o.Source.Path))
		}}
	ins, errs := e.Inputs([]string{dir})
	if len(errs) > 0 || len(ins) != 9 {
		t.Fatal(ins, errs)
	}
	err := e.Run(ins, func(o *Outcome) error {
		if _, ok := prepared.Load(o.Source.Path); !ok {
			t.Errorf("%s reached the callback unprepared", o.Source.Path)
		}
		s.add("each " + filepath.Base(o.Source.Scope) + " " + filepath.Base(o.Source.Path))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, ev := range s.log {
		if _, dup := pos[ev]; dup {
			t.Errorf("%q twice", ev)
		}
		pos[ev] = i
	}
	for _, r := range []string{"a", "b", "c"} {
		forget, ok := pos["forget "+r]
		if !ok {
			t.Errorf("scope %s never forgotten", r)
		}
		// The conversion that returns last forgets the scope before its Prepare. The log can't
		// tell which that is (each logs as it starts), so the scope's latest Prepare must follow.
		last := ""
		for _, f := range []string{"1.yaml", "2.yaml", "3.yaml"} {
			if last == "" || pos["prepare "+r+" "+f] > pos["prepare "+r+" "+last] {
				last = f
			}
		}
		if pos["prepare "+r+" "+last] < forget {
			t.Errorf("scope %s forgotten after the Prepare of every conversion, the last %s", r, last)
		}
		for _, f := range []string{"1.yaml", "2.yaml", "3.yaml"} {
			for _, g := range []string{"1.yaml", "2.yaml", "3.yaml"} {
				if pos["index "+r+" "+f] > pos["convert "+r+" "+g] {
					t.Errorf("%s/%s converted before %s/%s was indexed", r, g, r, f)
				}
			}
			if pos["convert "+r+" "+f] > forget {
				t.Errorf("scope %s forgotten before %s was converted", r, f)
			}
		}
	}
	if t.Failed() {
		t.Log(strings.Join(s.log, "\n"))
	}
}

// gate is a test front-end whose first input waits until release is closed; it counts the
// other inputs it converted meanwhile.
type gate struct {
	release chan struct{}
	mu      sync.Mutex
	others  int
	started chan struct{} // gets a value per other input converted
}

func (g *gate) Convert(src Source, _ Options) (Result, error) {
	if src.Path == "0.yaml" {
		<-g.release
	} else {
		g.mu.Lock()
		g.others++
		g.mu.Unlock()
		g.started <- struct{}{}
	}
	return Result{Files: []File{{Path: src.Path, Data: src.Data}}}, nil
}

// TestRunSlowHead: while the first input is slow, the other workers go on with the next
// inputs up to the window, no further, and outcomes still reach the callback in input order.
func TestRunSlowHead(t *testing.T) {
	const workers, n = 3, 200
	var ins []Input
	for i := 0; i < n; i++ {
		ins = append(ins, Input{Path: fmt.Sprintf("%d.yaml", i), Kind: KindTekton, data: []byte(validTask)})
	}
	g := &gate{release: make(chan struct{}), started: make(chan struct{}, n)}
	e := &Engine{Converters: map[Kind]Converter{KindTekton: g}, Workers: workers}
	ahead := windowPerWorker*workers - 1 // the window less the slow input itself
	go func() {
		defer close(g.release)
		timeout := time.After(10 * time.Second) // a narrower window never gets there
		for i := 0; i < ahead; i++ {
			select {
			case <-g.started:
			case <-timeout:
				return
			}
		}
		time.Sleep(20 * time.Millisecond) // room for a worker that would overrun the window
	}()
	next := 0
	err := e.Run(ins, func(o *Outcome) error {
		if o.Source.Path != ins[next].Path || o.Err != nil {
			t.Fatalf("outcome %d: got %s (err %v), want %s", next, o.Source.Path, o.Err, ins[next].Path)
		}
		if next == 0 {
			g.mu.Lock()
			if g.others != ahead {
				t.Errorf("%d inputs converted while the first was slow, want the window's %d", g.others, ahead)
			}
			g.mu.Unlock()
		}
		next++
		return nil
	})
	if err != nil || next != n {
		t.Fatalf("err %v after %d outcomes", err, next)
	}
}

// TestInputsWalkOrder: a walk of more entries than a batch, whose kinds are told on parallel
// workers, lists inputs and errors in walk order.
func TestInputsWalkOrder(t *testing.T) {
	dir := t.TempDir()
	var want []string
	for i := 0; i < 3*walkBatch+7; i++ {
		name := filepath.Join(dir, fmt.Sprintf("f%04d.yaml", i))
		switch i % 4 {
		case 0:
			write(t, name, "apiVersion: tekton.dev/v1beta1\nkind: Task\n")
			want = append(want, "in "+filepath.Base(name))
		case 1:
			write(t, name, "apiVersion: v1\nkind: ConfigMap\n") // not an input
		case 2:
			write(t, name, "\xff\xfea\x00") // UTF-16: an error
			want = append(want, "err "+filepath.Base(name))
		case 3:
			if err := os.Symlink(filepath.Join(dir, "f0000.yaml"), name); err != nil {
				t.Fatal(err)
			}
			want = append(want, "err "+filepath.Base(name))
		}
	}
	ins, errs := (&Engine{Workers: 4}).Inputs([]string{dir})
	var got []string
	for _, in := range ins {
		got = append(got, "in "+filepath.Base(in.Path))
	}
	var gotErrs []string
	for _, err := range errs {
		var pe *PosError
		var sk *Skipped
		switch {
		case errors.As(err, &sk):
			gotErrs = append(gotErrs, "err "+filepath.Base(sk.Path))
		case errors.As(err, &pe):
			gotErrs = append(gotErrs, "err "+filepath.Base(pe.Path))
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	var wantIns, wantErrs []string
	for _, w := range want {
		if strings.HasPrefix(w, "in ") {
			wantIns = append(wantIns, w)
		} else {
			wantErrs = append(wantErrs, w)
		}
	}
	if strings.Join(got, "\n") != strings.Join(wantIns, "\n") {
		t.Errorf("inputs:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantIns, "\n"))
	}
	if strings.Join(gotErrs, "\n") != strings.Join(wantErrs, "\n") {
		t.Errorf("errors:\n%s\nwant\n%s", strings.Join(gotErrs, "\n"), strings.Join(wantErrs, "\n"))
	}
}
