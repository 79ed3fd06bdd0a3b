package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"
)

// appendJSON must give YAMLToJSON's bytes exactly, or decline.
func TestAppendJSONIsYAMLToJSON(t *testing.T) {
	docs := []string{
		"a: 1\nb: -2\nc: 0\nd: true\ne: False\nf: ~\ng:\nh: null\n",
		"s: 'yes'\nt: \"on\"\nu: |\n  line\n   more\n\n\nv: >-\n  folded\n  text\nw: -c\nx: --flag\ny: ./run.sh\nz: <b>&\n",
		"list: [a, 'b', 3, {k: v}]\nnested:\n  - name: x\n    value: $(params.y)\n",
		"é: ünïcode\nkey with space: v\n\"quoted key\": 1\n",
		"version: 1.7.0\nip: 10.0.0.1\nodd: 1..2.\n",
		"tab: \"a\\tb\"\nnl: \"a\\nb\"\nhtml: \"<script>\"\nu2028: \"\\u2028\"\n",
	}
	declined := []string{
		"value: on\n", "on: push\n", "v: yes\n", "v: n\n", "v: 0777\n", "v: 1_000\n", "v: 1.5\n", "v: 1.\n", "v: .5\n", "v: 1e3\n",
		"v: 2001-12-14\n", "v: 0x1F\n", "v: .inf\n", "v: +1\n", "v: 00\n", "v: -0\n", "v: 1234567890123456789\n",
		"v: !!str 1\n", "a: &x 1\nb: *x\n", "<<: {a: 1}\n", "a: 1\na: 2\n", "1: a\n", "true: a\n", "? [a]\n: b\n", "v: -c\n",
	}
	for _, d := range declined {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(d), &n); err != nil {
			t.Fatalf("%q: %v", d, err)
		}
		if j, ok := appendJSON(nil, &n); ok {
			t.Errorf("%q: want declined, got %s", d, j)
		}
	}
	// And every YAML document of the corpus and the golden outputs this checkout can see.
	docs = append(docs, seenDocuments()...)
	fast := 0
	for _, d := range docs {
		var n yaml.Node
		if yaml.Unmarshal([]byte(d), &n) != nil || n.Kind == 0 {
			continue
		}
		j, ok := appendJSON(nil, &n)
		if !ok {
			continue
		}
		fast++
		want, err := sigsyaml.YAMLToJSON([]byte(d))
		if err != nil {
			t.Errorf("%.80q: appendJSON took it, YAMLToJSON fails: %v", d, err)
			continue
		}
		if !bytes.Equal(j, want) {
			t.Errorf("%.80q:\n got %s\nwant %s", d, j, want)
		}
	}
	if fast < len(docs)/2 {
		t.Errorf("appendJSON took only %d of %d documents", fast, len(docs))
	}
	t.Logf("appendJSON took %d of %d documents", fast, len(docs))
}

// seenDocuments is every YAML document of the corpus and the golden files this checkout can see.
func seenDocuments() []string {
	var docs []string
	for _, dir := range []string{"../../testdata", "../upgrade/testdata", "../../travis/testdata", "../../jenkins/testdata", "../../../shared/corpus"} {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (filepath.Ext(p) == ".yaml" || filepath.Ext(p) == ".yml") {
				if b, err := os.ReadFile(p); err == nil {
					for _, doc := range splitDocuments(b) {
						docs = append(docs, string(doc.text))
					}
				}
			}
			return nil
		})
	}
	return docs
}
