package gcpace

import (
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
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

// settings reads GOGC and the memory limit without setting them.
func settings() (int, int64) {
	m := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(m)
	return int(m[0].Value.Uint64()), int64(m[1].Value.Uint64())
}

// repaced collects until the pacer, which runs after a cycle, has set what ok wants.
func repaced(t *testing.T, ok func(gogc int, limit int64) bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; {
		runtime.GC()
		time.Sleep(time.Millisecond)
		if p, l := settings(); ok(p, l) {
			return
		} else if time.Now().After(deadline) {
			t.Fatalf("GOGC %d, memory limit %d", p, l)
		}
	}
}

// TestStartPaces: garbage from a small live heap is collected a few times, not once per
// 4–8 MB as GOGC=100 alone does; a live heap past Floor/2 is paced by GOGC alone.
func TestStartPaces(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: the pacer leaves them be")
	}
	Start()
	// Before the pacer's first run the goal is Floor too: at GOGC's 4 MB every command collected once.
	goal := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	if metrics.Read(goal); goal[0].Value.Uint64() < Floor {
		t.Errorf("heap goal %d after Start, want at least Floor (%d)", goal[0].Value.Uint64(), Floor)
	}
	repaced(t, func(p int, l int64) bool { return p > 100 && l == Floor+Floor/4 })
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 4096; i++ { // 256 MiB of garbage
		sink = make([]byte, 64<<10)
	}
	runtime.ReadMemStats(&after)
	if n := after.NumGC - before.NumGC; n > 12 {
		t.Errorf("%d collections for 256 MiB of garbage; the floor allows about 4", n)
	}

	live := make([][]byte, 40)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	repaced(t, func(p int, l int64) bool { return p == 100 && l == math.MaxInt64 })
	runtime.KeepAlive(live)
}
