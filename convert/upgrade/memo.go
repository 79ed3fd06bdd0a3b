package upgrade

import (
	"crypto/sha256"
	"sync"
)

// memo remembers a value per distinct input (a SHA-256 key): a fleet holds the same
// document (catalog Tasks, shared templates) many times, and rendering it is a function
// of its text. Safe for concurrent use; it starts over when it holds more than limit
// entries or (when size is set) size bytes, so memory stays bounded.
type memo[V any] struct {
	mu          sync.Mutex
	m           map[[sha256.Size]byte]V
	bytes       int
	limit, size int
}

func (c *memo[V]) get(key [sha256.Size]byte) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

// put remembers v, which holds size bytes beyond the entry itself.
func (c *memo[V]) put(key [sha256.Size]byte, v V, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.limit || c.size > 0 && c.bytes+size > c.size {
		c.m, c.bytes = map[[sha256.Size]byte]V{}, 0
	}
	c.m[key] = v
	c.bytes += size
}

// memoKey hashes the file's sequence style and the strings that decide a result.
func memoKey(wide bool, parts ...string) [sha256.Size]byte {
	h := sha256.New()
	if wide {
		h.Write([]byte{1})
	} else {
		h.Write([]byte{0})
	}
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// rendered is a document's new text, and whether it was printed whole (no hunk placed).
type rendered struct {
	text     string
	fellBack bool
}

var (
	styleMemo  = &memo[style]{limit: 1 << 14}
	renderMemo = &memo[rendered]{limit: 1 << 14, size: 8 << 20}
	strictMemo = &memo[[]caseFix]{limit: 1 << 14}
)
