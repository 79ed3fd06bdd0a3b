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
