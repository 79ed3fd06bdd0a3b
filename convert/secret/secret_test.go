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
