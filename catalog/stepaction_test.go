package catalog

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
)

// The StepAction index must equal the real StepAction YAML (params, defaults, results),
// and the git reference must name the file and commit its source was taken from.
func TestStepActionMatchesYAML(t *testing.T) {
	dir := corpustest.Sub(t, "stepaction")
	sources, err := os.ReadFile(filepath.Join(corpustest.Dir(t), "SOURCES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range stepActions() {
		t.Run(a.Name, func(t *testing.T) {
			got := fromYAML(t, filepath.Join(dir, a.Name, a.Version, a.Name+".yaml"))
			if got.Name != a.Name {
				t.Errorf("metadata.name = %q, want %q", got.Name, a.Name)
			}
			if !reflect.DeepEqual(got.Params, a.Params) {
				t.Errorf("params differ\n yaml:  %s\n index: %s", dump(got.Params), dump(a.Params))
			}
			if !reflect.DeepEqual(got.Results, a.Results) {
				t.Errorf("results differ\n yaml:  %v\n index: %v", got.Results, a.Results)
			}
			ref := a.Ref(Git)
			line := "stepaction\t" + strings.TrimSuffix(strings.TrimPrefix(ref.Get("url"), "https://github.com/"), ".git") + "\t" + ref.Get("pathInRepo") + "\t" + ref.Get("revision") + "\t"
			if !strings.Contains(string(sources), line) {
				t.Errorf("SOURCES.tsv has no line starting %q", line)
			}
			if !strings.Contains(string(sources), "Artifact Hub repository "+a.Hub) || !strings.Contains(string(sources), a.Bundle) {
				t.Errorf("SOURCES.tsv does not name Artifact Hub repository %s and bundle %s", a.Hub, a.Bundle)
			}
		})
	}
}

func TestStepActionRef(t *testing.T) {
	gc, ok := LookupStepAction("git-clone")
	if !ok {
		t.Fatal("no git-clone StepAction")
	}
	if _, ok := LookupStepAction("git-clone-task"); ok {
		t.Error("LookupStepAction found a StepAction that does not exist")
	}
	cases := []struct {
		mode RefMode
		want Ref
	}{
		{Hub, Ref{"hub", []Param{{"catalog", "git-clone-stepaction"}, {"type", "artifact"}, {"kind", "stepaction"}, {"name", "git-clone"}, {"version", "1.7.0"}}}},
		{"", Ref{"hub", []Param{{"catalog", "git-clone-stepaction"}, {"type", "artifact"}, {"kind", "stepaction"}, {"name", "git-clone"}, {"version", "1.7.0"}}}},
		{Bundles, Ref{"bundles", []Param{{"bundle", "ghcr.io/tektoncd-catalog/git-clone/bundle:v1.7.0"}, {"name", "git-clone"}, {"kind", "stepaction"}}}},
		{Git, Ref{"git", []Param{{"url", "https://github.com/tektoncd-catalog/git-clone.git"}, {"revision", "c166e56217829ecc2062059030a8a0fcc0e1a88f"}, {"pathInRepo", "stepaction/git-clone/git-clone.yaml"}}}},
		{Cluster, Ref{"cluster", []Param{{"kind", "stepaction"}, {"name", "git-clone"}, {"namespace", "tekton-catalog"}}}},
	}
	for _, c := range cases {
		if got := gc.Ref(c.mode); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Ref(%q) = %+v, want %+v", c.mode, got, c.want)
		}
	}
}
