package shellquote

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var hostile = []string{"$(touch PWNED)", "`touch PWNED`", "x; touch PWNED", "x\ntouch PWNED", "it's", `a"b`, "*", "", "$HOME", "a b"}

// TestQuoteRoundTrip: sh reads every quoted value back as exactly that value, and runs nothing.
func TestQuoteRoundTrip(t *testing.T) {
	dir := t.TempDir()
	double := func(s string) string { return `"` + Double(s) + `"` }
	for _, q := range []func(string) string{Quote, Single, double} {
		for _, v := range hostile {
			cmd := exec.Command("sh", "-c", "printf %s "+q(v))
			cmd.Dir = dir
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != v {
				t.Errorf("sh read %q back as %q", v, out)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Error("a quoted value ran a command")
	}
}

func TestKeepVars(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ in, want string }{
		{"clean", "clean"},
		{"-Dv=$VERSION", `-Dv="${VERSION}"`},
		{"-Dv=${VERSION}x", `-Dv="${VERSION}"x`},
		{"$(touch PWNED)", `'$(touch PWNED)'`},
		{"`touch PWNED`;$VERSION", "'`touch PWNED`;'\"${VERSION}\""},
	} {
		got := KeepVars(c.in)
		if got != c.want {
			t.Errorf("KeepVars(%q) = %s, want %s", c.in, got, c.want)
		}
		cmd := exec.Command("sh", "-c", "printf %s "+got)
		cmd.Dir, cmd.Env = dir, []string{"VERSION=1.2"}
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		want := strings.ReplaceAll(strings.ReplaceAll(c.in, "${VERSION}", "1.2"), "$VERSION", "1.2")
		if string(out) != want {
			t.Errorf("sh read %s as %q, want %q", got, out, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Error("a quoted value ran a command")
	}
}

func TestArgs(t *testing.T) {
	if got, want := Args("clean  deploy -Drev=$REV \"-Dm=a b\" $(touch PWNED)"), `clean deploy -Drev="${REV}" '-Dm=a b' '$(touch' 'PWNED)'`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestGlob(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.tar.gz", "b.zip", "c d.tar.gz"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ in, want, out string }{
		{"*.tar.gz", "*.tar.gz", "a.tar.gz|c d.tar.gz"},
		{"[ab].*", "[ab].*", "a.tar.gz|b.zip"},
		{"c d*", "'c d'*", "c d.tar.gz"},
		{"$(touch PWNED)*", "'$(touch PWNED)'*", "$(touch PWNED)*"},
	} {
		got := Glob(c.in)
		if got != c.want {
			t.Errorf("Glob(%q) = %s, want %s", c.in, got, c.want)
		}
		cmd := exec.Command("sh", "-c", `for f in `+got+`; do printf '%s|' "$f"; done`)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSuffix(string(out), "|") != c.out {
			t.Errorf("%s matched %q, want %q", got, out, c.out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Error("a pattern ran a command")
	}
}

func TestFields(t *testing.T) {
	got := Fields(" clean  install\t-P'a b' \"-Dx=\\\"q\\\"\"\n-DskipTests ''")
	want := []string{"clean", "install", "-Pa b", `-Dx="q"`, "-DskipTests", ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
