package lint

import (
	"bytes"

	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// useVerdicts lets checkTekton skip decoding and admitting a document convert/validate has
// already passed; the exactness test turns it off to compare with the plain path.
var useVerdicts = true

// docTexts is the text of each of a file's parsed documents as convert/validate cuts the
// stream (at "---" and "..." lines), so its verdict memo can be asked about them; nil when
// the two could disagree on where a document starts: line breaks yaml.v3 counts that the
// cut does not (a lone CR, NEL, LS, PS), a NUL (UTF-16 or UTF-32 text), a directive line,
// or two documents in one piece. yaml.v3 ends every scalar and collection at a "---" or
// "..." line, as the cut does, so each piece then parses alone to the document parsed here.
func docTexts(data []byte, docs []*yamldoc.Doc) [][]byte {
	lines := make([]int, len(docs))
	for i, d := range docs {
		lines[i] = d.Root.Line
	}
	return docTextsAt(data, lines)
}

// docTextsAt is docTexts of the documents whose roots are at lines.
func docTextsAt(data []byte, lines []int) [][]byte {
	c := newTextCut(data)
	if c == nil || len(lines) == 0 {
		return nil
	}
	texts := make([][]byte, len(lines))
	for i, line := range lines {
		if texts[i] = c.next(line); c.failed {
			return nil
		}
	}
	return texts
}

// cuttable reports a stream whose document starts convert/validate's cut and yaml.v3 count
// alike, but for two documents in one piece (see docTexts).
func cuttable(data []byte) bool {
	return len(data) > 0 && bytes.IndexByte(data, 0) < 0 && data[0] != '%' && !bytes.Contains(data, []byte("\n%")) &&
		!bytes.Contains(data, []byte("\xc2\x85")) && !bytes.Contains(data, []byte("\xe2\x80\xa8")) && !bytes.Contains(data, []byte("\xe2\x80\xa9")) &&
		bytes.Count(data, []byte("\r")) == bytes.Count(data, []byte("\r\n"))
}

// textCut maps a file's documents, in order, to their texts as convert/validate cuts them.
type textCut struct {
	chunks []validate.Chunk
	j, n   int
	failed bool // a document is in no piece or shares one: no text is to be trusted
}

// newTextCut is nil when no text is to be asked about (see docTexts).
func newTextCut(data []byte) *textCut {
	if !useVerdicts || !cuttable(data) {
		return nil
	}
	return &textCut{chunks: validate.Split(data)}
}

// next is the text of the document whose root is at line, the one after the last asked.
func (c *textCut) next(line int) []byte {
	if c.failed {
		return nil
	}
	prev := c.j
	for c.j+1 < len(c.chunks) && c.chunks[c.j+1].Line <= line {
		c.j++
	}
	if c.chunks[c.j].Line > line || (c.n > 0 && c.j == prev) {
		c.failed = true
		return nil
	}
	c.n++
	return c.chunks[c.j].Text
}

// plainKind reports a document whose apiVersion and kind are scalars, not aliases: then
// convert/validate picks the same Tekton type from the text's parse as lint from this one.
func plainKind(root *yaml.Node) bool {
	for _, key := range []string{"apiVersion", "kind"} {
		var v *yaml.Node
		for i := 0; i+1 < len(root.Content) && v == nil; i += 2 {
			if root.Content[i].Value == key {
				v = root.Content[i+1]
			}
		}
		if v == nil || v.Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}

// textJSON reports that convert/validate reads text, a document NodeJSON could not convert
// from its node, as the JSON raw that lint decodes (from the node printed).
func textJSON(text, raw []byte) bool {
	j, err := sigsyaml.YAMLToJSON(text)
	return err == nil && bytes.Equal(j, raw)
}
