package validate

import (
	"crypto/sha256"
	"encoding/binary"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/internal/memo"
)

// memoLimit bounds the memo: a fleet repeats a few thousand distinct documents (catalog
// Tasks, shared templates), and each entry is a hash and usually a nil error.
const memoLimit = 1 << 14

// verdicts remembers the verdict on each distinct document's bytes: Tekton's validation
// compiles regexps per call, and a fleet holds the same document many times.
var verdicts = &memo.Map[*Error]{Limit: memoLimit}

// fileShare bounds what one file's Documents puts in the memo to an eighth of it: the memo is
// for the documents a fleet repeats across files, and one huge file of distinct documents
// would fill it, hold a key per document to the end, and start it over for every other file.
var fileShare = memoLimit / 8

// lookup returns the remembered verdict on a document: validate's error with Path empty and
// Line relative to the document, or nil.
func lookup(key [sha256.Size]byte) (*Error, bool) { return verdicts.Get(key) }

func remember(key [sha256.Size]byte, e *Error) { verdicts.Put(key, e, 0) }

// place returns a copy of a remembered failure for the document at path starting at line first.
func place(e *Error, path string, first int) *Error {
	c := *e
	c.Path, c.Line = path, e.Line+first-1
	return &c
}

// renamedKey is the memo key of a document with the bytes of the per-repository strings that
// Tekton's validation provably reads only for their shape left out, and reports whether it
// left any out; a pass is shared under this key, a failure is remembered by its exact bytes.
// The strings are:
//   - metadata.name when it is a plain DNS label that YAML 1.1 and 1.2 read as a string (123 and
//     no are labels, but not strings to the decoder): Tekton checks the name only for being such a
//     label; in tekton.dev/v1 only in validate.ObjectMetadata (a DNS-1123 subdomain of at most 63
//     characters, which every such label is), elsewhere its length stays in the key (an
//     EventListener's name may not pass 60 characters). Repositories hold one file under many
//     names (a Pipeline named after its repository).
//   - in a tekton.dev/v1 document, secretKeyRef.name when it is a plain string both YAML 1.1
//     and 1.2 read as a string and holds no "$(" (front-ends name a repository's Secrets after
//     it), and pipelineRef.name when it is such a DNS label (a run of the repository's
//     Pipeline). See refNames for why Tekton's verdict cannot depend on them.
func renamedKey(doc *yaml.Node, text []byte) ([sha256.Size]byte, bool) {
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return [sha256.Size]byte{}, false
	}
	return cutKey(text, nameSpans(root, text, scalar(root, "apiVersion") == "tekton.dev/v1"))
}

// nameSpans are the spans renamedKey leaves out of the document root was parsed from (text).
func nameSpans(root *yaml.Node, text []byte, v1 bool) []span {
	lines := lineStarts(text)
	var cut []span
	if md := child(root, "metadata"); md != nil && md.Kind == yaml.MappingNode {
		if n := child(md, "name"); n != nil && n.Kind == yaml.ScalarNode && n.Style == 0 && dnsLabel(n.Value) && scalarKind(n) == "str" {
			if sp, ok := spanOf(text, lines, n); ok {
				sp.kind = nameSpan
				if !v1 {
					sp.kind = sizedNameSpan
				}
				cut = append(cut, sp)
			}
		}
	}
	if v1 {
		refNames(root, func(n *yaml.Node, kind spanKind) {
			if sp, ok := spanOf(text, lines, n); ok {
				sp.kind = kind
				cut = append(cut, sp)
			}
		})
	}
	return cut
}

// cutKey is the key of text with the spans cut left out, and whether there were any.
func cutKey(text []byte, cut []span) ([sha256.Size]byte, bool) {
	if len(cut) == 0 {
		return [sha256.Size]byte{}, false
	}
	sort.Slice(cut, func(i, j int) bool { return cut[i].off < cut[j].off })
	return keyOf(text, cut), true
}

// keyOf hashes text with the spans left out, each replaced by its kind (and a sized name's
// length); every piece is length-prefixed, so no text can pass for another's spans.
func keyOf(text []byte, cut []span) [sha256.Size]byte {
	h := sha256.New()
	var n [8]byte
	piece := func(b []byte) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	prev := 0
	for _, sp := range cut {
		piece(text[prev:sp.off])
		if sp.kind == sizedNameSpan {
			piece([]byte{byte(sp.kind), byte(sp.n)})
		} else {
			piece([]byte{byte(sp.kind)})
		}
		prev = sp.off + sp.n
	}
	piece(text[prev:])
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// span is the bytes of a plain scalar in a document's text, and what it holds.
type span struct {
	off, n int
	kind   spanKind
}

type spanKind byte

const (
	nameSpan      spanKind = 'm' // a tekton.dev/v1 metadata.name: any DNS label gets the same verdict
	sizedNameSpan spanKind = 'n' // another metadata.name: any DNS label of the same length does
	secretSpan    spanKind = 's' // a v1 secretKeyRef name: any plain string without "$(" does
	refSpan       spanKind = 'p' // a v1 pipelineRef name: any DNS label does
)

// spanOf finds plain scalar n in text, checking the bytes there are its value.
func spanOf(text []byte, lines []int, n *yaml.Node) (span, bool) {
	if n.Line < 1 || n.Line > len(lines) {
		return span{}, false
	}
	off := lines[n.Line-1]
	for c := 1; c < n.Column; c++ {
		if off >= len(text) || text[off] == '\n' {
			return span{}, false
		}
		_, size := utf8.DecodeRune(text[off:])
		off += size
	}
	if off+len(n.Value) > len(text) || string(text[off:off+len(n.Value)]) != n.Value {
		return span{}, false
	}
	return span{off: off, n: len(n.Value)}, true
}

// lineStarts is the byte offset of each line of text.
func lineStarts(text []byte) []int {
	starts := []int{0}
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// refNames calls f with each name under n, in a v1 document, that Tekton's validation reads
// only for its shape, and the kind of span it makes:
//   - secretSpan: a secretKeyRef's name that is a plain string without "$(". From tektoncd/pipeline
//     v1.15.0 (pkg/apis, pkg/substitution; all else is controllers): SecretKeyRef is read only in
//     pkg/apis/pipeline/v1/container_types.go (Step and Sidecar GetVarSubstitutionExpressions:
//     validateString, VariableSubstitutionRegex `\$\(...\)`) and param_types.go
//     (extractParamRefsFromContainer, then extractArrayIndexingParamRefs: `\$\(params...`); both
//     find nothing in a string without "$(". Otherwise the EnvVar is only copied whole (DeepCopy,
//     the stepTemplate merge's JSON round trip, whose merge key is the env name) or compared with
//     an empty spec, and a non-empty plain name stays non-empty.
//   - refSpan: a pipelineRef's name that is a DNS label. PipelineRef.Name is read only in
//     pipelinerun_defaults.go (is it empty) and validateRef (container_validation.go): no label
//     holds the ':' RefNameLikeUrl needs, so a label is never URL-like, gets its one fixed message
//     beside a resolver, and else passes IsQualifiedName, as every label of at most 63 does.
//
// The JSON decode takes any string, and scalarKind "str" means both YAML readings give one.
// TestRefNamesVerdict checks the claims on documents Tekton accepts and rejects.
func refNames(n *yaml.Node, f func(*yaml.Node, spanKind)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if kind, ok := refKeys[k.Value]; ok && v.Kind == yaml.MappingNode {
				if name := child(v, "name"); name != nil && name.Kind == yaml.ScalarNode && name.Style == 0 &&
					scalarKind(name) == "str" && shapeOnly(kind, name.Value) {
					f(name, kind)
				}
			}
			refNames(v, f)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			refNames(c, f)
		}
	}
}

// refKeys are the mappings whose name refNames leaves out, and the kind of span each makes.
var refKeys = map[string]spanKind{"secretKeyRef": secretSpan, "pipelineRef": refSpan}

// shapeOnly reports a name Tekton reads only for its shape where a span of kind sits.
func shapeOnly(kind spanKind, v string) bool {
	if kind == refSpan {
		return dnsLabel(v)
	}
	return !strings.Contains(v, "$(")
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
