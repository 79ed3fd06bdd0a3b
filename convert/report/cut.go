package report

import (
	"fmt"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// MaxErrorLines is how many lines of one error a terminal shows; the JSON report has all.
const MaxErrorLines = 5

// Cut shortens a long error message for the terminal: a wall of validation text hides the
// line that matters, and --report json keeps the whole message.
func Cut(msg string) string {
	msg = Terminal(msg)
	lines := strings.Split(strings.TrimRight(msg, "\n"), "\n")
	if len(lines) <= MaxErrorLines {
		return msg
	}
	return strings.Join(lines[:MaxErrorLines], "\n") + fmt.Sprintf("\n... %d more lines (--report json has the whole message)", len(lines)-MaxErrorLines)
}

// Terminal is text for a terminal: messages quote source text, whose control characters
// (an escape sequence, a carriage return hiding what came before it) are shown escaped.
func Terminal(s string) string { return convert.Escaped(s, "\r") }
