package secret

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// scanFull is Scan without the line filter: every pattern over the whole text.
func scanFull(text string) []Hit {
	wholeText = true
	defer func() { wholeText = false }()
	return Scan(text)
}

// redactFull is Redact without the filters.
func redactFull(text string) string {
	wholeText = true
	defer func() { wholeText = false }()
	return Redact(text)
}

// pieces are texts that sit matches at line edges, across lines and beside near misses.
var pieces = []string{
	"https://bob:pw123@github.com/o/r.git", "git+ssh://u:p@h", "://x:y@", "curl -u deploy:pa55w0rd https://x",
	"--user=a:b", "-u\n  me:secret", "\n-u x:y", "AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPL",
	"ghp_" + strings.Repeat("a1", 18), "github_pat_" + strings.Repeat("Ab_", 14), "glpat-abcdefghij0123456789",
	"xoxb-1234567890-abc", "AIza" + strings.Repeat("z", 35), "npm_" + strings.Repeat("Q", 36),
	"-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN\nPRIVATE KEY-----", "$(params.pw)", "x", " ", "\n", "\r\n", "'", "@", ":", "_",
	"FOO_TOKEN=abc123XYZsecretQ", "export DB_PASSWORD='p@ss w0rd9Z'", "--password=hunter2xyzQ", "--api-key \"k3yV4lue77\"",
	"-Dsonar.login=abcdef123456Zq", "A='x B_TOKEN=y7Hq2pLm9'", "--foo \"--password xQ7pL2mZ9\"", "x.y=1", "9A=1", "a==b",
	";B_SECRET=2bR8kQ1zX", "(C_PASS=3Lm9qZ7", "--", "-D", "=", "--token\n  Zq8Lm2pX7v", "local API_KEY=", "\"", "readonly\tK_TOKEN=q",
	"mysql -uroot -pS3cr3tPw", "mysqladmin -u x", " -p'a b9Qz'", "mysql", "\tmysql\n -pQ", ";docker login -u me -p Tk9mQ2x",
	"helm registry login", "helm\n registry\tlogin h -p=Zz8", "oras login -p", "podman", "(skopeo login x -p \"q7\"", "-u", "--user",
	"-p", "login ", "|buildah login\n-p X", "--api_token=", "--secret \t\n'Mq8\nZp2x'", "-Dx.api-token=\"w9Lq2", "--9x=1", "---token=1",
	"PASSWORD= ", "X_TOKEN=\"Hq7\nZ2m\"", "--token=`", "--pass<", "é_TOKEN=ÿZq81xL", "--tokén=Zq81xL", "\xff",
}

// TestScanFilterExact: the filtered Scan finds exactly what the whole-text patterns find, and
// the filtered Redact masks what they mask, on texts built to sit matches at line edges,
// across lines and beside near misses.
func TestScanFilterExact(t *testing.T) {
	hits := 0
	byVar := map[string]int{}
	for i := 0; i < 4000; i++ {
		var b strings.Builder
		for j, n := 0, 1+i%9; j < n; j++ {
			b.WriteString(pieces[(i*7+j*13+j*j*i)%len(pieces)])
		}
		s := b.String()
		got, want := Scan(s), scanFull(s)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Scan(%q) = %v, want %v", s, got, want)
		}
		if got, want := Redact(s), redactFull(s); got != want {
			t.Fatalf("Redact(%q) = %q, want %q", s, got, want)
		}
		hits += len(got)
		for _, h := range got {
			byVar[h.Var]++
		}
	}
	for _, v := range []string{"URL_PASSWORD", "CURL_USER_PASSWORD", "MYSQL_CLI_PASSWORD", "DOCKER_LOGIN_PASSWORD", "HELM_LOGIN_PASSWORD",
		"PASSWORD_ARG", "DB_PASSWORD_VALUE", "PRIVATE_KEY_LITERAL", "GITHUB_TOKEN_LITERAL"} {
		if byVar[v] < 10 {
			t.Errorf("%s: %d hits, the texts miss its pattern (%v)", v, byVar[v], byVar)
		}
	}
	if hits < 1000 {
		t.Fatalf("only %d hits: the texts miss the patterns", hits)
	}
	// Generated Pipelines, the text Scan spends most of its time on, their sources, the real
	// corpus and the secret corpora.
	n := 0
	for _, dir := range []string{"../../travis/testdata", "../../jenkins/testdata", "../../../shared/corpus", "testdata"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			n++
			texts := []string{string(data)}
			if strings.HasSuffix(path, ".txt") {
				texts = append(texts, strings.Split(string(data), "\n")...)
			}
			for _, text := range texts {
				if got, want := Scan(text), scanFull(text); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: Scan(%.80q) = %v, want %v", path, text, got, want)
				}
				if got, want := Redact(text), redactFull(text); got != want {
					t.Errorf("%s: Redact(%.80q) = %.80q, want %.80q", path, text, got, want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 500 {
		t.Fatalf("only %d files read", n)
	}
}

func TestFilterOf(t *testing.T) {
	curl := []string{"-u\t", "-u\n", "-u\f", "-u\r", "-u ", "-u=", "--user\t", "--user\n", "--user\f", "--user\r", "--user ", "--user="}
	github := []string{"ho_", "hp_", "hr_", "hs_", "hu_", "ithub_pat_"}
	for _, c := range []struct {
		re         string
		lits, some []string
		inLine     bool
	}{
		{`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`, []string{"AKIA", "ASIA"}, []string{"AKIA", "ASIA"}, true},
		{`-----BEGIN [A-Z ]*PRIVATE KEY-----`, []string{"PRIVATE KEY-----"}, []string{"PRIVATE KEY-----"}, true},
		{`((?:^|\s)(?:-u|--user)(?:\s+|=)['"]?[^\s:'"]+):([^\s'"]+)`, curl, curl, false},
		{`(?i)token=x`, nil, nil, true},
		{`a*b?`, nil, nil, true},
		{`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b`, github, github, true},
		{`x[ab]y[cd]z`, []string{"xaycz", "xaydz", "xbycz", "xbydz"}, []string{"xaycz", "xaydz", "xbycz", "xbydz"}, true},
		{`\bxox[abposr]-[A-Za-z0-9-]{10,}\b`, []string{"xoxa-", "xoxb-", "xoxo-", "xoxp-", "xoxr-", "xoxs-"}, []string{"xox"}, true},
		{`(?:^|\s)login\s`, []string{"login\t", "login\n", "login\f", "login\r", "login "}, []string{"login"}, false},
		{`(?m)^# .*$`, []string{"# "}, []string{"# "}, false},
	} {
		f := filterFor(c.re)
		if !reflect.DeepEqual(f.lits, c.lits) || f.inLine != c.inLine || !reflect.DeepEqual(f.some, c.some) {
			t.Errorf("filterFor(%s) = %q %q %v, want %q %q %v", c.re, f.lits, f.some, f.inLine, c.lits, c.some, c.inLine)
		}
	}
}

// FuzzScanFilterExact: the filtered Scan and Redact find exactly what the whole-text patterns find.
func FuzzScanFilterExact(f *testing.F) {
	for i, p := range pieces {
		f.Add(p + pieces[(i*7)%len(pieces)] + "\n" + pieces[(i*13)%len(pieces)])
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Scan(s), scanFull(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("Scan(%q) = %v, want %v", s, got, want)
		}
		if got, want := Redact(s), redactFull(s); got != want {
			t.Fatalf("Redact(%q) = %q, want %q", s, got, want)
		}
	})
}

// credNameRegexp is IsCredentialName by its patterns alone.
func credNameRegexp(name string) bool {
	wholeText = true
	defer func() { wholeText = false }()
	return IsCredentialName(name)
}

// TestCredentialNameExact: IsCredentialName's string tests decide as its patterns do, on every
// word of the corpus and the secret corpora, with each credential word and ending glued on.
func TestCredentialNameExact(t *testing.T) {
	words := map[string]bool{"": true, "ſecret": true, "TOKEN_\u212a": true, "Pass": true, "_PWD": true, "x-pwd": true}
	for _, dir := range []string{"../../../shared/corpus", "testdata"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			for _, w := range strings.FieldsFunc(string(data), func(r rune) bool { return !isWord(byte(r)) && r != '-' && r != '.' }) {
				words[w] = true
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var extra []string
	for _, w := range append(credWordList, notCredWordList...) {
		extra = append(extra, w, strings.ToUpper(w), "my_"+w, "X-"+w, w+"_file", w+"Id", "pre"+w+"post")
	}
	for w := range words {
		extra = append(extra, w)
	}
	creds := sameVerdicts(t, "IsCredentialName", extra, IsCredentialName, credNameRegexp)
	if len(extra) < 5000 || creds < 200 {
		t.Fatalf("%d names, %d credentials: the names miss the patterns", len(extra), creds)
	}
}

func FuzzCredentialNameExact(f *testing.F) {
	for _, w := range append(credWordList, notCredWordList...) {
		f.Add("a_" + w)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := IsCredentialName(s), credNameRegexp(s); got != want {
			t.Fatalf("IsCredentialName(%q) = %v, want %v", s, got, want)
		}
	})
}

// literalFull is Literal with every regexp run.
func literalFull(name, value string) (string, bool) {
	wholeText = true
	defer func() { wholeText = false }()
	return Literal(name, value)
}

// TestLiteralFilterExact: Literal, which runs a pattern only on a value holding what its
// matches hold, judges as with every pattern run, on values built from the pieces (each kind
// of secret, near misses, edges) under credential and plain names.
func TestLiteralFilterExact(t *testing.T) {
	secrets := 0
	for i := 0; i < 4000; i++ {
		var b strings.Builder
		for j, n := 0, 1+i%3; j < n; j++ {
			b.WriteString(pieces[(i*7+j*13+j*j*i)%len(pieces)])
		}
		for _, name := range []string{"X", "API_TOKEN", "url"} {
			why, ok := Literal(name, b.String())
			wantWhy, want := literalFull(name, b.String())
			if why != wantWhy || ok != want {
				t.Fatalf("Literal(%q, %q) = %q, %v, want %q, %v", name, b.String(), why, ok, wantWhy, want)
			}
			if ok && !strings.HasPrefix(why, "its name") {
				secrets++
			}
		}
	}
	if secrets < 1000 {
		t.Fatalf("only %d values judged secrets by their form: the values miss the patterns", secrets)
	}
}

// placeholderFull is isPlaceholder by its regexp alone.
func placeholderFull(v string) bool {
	wholeText = true
	defer func() { wholeText = false }()
	return isPlaceholder(v)
}

// TestPlaceholderFilterExact: isPlaceholder, which runs its regexp only on values starting with
// a byte a match can start with, judges as the regexp does: on every placeholder word in
// several cases and with case-folding runes, every first byte, the pieces and the corpus's words.
func TestPlaceholderFilterExact(t *testing.T) {
	values := []string{"", "'", `"<x>"`, "ſecret", "\u212aey", "***", "xXx", "...", "your-key", "YOUR_TOKEN\n", "<a>b>"}
	for _, w := range []string{"changeme", "change_me", "replace_me", "replaceme", "todo", "none", "null", "nil", "dummy", "example",
		"redacted", "your_x", "test", "secret", "password", "token", "postgres", "root", "mysql", "admin", "guest", "pass"} {
		values = append(values, w, strings.ToUpper(w), strings.ToUpper(w[:1])+w[1:], "'"+w+"'", w+"x")
	}
	for c := 0; c < 256; c++ {
		values = append(values, string(rune(c))+"est", string([]byte{byte(c)})+"ummy")
	}
	values = append(values, pieces...)
	_ = filepath.WalkDir("../../../shared/corpus/travis", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(path); err == nil {
				values = append(values, strings.Fields(string(data))...)
			}
		}
		return nil
	})
	stand := sameVerdicts(t, "isPlaceholder", values, isPlaceholder, placeholderFull)
	if len(values) < 5000 || stand < 100 {
		t.Fatalf("%d values, %d placeholders: too few to show anything", len(values), stand)
	}
}

// sameVerdicts fails at the first value where fast and its plain form full differ, and counts
// the values fast accepts.
func sameVerdicts(t *testing.T, name string, values []string, fast, full func(string) bool) int {
	t.Helper()
	n := 0
	for _, v := range values {
		got, want := fast(v), full(v)
		if got != want {
			t.Fatalf("%s(%q) = %v, the patterns say %v", name, v, got, want)
		}
		if got {
			n++
		}
	}
	return n
}
