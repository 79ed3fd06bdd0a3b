package convert

import (
	"bytes"
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
	Col     int // 1-based
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
	s := blockScanner{visit: visit}
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
	doc.End, doc.RootLine = len(data), s.rootLine
	return append(docs, doc), true
}

// plainText refuses bytes whose YAML reading a line scan can't mirror: control characters,
// CR, invalid UTF-8, a BOM, and the Unicode characters YAML reads as line breaks.
func plainText(data []byte) bool {
	ascii := true
	for _, b := range data {
		if b < 0x20 && b != '\n' && b != '\t' || b == 0x7f {
			return false
		}
		if b >= 0x80 {
			ascii = false
		}
	}
	if ascii {
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
	// scalarAt is the indentation of the entry whose one-line scalar ended the last line
	// (-1 for none): a deeper line would continue it, which the scan does not follow.
	scalarAt int
	// block scalar state: blockParent is the indentation its content must exceed,
	// blockIndent the content's own (0 until its first line).
	block       bool
	fail        bool
	blockParent int
	blockIndent int
	path        [][]byte
	key         BlockKey
}

func (s *blockScanner) reset() {
	s.frames = s.frames[:0]
	s.rootLine, s.pending, s.scalarAt, s.block = 0, false, -1, false
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
	if len(l) >= 3 && (bytes.HasPrefix(l, []byte("---")) || bytes.HasPrefix(l, []byte("..."))) || len(l) > 0 && l[0] == '%' {
		return false
	}
	c := indentOf(l)
	rest := l[c:]
	if len(rest) == 0 {
		return true
	}
	if rest[0] == '#' {
		return true
	}
	if rest[0] == '\t' {
		return false
	}
	if s.scalarAt >= 0 && c > s.scalarAt {
		return false
	}
	s.scalarAt = -1
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
		t := s.frames[len(s.frames)-1]
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
		for _, f := range s.frames[:len(s.frames)-1] {
			if f.seq {
				s.path = append(s.path, dashItem)
			} else {
				s.path = append(s.path, f.cur)
			}
		}
		s.key = BlockKey{Doc: s.doc, Path: s.path, Key: key, Line: n, Col: c + 1}
	}
	if len(rest) == 0 || rest[0] == '#' {
		s.pending, s.pendSeq, s.pendIndent = true, false, c
		return s.visit == nil || s.visit(&s.key)
	}
	if !s.value(rest, c, c) {
		return false
	}
	return s.visit == nil || s.visit(&s.key)
}

// value reads a value on its line: a block scalar header, {} or [], or a one-line scalar.
// parent is the indentation block scalar content must exceed.
func (s *blockScanner) value(rest []byte, parent, at int) bool {
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
		if len(rest) < 2 || rest[1] != rest[0]+2 || !trailer(rest[2:]) {
			return false
		}
		s.scalarAt = at
		return true
	case '"':
		i, decoded := 1, true
		for ; i < len(rest) && rest[i] != '"'; i++ {
			if rest[i] == '\\' {
				decoded = false
				i++
				if i >= len(rest) || !validEscape(rest, &i) {
					return false
				}
			}
		}
		if i >= len(rest) || !trailer(rest[i+1:]) {
			return false
		}
		if decoded {
			s.key.Value, s.key.Decoded = rest[1:i], true
		}
		s.scalarAt = at
		return true
	case '\'':
		i := 1
		quotes := false
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
		if i >= len(rest) || !trailer(rest[i+1:]) {
			return false
		}
		v := rest[1:i]
		if quotes {
			v = bytes.ReplaceAll(v, []byte("''"), []byte("'"))
		}
		s.key.Value, s.key.Decoded = v, true
		s.scalarAt = at
		return true
	}
	if bytes.IndexByte([]byte("-?:,[]{}#&*!|>'\"%@`"), rest[0]) >= 0 {
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
	s.scalarAt = at
	return true
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
