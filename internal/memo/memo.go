// Package memo is a bounded, concurrency-safe map from a SHA-256 key to a remembered result:
// a fleet holds the same document (catalog Tasks, shared templates) many times, and what
// tkn-migrate computes of a document is a function of its text.
package memo

import (
	"crypto/sha256"
	"sync"
)

// Map starts over when it holds Limit entries or, when Size is set, when the values'
// own bytes would pass Size, so memory stays bounded.
type Map[V any] struct {
	mu          sync.Mutex
	m           map[[sha256.Size]byte]V
	bytes       int
	Limit, Size int
}

// Get returns the value remembered for key.
func (c *Map[V]) Get(key [sha256.Size]byte) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

// Put remembers v, which holds size bytes beyond the entry itself.
func (c *Map[V]) Put(key [sha256.Size]byte, v V, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.Limit || c.Size > 0 && c.bytes+size > c.Size {
		c.m, c.bytes = map[[sha256.Size]byte]V{}, 0
	}
	c.m[key] = v
	c.bytes += size
}

// Reset forgets everything (a cold run in tests and benchmarks).
func (c *Map[V]) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.bytes = nil, 0
}

// Len is the number of entries held.
func (c *Map[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
