package yamldoc

import (
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

func TestParse(t *testing.T) {
	src := `# leading comment

apiVersion: v1
kind: A
metadata:
  name: first
---
---
~
---
base: &b
  image: alpine:3.20
apiVersion: tekton.dev/v1
kind: B
spec:
  step: *b
  # inner
  list: [x, y]
`
	docs, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("%d docs, want 2 (empty and null documents skipped)", len(docs))
	}
	a, b := docs[0], docs[1]
	if a.Kind != "A" || a.Name != "first" || a.Line() != 3 || a.Comment != "# leading comment" {
		t.Errorf("first: %+v line %d", a, a.Line())
	}
	if b.APIVersion != "tekton.dev/v1" || b.Line() != 11 {
		t.Errorf("second: %+v line %d", b, b.Line())
	}
	if got := Str(b.Root, "spec", "step", "image"); got != "alpine:3.20" {
		t.Errorf("alias not followed: %q", got)
	}
	if k := Key(b.Root, "spec"); k == nil || k.Line != 15 {
		t.Errorf("Key(spec) = %v", k)
	}
	if n := len(Items(b.Root, "spec", "list")); n != 2 {
		t.Errorf("Items: %d", n)
	}
	if Get(b.Root, "spec", "list", "x") != nil || Str(b.Root, "nope") != "" || Items(nil, "x") != nil {
		t.Error("missing paths must give nil or empty")
	}
	if c := Comments(b.Root); !strings.Contains(c, "# inner") {
		t.Errorf("Comments: %q", c)
	}
}

func TestParseErrors(t *testing.T) {
	_, err := Parse("bad.yaml", []byte("a: 1\n---\nb: [\n"))
	pe, ok := err.(*convert.PosError)
	if !ok || pe.Path != "bad.yaml" || pe.Line < 3 {
		t.Fatalf("want a positioned error at line 3 or later, got %#v", err)
	}
	deep := strings.Repeat("[", MaxDepth+10) + strings.Repeat("]", MaxDepth+10)
	if _, err := Parse("deep.yaml", []byte(deep)); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Fatalf("deep: %v", err)
	}
}
