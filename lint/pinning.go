package lint

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// unpinnedImage reports an image reference with no tag or the latest tag.
// References built from substitutions are left alone: their value is not known here.
func unpinnedImage(ref string) bool {
	if ref == "" || strings.Contains(ref, "$(") || strings.Contains(ref, "{{") || strings.Contains(ref, "@sha256:") {
		return false
	}
	name := ref
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	i := strings.LastIndex(name, ":")
	return i < 0 || name[i+1:] == "latest"
}

// checkPinning: TKN701 (images) and TKN702 (hub, git and bundle references without a version).
func checkPinning(in *input) {
	for _, d := range in.docs {
		if !tekton(d) {
			continue
		}
		yamldoc.Walk(d.Root, func(n *yaml.Node) {
			if n.Kind != yaml.MappingNode {
				return
			}
			if img := yamldoc.Get(n, "image"); img != nil && img.Kind == yaml.ScalarNode && unpinnedImage(img.Value) {
				in.report("TKN701", "", d.Path, img, fmt.Sprintf(
					"image %q is not pinned: :latest or no tag changes under you between runs; use a version tag, or a digest (@sha256:...)", img.Value))
			}
			for _, k := range []string{"taskRef", "pipelineRef", "ref"} {
				if ref := yamldoc.Get(n, k); ref != nil && ref.Kind == yaml.MappingNode {
					checkRef(in, d, ref)
				}
			}
		})
	}
}

func checkRef(in *input, d *yamldoc.Doc, ref *yaml.Node) {
	if b := yamldoc.Get(ref, "bundle"); b != nil && unpinnedImage(b.Value) {
		in.report("TKN702", "", d.Path, b, fmt.Sprintf("bundle %q has no tag or the latest tag; pin a version or digest", b.Value))
	}
	resolver := yamldoc.Str(ref, "resolver")
	params := map[string]*yaml.Node{}
	for _, p := range yamldoc.Items(ref, "params") {
		params[yamldoc.Str(p, "name")] = yamldoc.Get(p, "value")
	}
	str := func(k string) string {
		if v := params[k]; v != nil {
			return v.Value
		}
		return ""
	}
	what := str("name")
	if what == "" {
		what = str("pathInRepo")
	}
	switch resolver {
	case "hub":
		if v := str("version"); v == "" || v == "latest" {
			in.report("TKN702", "", d.Path, yamldoc.Key(ref, "resolver"), fmt.Sprintf(
				"hub reference to %q has no version: add a version param (e.g. \"0.9\") so the Task does not change under you", what))
		}
	case "git":
		if str("revision") == "" {
			in.report("TKN702", "", d.Path, yamldoc.Key(ref, "resolver"), fmt.Sprintf(
				"git reference to %q has no revision, so it follows the default branch; pin a tag or commit in a revision param", what))
		}
	case "bundles":
		if b := params["bundle"]; b != nil && unpinnedImage(b.Value) {
			in.report("TKN702", "", d.Path, b, fmt.Sprintf("bundle %q has no tag or the latest tag; pin a version or digest", b.Value))
		}
	}
}
