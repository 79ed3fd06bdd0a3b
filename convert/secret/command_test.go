package secret

import (
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestSecretInCommandCorpus: Scan finds every secret of a command in the corpus, with the name of
// the env var a script reads it from, and nothing in the commands that hold none.
func TestSecretInCommandCorpus(t *testing.T) {
	secrets, plains := 0, 0
	for _, line := range corpus(t, "testdata/commands.txt") {
		want, command, _ := strings.Cut(line, " | ")
		var got []string
		for _, h := range Scan(command) {
			got = append(got, "secret "+h.Var+" "+command[h.Start:h.End])
			if strings.Contains(h.What, command[h.Start:h.End]) {
				t.Errorf("%q: the hit's name %q holds the value", command, h.What)
			}
		}
		if want == "plain" {
			plains++
		} else {
			secrets++
		}
		if g := strings.Join(got, "; "); g != strings.TrimSuffix(want, "plain") && !(want == "plain" && g == "") {
			t.Errorf("Scan(%q) = %q, want %q", command, g, want)
		}
	}
	if secrets < 20 || plains < 20 {
		t.Fatalf("corpus has %d true and %d false positives", secrets, plains)
	}
}

// TestMoveRunsAsBefore runs each command as written and as Move rewrote it (its env var set to
// the secret), with every command a stub printing its arguments: both print the same, and the
// rewritten script holds no secret. Where the reference might read otherwise, the script fails
// loud before running anything.
func TestMoveRunsAsBefore(t *testing.T) {
	bin := t.TempDir()
	for _, name := range []string{"curl", "git", "mysql", "docker", "mvn", "twine", "deploy", "cat", "sh-stub"} {
		stub := "#!/bin/sh\necho \"" + name + "\"; for a in \"$@\"; do printf '[%s]' \"$a\"; done; echo; if [ \"$1\" = - ] || [ $# = 0 ]; then while IFS= read -r l; do echo \"<$l\"; done; fi\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	run := func(script string, env ...string) (string, error) {
		cmd := exec.Command("/bin/sh", "-c", script)
		cmd.Env = append([]string{"PATH=" + bin, "HOME=" + bin, "X=1"}, env...)
		cmd.Dir = bin
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, c := range []struct {
		script, want string
		exact        bool
	}{
		{"curl -u deploy:Pa55w0rdXyz https://example.com/x", `curl -u deploy:"${CURL_USER_PASSWORD}" https://example.com/x`, true},
		{"git clone 'https://bob:GITPW789abc@github.com/o/r.git' dir", `git clone 'https://bob:'"${URL_PASSWORD}"'@github.com/o/r.git' dir`, true},
		{`git clone "https://bob:GITPW789abc@github.com/$X/r.git"`, `git clone "https://bob:${URL_PASSWORD}@github.com/$X/r.git"`, true},
		{"mysql -uroot -pDBs3cretPW -e 'select 1'", `mysql -uroot -p"${MYSQL_CLI_PASSWORD}" -e 'select 1'`, true},
		{`docker login -u me -p "Dock Pw'9988" r.io`, `docker login -u me -p "${DOCKER_LOGIN_PASSWORD}" r.io`, true},
		{"echo x $(docker login -u me -p DockPw9988 r.io) y", `echo x $(docker login -u me -p "${DOCKER_LOGIN_PASSWORD}" r.io) y`, true},
		{"echo \"$(twine upload --password 'Hunter2Hunter' f)\"", `echo "$(twine upload --password ''"${PASSWORD_ARG}"'' f)"`, true},
		{"export API_TOKEN=Zq8XkP2mW9rT4vB7nY3cL6hJ1gF5dS0a; deploy \"$API_TOKEN\"", `export API_TOKEN="${API_TOKEN_VALUE}"; deploy "$API_TOKEN"`, true},
		{"# curl -u deploy:Pa55w0rdXyz\ncurl -V", "# curl -u deploy:\"${CURL_USER_PASSWORD}\"\ncurl -V", true},
		// A literal glued to a reference: only the literal moves, sh joins the word as before.
		{"curl -u deploy:Pa55w0rdXyz${X} https://x", `curl -u deploy:"${CURL_USER_PASSWORD}"${X} https://x`, true},
		{"curl -u \"deploy:${X}Pa55w0rdXyz\" https://x", `curl -u "deploy:${X}${CURL_USER_PASSWORD}" https://x`, true},
		{"mysql -pS3cretPw77$X -e 'select 1'", `mysql -p"${MYSQL_CLI_PASSWORD}"$X -e 'select 1'`, true},
		{"mysql -p'S3cretPw77'\"$X\" -e 'select 1'", `mysql -p''"${MYSQL_CLI_PASSWORD}"''"$X" -e 'select 1'`, true},
		{"docker login -u me -p DockPw9988$(echo a b) r.io", `docker login -u me -p "${DOCKER_LOGIN_PASSWORD}"$(echo a b) r.io`, true},
		{"export API_TOKEN=${X}Zq8XkP2mW9rT4vB7nY3cL6hJ1gF5dS0a; deploy \"$API_TOKEN\"", `export API_TOKEN=${X}"${API_TOKEN_VALUE}"; deploy "$API_TOKEN"`, true},
		// Plain parts between references: each secret part moves on its own, one var a value.
		{"curl -u deploy:Pa55w0rd${X}Xyz9876 https://x", `curl -u deploy:"${CURL_USER_PASSWORD}"${X}"${CURL_USER_PASSWORD_2}" https://x`, true},
		{"curl -u \"user:${A}S3cretPw77${X}\" https://x", `curl -u "user:${A}${CURL_USER_PASSWORD}${X}" https://x`, true},
		{"curl -u deploy:${X}xxx${X}S3cretPw77${X}-${X} https://x", `curl -u deploy:${X}xxx${X}"${CURL_USER_PASSWORD}"${X}-${X} https://x`, true},
		{"mysql -p${X}MidPw4455$X -e 'select 1'", `mysql -p${X}"${MYSQL_CLI_PASSWORD}"$X -e 'select 1'`, true},
		{"twine upload --password=Hunter2${X}Hunter9 dist/*", `twine upload --password="${PASSWORD_ARG}"${X}"${PASSWORD_ARG_2}" dist/*`, true},
		{"export DB_PASSWORD=${X}S3cretPw77${X}; deploy \"$DB_PASSWORD\"", `export DB_PASSWORD=${X}"${DB_PASSWORD_VALUE}"${X}; deploy "$DB_PASSWORD"`, true},
		// Where sh would read the reference otherwise, or can't be told: fail loud.
		{"curl -u deploy:~Pa55w0rd${X} https://x", `curl -u deploy:"${CURL_USER_PASSWORD}"${X} https://x`, false},
		{"cat <<EOF\ncurl -u deploy:Pa55w0rdXyz\nEOF", "cat <<EOF\ncurl -u deploy:${CURL_USER_PASSWORD}\nEOF", false},
		{"echo `curl -u deploy:Pa55w0rdXyz x`", "echo `curl -u deploy:${CURL_USER_PASSWORD} x`", false},
		{"curl -u deploy:Pa55w0rd* https://x", `curl -u deploy:"${CURL_USER_PASSWORD}" https://x`, false},
		{`curl -u deploy:Pa55\w0rd https://x`, `curl -u deploy:${CURL_USER_PASSWORD} https://x`, false},
	} {
		var values []string
		vars := map[string]string{} // one var a value, as the front-ends name them
		got, moved := Move(c.script, func(h Hit, value string) string {
			if v, ok := vars[value]; ok {
				return v
			}
			v := h.Var
			if len(vars) > 0 {
				v += "_" + strconv.Itoa(len(vars)+1)
			}
			vars[value] = v
			values = append(values, v+"="+value)
			return v
		})
		if len(moved) == 0 {
			t.Errorf("%q: nothing moved", c.script)
			continue
		}
		want := c.want
		if !c.exact {
			want = failLoud(want, "$"+moved[0].Var)
		}
		if got != want {
			t.Errorf("Move(%q)\n got  %s\n want %s", c.script, got, want)
		}
		for _, m := range moved {
			if strings.Contains(got, m.Value) || m.Exact != c.exact {
				t.Errorf("%q: the value stays, or exact is %v", c.script, m.Exact)
			}
		}
		before, errBefore := run(c.script)
		after, errAfter := run(got, values...)
		if c.exact && (before != after || (errBefore == nil) != (errAfter == nil)) {
			t.Errorf("%q runs otherwise:\nbefore %s(%v)\nafter  %s(%v)", c.script, before, errBefore, after, errAfter)
		}
		if !c.exact && (errAfter == nil || !strings.HasPrefix(after, "tkn-migrate: manual:") || strings.Count(after, "\n") != 1) {
			t.Errorf("%q does not fail loud before it runs: %s(%v)", c.script, after, errAfter)
		}
	}
}

// TestQuoting: the quoting lexer places bytes in quotes, $( ), comments and heredocs.
func TestQuoting(t *testing.T) {
	script := "A 'B' \"C$(D 'E')\" #F\ncat <<-'X'\n\tG\n\tX\nH `I` \\J $'K'"
	letters := map[byte]quote{'A': bare, 'B': single, 'C': double, 'D': bare, 'E': single, 'F': comment, 'G': unknown, 'H': bare, 'I': unknown, 'J': unknown, 'K': unknown}
	q := quoting(script)
	for i := 0; i < len(script); i++ {
		if want, ok := letters[script[i]]; ok && q[i] != want {
			t.Errorf("%c at %d: quoting %d, want %d", script[i], i, q[i], want)
		}
	}
}

// TestMoveRemembered: Move reads a script's secrets from the memo as Scan finds them; a
// script with none is remembered in clean only, one with some in scripts only.
func TestMoveRemembered(t *testing.T) {
	scripts.Reset()
	clean.reset()
	varFor := func(h Hit, value string) string { return h.Var }
	moved, cleaned := 0, 0
	for _, line := range corpus(t, "testdata/commands.txt") {
		_, command, _ := strings.Cut(line, " | ")
		first, firstMoved := Move(command, varFor)
		key := sha256.Sum256([]byte(command))
		_, held := scripts.Get(key)
		if isClean := clean.has(key); held == isClean || isClean != (len(Scan(command)) == 0) {
			t.Fatalf("Move(%q): in scripts %v, in clean %v, with %d hits", command, held, isClean, len(Scan(command)))
		} else if isClean {
			cleaned++
		}
		again, againMoved := Move(command, varFor)
		if first != again || !reflect.DeepEqual(firstMoved, againMoved) || !reflect.DeepEqual(scanScript(command), Scan(command)) {
			t.Errorf("Move(%q) from the memo = %q %v, want %q %v", command, again, againMoved, first, firstMoved)
		}
		moved += len(firstMoved)
	}
	if moved < 20 || cleaned < 5 {
		t.Fatalf("only %d secrets moved, %d clean scripts", moved, cleaned)
	}
}
