package validate

import (
	"bytes"
	"crypto/sha256"

	"go.yaml.in/yaml/v3"
)

// Chunk is one document of a YAML stream as Documents cuts it: its own bytes and its first
// line in the stream, the text the verdict memo is keyed by.
type Chunk struct {
	Text []byte
	Line int
}

// Split cuts a stream into documents as Documents does.
func Split(data []byte) []Chunk {
	docs := splitDocuments(data)
	out := make([]Chunk, len(docs))
	for i, d := range docs {
		out[i] = Chunk{Text: d.text, Line: d.line}
	}
	return out
}

// Passed reports that the memo holds a pass for a document text (a Chunk's), under its
// exact bytes or as the same document under other names, as Documents looks it up: a caller
// holding the document's parse need not decode and admit it again.
func Passed(text []byte) bool {
	_, e, ok := known(text)
	return ok && e == nil
}

// Admitted records a pass for a document text (a Chunk's) of apiVersion and kind whose JSON,
// raw, a strict decode and Admit accepted. The text is parsed again and recorded only when
// Documents would admit that same JSON as that same kind, so the memo holds exactly
// Documents' verdict; the pass is shared under other names as Documents shares it.
func Admitted(text, raw []byte, apiVersion, kind string) {
	var doc yaml.Node
	if yaml.Unmarshal(text, &doc) != nil {
		return
	}
	root := rootOf(&doc)
	if root.Kind != yaml.MappingNode || scalar(root, "apiVersion") != apiVersion || scalar(root, "kind") != kind {
		return
	}
	if j, err := kubectlJSON(&doc, text); err != nil || !bytes.Equal(j, raw) {
		return
	}
	remember(sha256.Sum256(text), nil)
	if k, named := renamedKey(&doc, text); named {
		remember(k, nil)
	}
}

// ForgetVerdicts starts the verdict memo over (a cold run in tests and benchmarks).
func ForgetVerdicts() { verdicts.Reset() }
