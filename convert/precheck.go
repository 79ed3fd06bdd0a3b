package convert

import (
	"bytes"

	"gopkg.in/yaml.v3"
)

// precheck refuses inputs a front-end would misread rather than reject: YAML with a key given
// twice (yaml.v3 keeps one silently, or fails without a position), and Jenkins XML with a DOCTYPE
// (whose entities must never be expanded).
func precheck(path string, kind Kind, data []byte) error {
	switch kind {
	case KindTekton, KindTravis:
		return duplicateKey(path, data)
	case KindJenkinsXML:
		if i := bytes.Index(data, []byte("<!DOCTYPE")); i >= 0 {
			line, col := LineCol(data, i)
			return Errorf(path, line, col, "refusing an XML file with a DOCTYPE: Jenkins writes none, and its entities are never expanded")
		}
	}
	return nil
}

// DuplicateKey is the check convert makes of Tekton and Travis YAML, for lint to make the same.
func DuplicateKey(path string, data []byte) error { return duplicateKey(path, data) }

// duplicateKey reports the second occurrence of a key within one mapping, pointing back at the first.
// The byte scan decides most files without a parse; what it can't read, or a duplicate it
// finds, goes to yaml.v3, which positions the error as before. A file already Tekton v1 is
// held to it too (the upgrade's Current scans with the same ScanBlock): kubectl refuses it.
func duplicateKey(path string, data []byte) error {
	if _, ok := ScanBlock(data, nil); ok {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			return nil // syntax errors are the front-end's to position
		}
		if err := dupIn(path, &doc, 0); err != nil {
			return err
		}
	}
}

// maxDupDepth bounds the walk; deeper nesting is the front-end's to refuse.
const maxDupDepth = 10000

func dupIn(path string, n *yaml.Node, depth int) error {
	if n == nil || depth > maxDupDepth || n.Kind == yaml.AliasNode {
		return nil
	}
	if n.Kind == yaml.MappingNode {
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" {
				continue
			}
			if first, ok := seen[k.Value]; ok {
				return Errorf(path, k.Line, k.Column, "duplicate key %q (first at line %d): YAML allows a key once per mapping", k.Value, first)
			}
			seen[k.Value] = k.Line
		}
	}
	for _, c := range n.Content {
		if err := dupIn(path, c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// utf16BOM reports UTF-16 text, which reads as binary (every other byte NUL) to a UTF-8 parser.
func utf16BOM(path string, data []byte) error {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return Errorf(path, 1, 1, "UTF-16 text (byte order mark %X): tkn-migrate reads UTF-8; convert it first, e.g. iconv -f UTF-16 -t UTF-8", data[:2])
	}
	return nil
}
