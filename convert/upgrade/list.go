package upgrade

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// listItems returns the items sequences of a kind: List (kubectl's v1 List, or a typed list
// such as PipelineList) and of the Lists nested in it, at any depth; ok is false for any
// other document or a List holding no Tekton item at any depth.
func listItems(doc *yaml.Node) (seqs []*yaml.Node, ok bool) {
	if !isList(doc) {
		return nil, false
	}
	its := path(root(doc), "items")
	seqs = append(seqs, its)
	for _, it := range items(its) {
		if isTekton(it) {
			ok = true
		} else if inner, innerOK := listItems(it); innerOK {
			seqs, ok = append(seqs, inner...), true
		}
	}
	return seqs, ok
}

func isList(doc *yaml.Node) bool {
	av, kind := apiVersionKind(doc)
	return strings.HasSuffix(kind, "List") && (av == "v1" || strings.HasPrefix(av, "tekton.dev/"))
}

func isTektonList(doc *yaml.Node) bool {
	_, ok := listItems(doc)
	return ok
}

// upgradeList upgrades each Tekton item of the items sequences in place; the Lists' own API
// is out of scope. An item the upgrade removes (a PipelineResource) leaves its List, as a
// document of its own leaves its file.
func (s *docState) upgradeList(seqs []*yaml.Node) error {
	for _, its := range seqs {
		if its == nil || its.Kind != yaml.SequenceNode {
			continue
		}
		kept := its.Content[:0:0]
		for _, it := range items(its) {
			if !isTekton(it) {
				kept = append(kept, it)
				continue
			}
			sub := &docState{path: s.path, line0: s.line0, opts: s.opts, to: s.to, idx: s.idx, wide: s.wide, shares: s.shares}
			if err := sub.run(it); err != nil {
				return err
			}
			s.findings = append(s.findings, sub.findings...)
			if sub.removed {
				s.note(it, convert.Converted, "list-resource", "%s %s was removed from the List: %s", sub.kind, str(get(it, "metadata"), "name"), removedWhere(sub.kind))
				continue
			}
			kept = append(kept, it)
		}
		if len(kept) < len(its.Content) {
			its.Content = kept
		}
	}
	return nil
}
