package validate

import (
	"crypto/sha256"
	"sync"
)

// memoLimit bounds the memo: a fleet repeats a few thousand distinct documents (catalog
// Tasks, shared templates), and each entry is a hash and usually a nil error.
const memoLimit = 1 << 14

// memo remembers the verdict on each distinct document's bytes: Tekton's validation
// compiles regexps per call, and a fleet holds the same document many times. Safe for
// concurrent use; when full it starts over, so memory stays bounded.
var memo = struct {
	sync.Mutex
	m map[[sha256.Size]byte]*Error
}{m: map[[sha256.Size]byte]*Error{}}

// lookup returns the remembered verdict on a document: validate's error with Path empty and
// Line relative to the document, or nil.
func lookup(key [sha256.Size]byte) (*Error, bool) {
	memo.Lock()
	defer memo.Unlock()
	e, ok := memo.m[key]
	return e, ok
}

func remember(key [sha256.Size]byte, e *Error) {
	memo.Lock()
	defer memo.Unlock()
	if len(memo.m) >= memoLimit {
		clear(memo.m)
	}
	memo.m[key] = e
}

// place returns a copy of a remembered failure for the document at path starting at line first.
func place(e *Error, path string, first int) *Error {
	c := *e
	c.Path, c.Line = path, e.Line+first-1
	return &c
}
