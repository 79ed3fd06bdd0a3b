package report

import (
	"fmt"
	"strings"
)

// MaxErrorLines is how many lines of one error a terminal shows; the JSON report has all.
const MaxErrorLines = 5

// Cut shortens a long error message for the terminal: a wall of validation text hides the
// line that matters, and --report json keeps the whole message.
func Cut(msg string) string {
	lines := strings.Split(strings.TrimRight(msg, "\n"), "\n")
	if len(lines) <= MaxErrorLines {
		return msg
	}
	return strings.Join(lines[:MaxErrorLines], "\n") + fmt.Sprintf("\n... %d more lines (--report json has the whole message)", len(lines)-MaxErrorLines)
}
