package catalog

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
)

type yamlTask struct {
	Metadata struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec struct {
		Params []struct {
			Name    string    `yaml:"name"`
			Type    string    `yaml:"type"`
			Default yaml.Node `yaml:"default"`
		} `yaml:"params"`
		Workspaces []struct {
			Name     string `yaml:"name"`
			Optional bool   `yaml:"optional"`
		} `yaml:"workspaces"`
		Results []struct {
			Name string `yaml:"name"`
		} `yaml:"results"`
	} `yaml:"spec"`
}

// fromYAML reads a catalog Task file into our index shape.
func fromYAML(t *testing.T, path string) Task {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var y yamlTask
	if err := yaml.Unmarshal(data, &y); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := Task{Name: y.Metadata.Name}
	for _, p := range y.Spec.Params {
		ps := ParamSpec{Name: p.Name}
		if p.Type == "array" {
			ps.Type = "array"
		}
		if p.Default.Kind != 0 {
			if p.Default.Kind == yaml.SequenceNode {
				ps.ArrayDefault = []string{}
				for _, c := range p.Default.Content {
					ps.ArrayDefault = append(ps.ArrayDefault, c.Value)
				}
			} else {
				v := p.Default.Value
				ps.Default = &v
			}
		}
		out.Params = append(out.Params, ps)
	}
	for _, w := range y.Spec.Workspaces {
		out.Workspaces = append(out.Workspaces, WorkspaceSpec{Name: w.Name, Optional: w.Optional})
	}
	for _, r := range y.Spec.Results {
		out.Results = append(out.Results, r.Name)
	}
	return out
}

// The index must equal the real Task YAML: same params with the same optionality and
// defaults, same workspaces and optionality, same results.
func TestIndexMatchesCatalogYAML(t *testing.T) {
	dir := corpustest.Sub(t, "catalog")
	for _, task := range All() {
		t.Run(task.Name, func(t *testing.T) {
			got := fromYAML(t, filepath.Join(dir, task.Name, task.Version, task.Name+".yaml"))
			if got.Name != task.Name {
				t.Errorf("metadata.name = %q, want %q", got.Name, task.Name)
			}
			if !reflect.DeepEqual(got.Params, task.Params) {
				t.Errorf("params differ\n yaml:  %s\n index: %s", dump(got.Params), dump(task.Params))
			}
			if !reflect.DeepEqual(got.Workspaces, task.Workspaces) {
				t.Errorf("workspaces differ\n yaml:  %v\n index: %v", got.Workspaces, task.Workspaces)
			}
			if !reflect.DeepEqual(got.Results, task.Results) {
				t.Errorf("results differ\n yaml:  %v\n index: %v", got.Results, task.Results)
			}
		})
	}
}

// Every catalog Task in the corpus is indexed (git-clone at the maintained 1.7.0 only).
func TestIndexCoversCorpus(t *testing.T) {
	dir := corpustest.Sub(t, "catalog")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, ok := Lookup(e.Name()); !ok {
			t.Errorf("corpus task %s is not indexed", e.Name())
		}
	}
	if gc, _ := Lookup("git-clone"); gc.Version != "1.7.0" {
		t.Errorf("git-clone version = %q, want 1.7.0", gc.Version)
	}
}

func dump(ps []ParamSpec) []string {
	var out []string
	for _, p := range ps {
		d := "<required>"
		if p.Default != nil {
			d = *p.Default
		}
		if p.ArrayDefault != nil {
			d = "[" + fmtList(p.ArrayDefault) + "]"
		}
		out = append(out, p.Name+"="+d)
	}
	return out
}

func fmtList(l []string) string {
	s := ""
	for i, v := range l {
		if i > 0 {
			s += ","
		}
		s += v
	}
	return s
}

func TestAllSortedAndLookup(t *testing.T) {
	all := All()
	if !sort.SliceIsSorted(all, func(i, j int) bool { return all[i].Name < all[j].Name }) {
		t.Fatal("All() is not sorted")
	}
	for _, name := range []string{"git-clone", "pull-request", "kubeconfig-creator", "gcs-download", "gcs-upload", "cloudevent", "buildah", "kaniko"} {
		if _, ok := Lookup(name); !ok {
			t.Errorf("Lookup(%q) missed", name)
		}
	}
	if _, ok := Lookup("no-such-task"); ok {
		t.Error("Lookup found a task that does not exist")
	}
	all[0].Name = "mutated"
	if All()[0].Name == "mutated" {
		t.Error("All() exposes the index for mutation")
	}
	if k := MustLookup("kaniko"); !k.Deprecated || k.Note == "" {
		t.Errorf("kaniko should be deprecated with a note pointing at buildah: %+v", k)
	}
}

func TestRef(t *testing.T) {
	gc, bh := MustLookup("git-clone"), MustLookup("buildah")
	cases := []struct {
		task Task
		mode RefMode
		want Ref
	}{
		{gc, Hub, Ref{"hub", []Param{{"catalog", "git-clone"}, {"type", "artifact"}, {"kind", "task"}, {"name", "git-clone"}, {"version", "1.7.0"}}}},
		{bh, "", Ref{"hub", []Param{{"catalog", "tekton-catalog-tasks"}, {"type", "artifact"}, {"kind", "task"}, {"name", "buildah"}, {"version", "0.9"}}}},
		{gc, Bundles, Ref{"bundles", []Param{{"bundle", "ghcr.io/tektoncd-catalog/git-clone/bundle:v1.7.0"}, {"name", "git-clone"}, {"kind", "task"}}}},
		{bh, Bundles, Ref{"bundles", []Param{{"bundle", "ghcr.io/tektoncd/catalog/upstream/tasks/buildah:0.9"}, {"name", "buildah"}, {"kind", "task"}}}},
		{gc, Git, Ref{"git", []Param{{"url", "https://github.com/tektoncd-catalog/git-clone.git"}, {"revision", "c166e56217829ecc2062059030a8a0fcc0e1a88f"}, {"pathInRepo", "task/git-clone/git-clone.yaml"}}}},
		{bh, Git, Ref{"git", []Param{{"url", "https://github.com/tektoncd/catalog.git"}, {"revision", "55dd80ef1b83861613dce9080dfdf6656f1aecd4"}, {"pathInRepo", "task/buildah/0.9/buildah.yaml"}}}},
		{bh, Cluster, Ref{"cluster", []Param{{"kind", "task"}, {"name", "buildah"}, {"namespace", "tekton-catalog"}}}},
	}
	for _, c := range cases {
		if got := c.task.Ref(c.mode); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s.Ref(%q) = %+v, want %+v", c.task.Name, c.mode, got, c.want)
		}
	}
}

// The git resolver's pathInRepo must name a file that exists at that version in the catalog layout.
func TestGitPathsMatchCorpusLayout(t *testing.T) {
	dir := corpustest.Sub(t, "catalog")
	for _, task := range All() {
		if task.Name == "git-clone" {
			continue // lives in its own repository
		}
		p := task.Ref(Git).Get("pathInRepo")
		rel := filepath.FromSlash(p[len("task/"):])
		if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
			t.Errorf("%s: pathInRepo %s has no file in the corpus: %v", task.Name, p, err)
		}
	}
}

func TestParseRefMode(t *testing.T) {
	for in, want := range map[string]RefMode{"": Hub, "hub": Hub, "bundles": Bundles, "git": Git, "cluster": Cluster} {
		if got, err := ParseRefMode(in); err != nil || got != want {
			t.Errorf("ParseRefMode(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseRefMode("oci"); err == nil {
		t.Error("ParseRefMode accepted oci")
	}
}
