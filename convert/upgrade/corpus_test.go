package upgrade

import (
	"bytes"
	"errors"
	"unsafe"

	"go.yaml.in/yaml/v3"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
)

func corpusFiles(tb testing.TB) []convert.Source {
	c := corpustest.Dir(tb)
	var out []convert.Source
	for _, set := range []string{"tekton-v1alpha1", "tekton-v1beta1", "catalog"} {
		filepath.WalkDir(filepath.Join(c, set), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			rel, _ := filepath.Rel(c, p)
			out = append(out, convert.Source{Path: rel, Data: data, Kind: convert.KindTekton})
			return nil
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// expectedErrors are corpus files that are bad input for a strict reader, with the error we give.
var expectedErrors = map[string]string{}

// oldDocs names the first document (also inside a TriggerTemplate) that is still old Tekton.
func oldDocs(t *testing.T, data []byte) string {
	t.Helper()
	docs, err := splitDocs("out", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.node == nil {
			continue
		}
		r := root(d.node)
		for _, n := range append([]*yaml.Node{r}, items(path(r, "spec", "resourcetemplates"))...) {
			av, kind := str(n, "apiVersion"), str(n, "kind")
			if !tektonKinds[kind] || !strings.HasPrefix(av, "tekton.dev/") {
				continue
			}
			if av != "tekton.dev/v1" || kind == "PipelineResource" || kind == "Condition" || kind == "ClusterTask" {
				return av + " " + kind + " " + str(get(n, "metadata"), "name")
			}
		}
	}
	return ""
}

// validateOutput runs Tekton validation on every document, after giving generateName
// objects a name as the API server does before the webhook sees them.
func validateOutput(p string, data []byte) error {
	docs, err := splitDocs(p, data)
	if err != nil {
		return err
	}
	var errs []error
	for _, d := range docs {
		if d.node == nil {
			continue
		}
		n := clone(d.node)
		md := get(root(n), "metadata")
		if gn := str(md, "generateName"); gn != "" && str(md, "name") == "" {
			set(md, "name", scalar(gn+"abcde"))
		}
		if err := validate.Node(p, n); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Every corpus file converts, validates with Tekton, and leaves nothing old behind.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	// Each corpus set is one input set: the sets hold the same examples in different versions.
	conv := map[string]*Converter{}
	for _, src := range files {
		set := inputSet(src.Path)
		if conv[set] == nil {
			conv[set] = New()
		}
		if err := conv[set].Index(src); err != nil {
			t.Errorf("index %s: %v", src.Path, err)
		}
	}
	pass, catalogUses, alreadyV1 := 0, 0, 0
	for _, src := range files {
		c := conv[inputSet(src.Path)]
		if want, ok := expectedErrors[filepath.Base(src.Path)]; ok {
			_, err := c.Convert(src, convert.Options{})
			if err == nil || err.Error() != want {
				t.Errorf("%s: got error %v, want %s", src.Path, err, want)
			} else {
				pass++
			}
			continue
		}
		fellBackBefore := c.fallbacks.Load()
		res, err := c.Convert(src, convert.Options{})
		if err != nil {
			t.Errorf("%s: %v", src.Path, err)
			continue
		}
		out := res.Files[0].Data
		ok := true
		if err := validateOutput(src.Path, out); err != nil {
			t.Errorf("%s: output fails validation: %v", src.Path, err)
			ok = false
		}
		catalogUses += checkCatalogBindings(t, src.Path, out)
		// A source without a final newline gets one when we append after its last line;
		// a document printed whole (fallback) is counted separately.
		slack := 0
		if !strings.HasSuffix(string(src.Data), "\n") {
			slack = 1
		}
		if ours, needed := changedLines(t, src.Data, out); ours > needed+slack && c.fallbacks.Load() == fellBackBefore {
			t.Errorf("%s: diff touches %d source lines, the edit needs %d", src.Path, ours, needed)
			ok = false
		}
		if oldDocs(t, src.Data) == "" {
			alreadyV1++
			if string(out) != string(src.Data) {
				t.Errorf("%s: already v1, but the output differs", src.Path)
				ok = false
			}
		}
		if m := oldDocs(t, out); m != "" {
			t.Errorf("%s: output still has %s", src.Path, m)
			ok = false
		}
		again, err := c.Convert(convert.Source{Path: src.Path, Data: out}, convert.Options{})
		if err != nil || string(again.Files[0].Data) != string(out) {
			t.Errorf("%s: converting the output again changes it (err %v)", src.Path, err)
			ok = false
		}
		if ok {
			pass++
		}
	}
	var fallbacks int64
	for _, c := range conv {
		fallbacks += c.fallbacks.Load()
	}
	t.Logf("corpus: %d/%d files pass %d documents fell back to whole-document printing; %d catalog task uses checked; %d already-v1 files byte-identical", pass, len(files), fallbacks, catalogUses, alreadyV1)
}

// inputSet groups corpus files converted together: a whole example set, or one catalog Task version.
func inputSet(p string) string {
	if parts := strings.Split(filepath.ToSlash(p), "/"); parts[0] != "catalog" {
		return parts[0]
	}
	return filepath.Dir(p)
}

// TestIndexSharesSourceBytes checks that the index holds the engine's copy of a file, not one
// of its own, and that indexing and upgrading the corpus never write that copy, which the
// index's strings share.
func TestIndexSharesSourceBytes(t *testing.T) {
	srcs := append(corpusFiles(t), convert.Source{Path: "big.yaml", Data: bigFile(3), Kind: convert.KindTekton})
	for _, src := range srcs {
		pristine := bytes.Clone(src.Data)
		c := New()
		if err := c.Index(src); err != nil {
			continue // the corpus tests check errors
		}
		if text, ok := c.index("").texts[src.Path]; ok && unsafe.StringData(text) != unsafe.SliceData(src.Data) {
			t.Errorf("%s: the index copied the file", src.Path)
		}
		c.Convert(src, convert.Options{})
		if !bytes.Equal(src.Data, pristine) {
			t.Errorf("%s: indexing or upgrading wrote the input's bytes", src.Path)
		}
	}
}
