// Package peakheap measures the most heap a piece of work holds, for benchmarks that report
// peak heap per input byte.
package peakheap

import (
	"runtime/metrics"
	"time"
)

// Bytes is the heap's object bytes: live and not yet swept, what RSS follows.
func Bytes() uint64 { return read("/memory/classes/heap/objects:bytes") }

// Live is the heap the last collection left live.
func Live() uint64 { return read("/gc/heap/live:bytes") }

func read(name string) uint64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// Sample polls Bytes every millisecond until the returned func is called, which stops it and
// gives the highest seen.
func Sample() func() uint64 { return SampleOf(Bytes) }

// SampleOf is Sample of another reading, such as Live.
func SampleOf(reading func() uint64) func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		var peak uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, reading())
			select {
			case <-stop:
				done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(stop); return <-done }
}
