package travis

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/internal/shellquote"
)

// globs quotes file patterns so they still match files but never run as commands.
func globs(patterns []string) string {
	out := make([]string, len(patterns))
	for i, p := range patterns {
		out[i] = shellquote.Glob(p)
	}
	return strings.Join(out, " ")
}
