package upgrade

import (
	"crypto/sha256"

	"github.com/tkn-migrate/tkn-migrate/internal/memo"
)

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
	styleMemo  = &memo.Map[style]{Limit: 1 << 14}
	renderMemo = &memo.Map[rendered]{Limit: 1 << 14, Size: 8 << 20}
	strictMemo = &memo.Map[[]caseFix]{Limit: 1 << 14}
)

// shares bound what one file's conversion puts in each memo to an eighth of its entries: a memo is
// for the documents a fleet repeats across files, and one huge file of distinct documents
// would fill it, hold its own output a second time, and start it over for every other file.
type shares [3]struct{ n, bytes int }

// The memos a file has a share of.
const (
	styleShare = iota
	renderShare
	strictShare
)

// take reports whether an entry of size bytes fits the file's share i of m, and counts it if
// so; no file (nil) takes without bound. Of a memo's bytes a file takes a thirty-second
// (256 KiB of the render memo's 8 MiB): they are its own output held a second time.
func take[V any](s *shares, i int, m *memo.Map[V], size int) bool {
	if s == nil {
		return true
	}
	sh := &s[i]
	if sh.n >= m.Limit/8 || m.Size > 0 && sh.bytes+size > m.Size/32 {
		return false
	}
	sh.n++
	sh.bytes += size
	return true
}
