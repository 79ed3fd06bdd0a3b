// Package peakheap measures the most heap a piece of work holds, for benchmarks that report
// peak heap per input byte.
package peakheap

import (
	"runtime/metrics"
	"time"
)

// Bytes is the heap's object bytes: live and not yet swept, what RSS follows.
func Bytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// Sample polls Bytes every millisecond until the returned func is called, which stops it and
// gives the highest seen.
func Sample() func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		var peak uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, Bytes())
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
