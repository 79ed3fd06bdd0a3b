package jenkins

import (
	"strings"
)

// quoteState is where a shell script stands at some point: what an expansion written there means.
type quoteState int

const (
	shellPlain         quoteState = iota // ${X} expands
	shellSingle                          // inside '...': nothing expands
	shellDouble                          // inside "...": ${X} expands
	shellHeredoc                         // in an unquoted here-document body: ${X} expands
	shellQuotedHeredoc                   // in a <<'EOT' body: nothing expands
	shellComment                         // after # to the end of the line
)

// shellTracker follows the quoting of a script as it is written, so that a Groovy
// interpolation turned into a shell expansion lands where the shell expands it.
// It knows quotes, backslashes, comments and here-documents, which is what
// Jenkinsfile scripts use; it never runs anything.
type shellTracker struct {
	state   quoteState
	escaped bool
	line    strings.Builder // the current line, to find here-document starts and ends
	body    []heredoc       // the here-document whose body we are in (first) and any queued after it
}

type heredoc struct {
	delim  string
	quoted bool
}

// write feeds text that the script now contains.
func (t *shellTracker) write(s string) {
	for i := 0; i < len(s); i++ {
		t.byte(s[i])
	}
}

func (t *shellTracker) byte(c byte) {
	if c == '\n' {
		t.endLine()
		return
	}
	t.line.WriteByte(c)
	if t.escaped {
		t.escaped = false
		return
	}
	switch t.state {
	case shellPlain:
		switch c {
		case '\\':
			t.escaped = true
		case '\'':
			t.state = shellSingle
		case '"':
			t.state = shellDouble
		case '#':
			if l := t.line.String(); len(l) == 1 || strings.ContainsRune(" \t;&|(", rune(l[len(l)-2])) {
				t.state = shellComment
			}
		}
	case shellSingle:
		if c == '\'' {
			t.state = shellPlain
		}
	case shellDouble:
		switch c {
		case '\\':
			t.escaped = true
		case '"':
			t.state = shellPlain
		}
	}
}

func (t *shellTracker) endLine() {
	line := t.line.String()
	t.line.Reset()
	t.escaped = false
	switch t.state {
	case shellHeredoc, shellQuotedHeredoc:
		// The script is written out dedented, so an indented delimiter ends the body there.
		if strings.TrimLeft(line, " \t") == t.body[0].delim {
			t.body = t.body[1:]
			t.state = shellPlain
			t.enterBody()
		}
		return
	case shellComment:
		t.state = shellPlain
	case shellSingle, shellDouble:
		return // a quoted string goes on across lines
	}
	t.body = append(t.body, heredocs(line)...)
	t.enterBody()
}

func (t *shellTracker) enterBody() {
	if len(t.body) == 0 {
		return
	}
	t.state = shellHeredoc
	if t.body[0].quoted {
		t.state = shellQuotedHeredoc
	}
}

// heredocs finds the here-documents a command line opens (<<EOT, <<-EOT, <<'EOT', <<"EOT", <<\EOT).
func heredocs(line string) []heredoc {
	var out []heredoc
	for i := 0; i+1 < len(line); i++ {
		if line[i] != '<' || line[i+1] != '<' || i+2 < len(line) && line[i+2] == '<' {
			continue
		}
		j := i + 2
		h := heredoc{}
		if j < len(line) && line[j] == '-' { // <<- strips tabs; ends are matched dedented anyway
			j++
		}
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		var d strings.Builder
		for ; j < len(line); j++ {
			c := line[j]
			switch {
			case c == '\'' || c == '"' || c == '\\':
				h.quoted = true
			case strings.IndexByte(" \t;&|<>()", c) >= 0:
				goto done
			default:
				d.WriteByte(c)
			}
		}
	done:
		// A delimiter is a word: 1<<2 in $(( )) opens nothing.
		if d.Len() > 0 && (d.String()[0] == '_' || d.String()[0] >= 'A' && d.String()[0] <= 'Z' || d.String()[0] >= 'a' && d.String()[0] <= 'z') {
			h.delim = d.String()
			out = append(out, h)
		}
		i = j - 1
	}
	return out
}

// expansion is the shell text ${inner} placed so that it expands where the tracker stands,
// and false when the shell expands nothing there (a quoted here-document). In a comment
// the shell discards the pasted value and the expansion alike.
func (t *shellTracker) expansion(inner string) (string, bool) {
	x := "${" + inner + "}"
	switch t.state {
	case shellSingle:
		return `'"` + x + `"'`, true
	case shellQuotedHeredoc:
		return x, false
	}
	return x, true
}
