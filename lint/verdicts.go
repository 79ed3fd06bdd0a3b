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
	if !useVerdicts || len(lines) == 0 || bytes.IndexByte(data, 0) >= 0 || data[0] == '%' || bytes.Contains(data, []byte("\n%")) ||
		bytes.Contains(data, []byte("\xc2\x85")) || bytes.Contains(data, []byte("\xe2\x80\xa8")) || bytes.Contains(data, []byte("\xe2\x80\xa9")) {
		return nil
	}
	if bytes.Count(data, []byte("\r")) != bytes.Count(data, []byte("\r\n")) {
		return nil
	}
	chunks := validate.Split(data)
	texts := make([][]byte, len(lines))
	j := 0
	for i, line := range lines {
		prev := j
		for j+1 < len(chunks) && chunks[j+1].Line <= line {
			j++
		}
		if chunks[j].Line > line || (i > 0 && j == prev) {
			return nil
		}
		texts[i] = chunks[j].Text
	}
	return texts
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
