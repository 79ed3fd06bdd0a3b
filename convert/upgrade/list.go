package upgrade

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// contained returns the Tekton objects a document holds without being one: the items of a
// kind: List (kubectl's v1 List, or a typed list such as PipelineList), and a TriggerTemplate's
// resourcetemplates. ok is false for any other document.
func contained(doc *yaml.Node) (its []*yaml.Node, ok bool) {
	av, kind := apiVersionKind(doc)
	switch {
	case isTriggerTemplate(doc):
		its = items(path(root(doc), "spec", "resourcetemplates"))
	case strings.HasSuffix(kind, "List") && (av == "v1" || strings.HasPrefix(av, "tekton.dev/")):
		its = items(path(root(doc), "items"))
	default:
		return nil, false
	}
	var out []*yaml.Node
	for _, it := range its {
		if isTekton(it) {
			out = append(out, it)
		}
	}
	return out, isTriggerTemplate(doc) || len(out) > 0
}

func holdsTekton(doc *yaml.Node) bool {
	_, ok := contained(doc)
	return ok
}
