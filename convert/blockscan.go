package convert

import (
	"bytes"
	"sync"
	"unicode/utf8"
)

// BlockKey is one mapping key ScanBlock visits. Its slices point into the scanned data
// and Path is reused: copy what outlives the call.
type BlockKey struct {
	Doc  int      // 0-based index of the document in the stream
	Path [][]byte // the keys of the enclosing mappings, "-" for a sequence item
	Key  []byte
	// Value is the key's scalar value, unquoted; nil for a nested block, a block scalar,
	// {} or [] and no value. Decoded is false for a double-quoted value with escapes.
	Value   []byte
	Decoded bool
	Line    int // 1-based
	Col     int // 1-based; 0 inside a flow collection
}

// BlockDoc is one document of a stream as splitDocs-style "---" lines cut it.
type BlockDoc struct {
	Start, End int // byte offsets of the document's text (between its separator lines)
	Line       int // 1-based line of the text's first line
	RootLine   int // line of the root mapping's first key; 0 for a document of comments only
}

var dashItem = []byte("-")

// ScanBlock reads a YAML stream without building nodes: every document must be a block
// mapping at column 1 written in a plain subset of YAML (plain keys, one-line scalars, block
// scalars, {} and []). ok is false for anything else, and for a key given twice in one
// mapping: then the caller falls back to a real parse, which decides (and positions) it.
// Within the subset the scan is exact: ok means the stream parses and has no duplicate key.
// visit, when not nil, sees every mapping key in document order; returning false stops the
// scan with ok false.
func ScanBlock(data []byte, visit func(*BlockKey) bool) (docs []BlockDoc, ok bool) {
	if !plainText(data) {
		return nil, false
	}
	s := scanners.Get().(*blockScanner)
	defer s.release()
	*s = blockScanner{visit: visit, frames: s.frames[:0], path: s.path[:0], fpath: s.fpath[:0]}
	doc := BlockDoc{Line: 1}
	line := 0
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end < 0 {
			end = len(data)
		} else {
			end += off
			next = end + 1
		}
		l := data[off:end]
		line++
		if s.inBlock(l) {
			off = next
			continue
		}
		if s.fail {
			return nil, false
		}
		if bytes.Equal(l, []byte("---")) {
			if !s.flush() {
				return nil, false
			}
			if line > 1 {
				doc.End, doc.RootLine = off, s.rootLine
				docs = append(docs, doc)
			}
			doc = BlockDoc{Start: next, Line: line + 1}
			s.reset()
			s.doc = len(docs)
			off = next
			continue
		}
		if !s.line(l, line) {
			return nil, false
		}
		off = next
	}
	if !s.flush() {
		return nil, false
	}
	doc.End, doc.RootLine = len(data), s.rootLine
	return append(docs, doc), true
}

// plainText refuses bytes whose YAML reading a line scan can't mirror: control characters,
// CR, invalid UTF-8, a BOM, and the Unicode characters YAML reads as line breaks.
func plainText(data []byte) bool {
	var seen, s1, s2, s3 byte // the classes met, or'ed: one table load per byte, four at a time
	i := 0
	for ; i+4 <= len(data); i += 4 {
		w := data[i : i+4 : i+4]
		seen |= byteClass[w[0]]
		s1 |= byteClass[w[1]]
		s2 |= byteClass[w[2]]
		s3 |= byteClass[w[3]]
	}
	for _, b := range data[i:] {
		seen |= byteClass[b]
	}
	seen |= s1 | s2 | s3
	if seen&classControl != 0 {
		return false
	}
	if seen&classHigh == 0 {
		return true
	}
	if !utf8.Valid(data) {
		return false
	}
	for _, r := range string(data) {
		if r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff {
			return false
		}
	}
	return true
}

// byteClass sorts bytes for plainText: control characters other than \n and \t (and DEL),
// and bytes of multi-byte UTF-8.
var byteClass = func() (t [256]byte) {
	for b := range t {
		switch {
		case b < 0x20 && b != '\n' && b != '\t' || b == 0x7f:
			t[b] = classControl
		case b >= 0x80:
			t[b] = classHigh
		}
	}
	return t
}()

const (
	classControl = 1 << iota
	classHigh
)

type frame struct {
	seq    bool
	indent int
	cur    []byte   // a mapping's last key: the path element of what nests under it
	keys   [][]byte // a mapping's keys so far
	keyCol int
}

type blockScanner struct {
	visit    func(*BlockKey) bool
	doc      int
	frames   []frame
	rootLine int
	// pending: the last entry (a key, or a sequence item) has no value on its line, so a
	// nested block may follow; pendSeq says it was a sequence item, pendIndent its column.
	pending    bool
	pendSeq    bool
	pendIndent int
	// scalarAt is the indentation of the entry whose scalar ended the last line (-1 for
	// none): a deeper line continues it, which only a plain scalar (plainOpen) allows.
	scalarAt  int
	plainOpen bool
	// held is a key whose visit waits until its value is complete (a plain scalar may
	// continue on the next lines).
	held  bool
	fpath [][]byte
	n     int // the line being read
	// block scalar state: blockParent is the indentation its content must exceed,
	// blockIndent the content's own (0 until its first line).
	block       bool
	fail        bool
	blockParent int
	blockIndent int
	path        [][]byte
	key         BlockKey
}

// scanners keep their frames and key lists from one scan to the next: a fleet's files
// are scanned one after another, and each would grow them again.
var scanners = sync.Pool{New: func() any { return new(blockScanner) }}

// release drops what points into the scanned data, so the pool holds no file, and returns s.
func (s *blockScanner) release() {
	fs := s.frames[:cap(s.frames)]
	for i := range fs {
		fs[i].cur = nil
		clear(fs[i].keys[:cap(fs[i].keys)])
	}
	clear(s.path[:cap(s.path)])
	clear(s.fpath[:cap(s.fpath)])
	s.key, s.visit = BlockKey{}, nil
	scanners.Put(s)
}

func (s *blockScanner) reset() {
	s.frames = s.frames[:0]
	s.rootLine, s.pending, s.scalarAt, s.block, s.plainOpen, s.held = 0, false, -1, false, false, false
}

// flush visits the held key.
func (s *blockScanner) flush() bool {
	if !s.held {
		return true
	}
	s.held = false
	return s.visit(&s.key)
}

func indentOf(l []byte) int {
	i := 0
	for i < len(l) && l[i] == ' ' {
		i++
	}
	return i
}

// inBlock consumes l when it is content of the open block scalar.
func (s *blockScanner) inBlock(l []byte) bool {
	if !s.block {
		return false
	}
	ind := indentOf(l)
	if ind == len(l) { // an empty line belongs to the scalar
		if s.blockIndent == 0 && ind > 0 {
			// Leading spaces-only lines constrain the detected indentation: not followed here.
			s.block, s.fail = false, true
			return false
		}
		return true
	}
	switch {
	case s.blockIndent == 0 && ind > s.blockParent:
		s.blockIndent = ind
		return true
	case s.blockIndent > 0 && ind >= s.blockIndent:
		return true
	}
	s.block = false
	return false
}

// line reads one line outside block scalars; false means the subset is left.
func (s *blockScanner) line(l []byte, n int) bool {
	s.n = n
	if len(l) >= 3 && (bytes.HasPrefix(l, []byte("---")) || bytes.HasPrefix(l, []byte("..."))) || len(l) > 0 && l[0] == '%' {
		return false
	}
	c := indentOf(l)
	rest := l[c:]
	if len(rest) == 0 {
		return true
	}
	if rest[0] == '#' {
		s.plainOpen = false // a comment ends a plain scalar: nothing may continue it
		return true
	}
	if rest[0] == '\t' {
		return false
	}
	if s.scalarAt >= 0 && c > s.scalarAt {
		// A continuation line of a multi-line plain scalar: the value is folded, which
		// the scan does not reproduce.
		if !s.plainOpen || !continuation(rest) {
			return false
		}
		s.key.Value, s.key.Decoded = nil, false
		return true
	}
	if !s.flush() {
		return false
	}
	s.scalarAt, s.plainOpen = -1, false
	if rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ') {
		if !s.seqItem(c) {
			return false
		}
		rest = rest[1:]
		sp := indentOf(rest)
		rest = rest[sp:]
		if len(rest) == 0 || rest[0] == '#' {
			s.pending, s.pendSeq, s.pendIndent = true, true, c
			return true
		}
		cc := c + 1 + sp
		if k := keyLen(rest); k > 0 {
			s.push(frame{indent: cc})
			return s.entry(rest, k, cc, n)
		}
		return s.value(rest, c, c)
	}
	k := keyLen(rest)
	if k == 0 || !s.mapKey(c) {
		return false
	}
	if s.rootLine == 0 {
		s.rootLine = n
	}
	return s.entry(rest, k, c, n)
}

// push opens a nested collection, reusing the key list an earlier one left behind.
func (s *blockScanner) push(f frame) {
	if n := len(s.frames); n < cap(s.frames) {
		f.keys = s.frames[:n+1][n].keys[:0]
	}
	s.frames = append(s.frames, f)
}

// seqItem places a "- " at column c: a new sequence, or the next item of an open one.
func (s *blockScanner) seqItem(c int) bool {
	if s.pending {
		s.pending = false
		if !s.pendSeq && c >= s.pendIndent || s.pendSeq && c > s.pendIndent {
			if len(s.frames) == 0 {
				return false
			}
			s.push(frame{seq: true, indent: c})
			return true
		}
	}
	for len(s.frames) > 0 && s.frames[len(s.frames)-1].indent > c {
		s.frames = s.frames[:len(s.frames)-1]
	}
	return len(s.frames) > 0 && s.frames[len(s.frames)-1].seq && s.frames[len(s.frames)-1].indent == c
}

// mapKey places a key at column c: the first key of a nested mapping, or the next of an open one.
func (s *blockScanner) mapKey(c int) bool {
	if len(s.frames) == 0 {
		if c != 0 || s.rootLine != 0 {
			return false // the root is one mapping at column 1
		}
		s.push(frame{indent: 0})
		s.pending = false
		return true
	}
	if s.pending {
		s.pending = false
		if c > s.pendIndent {
			s.push(frame{indent: c})
			return true
		}
	}
	for len(s.frames) > 0 {
		t := &s.frames[len(s.frames)-1]
		if t.indent > c || t.seq && t.indent == c {
			s.frames = s.frames[:len(s.frames)-1]
			continue
		}
		break
	}
	return len(s.frames) > 0 && !s.frames[len(s.frames)-1].seq && s.frames[len(s.frames)-1].indent == c
}

// keyLen is the length of a plain key followed by ":" and a space or the line's end, or 0.
func keyLen(rest []byte) int {
	i := 0
	for i < len(rest) {
		b := rest[i]
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || i > 0 && (b == '.' || b == '/' || b == '-') {
			i++
			continue
		}
		break
	}
	if i == 0 || i > 1000 || i >= len(rest) || rest[i] != ':' || i+1 < len(rest) && rest[i+1] != ' ' {
		return 0
	}
	return i
}

// entry reads "key: value" at column c of the top mapping.
func (s *blockScanner) entry(rest []byte, k, c, n int) bool {
	top := &s.frames[len(s.frames)-1]
	key := rest[:k]
	for _, seen := range top.keys {
		if bytes.Equal(seen, key) {
			return false
		}
	}
	top.keys = append(top.keys, key)
	top.cur = key
	rest = rest[k+1:]
	rest = rest[indentOf(rest):]
	if s.visit != nil {
		s.path = s.path[:0]
		for i := range len(s.frames) - 1 {
			if f := &s.frames[i]; f.seq {
				s.path = append(s.path, dashItem)
			} else {
				s.path = append(s.path, f.cur)
			}
		}
		s.key = BlockKey{Doc: s.doc, Path: s.path, Key: key, Line: n, Col: c + 1}
	}
	s.held = s.visit != nil
	if len(rest) == 0 || rest[0] == '#' {
		s.pending, s.pendSeq, s.pendIndent = true, false, c
		return true
	}
	return s.value(rest, c, c)
}

// value reads a value on its line: a block scalar header, a flow collection, or a scalar.
// parent is the indentation block scalar content must exceed.
func (s *blockScanner) value(rest []byte, parent, at int) bool {
	s.scalarAt = at
	switch rest[0] {
	case '|', '>':
		h := rest[1:]
		if len(h) > 0 && (h[0] == '-' || h[0] == '+') {
			h = h[1:]
		}
		if !trailer(h) {
			return false
		}
		s.block, s.blockParent, s.blockIndent = true, parent, 0
		return true
	case '{', '[':
		if !s.flush() {
			return false
		}
		if s.visit != nil {
			// The collection is the value of the top mapping's current key, or the item of
			// the top sequence: either way the frames spell its path.
			s.fpath = s.fpath[:0]
			for i := range s.frames {
				if f := &s.frames[i]; f.seq {
					s.fpath = append(s.fpath, dashItem)
				} else {
					s.fpath = append(s.fpath, f.cur)
				}
			}
		}
		n := s.flow(rest, 0)
		return n > 0 && trailer(rest[n:])
	case '"', '\'':
		n, v, decoded := quoted(rest)
		if n == 0 || !trailer(rest[n:]) {
			return false
		}
		s.key.Value, s.key.Decoded = v, decoded
		return true
	}
	if !plainStart(rest) {
		return false
	}
	end := len(rest)
	if i := bytes.Index(rest, []byte(" #")); i >= 0 {
		end = i
	}
	v := bytes.TrimRight(rest[:end], " ")
	if bytes.IndexByte(v, '\t') >= 0 || bytes.Contains(v, []byte(": ")) || v[len(v)-1] == ':' {
		return false
	}
	s.key.Value, s.key.Decoded = v, true
	s.plainOpen = end == len(rest)
	return true
}

// plainStart reports a plain scalar's first characters: no indicator, but "-" followed by
// a character that is not a space (an option such as -v).
func plainStart(rest []byte) bool {
	if rest[0] == '-' {
		return len(rest) > 1 && rest[1] != ' ' && rest[1] != '\t'
	}
	return bytes.IndexByte([]byte("?:,[]{}#&*!|>'\"%@`"), rest[0]) < 0
}

// continuation reports a line that can only continue a plain scalar: no indicator first,
// no ": " or " #" within, no tab.
func continuation(rest []byte) bool {
	return bytes.IndexByte([]byte("-?:,[]{}#&*!|>'\"%@`"), rest[0]) < 0 && bytes.IndexByte(rest, '\t') < 0 &&
		!bytes.Contains(rest, []byte(": ")) && !bytes.Contains(rest, []byte(" #")) && rest[len(rest)-1] != ':'
}

// quoted reads a one-line quoted scalar at rest[0]: its length, and its value unquoted
// (decoded false for a double-quoted one with escapes); n is 0 when it does not close.
func quoted(rest []byte) (n int, v []byte, decoded bool) {
	if rest[0] == '"' {
		i, decoded := 1, true
		for ; i < len(rest) && rest[i] != '"'; i++ {
			if rest[i] == '\\' {
				decoded = false
				i++
				if i >= len(rest) || !validEscape(rest, &i) {
					return 0, nil, false
				}
			}
		}
		if i >= len(rest) {
			return 0, nil, false
		}
		if !decoded {
			return i + 1, nil, false
		}
		return i + 1, rest[1:i], true
	}
	i, quotes := 1, false
	for ; i < len(rest); i++ {
		if rest[i] == '\'' {
			if i+1 < len(rest) && rest[i+1] == '\'' {
				quotes = true
				i++
				continue
			}
			break
		}
	}
	if i >= len(rest) {
		return 0, nil, false
	}
	v = rest[1:i]
	if quotes {
		v = bytes.ReplaceAll(v, []byte("''"), []byte("'"))
	}
	return i + 1, v, true
}

// maxFlowDepth bounds nested flow collections on one line.
const maxFlowDepth = 32

// flow reads a one-line flow collection at rest[0] ('[' or '{') and returns its length,
// or 0 when it leaves the subset. Flow mapping keys are visited with s.fpath as their path.
func (s *blockScanner) flow(rest []byte, depth int) int {
	if depth > maxFlowDepth {
		return 0
	}
	closing := rest[0] + 2
	i := 1 + indentOf(rest[1:])
	if i < len(rest) && rest[i] == closing {
		return i + 1
	}
	var keys [][]byte
	for {
		if i >= len(rest) {
			return 0
		}
		var key []byte
		if closing == '}' {
			k := keyLen(rest[i:])
			if k == 0 {
				return 0
			}
			key = rest[i : i+k]
			for _, seen := range keys {
				if bytes.Equal(seen, key) {
					return 0
				}
			}
			keys = append(keys, key)
			i += k + 1
			i += indentOf(rest[i:])
			if i >= len(rest) {
				return 0
			}
		}
		var n int
		if rest[i] == '[' || rest[i] == '{' {
			if key != nil && s.visit != nil && !s.visitFlow(key, nil, false) {
				return 0
			}
			elem := key
			if elem == nil {
				elem = dashItem
			}
			s.fpath = append(s.fpath, elem)
			n = s.flow(rest[i:], depth+1)
			s.fpath = s.fpath[:len(s.fpath)-1]
		} else {
			var v []byte
			var decoded bool
			n, v, decoded = flowScalar(rest[i:])
			if n > 0 && key != nil && s.visit != nil && !s.visitFlow(key, v, decoded) {
				return 0
			}
		}
		if n == 0 {
			return 0
		}
		i += n
		i += indentOf(rest[i:])
		if i >= len(rest) {
			return 0
		}
		switch rest[i] {
		case closing:
			return i + 1
		case ',':
			i++
			i += indentOf(rest[i:])
			if i < len(rest) && rest[i] == closing {
				return 0 // a trailing comma: valid, but not followed here
			}
		default:
			return 0
		}
	}
}

// flowScalar reads a scalar of a flow collection: quoted, or plain up to the next
// indicator (a ":" or "#" within one leaves the subset).
func flowScalar(rest []byte) (int, []byte, bool) {
	if rest[0] == '"' || rest[0] == '\'' {
		return quoted(rest)
	}
	if !plainStart(rest) || rest[0] == '-' && bytes.IndexByte([]byte(",[]{}"), rest[1]) >= 0 {
		return 0, nil, false
	}
	i := 0
	for i < len(rest) && bytes.IndexByte([]byte(",[]{}:#\t"), rest[i]) < 0 {
		i++
	}
	if i < len(rest) && (rest[i] == ':' || rest[i] == '#' || rest[i] == '\t') {
		return 0, nil, false
	}
	return i, bytes.TrimRight(rest[:i], " "), true
}

// visitFlow visits a key of a flow mapping.
func (s *blockScanner) visitFlow(key, v []byte, decoded bool) bool {
	s.key = BlockKey{Doc: s.doc, Path: s.fpath, Key: key, Value: v, Decoded: decoded, Line: s.n}
	return s.visit(&s.key)
}

// trailer reports what may follow a value on its line: spaces, then nothing or a comment.
func trailer(t []byte) bool {
	n := indentOf(t)
	return n == len(t) || n > 0 && t[n] == '#'
}

// validEscape checks the escape at data[*i] (after the backslash), advancing past it.
// \u and \U are left to the parser: some code points are refused.
func validEscape(data []byte, i *int) bool {
	switch data[*i] {
	case '0', 'a', 'b', 't', '\t', 'n', 'v', 'f', 'r', 'e', ' ', '"', '\'', '\\', 'N', '_', 'L', 'P':
		return true
	case 'x':
	default:
		return false
	}
	for j := 0; j < 2; j++ {
		*i++
		if *i >= len(data) {
			return false
		}
		b := data[*i]
		if !(b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F') {
			return false
		}
	}
	return true
}
