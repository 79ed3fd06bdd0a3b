// Package gcpace raises the garbage collector's smallest heap goal: with GOGC=100 a batch whose
// live heap is 8–10 MB (Tekton's tables, the memos) collects every 8–10 MB of garbage, dozens of
// times a second, and on two cores the collector's share, its assists and its stop-the-world
// pauses cost more than the second core gains. The first collection comes when the heap reaches
// Floor, and after each one the pacer sets GOGC so the next does too; a heap past Floor/2 keeps
// GOGC's own pacing, so the peak memory of a large batch is what GOGC gives (as the runtime's
// own 4 MB minimum does).
// GOGC or GOMEMLIMIT set by the user are left as they are.
package gcpace

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Floor is the least heap goal: a 1,000-file batch holds about 9 MB live, so it collects a
// sixth as often; the 10,000-file mixed batch's goal is above Floor and keeps its peak.
const Floor = 64 << 20

var (
	once  sync.Once
	base  int   // GOGC's own setting, which the pacer never goes below
	limit int64 // GOMEMLIMIT's setting, if any; else the pacer sets one while it raises GOGC
)

// noLimit is the runtime's memory limit when none is set.
const noLimit = math.MaxInt64

// Start runs the pacer for the rest of the process, unless GOGC is set (the user's choice
// stands) or the collector is off.
func Start() {
	once.Do(func() {
		if os.Getenv("GOGC") != "" {
			return
		}
		base = debug.SetGCPercent(100)
		debug.SetGCPercent(base)
		if base <= 0 {
			return
		}
		limit = debug.SetMemoryLimit(-1)
		setPercent(base * (Floor / heapMinimum))
		arm()
	})
}

// heapMinimum is the runtime's first heap goal at GOGC=100, which it scales with GOGC. Init
// alone allocates about 3 MB of it, so every command, `version` too, started a collection.
const heapMinimum = 4 << 20

// sentinel is garbage by the next cycle, whose finalizer then re-paces; its pointer keeps it
// out of the tiny allocator, whose blocks may outlive it.
type sentinel struct{ _ *int }

func arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		repace()
		arm()
	})
}

// repace sets GOGC from the heap the last cycle left. While GOGC is raised, a memory limit
// a quarter above Floor caps the overshoot of a goal set from an older, smaller heap.
func repace() { setPercent(percent(scanned(), base, Floor)) }

func setPercent(p int) {
	debug.SetGCPercent(p)
	if limit == noLimit {
		l := int64(noLimit)
		if p > base {
			l = Floor + Floor/4
		}
		debug.SetMemoryLimit(l)
	}
}

// percent is the GOGC that sets the heap goal at floor for a heap whose scannable memory
// (live heap, stacks, globals) is scan bytes, and never below base. The runtime's goal is
// live heap + scan × GOGC/100; the live heap is most of scan, so the goal lands near floor.
func percent(scan uint64, base int, floor uint64) int {
	if scan == 0 || scan >= floor {
		return base
	}
	p := (floor - scan) * 100 / scan
	if p < uint64(base) {
		return base
	}
	if p > 1<<20 {
		return 1 << 20
	}
	return int(p)
}

var samples = []metrics.Sample{
	{Name: "/gc/heap/live:bytes"},
	{Name: "/gc/scan/stack:bytes"},
	{Name: "/gc/scan/globals:bytes"},
}

// scanned is what the runtime's heap goal grows from: GOGC percent of it is the headroom.
// Only the finalizer goroutine reads samples, one cycle at a time.
func scanned() uint64 {
	metrics.Read(samples)
	var n uint64
	for _, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			n += s.Value.Uint64()
		}
	}
	return n
}
