package report

import (
	"strings"
	"testing"
)

func TestCut(t *testing.T) {
	short := "a\nb\nc\nd\ne"
	if got := Cut(short); got != short {
		t.Errorf("cut a %d-line message: %q", MaxErrorLines, got)
	}
	long := strings.Repeat("x\n", 12) + "last"
	if got, want := Cut(long), "x\nx\nx\nx\nx\n... 8 more lines (--report json has the whole message)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
