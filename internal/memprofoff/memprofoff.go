// Package memprofoff turns off heap profiling before the packages Tekton's API types link
// allocate their 3 MB at init: at the default rate the runtime sampled about one allocation
// in 512 KB, each sample a stack walk and the first one a 1.4 MB hash table's page faults,
// and nothing in tkn-migrate reads a heap profile. It imports only runtime, so Go's init
// order runs it among the first packages; main imports it for that side effect.
package memprofoff

import "runtime"

func init() { runtime.MemProfileRate = 0 }
