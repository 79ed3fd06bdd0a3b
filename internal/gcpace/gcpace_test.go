package gcpace

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestPercent(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		scan  uint64
		base  int
		floor uint64
		want  int
	}{
		{0, 100, 64 * mib, 100},         // nothing measured yet
		{8 * mib, 100, 64 * mib, 700},   // goal 8 + 56 = 64 MiB
		{16 * mib, 100, 64 * mib, 300},  // goal 16 + 48
		{32 * mib, 100, 64 * mib, 100},  // GOGC's own goal is the floor
		{40 * mib, 100, 64 * mib, 100},  // above: GOGC paces
		{100 * mib, 100, 64 * mib, 100}, // a large batch keeps its peak
		{16 * mib, 400, 64 * mib, 400},  // never below the user's base
		{1, 100, 64 * mib, 1 << 20},     // bounded
	} {
		if got := percent(c.scan, c.base, c.floor); got != c.want {
			t.Errorf("percent(%d, %d, %d) = %d, want %d", c.scan, c.base, c.floor, got, c.want)
		}
	}
}

var sink []byte

// TestStartPaces: garbage from a small live heap is collected a few times, not once per
// 4–8 MB as GOGC=100 alone does.
func TestStartPaces(t *testing.T) {
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is set: the pacer leaves it be")
	}
	Start()
	runtime.GC() // the first re-pacing
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 4096; i++ { // 256 MiB of garbage
		sink = make([]byte, 64<<10)
	}
	runtime.ReadMemStats(&after)
	if n := after.NumGC - before.NumGC; n > 12 {
		t.Errorf("%d collections for 256 MiB of garbage; the floor allows about 4", n)
	}
	if p := debug.SetGCPercent(100); p <= 100 {
		t.Errorf("GOGC is %d with a small live heap, want it raised", p)
	}
}
