package diff

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	tests := []struct{ name, a, b, want string }{
		{"equal", "x\n", "x\n", ""},
		{"new file", "", "a\nb\n", "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
		{"one line", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n",
			"--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n",
			"--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n"},
		{"no final newline", "a\nb", "a\nc",
			"--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"},
		{"delete all", "a\n", "", "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := "a/f"
			if tt.a == "" {
				old = "/dev/null"
			}
			got := string(Unified(old, "b/f", []byte(tt.a), []byte(tt.b)))
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestPatchApplies feeds our output to patch(1), the consumer the format exists for.
func TestPatchApplies(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch not installed")
	}
	a := "keep\n# comment\nold: 1\n\nmore\nlines\nhere\nand\nthere\nend: x\n"
	b := "keep\n# comment\nnew: 2\n\nmore\nlines\nhere\nand\nthere\nend: y\nadded\n"
	for _, name := range []string{"f.yaml", "sp ace/my task.yaml"} {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(a), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("patch", "-p1", "--quiet")
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(Unified("a/"+name, "b/"+name, []byte(a), []byte(b)))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: patch: %v\n%s", name, err, out)
		}
		got, _ := os.ReadFile(filepath.Join(dir, name))
		if string(got) != b {
			t.Fatalf("%s: patched file:\n%s\nwant:\n%s", name, got, b)
		}
	}
}

// TestGoDiffPanicFallsBackToPlainDiff: when go-diff panics (as its intToRune does past about
// 1.1M distinct lines), the file still gets a diff patch applies: a plain whole-file one.
func TestGoDiffPanicFallsBackToPlainDiff(t *testing.T) {
	saved := lineDiff
	defer func() { lineDiff = saved }()
	lineDiff = func(a, b string) []op { panic("intToRune") }
	a := "1\n2\n3\n4\n5\n6\n7\n8\n"
	b := "1\n2\n3\nfour\nFIVE\n6\n7\n8\n9\n"
	got := string(Unified("a/f", "b/f", []byte(a), []byte(b)))
	want := "--- a/f\n+++ b/f\n@@ -1,8 +1,9 @@\n 1\n 2\n 3\n-4\n-5\n-6\n-7\n-8\n+four\n+FIVE\n+6\n+7\n+8\n+9\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	applies(t, "f", a, b, []byte(got))
}

// TestHugeInputGetsPlainDiff: past maxDiffLines go-diff is not called at all.
func TestHugeInputGetsPlainDiff(t *testing.T) {
	saved := lineDiff
	defer func() { lineDiff = saved }()
	lineDiff = func(a, b string) []op { t.Fatal("go-diff called on a huge input"); return nil }
	var sb strings.Builder
	for i := 0; i < maxDiffLines/2+1; i++ {
		fmt.Fprintf(&sb, "%d\n", i)
	}
	a := sb.String()
	b := "changed\n" + a[2:]
	got := Unified("a/f", "b/f", []byte(a), []byte(b))
	if want := "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-0\n+changed\n 1\n 2\n 3\n"; string(got) != want {
		t.Errorf("got\n%.200s\nwant\n%s", got, want)
	}
}

// TestNewlineInFileName: a name with a newline gets a C-quoted header that patch reads back.
func TestNewlineInFileName(t *testing.T) {
	name := "odd\nname \"x\".yaml"
	d := Unified("a/"+name, "b/"+name, []byte("a\n"), []byte("b\n"))
	if want := "--- \"a/odd\\nname \\\"x\\\".yaml\"\n+++ \"b/odd\\nname \\\"x\\\".yaml\"\n"; !strings.HasPrefix(string(d), want) {
		t.Fatalf("header:\n%s\nwant\n%s", d, want)
	}
	applies(t, name, "a\n", "b\n", d)
}

// applies runs patch -p1 on a file name holding a, and checks the result is b.
func applies(t *testing.T, name, a, b string, d []byte) {
	t.Helper()
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch not installed")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(a), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("patch", "-p1", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(d)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(filepath.Join(dir, name))
	if string(got) != b {
		t.Fatalf("patched file:\n%s\nwant:\n%s", got, b)
	}
}
