package upgrade

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// listItems returns the Tekton objects of a kind: List (kubectl's v1 List, or a typed list
// such as PipelineList); ok is false for any other document or a List holding no Tekton item.
func listItems(doc *yaml.Node) (out []*yaml.Node, ok bool) {
	av, kind := apiVersionKind(doc)
	if !strings.HasSuffix(kind, "List") || av != "v1" && !strings.HasPrefix(av, "tekton.dev/") {
		return nil, false
	}
	for _, it := range items(path(root(doc), "items")) {
		if isTekton(it) {
			out = append(out, it)
		}
	}
	return out, len(out) > 0
}

func isTektonList(doc *yaml.Node) bool {
	_, ok := listItems(doc)
	return ok
}

// upgradeList upgrades each Tekton item of a List in place; the List's own API is out of scope.
func (s *docState) upgradeList(its []*yaml.Node) error {
	for _, it := range its {
		sub := &docState{path: s.path, line0: s.line0, opts: s.opts, to: s.to, idx: s.idx, wide: s.wide, shares: s.shares}
		if err := sub.run(it); err != nil {
			return err
		}
		s.findings = append(s.findings, sub.findings...)
	}
	return nil
}
