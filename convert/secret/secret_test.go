package secret

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestSecretLiteralCorpus: every true positive of the corpus is found, every false positive is left alone.
func TestSecretLiteralCorpus(t *testing.T) {
	n := 0
	for _, line := range corpus(t, "testdata/literals.txt") {
		want, assign, _ := strings.Cut(line, " ")
		name, value, _ := strings.Cut(assign, "=")
		why, got := Literal(name, value)
		if got != (want == "secret") {
			t.Errorf("Literal(%q, %q) = %v (%s), want %s", name, value, got, why, want)
		}
		if got && strings.Contains(why, value) {
			t.Errorf("reason %q holds the value", why)
		}
		n++
	}
	if n < 40 {
		t.Fatalf("corpus has %d entries", n)
	}
}

// corpus returns the cases of a corpus file: its lines but blank ones and # comments.
func corpus(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"the git resource src (https://bob:GITPW789@github.com/o/r.git) is no longer fetched",
			"the git resource src (https://bob:<redacted>@github.com/o/r.git) is no longer fetched"},
		{"run a kubeconfig-creator task first (with cadata=CA123, password=S3cret, token=TOK, username=admin)",
			"run a kubeconfig-creator task first (with cadata=<redacted>, password=<redacted>, token=<redacted>, username=admin)"},
		{"curl -u deploy:pa55w0rd https://x", "curl -u deploy:<redacted> https://x"},
		{"curl --user=deploy:$PW https://x", "curl --user=deploy:$PW https://x"},
		{"curl -u deploy:pa55w0rd${HOST} https://x", "curl -u deploy:<redacted>${HOST} https://x"},
		{"https://bob:${N}GITPW789@github.com/o/r.git", "https://bob:${N}<redacted>@github.com/o/r.git"},
		{"https://bob:${A}GITPW789${B}@github.com/o/r.git", "https://bob:${A}<redacted>${B}@github.com/o/r.git"},
		{"curl -u deploy:Pa55${X}w0rd${Y}-${Z} https://x", "curl -u deploy:<redacted>${X}<redacted>${Y}-${Z} https://x"},
		{"env MY_PASSWORD=abc${X}S3cretPw88${Y} here", "env MY_PASSWORD=abc${X}<redacted>${Y} here"},
		{`export DB_PASSWORD="${A}S3cretPw77${B}"`, `export DB_PASSWORD="${A}<redacted>${B}"`},
		{"PASSWORD=${A}pw${B} and TOKEN=${T}", "PASSWORD=${A}pw${B} and TOKEN=${T}"},
		{"export GITHUB_TOKEN='abc def'", "export GITHUB_TOKEN=<redacted>"},
		{"key AKIAIOSFODNN7EXAMPLE here", "key <redacted> here"},
		{"token_file=/run/t and SECRET_NAME=x", "token_file=/run/t and SECRET_NAME=x"},
		{"https://$(params.user):$(params.pw)@host", "https://$(params.user):$(params.pw)@host"},
		{"value LITERALVALUE in text", "value <redacted> in text"},
		{"holds PASSWORD=<its value>", "holds PASSWORD=<its value>"},
	} {
		if got := Redact(c.in, "LITERALVALUE"); got != c.want {
			t.Errorf("Redact(%q)\n got  %q\n want %q", c.in, got, c.want)
		}
	}
}

func TestScan(t *testing.T) {
	text := "curl -u me:hunter22 https://a:b0b@h/x && echo ghp_abcdefghijklmnopqrstuvwxyz0123456789"
	var got []string
	for _, h := range Scan(text) {
		got = append(got, h.What+"="+text[h.Start:h.End])
	}
	want := "a password passed to curl -u=hunter22|a URL with a password=b0b|a GitHub token=ghp_abcdefghijklmnopqrstuvwxyz0123456789"
	if strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
}

// TestScanCmd: in a cmd.exe line %NAME% is a reference the plain parts are glued to, and a %
// that starts none is part of the value.
func TestScanCmd(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"curl -u user:%HOST%BatPw4455%HOST% https://x", "BatPw4455"},
		{"curl -u user:BatPw4455%HOST%Xyz987 https://x", "BatPw4455|Xyz987"},
		{"mysql -p%A%MidPw4455 -e x", "MidPw4455"},
		{"git push https://ci:BAT%40urlPW62@github.com/o/r.git HEAD:main", "BAT%40urlPW62"},
		{"curl -u deploy:Pa55w0rd%X https://x", "Pa55w0rd%X"},
		{"curl -u deploy:%PASS% https://x", ""},
		{"curl -u deploy:%A%-%B% https://x", ""},
		{"curl -u deploy:%A%xxx%B% https://x", ""},
	} {
		var got []string
		for _, h := range ScanCmd(c.text) {
			got = append(got, c.text[h.Start:h.End])
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("ScanCmd(%q) = %q, want %q", c.text, strings.Join(got, "|"), c.want)
		}
	}
	// sh reads no %NAME%: there the whole value is the secret.
	if h := Scan("curl -u user:%HOST%BatPw4455 https://x"); len(h) != 1 || h[0].End-h[0].Start != len("%HOST%BatPw4455") {
		t.Errorf("Scan read %%HOST%% as a reference: %v", h)
	}
}

// TestGluedCorpus: Glued finds exactly the secret plain parts of every value of the corpus that
// holds references, never in a value without any, and names no value in its reason.
func TestGluedCorpus(t *testing.T) {
	secrets, plains := 0, 0
	for _, line := range corpus(t, "testdata/glued.txt") {
		want, assign, _ := strings.Cut(line, " | ")
		name, value, _ := strings.Cut(assign, "=")
		var got []string
		for _, h := range Glued(name, value) {
			got = append(got, "secret "+value[h.Start:h.End])
			if strings.Contains(h.What, value[h.Start:h.End]) || h.Var != envName(name)+"_VALUE" {
				t.Errorf("Glued(%q, %q): reason %q holds the value, or var %s", name, value, h.What, h.Var)
			}
		}
		if want == "plain" {
			plains++
			want = ""
		} else {
			secrets++
		}
		if g := strings.Join(got, "; "); g != want {
			t.Errorf("Glued(%q, %q) = %q, want %q", name, value, g, want)
		}
	}
	if secrets < 8 || plains < 12 {
		t.Fatalf("corpus has %d true and %d false positives", secrets, plains)
	}
}
