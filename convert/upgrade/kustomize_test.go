package upgrade

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// A kustomize repository converts as a whole: the bases upgrade, and the overlays'
// patches follow them (target versions, JSON6902 op paths, strategic-merge fields), with
// markers where a patch has no v1 counterpart. Outputs and findings are golden files.
func TestKustomizeRepo(t *testing.T) { kustomizeGolden(t, "testdata/kustomize-repo") }

// Old kubectl applied a base only built: a TriggerTemplate whose resourcetemplates an
// overlay adds is not refused for lacking them, and says it is left unvalidated.
func TestKustomizeBaseCompletedByOverlay(t *testing.T) {
	kustomizeGolden(t, "testdata/kustomize-base-completed-by-overlay")
}

// A patch of a v1alpha1 Run is marked, target and patch alike: the Run becomes a CustomRun
// whose fields have other names, so neither retargeting nor the patch's paths would hold.
func TestKustomizeRunPatch(t *testing.T) { kustomizeGolden(t, "testdata/kustomize-run-patch") }

// kustomizeGolden converts the repository dir/input as a whole; outputs and findings are golden files.
func kustomizeGolden(t *testing.T, dir string) {
	var srcs []convert.Source
	err := filepath.WalkDir(filepath.Join(dir, "input"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if convert.Detect(p, data) == convert.KindTekton {
			srcs = append(srcs, convert.Source{Path: p, Data: data, Kind: convert.KindTekton})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := New()
	for _, s := range srcs {
		if err := c.Index(s); err != nil {
			t.Fatal(err)
		}
	}
	outputs := map[string][]byte{}
	var findings []convert.Finding
	for _, s := range srcs {
		res, err := c.Convert(s, convert.Options{})
		if err != nil {
			t.Fatalf("%s: %v", s.Path, err)
		}
		for _, f := range res.Files {
			if _, dup := outputs[f.Path]; dup {
				t.Errorf("%s produced twice", f.Path)
			}
			outputs[f.Path] = f.Data
			if !f.Partial {
				if err := validateOutput(f.Path, f.Data); err != nil {
					t.Errorf("%s: %v", f.Path, err)
				}
			}
		}
		findings = append(findings, res.Findings...)
	}
	var paths []string
	for p := range outputs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var all strings.Builder
	for _, p := range paths {
		rel, _ := filepath.Rel(filepath.Join(dir, "input"), p)
		all.WriteString("== " + filepath.ToSlash(rel) + "\n")
		all.Write(outputs[p])
	}
	golden(t, filepath.Join(dir, "expected.txt"), []byte(all.String()))
	for i := range findings {
		findings[i].File = strings.TrimPrefix(filepath.ToSlash(findings[i].File), dir+"/input/")
	}
	golden(t, filepath.Join(dir, "findings.txt"), []byte(formatFindings(findings)))
}

// kubectl's kustomize is the oracle: building the upgraded prod overlay gives what
// upgrading the old overlay's build gives, and the upgraded dev overlay's ops all apply.
func TestKustomizeBuildAgrees(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed")
	}
	const in = "testdata/kustomize-repo/input"
	build := func(dir string) []byte {
		out, err := exec.Command(kubectl, "kustomize", dir).Output()
		if err != nil {
			t.Fatalf("kubectl kustomize %s: %v", dir, err)
		}
		return out
	}
	// The old build, upgraded as plain Tekton YAML.
	old := build(filepath.Join(in, "overlays/prod"))
	res, err := New().Convert(convert.Source{Path: "built.yaml", Data: old}, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := res.Files[0].Data
	// The whole repository upgraded, then built.
	tmp := t.TempDir()
	var srcs []convert.Source
	filepath.WalkDir(in, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(in, p)
		dst := filepath.Join(tmp, rel)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		os.WriteFile(dst, data, 0o644)
		if convert.Detect(dst, data) == convert.KindTekton {
			srcs = append(srcs, convert.Source{Path: dst, Data: data})
		}
		return nil
	})
	c := New()
	for _, s := range srcs {
		c.Index(s)
	}
	for _, s := range srcs {
		res, err := c.Convert(s, convert.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			os.WriteFile(f.Path, f.Data, 0o644)
		}
	}
	build(filepath.Join(tmp, "overlays/dev")) // every rewritten op path exists in the upgraded base
	got := build(filepath.Join(tmp, "overlays/prod"))
	if a, b := decodeAll(t, got), decodeAll(t, want); !reflect.DeepEqual(a, b) {
		t.Errorf("built upgraded overlay:\n%s\nupgraded old build:\n%s", got, want)
	}
}

func decodeAll(t *testing.T, data []byte) []any {
	var out []any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		out = append(out, v)
	}
	return out
}
