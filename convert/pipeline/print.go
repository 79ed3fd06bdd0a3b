package pipeline

import (
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// printer writes the bytes yaml.v3's Encoder (indent 2) writes for the node shapes this
// package builds, without its event queue, per-byte buffer flushes and copies: block
// mappings and sequences, empty ones, !!str, !!int and !!bool scalars in plain, quoted
// and literal style, and head comments on keys and sequence items. Any other shape
// (anchors, tags it would print, flow or folded style, other comments, invalid UTF-8)
// makes it give up, and encode prints with yaml.v3 instead. Its state and the write
// functions below are go.yaml.in/yaml/v3 v3.0.5's emitter (emitterc.go, MIT) cut down
// to those shapes, with the same names in comments; TestPrintCorpus and FuzzPrint
// compare its bytes with yaml.v3's.
//
// column counts bytes where yaml.v3 counts characters: it is only compared while a line
// holds nothing but indentation and indicators (indention), which are ASCII, and with the
// best width, which yaml.v3's Encoder leaves unlimited.
type printer struct {
	out        []byte
	column     int
	whitespace bool // the last byte written separates tokens
	indention  bool // the line holds only indentation so far
	lazy       map[*yaml.Node]lazyItems
	inList     int // how many sequences the node printing is inside
	printed    map[printedAt]printed
	err        error // a lazy item failed to build
}

// printBufs recycles the printers' scratch buffers (the result is copied out of them): a
// few, each at most 1 MiB, kept across garbage collections, which empty a sync.Pool.
var printBufs = make(chan []byte, 8)

// printDoc prints doc as encodeWhole would; ok is false when doc holds a shape the
// printer does not handle or a lazy item failed (encode then does it the old way).
func printDoc(doc *yaml.Node, lazy map[*yaml.Node]lazyItems) (out []byte, ok bool) {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Anchor != "" ||
		doc.HeadComment != "" || doc.LineComment != "" || doc.FootComment != "" {
		return nil, false
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode || root.HeadComment != "" || len(root.Content) == 0 {
		return nil, false
	}
	var buf []byte
	select {
	case buf = <-printBufs:
	default:
		buf = make([]byte, 0, 32<<10)
	}
	p := printer{out: buf, whitespace: true, indention: true, lazy: lazy}
	ok = p.node(root, -1, false)
	if ok {
		p.writeIndent(-1) // DOCUMENT-END
		out = append(make([]byte, 0, len(p.out)), p.out...)
	}
	if cap(p.out) <= 1<<20 { // a huge Pipeline's buffer is not kept
		select {
		case printBufs <- p.out[:0]:
		default:
		}
	}
	return out, ok
}

// blockIndent is the indent of a block collection or scalar whose parent collection is at
// parent (yaml_emitter_increase_indent with best_indent 2; -1 is the document level).
func blockIndent(parent int, inSeqItem bool) int {
	switch {
	case parent < 0:
		return 0
	case inSeqItem:
		return parent + 2 // the first indent inside a sequence item just skips "- "
	}
	return 2 * ((parent + 2) / 2)
}

// collection reports whether n prints as a plain block (or empty flow) collection of tag.
func collection(n *yaml.Node, tag string) bool {
	return n.Style == 0 && n.Anchor == "" && n.Alias == nil && n.LineComment == "" && n.FootComment == "" &&
		(n.Tag == "" || n.Tag == tag)
}

// node prints n, a mapping value or sequence item, or the root (parent -1); its own head
// comment, if any, was printed by the caller.
func (p *printer) node(n *yaml.Node, parent int, inSeqItem bool) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		return p.scalar(n, blockIndent(parent, inSeqItem), false)
	case yaml.MappingNode:
		if !collection(n, "!!map") || len(n.Content)%2 != 0 {
			return false
		}
		if len(n.Content) == 0 {
			p.writeIndicator("{", true, true, false)
			p.writeIndicator("}", false, false, false)
			return true
		}
		return p.mapping(n, blockIndent(parent, inSeqItem))
	case yaml.SequenceNode:
		if !collection(n, "!!seq") {
			return false
		}
		count := len(n.Content)
		lz, isLazy := p.lazy[n]
		isLazy = isLazy && p.inList == 0 // encodeYAML looks for them through mappings only
		if isLazy {
			if count > 0 || lz.item == nil {
				return false
			}
			count = lz.n
		}
		if count == 0 {
			p.writeIndicator("[", true, true, false)
			p.writeIndicator("]", false, false, false)
			return true
		}
		if isLazy || count < 4 {
			return p.sequence(n, blockIndent(parent, inSeqItem), count, isLazy, lz)
		}
		return p.repeat(n, parent, inSeqItem, func() bool {
			return p.sequence(n, blockIndent(parent, inSeqItem), count, false, lz)
		})
	}
	return false
}

// printed is where a list printed before in the document lies, and the state after it.
type printed struct {
	start, end            int
	column                int
	whitespace, indention bool
}

// printedAt keys a printed list by what its bytes depend on: the node (unchanged while
// printing) and the state before it.
type printedAt struct {
	n                     *yaml.Node
	parent                int
	inSeqItem, inList     bool
	column                int
	whitespace, indention bool
}

// repeat prints a list of several items by print, or copies its bytes when the same node
// was printed before in the same state (the steps of a task share an env list: envNodes).
// What it remembers is forgotten after each lazy item, so dropped items are not held.
func (p *printer) repeat(n *yaml.Node, parent int, inSeqItem bool, print func() bool) bool {
	k := printedAt{n, parent, inSeqItem, p.inList > 0, p.column, p.whitespace, p.indention}
	if was, ok := p.printed[k]; ok {
		p.out = append(p.out, p.out[was.start:was.end]...)
		p.column, p.whitespace, p.indention = was.column, was.whitespace, was.indention
		return true
	}
	start := len(p.out)
	if !print() {
		return false
	}
	if p.printed == nil {
		p.printed = map[printedAt]printed{}
	}
	p.printed[k] = printed{start, len(p.out), p.column, p.whitespace, p.indention}
	return true
}

// mapping prints a non-empty block mapping at indent (yaml_emitter_emit_block_mapping_key
// and _value with simple keys).
func (p *printer) mapping(m *yaml.Node, indent int) bool {
	for i := 0; i < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.HeadComment != "" {
			return false
		}
		if k.HeadComment != "" {
			if !p.headComment(k.HeadComment, indent) {
				return false
			}
		}
		p.writeIndent(indent)
		if !p.scalar(k, blockIndent(indent, false), true) {
			return false
		}
		p.writeIndicator(":", false, false, false)
		if !p.node(v, indent, false) {
			return false
		}
	}
	return true
}

// sequence prints a non-empty block sequence at indent (yaml_emitter_emit_block_sequence_item);
// a lazy one builds each item as it prints and drops it after.
func (p *printer) sequence(s *yaml.Node, indent, count int, isLazy bool, lz lazyItems) bool {
	p.inList++
	defer func() { p.inList-- }()
	for i := 0; i < count; i++ {
		it := (*yaml.Node)(nil)
		if isLazy {
			var err error
			if it, err = lz.item(i); err != nil {
				p.err = err
				return false
			}
		} else {
			it = s.Content[i]
		}
		if isLazy {
			clear(p.printed)
		}
		if it.HeadComment != "" {
			if !p.headComment(it.HeadComment, indent) {
				return false
			}
		}
		p.writeIndent(indent)
		p.writeIndicator("-", true, false, true)
		if !p.node(it, indent, true) {
			return false
		}
	}
	return true
}

// headComment is yaml_emitter_process_head_comment.
func (p *printer) headComment(c string, indent int) bool {
	// a comment opening with a line break leaves a line of indentation only, which
	// encodeYAML's splicing would not add
	if !utf8.ValidString(c) || oddBreak(c) || c[0] == '\n' {
		return false
	}
	p.writeIndent(indent)
	p.writeComment(c, indent)
	return true
}

type scalarStyle int

const (
	plainStyle scalarStyle = iota
	singleStyle
	doubleStyle
	literalStyle
)

// scalar prints a scalar the way encoder.node and yaml_emitter_emit_scalar do; indent is
// its own (the lines of a literal block), key whether it is a simple mapping key.
func (p *printer) scalar(n *yaml.Node, indent int, key bool) bool {
	v := n.Value
	if n.Anchor != "" || n.Alias != nil || n.LineComment != "" || n.FootComment != "" || len(n.Content) > 0 ||
		n.Style&^(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle) != 0 || !utf8.ValidString(v) {
		return false
	}
	force := false // a !!str that reads as another type when plain
	switch n.Tag {
	case "!!str":
		force = n.Style == 0 && resolveTag(v) != "!!str"
	case "!!int", "!!bool":
		if resolveTag(v) != n.Tag { // yaml.v3 would print the tag
			return false
		}
	default:
		return false
	}
	style := plainStyle
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		style = doubleStyle
	case n.Style&yaml.SingleQuotedStyle != 0:
		style = singleStyle
	case n.Style&yaml.LiteralStyle != 0, strings.Contains(v, "\n"):
		style = literalStyle
	case force:
		style = doubleStyle
	}
	a := analyze(v)
	if key && (a.multiline || len(v) > 128) {
		return false // a complex key ("? ")
	}
	// yaml_emitter_select_scalar_style
	if style == plainStyle && (!a.blockPlain || len(v) == 0 && key) {
		style = singleStyle
	}
	if style == singleStyle && !a.singleQuoted {
		style = doubleStyle
	}
	if style == literalStyle && (!a.block || key) {
		style = doubleStyle
	}
	// encodeYAML's splicing indents every line a list item prints, yaml.v3 only some: a
	// multi-line single-quoted value's (its line breaks and closing quote are not
	// indented), and those after an odd break (see oddBreak). It prints them.
	if style == singleStyle && a.multiline || style == literalStyle && a.oddBreak {
		return false
	}
	switch style {
	case plainStyle:
		p.writePlain(v)
	case singleStyle:
		p.writeSingleQuoted(v, indent)
	case doubleStyle:
		p.writeDoubleQuoted(v)
	default:
		p.writeLiteral(v, indent)
	}
	return true
}

// scalarInfo is what yaml_emitter_analyze_scalar finds, for block context.
type scalarInfo struct {
	multiline    bool
	oddBreak     bool // a line break other than \n
	blockPlain   bool
	singleQuoted bool
	block        bool
}

// analyze is yaml_emitter_analyze_scalar without the flow-context result.
func analyze(v string) scalarInfo {
	if len(v) == 0 {
		return scalarInfo{blockPlain: true, singleQuoted: true}
	}
	var blockIndicators, lineBreaks, special, tabs bool
	var leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	var previousSpace, previousBreak, oddBreak bool
	if len(v) >= 3 && (v[:3] == "---" || v[:3] == "...") {
		blockIndicators = true
	}
	precededByWhitespace := true
	for i, w := 0, 0; i < len(v); i += w {
		if i > 0 && plainByte[v[i]] { // nothing to note: skip the run
			for i++; i < len(v) && plainByte[v[i]]; i++ {
			}
			precededByWhitespace, previousSpace, previousBreak = false, false, false
			if w = 0; i == len(v) {
				break
			}
		}
		w = width(v[i])
		followedByWhitespace := i+w >= len(v) || isBlank(v, i+w)
		if i == 0 {
			switch v[i] {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				blockIndicators = true
			case '?', ':', '-':
				if followedByWhitespace {
					blockIndicators = true
				}
			}
		} else {
			switch v[i] {
			case ':':
				if followedByWhitespace {
					blockIndicators = true
				}
			case '#':
				if precededByWhitespace {
					blockIndicators = true
				}
			}
		}
		if v[i] == '\t' {
			tabs = true
		} else if !isPrintable(v, i) {
			special = true
		}
		switch {
		case v[i] == ' ':
			if i == 0 {
				leadingSpace = true
			}
			if i+w == len(v) {
				trailingSpace = true
			}
			if previousBreak {
				breakSpace = true
			}
			previousSpace, previousBreak = true, false
		case isBreak(v, i):
			lineBreaks = true
			if v[i] != '\n' {
				oddBreak = true
			}
			if i == 0 {
				leadingBreak = true
			}
			if i+w == len(v) {
				trailingBreak = true
			}
			if previousSpace {
				spaceBreak = true
			}
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = isBlankz(v, i)
	}
	a := scalarInfo{multiline: lineBreaks, oddBreak: oddBreak, blockPlain: true, singleQuoted: true, block: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators {
		a.blockPlain = false
	}
	if trailingSpace {
		a.block = false
	}
	if breakSpace || spaceBreak || tabs || special {
		a.blockPlain, a.singleQuoted = false, false
	}
	if spaceBreak || special {
		a.block = false
	}
	return a
}

// plainByte marks the bytes analyze has nothing to note about after a value's first:
// printable ASCII other than space, ':' and '#'.
var plainByte = func() (t [256]bool) {
	for c := 0x21; c <= 0x7E; c++ {
		t[c] = c != ':' && c != '#'
	}
	return t
}()

// The character classes of yaml.v3's yamlprivateh.go, on strings.

func width(b byte) int {
	switch {
	case b&0x80 == 0:
		return 1
	case b&0xE0 == 0xC0:
		return 2
	case b&0xF0 == 0xE0:
		return 3
	case b&0xF8 == 0xF0:
		return 4
	}
	return 0
}

func isPrintable(b string, i int) bool {
	return b[i] == 0x0A || b[i] >= 0x20 && b[i] <= 0x7E ||
		b[i] == 0xC2 && b[i+1] >= 0xA0 ||
		b[i] > 0xC2 && b[i] < 0xED ||
		b[i] == 0xED && b[i+1] < 0xA0 ||
		b[i] == 0xEE ||
		b[i] == 0xEF && !(b[i+1] == 0xBB && b[i+2] == 0xBF) && !(b[i+1] == 0xBF && (b[i+2] == 0xBE || b[i+2] == 0xBF))
}

func isBlank(b string, i int) bool { return b[i] == ' ' || b[i] == '\t' }

func isBreak(b string, i int) bool {
	return b[i] == '\r' || b[i] == '\n' ||
		b[i] == 0xC2 && b[i+1] == 0x85 ||
		b[i] == 0xE2 && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9)
}

func isBlankz(b string, i int) bool { return isBlank(b, i) || isBreak(b, i) || b[i] == 0 }

// oddBreak reports a line break other than \n, which yaml.v3 writes as it is and follows
// with indentation: where encodeYAML splices a list item in, it indents only after \n, so
// the printer leaves such text to it (only a quoted value escapes them all).
func oddBreak(s string) bool {
	return strings.ContainsAny(s, "\r\u0085\u2028\u2029")
}

// put, putBreak, writeChar and writeBreak are put, put_break, write and write_break.

func (p *printer) put(b byte) {
	p.out = append(p.out, b)
	p.column++
}

func (p *printer) putBreak() {
	p.out = append(p.out, '\n')
	p.column = 0
	p.indention = true
}

func (p *printer) writeChar(s string, i int) int {
	w := width(s[i])
	p.out = append(p.out, s[i:i+w]...)
	p.column++
	return i + w
}

func (p *printer) writeBreak(s string, i int) int {
	if s[i] == '\n' {
		p.putBreak()
		return i + 1
	}
	i = p.writeChar(s, i)
	p.column = 0
	p.indention = true
	return i
}

// writeIndent is yaml_emitter_write_indent (no foot comments, so no blank line before one).
func (p *printer) writeIndent(indent int) {
	indent = max(indent, 0)
	if !p.indention || p.column > indent || p.column == indent && !p.whitespace {
		p.putBreak()
	}
	for p.column < indent {
		p.put(' ')
	}
	p.whitespace = true
}

// writeIndicator is yaml_emitter_write_indicator.
func (p *printer) writeIndicator(ind string, needWhitespace, isWhitespace, isIndention bool) {
	if needWhitespace && !p.whitespace {
		p.put(' ')
	}
	p.out = append(p.out, ind...)
	p.column += len(ind)
	p.whitespace = isWhitespace
	p.indention = p.indention && isIndention
}

// writePlain is yaml_emitter_write_plain_scalar for a value plain style allows in block
// context: it has no line break, and spaces never wrap at unlimited width.
func (p *printer) writePlain(v string) {
	if len(v) > 0 {
		if !p.whitespace {
			p.put(' ')
		}
		p.out = append(p.out, v...)
		p.column += len(v)
		p.whitespace = false
	}
	p.indention = false
}

// writeSingleQuoted is yaml_emitter_write_single_quoted_scalar at unlimited width.
func (p *printer) writeSingleQuoted(v string, indent int) {
	p.writeIndicator("'", true, false, false)
	breaks := false
	for i := 0; i < len(v); {
		switch {
		case v[i] == ' ':
			i = p.writeChar(v, i)
		case isBreak(v, i):
			if !breaks && v[i] == '\n' {
				p.putBreak()
			}
			i = p.writeBreak(v, i)
			breaks = true
		default:
			if breaks {
				p.writeIndent(indent)
			}
			if v[i] == '\'' {
				p.put('\'')
			}
			i = p.writeChar(v, i)
			p.indention = false
			breaks = false
		}
	}
	p.writeIndicator("'", false, false, false)
	p.whitespace, p.indention = false, false
}

// writeDoubleQuoted is yaml_emitter_write_double_quoted_scalar at unlimited width.
func (p *printer) writeDoubleQuoted(v string) {
	p.writeIndicator(`"`, true, false, false)
	// yaml.v3's is_bom(value, i) looks at the value's first bytes whatever i is: a value
	// that starts with a byte order mark has every character escaped.
	bom := strings.HasPrefix(v, "\uFEFF")
	for i := 0; i < len(v); {
		if !bom && isPrintable(v, i) && !isBreak(v, i) && v[i] != '"' && v[i] != '\\' {
			i = p.writeChar(v, i)
			continue
		}
		r, w := utf8.DecodeRuneInString(v[i:])
		i += w
		p.put('\\')
		switch r {
		case 0x00:
			p.put('0')
		case 0x07:
			p.put('a')
		case 0x08:
			p.put('b')
		case 0x09:
			p.put('t')
		case 0x0A:
			p.put('n')
		case 0x0b:
			p.put('v')
		case 0x0c:
			p.put('f')
		case 0x0d:
			p.put('r')
		case 0x1b:
			p.put('e')
		case 0x22:
			p.put('"')
		case 0x5c:
			p.put('\\')
		case 0x85:
			p.put('N')
		case 0xA0:
			p.put('_')
		case 0x2028:
			p.put('L')
		case 0x2029:
			p.put('P')
		default:
			digits := 8
			switch {
			case r <= 0xFF:
				p.put('x')
				digits = 2
			case r <= 0xFFFF:
				p.put('u')
				digits = 4
			default:
				p.put('U')
			}
			for k := (digits - 1) * 4; k >= 0; k -= 4 {
				p.put("0123456789ABCDEF"[(r>>uint(k))&0x0F])
			}
		}
	}
	p.writeIndicator(`"`, false, false, false)
	p.whitespace, p.indention = false, false
}

// writeLiteral is yaml_emitter_write_literal_scalar with its block scalar hints (the value
// is not empty: analyze allows no block scalar for "").
func (p *printer) writeLiteral(v string, indent int) {
	p.writeIndicator("|", true, false, false)
	if v[0] == ' ' || isBreak(v, 0) {
		p.writeIndicator("2", false, false, false) // the indentation indicator: best_indent
	}
	i := len(v) - 1
	for v[i]&0xC0 == 0x80 {
		i--
	}
	chomp := ""
	switch {
	case !isBreak(v, i):
		chomp = "-"
	case i == 0:
		chomp = "+"
	default:
		i--
		for v[i]&0xC0 == 0x80 {
			i--
		}
		if isBreak(v, i) {
			chomp = "+"
		}
	}
	if chomp != "" {
		p.writeIndicator(chomp, false, false, false)
	}
	p.putBreak()
	p.whitespace = true
	breaks := true
	for i := 0; i < len(v); {
		if isBreak(v, i) {
			i = p.writeBreak(v, i)
			breaks = true
			continue
		}
		if breaks {
			p.writeIndent(indent)
		}
		// the rest of the line in one copy (no break among ASCII bytes up to the next '\n'
		// when no multi-byte break lies before it)
		end := i + 1
		for end < len(v) && v[end] != '\n' && v[end] != '\r' && v[end] < 0x80 {
			end++
		}
		if end == i+1 {
			i = p.writeChar(v, i)
		} else {
			p.out = append(p.out, v[i:end]...)
			p.column += end - i
			i = end
		}
		p.indention = false
		breaks = false
	}
}

// writeComment is yaml_emitter_write_comment.
func (p *printer) writeComment(c string, indent int) {
	breaks, pound := false, false
	for i := 0; i < len(c); {
		if isBreak(c, i) {
			i = p.writeBreak(c, i)
			breaks, pound = true, false
			continue
		}
		if breaks {
			p.writeIndent(indent)
		}
		if !pound {
			if c[i] != '#' {
				p.put('#')
				p.put(' ')
			}
			pound = true
		}
		i = p.writeChar(c, i)
		p.indention = false
		breaks = false
	}
	if !breaks {
		p.putBreak()
	}
	p.whitespace = true
}
