package upgrade

import (
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// A file the index read is parsed one document at a time, yet a parse error still wins
// over an upgrade error in an earlier document, as when every document is parsed first.
func TestParseErrorWinsOverEarlierUpgradeError(t *testing.T) {
	const bad = "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t\nspec:\n  stepz: []\n"
	cases := []struct{ name, data, want string }{
		{"parse error after an upgrade error", bad + "---\na: [\n", "f.yaml:9:1: invalid YAML: did not find expected node content"},
		{"upgrade error alone", bad + "---\na: 1\n", "f.yaml:6:3: Task \"t\": unknown field \"stepz\""},
	}
	for _, c := range cases {
		for _, indexed := range []bool{false, true} {
			conv := New()
			src := convert.Source{Path: "f.yaml", Data: []byte(c.data), Kind: convert.KindTekton}
			if indexed {
				if err := conv.Index(src); err != nil {
					// Index refuses a broken file; mark it read, as one whose file changed since.
					conv.mu.Lock()
					conv.index("").paths["f.yaml"] = true
					conv.mu.Unlock()
				}
			}
			res, err := conv.Convert(src, convert.Options{})
			if err == nil || err.Error() != c.want {
				t.Errorf("%s (indexed %v): error %v, want %s", c.name, indexed, err, c.want)
			}
			if len(res.Files) != 0 {
				t.Errorf("%s (indexed %v): a result with the error: %+v", c.name, indexed, res)
			}
		}
	}
}
