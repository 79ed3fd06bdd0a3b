package startgc

import (
	"os"
	"runtime/debug"
	"strconv"
	"testing"
)

func TestOffUntilDone(t *testing.T) {
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("the collector ran at %d%% before Done", got)
	}
	Done()
	want := 100 // the runtime's default, or GOGC's
	if g := os.Getenv("GOGC"); g == "off" {
		want = -1
	} else if g != "" {
		want, _ = strconv.Atoi(g)
	}
	if got := debug.SetGCPercent(want); got != want {
		t.Errorf("after Done the collector runs at %d%%, want %d%%", got, want)
	}
}
