package jenkins

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// shArg finds sh/bat calls whose script is a string literal, by a plain text scan that does not
// share code with the parser: sh 'x', sh("x"), sh script: ”'x”', bat """x""".
var shArg = regexp.MustCompile(`(?s)\b(?:sh|bat)\s*\(?\s*(?:script\s*:\s*)?('''(.*?)'''|"""(.*?)"""|'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")`)

var gstringExpr = regexp.MustCompile(`\$\{[^}]*\}|\$[A-Za-z_][\w.]*`)

// groovyUnescape decodes the escapes a Groovy string literal may hold.
func groovyUnescape(s string) string {
	r := strings.NewReplacer(`\\`, `\`, `\'`, `'`, `\"`, `"`, `\$`, `$`, `\n`, "\n", `\t`, "\t")
	return r.Replace(s)
}

// stripComments blanks // and /* */ comments outside string literals (keeping line breaks),
// so commented-out code does not count as a command.
func stripComments(src string) string {
	b := []byte(src)
	for i := 0; i < len(b); i++ {
		switch {
		case strings.HasPrefix(src[i:], "'''"), strings.HasPrefix(src[i:], `"""`):
			end := strings.Index(src[i+3:], src[i:i+3])
			if end < 0 {
				return string(b)
			}
			i += end + 5
		case b[i] == '\'' || b[i] == '"':
			q := b[i]
			for i++; i < len(b) && b[i] != q && b[i] != '\n'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case strings.HasPrefix(src[i:], "//"):
			for ; i < len(b) && b[i] != '\n'; i++ {
				b[i] = ' '
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src) - i - 4
			}
			for j := i; j < i+end+4 && j < len(b); j++ {
				if b[j] != '\n' {
					b[j] = ' '
				}
			}
			i += end + 3
		}
	}
	return string(b)
}

// commands returns, for each sh/bat literal in src, its line and the text fragments that must
// survive conversion (GString expressions split the text, since they are rewritten).
func commands(src string) (lines []int, frags [][]string) {
	src = stripComments(src)
	for _, m := range shArg.FindAllStringSubmatchIndex(src, -1) {
		line := strings.Count(src[:m[0]], "\n") + 1
		var body string
		gstring := false
		switch {
		case m[4] >= 0:
			body = src[m[4]:m[5]]
		case m[6] >= 0:
			body, gstring = src[m[6]:m[7]], true
		case m[8] >= 0:
			body = src[m[8]:m[9]]
		case m[10] >= 0:
			body, gstring = src[m[10]:m[11]], true
		}
		var parts []string
		chunks := []string{body}
		if gstring {
			chunks = gstringExpr.Split(body, -1)
		}
		for _, ch := range chunks {
			for _, l := range strings.Split(groovyUnescape(ch), "\n") {
				if l = strings.TrimSpace(l); len(l) >= 3 {
					parts = append(parts, l)
				}
			}
		}
		if len(parts) > 0 {
			lines = append(lines, line)
			frags = append(frags, parts)
		}
	}
	return lines, frags
}

// outputText collects every scalar and comment of the output YAML, decoded.
func outputText(t *testing.T, files []convert.File) string {
	var b strings.Builder
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for _, cm := range []string{n.HeadComment, n.LineComment, n.FootComment} {
			for _, l := range strings.Split(cm, "\n") {
				b.WriteString(strings.TrimPrefix(strings.TrimSpace(l), "#") + "\n")
			}
		}
		if n.Kind == yaml.ScalarNode {
			b.WriteString(n.Value + "\n")
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, f := range files {
		dec := yaml.NewDecoder(bytes.NewReader(f.Data))
		for {
			var doc yaml.Node
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			walk(&doc)
		}
	}
	return b.String()
}

// TestCommandRecall: every sh/bat command of the corpus appears in an output step or marker.
func TestCommandRecall(t *testing.T) {
	total, found := 0, 0
	for _, set := range []string{"jenkins-declarative", "jenkinsfile"} {
		for _, f := range corpusFiles(t, set) {
			res, data, err := convertFile(t, f, convert.KindJenkinsfile)
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			out := outputText(t, res.Files)
			// Normalise indentation: scripts and comments are compared line by line, trimmed.
			var norm strings.Builder
			for _, l := range strings.Split(out, "\n") {
				norm.WriteString(strings.TrimSpace(l) + "\n")
			}
			text := norm.String()
			lines, frags := commands(string(data))
			for i, parts := range frags {
				total++
				ok := true
				for _, p := range parts {
					if !strings.Contains(text, p) {
						ok = false
						t.Errorf("%s:%d: command text %q is in no output step or marker", filepath.Base(f), lines[i], p)
						break
					}
				}
				if ok {
					found++
				}
			}
		}
	}
	t.Logf("command recall: %d of %d sh/bat commands found in the output", found, total)
}
