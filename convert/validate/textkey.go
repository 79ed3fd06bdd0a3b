package validate

import (
	"bytes"
	"crypto/sha256"

	"go.yaml.in/yaml/v3"
)

// textKey is renamedKey computed from the text alone, with no parse: parsing a large generated
// Pipeline cost more than the rest of a remembered document's check. It guesses the spans
// line by line (a top-level metadata's name, a secretKeyRef's or pipelineRef's name) and keeps only values that
// are safe in any plain-scalar position: lower-case letters, digits, '.' and '-', starting with
// a letter or digit, read as a string by YAML 1.1 and 1.2 alike.
//
// The guess needs no proof. A hit means the key equals the renamedKey of a document A that
// passed: the text outside the spans is A's, byte for byte, and the spans sit where A's parse
// found those scalars, each on one line and ending where A's did. Putting a safe value there
// leaves the tree as it was but for the value, which the span's kind says Tekton reads only
// for its shape; the value is checked for that shape here. A miss costs the parse, as before.
func textKey(text []byte) ([sha256.Size]byte, bool) {
	spans := textSpans(text)
	if len(spans) == 0 {
		return [sha256.Size]byte{}, false
	}
	return keyOf(text, spans), true
}

// textSpans are the spans textKey guesses in one document's text, in order.
func textSpans(text []byte) []span {
	var cut []span
	v1 := false
	inMeta, metaIndent, named := false, -1, false
	refIndent, childIndent := -1, -1 // the open secretKeyRef: (or pipelineRef:) line's indent, and its keys'
	var refKind spanKind
	for off := 0; off < len(text); {
		end := bytes.IndexByte(text[off:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += off
		}
		line := text[off:end]
		body := bytes.TrimLeft(line, " ")
		indent := len(line) - len(body)
		if len(body) > 0 && body[0] != '#' {
			if indent == 0 {
				inMeta = string(line) == "metadata:"
				v1 = v1 || string(line) == "apiVersion: tekton.dev/v1"
			} else if inMeta && !named {
				if metaIndent < 0 {
					metaIndent = indent
				}
				if indent == metaIndent {
					if v, ok := bytes.CutPrefix(body, []byte("name: ")); ok && dnsLabel(string(v)) && safeValue(v) {
						cut = append(cut, span{off: end - len(v), n: len(v), kind: sizedNameSpan})
						named = true
					}
				}
			}
			if refIndent >= 0 && indent <= refIndent {
				refIndent = -1
			}
			if refIndent >= 0 {
				if childIndent < 0 {
					childIndent = indent
				}
				if indent == childIndent {
					if v, ok := bytes.CutPrefix(body, []byte("name: ")); ok && safeValue(v) && shapeOnly(refKind, string(v)) {
						cut = append(cut, span{off: end - len(v), n: len(v), kind: refKind})
						refIndent = -1
					}
				}
			} else if k, ok := bytes.CutSuffix(body, []byte(":")); ok {
				if refKind, ok = refKeys[string(k)]; ok {
					refIndent, childIndent = indent, -1
				}
			}
		}
		off = end + 1
	}
	spans := cut[:0]
	for _, sp := range cut {
		switch {
		case sp.kind == sizedNameSpan && v1:
			sp.kind = nameSpan
		case sp.kind != sizedNameSpan && !v1:
			continue // renamedKey leaves reference names out of v1 documents only
		}
		spans = append(spans, sp)
	}
	return spans
}

// safeValue reports a plain scalar that cannot change the tree around it and reads as the
// same string in YAML 1.1 and 1.2.
func safeValue(v []byte) bool {
	if len(v) == 0 || !(v[0] >= 'a' && v[0] <= 'z' || v[0] >= '0' && v[0] <= '9') {
		return false
	}
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return scalarKind(&yaml.Node{Kind: yaml.ScalarNode, Value: string(v)}) == "str"
}
