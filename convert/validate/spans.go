package validate

import (
	"sort"

	"go.yaml.in/yaml/v3"
)

// Span is a value in a YAML stream that renamedKey leaves out of a tekton.dev/v1 document's
// memo key, because Tekton's validation reads it only for its shape: another value of the
// same kind and shape gets the same verdict (the proof is at renamedKey and refNames).
type Span struct {
	Off, Len int  // bytes of the stream
	Kind     byte // 'm' metadata.name, 'p' a pipelineRef's name, 's' a secretKeyRef's name
}

// TextSpans are the spans the text-only key guesses (textKey) in each tekton.dev/v1
// document of a stream, cut as Split cuts it, in order. Like textKey's, the guess needs no
// proof when it is compared with ParsedSpans of a stream already checked: an equal key
// means the text outside the spans is that stream's, and the spans sit where its parse
// found the scalars, each a plain scalar safe in any position that ends its line.
func TextSpans(data []byte) []Span {
	var out []Span
	for _, d := range splitDocuments(data) {
		base := cap(data) - cap(d.text) // d.text is data[base:...]
		for _, sp := range textSpans(d.text) {
			if sp.kind != sizedNameSpan {
				out = append(out, Span{Off: base + sp.off, Len: sp.n, Kind: byte(sp.kind)})
			}
		}
	}
	return out
}

// ParsedSpans are the spans renamedKey leaves out of a tekton.dev/v1 document, root,
// parsed from the stream data (its positions count data's lines), whose value is also
// safe in any plain-scalar position (safeValue), in order.
func ParsedSpans(root *yaml.Node, data []byte) []Span {
	if root.Kind != yaml.MappingNode || scalar(root, "apiVersion") != "tekton.dev/v1" {
		return nil
	}
	var out []Span
	for _, sp := range nameSpans(root, data, true) {
		if safeValue(data[sp.off : sp.off+sp.n]) {
			out = append(out, Span{Off: sp.off, Len: sp.n, Kind: byte(sp.kind)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Off < out[j].Off })
	return out
}
