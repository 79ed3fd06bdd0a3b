// Package startgc holds off the garbage collector while packages initialize, from as early
// as Go's init order allows: the packages Tekton's API types link allocate about 3 MB of
// tables at init, just over the first collection's trigger, so every command paid for a
// collection with almost nothing to collect. main imports it and calls Done first.
package startgc

import "runtime/debug"

var prev = debug.SetGCPercent(-1)

// Done gives the collector back its setting (GOGC, else 100).
func Done() { debug.SetGCPercent(prev) }
