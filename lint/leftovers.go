package lint

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// pipelineKinds are the kinds of the tekton.dev group whose old versions lint reports; the
// upgrade handles them all.
var pipelineKinds = map[string]bool{
	"Task": true, "TaskRun": true, "Pipeline": true, "PipelineRun": true,
	"ClusterTask": true, "PipelineResource": true, "Condition": true, "Run": true,
}

// checkLeftovers: TKN401, APIs removed from Tekton (error) or deprecated (v1beta1, warning).
func checkLeftovers(in *input) {
	for _, d := range in.docs {
		if !tekton(d) || !pipelineKinds[d.Kind] {
			continue
		}
		action := "tkn-migrate convert -w " + d.Path
		report := func(sev Severity, n *yaml.Node, msg string) {
			f := in.report("TKN401", sev, d.Path, n, msg+"; run `tkn-migrate convert` to upgrade it")
			f.Action = action
		}
		version := strings.TrimPrefix(d.APIVersion, "tekton.dev/")
		av := yamldoc.Key(d.Root, "apiVersion")
		switch {
		case d.Kind == "PipelineResource":
			report(Error, av, fmt.Sprintf("PipelineResource %q: PipelineResources were removed in Tekton v0.50; use Tasks such as git-clone and results instead", runName(d)))
		case d.Kind == "Condition":
			report(Error, av, fmt.Sprintf("Condition %q: Conditions were removed in Tekton v0.50; use when expressions", runName(d)))
		case d.Kind == "ClusterTask":
			report(Error, av, fmt.Sprintf("ClusterTask %q: ClusterTasks were removed in Tekton v1.0; make it a namespaced Task referenced through the cluster resolver", runName(d)))
		case d.Kind == "Run":
			report(Error, av, fmt.Sprintf("Run %q: v1alpha1 Run was replaced by v1beta1 CustomRun (ref → customRef, spec → customSpec), which its custom task's controller must reconcile", runName(d)))
		case version == "v1alpha1":
			report(Error, av, fmt.Sprintf("%s %q is tekton.dev/v1alpha1, which Tekton no longer serves", d.Kind, runName(d)))
		case version == "v1beta1":
			report(Warning, av, fmt.Sprintf("%s %q is tekton.dev/v1beta1, deprecated in favour of tekton.dev/v1", d.Kind, runName(d)))
		}
		// Constructs inside the spec, each reported once per document.
		seen := map[string]bool{}
		once := func(what string, n *yaml.Node, msg string) {
			if !seen[what] {
				seen[what] = true
				report(Error, n, msg)
			}
		}
		yamldoc.Walk(yamldoc.Get(d.Root, "spec"), func(n *yaml.Node) {
			if n.Kind != yaml.MappingNode {
				return
			}
			for _, k := range []string{"taskRef", "pipelineRef"} {
				ref := yamldoc.Get(n, k)
				if yamldoc.Str(ref, "bundle") != "" {
					once("bundle", yamldoc.Key(ref, "bundle"), fmt.Sprintf("%s.bundle was removed in Tekton v0.61; use the bundles resolver", k))
				}
				if yamldoc.Str(ref, "kind") == "ClusterTask" {
					once("clustertask-ref", yamldoc.Key(ref, "kind"), "kind: ClusterTask references fail since Tekton v1.0; use the cluster resolver on a namespaced Task")
				}
			}
			if c := yamldoc.Get(n, "conditions"); c != nil && c.Kind == yaml.SequenceNode && len(c.Content) > 0 && yamldoc.Str(c.Content[0], "conditionRef") != "" {
				once("conditions", yamldoc.Key(n, "conditions"), "conditions were removed in Tekton v0.50; use when expressions")
			}
		})
		if r := yamldoc.Get(d.Root, "spec", "resources"); r != nil && d.Kind != "PipelineResource" && !isComputeResources(r) {
			report(Error, yamldoc.Key(yamldoc.Get(d.Root, "spec"), "resources"), "spec.resources (PipelineResources) were removed in Tekton v0.50; use workspaces, params and results")
		}
	}
}

// isComputeResources tells a v1alpha1 step-style `resources: {limits, requests}` from PipelineResources.
func isComputeResources(n *yaml.Node) bool {
	return yamldoc.Get(n, "limits") != nil || yamldoc.Get(n, "requests") != nil
}
