package validate

import (
	"bytes"
	"crypto/sha256"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
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

// renamedKey is the memo key of a document whose metadata.name is a plain DNS label, with
// the name's bytes left out: repositories hold one file under many names (a Pipeline named
// after its repository). Tekton checks the name only for being such a label (and its length), so only a pass
// is shared under this key; a failure is remembered by the exact bytes alone.
func renamedKey(doc *yaml.Node, text []byte) ([sha256.Size]byte, bool) {
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return [sha256.Size]byte{}, false
	}
	md := child(root, "metadata")
	if md == nil || md.Kind != yaml.MappingNode {
		return [sha256.Size]byte{}, false
	}
	n := child(md, "name")
	if n == nil || n.Kind != yaml.ScalarNode || n.Style != 0 || !dnsLabel(n.Value) {
		return [sha256.Size]byte{}, false
	}
	off := offset(text, n.Line, n.Column)
	if off < 0 || off+len(n.Value) > len(text) || string(text[off:off+len(n.Value)]) != n.Value {
		return [sha256.Size]byte{}, false
	}
	h := sha256.New()
	// Length stays in the key: an EventListener's name may not pass 60 characters.
	h.Write([]byte{'r', byte(len(n.Value))})
	h.Write(text[:off])
	h.Write([]byte{0})
	h.Write(text[off+len(n.Value):])
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key, true
}

// dnsLabel reports an RFC 1123 label: what Tekton requires of a name, and all it checks.
func dnsLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// offset is the byte offset of yaml.v3's 1-based line and column (counted in runes), or -1.
func offset(text []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(text) || text[off] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(text[off:])
		off += size
	}
	return off
}
