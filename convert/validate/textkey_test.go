package validate

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// generatedDocs are the Tekton documents of the front-ends' golden outputs.
func generatedDocs(t *testing.T) []string {
	var docs []string
	for _, dir := range []string{"../../travis/testdata", "../../jenkins/testdata"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !strings.HasSuffix(path, ".yaml") {
				return err
			}
			data, err := os.ReadFile(path)
			for _, d := range splitDocuments(data) {
				if strings.Contains(string(d.text), "apiVersion: tekton.dev/") {
					docs = append(docs, string(d.text))
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(docs) < 100 {
		t.Fatalf("only %d generated documents", len(docs))
	}
	return docs
}

// The text-only key finds the spans the parse finds, on every generated document.
func TestTextKeyMatchesRenamedKey(t *testing.T) {
	for _, text := range generatedDocs(t) {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		want, wok := renamedKey(&doc, []byte(text))
		got, gok := textKey([]byte(text))
		if got != want || gok != wok {
			t.Errorf("textKey = %v (%v), renamedKey = %v (%v) for\n%s", got, gok, want, wok, text)
		}
	}
}

// A text-key hit never passes a document Tekton rejects: every "name:" value of every
// generated document is replaced by values safe and unsafe, and wherever the text key still
// finds the pass of the original, Tekton passes the changed document too.
func TestTextKeyHitsOnlyPasses(t *testing.T) {
	nameLine := regexp.MustCompile(`(?m)^( *(?:- )?name: )(.*)$`)
	values := []string{"x", "123", "no", "1e3", "a.b", "Bad_Name", "a..b", strings.Repeat("a", 64), "$(params.nope)", "-", "x: y"}
	hits, misses := 0, 0
	for _, text := range generatedDocs(t) {
		if Documents("a.yaml", []byte(text)) != nil {
			continue
		}
		docHits := 0
		for i, m := range nameLine.FindAllStringSubmatchIndex(text, -1) {
			if i >= 30 && !strings.HasSuffix(strings.TrimRight(text[:m[0]], " \n"), "secretKeyRef:") {
				continue // every secret name, and the first 30 names of a document, keep the test short
			}
			for _, v := range values {
				b := text[:m[4]] + v + text[m[5]:]
				key, ok := textKey([]byte(b))
				if e, hit := lookup(key); !ok || !hit || e != nil {
					misses++
					continue
				}
				hits++
				if docHits++; docHits > 3 {
					continue // Tekton's validation of a large Pipeline is slow; three per document
				}
				var doc yaml.Node
				if err := yaml.Unmarshal([]byte(b), &doc); err != nil {
					t.Fatalf("a text-key hit does not parse: %v\n%s", err, b)
				}
				if e := validate("", &doc, []byte(b)); e != nil {
					t.Errorf("name %q: text key shares a pass, Tekton says %v", v, e)
				}
			}
		}
	}
	if hits < 100 || misses < 100 {
		t.Fatalf("%d hits, %d misses: the mutations show nothing", hits, misses)
	}
}

// A DNS label that YAML reads as a number or (1.1) bool is not a string to the decoder: it
// shares no pass with a named document.
func TestMemoNameNotAString(t *testing.T) {
	doc := func(name string) string {
		return fmt.Sprintf("apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: %s\nspec:\n  steps:\n    - name: s\n      image: alpine\n", name)
	}
	if err := Documents("a.yaml", []byte(doc("abc"))); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"123", "no"} {
		if err := Documents("b.yaml", []byte(doc(name))); err == nil {
			t.Errorf("name %s: passed", name)
		}
	}
}
