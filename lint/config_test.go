package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/catalog"
)

// TestProximity: a reference takes the nearest Task of its name within its repository
// (the directory holding .git) and never one from another repository.
func TestProximity(t *testing.T) {
	root := t.TempDir()
	task := func(params string) string {
		return "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: build\nspec:\n  params:\n" + params +
			"  steps:\n    - name: s\n      image: alpine:3.20\n      command: [ls]\n"
	}
	pipeline := "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n" +
		"    - name: build\n      taskRef:\n        name: build\n      params:\n        - name: near\n          value: x\n"
	files := map[string]string{
		"a/.git/HEAD":                 "",
		"a/tasks/build.yaml":          task("    - name: far\n"),
		"a/svc/.tekton/build.yaml":    task("    - name: near\n"),
		"a/svc/.tekton/pipeline.yaml": pipeline,
		"b/.git/HEAD":                 "",
		"b/.tekton/pipeline.yaml":     pipeline,
		"c/.git/HEAD":                 "",
		"c/.tekton/build.yaml":        task("    - name: other\n"),
	}
	var in []File
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".yaml") {
			in = append(in, File{Path: p, Data: []byte(text)})
		}
	}
	fs, errs := Run(in)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, f := range fs {
		if strings.HasPrefix(f.Rule, "TKN9") {
			rel, _ := filepath.Rel(root, f.File)
			got = append(got, filepath.ToSlash(rel)+" "+f.Rule)
		}
	}
	want := "b/.tekton/pipeline.yaml TKN901" // a's pipeline finds the near Task; b has none of its own
	if strings.Join(got, "\n") != want {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(text string) string {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for text, want := range map[string]string{
		"rules: {TKN999: off}\n":    `unknown rule "TKN999"`,
		"rules: {TKN701: loud}\n":   `level "loud" is not error, warning, info or off`,
		"disable: [no-such-rule]\n": `unknown rule "no-such-rule"`,
		"levels: {TKN701: error}\n": `field levels not found`,
	} {
		if _, err := LoadConfig(write(text), true); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", text, err, want)
		}
	}
	if c, err := LoadConfig(filepath.Join(dir, "absent.yaml"), false); err != nil || len(c.Rules) != 0 {
		t.Errorf("absent default config: %v %+v", err, c)
	}
	c, err := LoadConfig(write("rules:\n  unpinned-image: error\ndisable: [TKN801]\ngenerated: [gen/, '*.gen.yaml', deploy/out.yaml]\n"), true)
	if err != nil {
		t.Fatal(err)
	}
	in := []Finding{
		{Rule: "TKN701", Name: "unpinned-image", Severity: Warning, File: filepath.Join(dir, "a.yaml")},
		{Rule: "TKN801", Name: "log-retention", Severity: Info, File: filepath.Join(dir, "a.yaml")},
		{Rule: "TKN701", Severity: Warning, File: filepath.Join(dir, "gen", "x.yaml")},
		{Rule: "TKN701", Severity: Warning, File: filepath.Join(dir, "sub", "t.gen.yaml")},
		{Rule: "TKN701", Severity: Warning, File: filepath.Join(dir, "deploy", "out.yaml")},
		{Rule: "TKN701", Severity: Warning, File: filepath.Join(dir, "generated", "x.yaml")},
	}
	var got []string
	for _, f := range c.Apply(in) {
		rel, _ := filepath.Rel(dir, f.File)
		got = append(got, filepath.ToSlash(rel)+" "+f.Rule+" "+string(f.Severity))
	}
	if want := "a.yaml TKN701 error\ngenerated/x.yaml TKN701 error"; strings.Join(got, "\n") != want {
		t.Errorf("Apply:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

// TestIgnoreComment: the comment covers the line below it only; it names rules by ID or
// name, or none for all.
func TestIgnoreComment(t *testing.T) {
	data := "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n" +
		"    - name: a\n      # tkn-migrate:ignore unpinned-image, TKN916\n      image: alpine\n      script: echo a\n" +
		"    - name: b\n      # tkn-migrate:ignore\n      image: alpine\n      command: [ls]\n" +
		"    - name: c\n      # tkn-migrate:ignore TKN301\n      image: alpine\n      command: [ls]\n"
	fs, _ := Run([]File{{Path: "t.yaml", Data: []byte(data)}})
	if got, want := string(format(fs)), "t.yaml:10:7: info TKN916/script-shebang: script of \"a\" has no #! line: Tekton runs it with sh, not bash\n"+
		"t.yaml:17:14: warning TKN701/unpinned-image: image \"alpine\" is not pinned: :latest or no tag changes under you between runs; use a version tag, or a digest (@sha256:...)\n"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "base.json")
	a := Finding{Rule: "TKN701", File: "x.yaml", Line: 3, Message: "m"}
	b := Finding{Rule: "TKN701", File: "x.yaml", Line: 9, Message: "m"}
	c := Finding{Rule: "TKN702", File: "x.yaml", Line: 4, Message: "n"}
	os.WriteFile(p, []byte(`{"schemaVersion": 1, "tool": "tkn-migrate lint", "findings": [{"rule": "TKN701", "file": "x.yaml", "line": 1, "message": "m"}]}`), 0o644)
	// The old finding moved from line 1 to 3; a second one like it and another rule are new.
	got, err := Baseline(p, []Finding{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != b || got[1] != c {
		t.Errorf("Baseline kept %+v", got)
	}
	os.WriteFile(p, []byte(`{"schemaVersion": 1, "tool": "tkn-migrate"}`), 0o644)
	if _, err := Baseline(p, nil); err == nil || !strings.Contains(err.Error(), "not a tkn-migrate lint JSON report") {
		t.Errorf("a conversion report as baseline: %v", err)
	}
}

// TestCatalogRefs: each resolver reference the catalog builds resolves to the indexed
// Task, so its params are checked; another version does not.
func TestCatalogRefs(t *testing.T) {
	gc := catalog.MustLookup("git-clone")
	for _, mode := range []catalog.RefMode{catalog.Hub, catalog.Bundles, catalog.Git, catalog.Cluster, "other-version"} {
		ref := gc.Ref(mode)
		if mode == "other-version" {
			ref = gc.Ref(catalog.Hub)
			ref.Params[len(ref.Params)-1].Value = "0.1"
		}
		var b strings.Builder
		b.WriteString("apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: clone\n      taskRef:\n")
		b.WriteString("        resolver: " + ref.Resolver + "\n        params:\n")
		for _, p := range ref.Params {
			b.WriteString("          - name: " + p.Name + "\n            value: \"" + p.Value + "\"\n")
		}
		fs, _ := Run([]File{{Path: "p.yaml", Data: []byte(b.String())}})
		var got []string
		for _, f := range fs {
			if f.Rule == "TKN903" || f.Rule == "TKN907" || f.Rule == "TKN901" {
				got = append(got, f.Rule)
			}
		}
		want := "TKN903 TKN907" // url and the output workspace
		if mode == "other-version" {
			want = "" // not the Task we index: unchecked, and no claim it is missing
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: %v, want %q", mode, got, want)
		}
	}
}
