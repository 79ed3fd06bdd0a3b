// Package secret keeps credentials out of everything tkn-migrate prints: it redacts them
// from messages, and tells a plain-text secret literal in a source from an ordinary value.
package secret

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Mask replaces a secret value in messages, comments and reports.
const Mask = "<redacted>"

var (
	// urlUserinfo matches the password of scheme://user:password@host.
	urlUserinfo = withNear(newPattern(`([A-Za-z][A-Za-z0-9+.-]*://[^\s:/@'"]*):([^\s@/'"]+)@`), userinfoAfter)
	// curlUser matches curl's -u/--user user:password (not pip's --user git+https://...).
	curlUser = newPattern(`((?:^|\s)(?:-u|--user)(?:\s+|=)['"]?[^\s:'"]+):([^\s'"/][^\s'"]*)`)
	// keyValue matches NAME=value where NAME names a credential.
	keyValue = lazyre.New(`(?i)\b([A-Za-z0-9_.-]*(?:` + credWords + `)[A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s,;)"']+)`)
	// shapes are tokens recognisable by their form alone; v names the env var a script reads
	// one from (never a name a tool reads by itself, such as AWS_ACCESS_KEY_ID).
	shapes = []struct {
		what, v string
		re      *pattern
	}{
		{"an AWS access key ID", "AWS_KEY_ID_LITERAL", newPattern(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`)},
		{"a GitHub token", "GITHUB_TOKEN_LITERAL", newPattern(`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b`)},
		{"a GitLab token", "GITLAB_TOKEN_LITERAL", newPattern(`\bglpat-[A-Za-z0-9_-]{20,}\b`)},
		{"a Slack token", "SLACK_TOKEN_LITERAL", newPattern(`\bxox[abposr]-[A-Za-z0-9-]{10,}\b`)},
		{"a Google API key", "GOOGLE_API_KEY_LITERAL", newPattern(`\bAIza[0-9A-Za-z_-]{35}\b`)},
		{"an npm token", "NPM_TOKEN_LITERAL", newPattern(`\bnpm_[A-Za-z0-9]{36}\b`)},
		// The whole key when its END line is there (free text), else its BEGIN line (a value).
		{"a private key", "PRIVATE_KEY_LITERAL", newPattern(`-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[A-Za-z0-9+/=\s:,-]*?-----END [A-Z ]*PRIVATE KEY-----)?`)},
	}
)

func withNear(p *pattern, near func(string, int) bool) *pattern {
	p.near = near
	return p
}

// userinfoAfter reports that the "://" at at is followed as urlUserinfo's matches need:
// [^\s:/@'"]*:[^\s@/'"]+@, read byte by byte (most URLs in scripts have no userinfo, and the
// regexp, with no literal prefix, was tried from every byte of their lines).
func userinfoAfter(s string, at int) bool {
	i := at + len("://")
	for i < len(s) && !isSpace(s[i]) && !strings.ContainsRune(`:/@'"`, rune(s[i])) {
		i++
	}
	if i == len(s) || s[i] != ':' {
		return false
	}
	j := i + 1
	for j < len(s) && !isSpace(s[j]) && !strings.ContainsRune(`@/'"`, rune(s[j])) {
		j++
	}
	return j > i+1 && j < len(s) && s[j] == '@'
}

// credWords are the name parts that mark a credential (PipelineResource fields included).
const credWords = `password|passwd|passphrase|secret|token|apikey|api_key|api-key|access_key|accesskey|private_key|privatekey|credentials|cadata|clientkeydata|clientcertificatedata|auth`

var credName = lazyre.New(`(?i)(` + credWords + `|^pass$|^pwd$|_pass$|_pwd$)`)

// notCredWords are name endings that hold something about a credential, not the credential.
const notCredWords = `file|path|dir|name|names|id|url|uri|endpoint|host|type|mode|enabled|env|var|key_id|keyid|ref|header|user|username|length|ttl|expiry|expires|method|provider|scope|scopes|from`

var notCredName = lazyre.New(`(?i)(_|-|^)(` + notCredWords + `)$`)

// The word lists of credName and notCredName, for names in ASCII (most of them), where the
// patterns' case folding is ASCII's and plain string tests decide the same.
var credWordList, notCredWordList = strings.Split(credWords, "|"), strings.Split(notCredWords, "|")

// Redact returns s with credentials replaced by Mask: the password of a URL's userinfo, curl's
// -u user:password, the value of a NAME=value whose name names a credential, tokens
// recognisable by their shape, and every value in known.
func Redact(s string, known ...string) string {
	for _, k := range known {
		if len(k) >= 4 {
			s = strings.ReplaceAll(s, k, Mask)
		}
	}
	if mayMatch(urlUserinfo, s) {
		s = urlUserinfo.ReplaceAllStringFunc(s, func(m string) string {
			sub := urlUserinfo.FindStringSubmatch(m)
			return sub[1] + ":" + maskGlued(sub[2], anyPart) + "@"
		})
	}
	if mayMatch(curlUser, s) {
		s = curlUser.ReplaceAllStringFunc(s, func(m string) string {
			sub := curlUser.FindStringSubmatch(m)
			return sub[1] + ":" + maskGlued(sub[2], anyPart)
		})
	}
	if strings.IndexByte(s, '=') >= 0 && mayHoldCredWord(s) { // keyValue's literals, which its (?i) hides from mayMatch
		s = keyValue.ReplaceAllStringFunc(s, func(m string) string {
			sub := keyValue.FindStringSubmatch(m)
			v := strings.Trim(sub[2], `"'`)
			if !IsCredentialName(sub[1]) || strings.HasPrefix(v, "<") {
				return m
			}
			if isReference(v) { // glued: its plain parts are judged as whole values are
				q := sub[2][:len(sub[2])-len(strings.TrimLeft(sub[2], `"'`))]
				return sub[1] + "=" + q + maskGlued(v, func(p string) bool { _, ok := Literal(sub[1], p); return ok }) + q
			}
			return sub[1] + "=" + Mask
		})
	}
	for _, sh := range shapes {
		if mayMatch(sh.re, s) {
			s = sh.re.ReplaceAllString(s, Mask)
		}
	}
	return s
}

// mayHoldCredWord reports whether s can hold one of credWords in any case: always when s is
// not ASCII, where case folding goes beyond ASCII's.
func mayHoldCredWord(s string) bool {
	lower, ascii := asciiLower(s)
	if !ascii || wholeText {
		return true
	}
	for _, w := range credWordList {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// IsCredentialName reports a variable or field name that holds a credential: PASSWORD,
// GITHUB_TOKEN, cadata; but not TOKEN_FILE or SECRET_NAME, which only point at one.
func IsCredentialName(name string) bool {
	lower, ascii := asciiLower(name)
	if !ascii || wholeText {
		return credName.MatchString(name) && !notCredName.MatchString(name)
	}
	cred := lower == "pass" || lower == "pwd" || strings.HasSuffix(lower, "_pass") || strings.HasSuffix(lower, "_pwd")
	for _, w := range credWordList {
		cred = cred || strings.Contains(lower, w)
	}
	if !cred {
		return false
	}
	for _, w := range notCredWordList {
		if n := len(lower) - len(w); n >= 0 && lower[n:] == w && (n == 0 || lower[n-1] == '_' || lower[n-1] == '-') {
			return false
		}
	}
	return true
}

// asciiLower is s in lower case, and whether s is all ASCII.
func asciiLower(s string) (string, bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return "", false
		}
		upper = upper || 'A' <= s[i] && s[i] <= 'Z'
	}
	if !upper {
		return s, true
	}
	return strings.ToLower(s), true
}

// Literal reports whether value, assigned to name in a source file, is a plain-text secret,
// and why (for the finding's message; the value itself is never part of it).
func Literal(name, value string) (string, bool) {
	v := strings.TrimSpace(value)
	if v == "" || isReference(v) || isPlaceholder(v) {
		return "", false
	}
	// What every match holds (mayHold; "-u" is in -u and --user) is looked for first: the
	// regexps then run only where they can match, on the many assignments a Pipeline holds.
	for _, sh := range shapes {
		if mayHold(sh.re, v) && sh.re.MatchString(v) {
			return "it has the shape of " + sh.what, true
		}
	}
	if mayHold(urlUserinfo, v) {
		if m := urlUserinfo.FindStringSubmatch(v); m != nil && !isReference(m[2]) {
			return "it is a URL with a password", true
		}
	}
	if wholeText || strings.Contains(v, "-u") {
		if m := curlUser.FindStringSubmatch(" " + v); m != nil && !isReference(m[2]) {
			return "it passes a password to curl -u", true
		}
	}
	if IsCredentialName(name) && len(v) >= 4 && !isBoring(v) {
		return "its name says it holds a credential", true
	}
	if looksRandom(v) {
		return "it is a long random string", true
	}
	return "", false
}

// Glued judges a value that holds references (Tekton's $(params.x), sh's ${X}), which
// Literal leaves alone, part by part: each plain part glued to them is judged by Literal's rules
// as a whole value is (and the password of a URL or curl -u in it as Literal judges one). It
// returns the parts that are plain-text secrets, in order, with offsets into value, What the
// reason (never the value) and Var an env var to read one from; none for a value without a $
// reference.
func Glued(name, value string) []Hit {
	if strings.IndexByte(value, '$') < 0 {
		return nil
	}
	var hits []Hit
	v := envName(name) + "_VALUE"
	judge := func(why, text string, s, e, off int) {
		ps, _ := plainParts(text, s, e, false)
		for _, p := range ps {
			if part := text[p[0]:p[1]]; gluedPart(part) && !isPlaceholder(part) {
				hits = append(hits, Hit{why, v, p[0] - off, p[1] - off})
			}
		}
	}
	for _, m := range findAll(urlUserinfo, value) {
		judge("it is a URL with a password", value, m[4], m[5], 0)
	}
	for _, m := range findAll(curlUser, " "+value) {
		judge("it passes a password to curl -u", " "+value, m[4], m[5], 1)
	}
	ps, _ := plainParts(value, 0, len(value), false)
	for _, p := range ps {
		if why, ok := Literal(name, value[p[0]:p[1]]); ok && gluedPart(value[p[0]:p[1]]) {
			hits = append(hits, Hit{why, v, p[0], p[1]})
		}
	}
	return dropOverlaps(hits)
}

// Value judges a value as Literal does, and a value glued to references part by part as Glued
// does: for a check that reports a secret where it stands (lint, an upgrade's env values).
func Value(name, value string) (string, bool) {
	if why, ok := Literal(name, value); ok {
		return why, true
	}
	if g := Glued(name, value); len(g) > 0 {
		return "its plain part glued to references: " + g[0].What, true
	}
	return "", false
}

// Hit is a secret found in free text (a script line, a URL): What names its kind, Var is a
// name for the env var a script could read it from instead.
type Hit struct {
	What, Var  string
	Start, End int // byte offsets of the secret in the text
}

// Scan finds secrets in free text: URL and curl -u passwords, a password option of a command
// (mysql -pX, docker login -p X, --password=X, --token X), a credential-named NAME=value, and
// tokens by their shape. Placeholders and references are left alone, a value glued to
// references is judged part by part (plainParts); overlapping hits count once.
func Scan(text string) []Hit { return scan(text, false) }

// ScanCmd is Scan for a cmd.exe line, where %NAME% is a reference too (cmd pastes its value).
func ScanCmd(text string) []Hit { return scan(text, true) }

func scan(text string, cmd bool) []Hit {
	var out []Hit
	parts := func(start, end int) [][2]int {
		p, _ := plainParts(text, start, end, cmd)
		return p
	}
	add := func(what, v string, start, end int) {
		parts := parts(start, end)
		glued := len(parts) > 1 || len(parts) == 1 && parts[0] != [2]int{start, end}
		for _, p := range parts {
			if s := text[p[0]:p[1]]; (!glued || gluedPart(s)) && !isReference(s) && !isPlaceholder(s) {
				out = append(out, Hit{what, v, p[0], p[1]})
			}
		}
	}
	for _, m := range findAll(urlUserinfo, text) {
		add("a URL with a password", "URL_PASSWORD", m[4], m[5])
	}
	for _, m := range matches(curlUser, text) {
		add("a password passed to curl -u", "CURL_USER_PASSWORD", m[4], m[5])
	}
	commandHits(text, parts, add)
	for _, sh := range shapes {
		for _, m := range findAll(sh.re, text) {
			add(sh.what, sh.v, m[0], m[1])
		}
	}
	return dropOverlaps(out)
}

// isReference reports a value that names a secret held elsewhere: $VAR, ${VAR}, $(params.x),
// ${{ secrets.X }}, %VAR%, or a Jenkins credentials('id') call.
func isReference(v string) bool {
	return strings.Contains(v, "$") || strings.HasPrefix(v, "%") && strings.HasSuffix(v, "%") ||
		strings.Contains(v, "credentials(") || strings.Contains(v, "{{")
}

var placeholder = lazyre.New(`(?i)^(<[^>]*>|\*+|x+|\.\.\.|changeme|change_me|replace_?me|todo|none|null|nil|dummy|example|redacted|your[_-].*|test|secret|password|token|postgres|root|mysql|admin|guest|pass)$`)

// isPlaceholder reports stand-ins and the well-known defaults of throwaway CI databases.
func isPlaceholder(v string) bool {
	v = strings.Trim(v, `"'`)
	if !wholeText && v != "" && v[0] < utf8.RuneSelf && !strings.Contains(placeholderFirst, v[:1]) {
		return false // judged for every value a scan meets: most start where no placeholder can
	}
	return placeholder.MatchString(v)
}

// placeholderFirst are the ASCII bytes a match of placeholder can start with: each
// alternative's first byte in either case (under (?i) only ſ and K fold to ASCII letters,
// and they are not ASCII).
const placeholderFirst = "<*.xXcCrRtTnNdDeEyYsSpPmMaAgG"

// isBoring reports values a credential-named variable holds that are not credentials:
// booleans, small numbers, file paths.
func isBoring(v string) bool {
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off", "enabled", "disabled":
		return true
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/") {
		return true
	}
	digits := true
	for _, r := range v {
		digits = digits && r >= '0' && r <= '9'
	}
	return digits && len(v) < 8
}

// looksRandom reports a long string of mixed letter case and digits with high entropy:
// a key or token whatever its name. Hex (commit SHAs, digests), anything with a
// separator (paths, versions, URLs) and dashed names are not.
func looksRandom(v string) bool {
	if len(v) < 24 || strings.ContainsAny(v, " ./:@") || len(strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == '_' })) >= 3 {
		return false // words joined by - or _ are a name (Jenkins-Agent-X64-Docker-Host), not a key
	}
	var lower, upper, digit, hex bool
	hex = true
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
			hex = hex && r <= 'f'
		case r >= 'A' && r <= 'Z':
			upper = true
			hex = hex && r <= 'F'
		case r >= '0' && r <= '9':
			digit = true
		case r == '+' || r == '=' || r == '_' || r == '-':
			hex = false
		default:
			return false
		}
	}
	return !hex && lower && upper && digit && Entropy(v) >= 4.0
}

// Entropy is the Shannon entropy of s in bits per byte.
func Entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	e := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(len(s))
			e -= p * math.Log2(p)
		}
	}
	return e
}

// plainParts are the plain parts of the value text[s:e] that a secret could be: the whole
// value when it holds no reference, else each run of plain bytes between the sh references
// it is glued to (Pa55${HOST}, ${HOST}Pa55, Pa55${X}w0rd, user:${A}Pw${B}), each judged on its
// own; with cmd, %NAME% is a reference too. A value that is all references, or that holds a
// spaced run (Bearer ${T}) or a $ that is no reference, has none (ok false).
func plainParts(text string, s, e int, cmd bool) (parts [][2]int, ok bool) {
	v := text[s:e]
	ref := func(i int) bool { return v[i] == '$' || cmd && cmdRefLen(v[i:]) > 0 }
	if strings.IndexByte(v, '$') < 0 && (!cmd || strings.IndexByte(v, '%') < 0) {
		return [][2]int{{s, e}}, true
	}
	refs := 0
	for i := 0; i < len(v); {
		if n := cmdRefLen(v[i:]); cmd && n > 0 {
			i, refs = i+n, refs+1
			continue
		}
		if !ref(i) {
			j := i
			for j < len(v) && !ref(j) {
				j++
			}
			if strings.ContainsAny(v[i:j], " \t\n\r\f") {
				return nil, false
			}
			parts = append(parts, [2]int{s + i, s + j})
			i = j
			continue
		}
		n := refLen(v[i:])
		if n == 0 && i == len(v)-1 && e < len(text) && text[e] == '(' {
			n = 1 // $( ... ) that the value's pattern stops before
		}
		if n == 0 {
			return nil, false
		}
		i, refs = i+n, refs+1
	}
	if refs == 0 { // a cmd value whose % starts no reference
		return [][2]int{{s, e}}, true
	}
	return parts, len(parts) > 0
}

// gluedPart reports whether a plain part of a value glued to references can be a secret at all:
// a run of punctuation alone (${A}-${B}, ${U}:${P}) separates the references.
func gluedPart(p string) bool {
	return strings.IndexFunc(p, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// anyPart judges every plain part of a password a secret: Redact masks rather than tell.
func anyPart(string) bool { return true }

// maskGlued is v, a value that passes a secret, as Redact shows it: Mask, or, when v is glued
// to references, the references with Mask for each plain part that secret judges one.
func maskGlued(v string, secret func(part string) bool) string {
	if !isReference(v) {
		return Mask
	}
	parts, ok := plainParts(v, 0, len(v), false)
	if !ok {
		return v
	}
	var b strings.Builder
	last := 0
	for _, p := range parts {
		if part := v[p[0]:p[1]]; gluedPart(part) && secret(part) {
			b.WriteString(v[last:p[0]] + Mask)
			last = p[1]
		}
	}
	return b.String() + v[last:]
}

// cmdRefLen is the length of the cmd.exe variable reference %NAME% at the start of r, 0 when r
// does not start with one.
func cmdRefLen(r string) int {
	if len(r) < 3 || r[0] != '%' {
		return 0
	}
	if n := nameEnd(r, 1, isWord); n > 0 && n < len(r) && r[n] == '%' {
		return n + 1
	}
	return 0
}

// refLen is the length of the sh parameter or command reference at the start of r ($NAME,
// ${...}, $(...), $1, $@ and the like), 0 when r does not start with a whole one.
func refLen(r string) int {
	if len(r) < 2 || r[0] != '$' {
		return 0
	}
	switch c := r[1]; {
	case c == '{' || c == '(':
		end := byte('}')
		if c == '(' {
			end = ')'
		}
		depth := 0
		for i := 1; i < len(r); i++ {
			switch r[i] {
			case c:
				depth++
			case end:
				if depth--; depth == 0 {
					return i + 1
				}
			case '\'', '"', '`', '\\':
				return 0 // quoting inside: not read here
			}
		}
		return 0
	case isLetter(c) || c == '_':
		i := 2
		for i < len(r) && isWord(r[i]) {
			i++
		}
		if i < len(r) && r[i] == ':' {
			if n := nameEnd(r, i+1, isWord); strings.EqualFold(r[1:i], "env") && n > 0 {
				return n // PowerShell's $env:NAME: one reference
			}
			return 0 // another scope ($global:x), one reference that sh would read as two
		}
		return i
	case isDigit(c) || strings.IndexByte("@*#?-$!", c) >= 0:
		return 2
	}
	return 0
}
