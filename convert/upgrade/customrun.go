package upgrade

import (
	"strings"

	"go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// customRun upgrades a v1alpha1 Run to a v1beta1 CustomRun as Tekton's migration guide
// (docs/migrating-v1alpha1.Run-to-v1beta1.CustomRun.md) says: spec.ref became customRef,
// spec.spec customSpec, and podTemplate has no place; every other field keeps its name.
type customRun struct{ s *docState }

func (f customRun) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	s, r := f.s, rn.YNode()
	if s.kind != "Run" {
		return rn, nil
	}
	name := str(get(r, "metadata"), "name")
	if name == "" {
		name = str(get(r, "metadata"), "generateName")
	}
	spec := get(r, "spec")
	var moved []string
	for _, p := range [][2]string{{"ref", "customRef"}, {"spec", "customSpec"}} {
		if rename(spec, p[0], p[1]) {
			moved = append(moved, "spec."+p[0]+" became "+p[1])
		}
	}
	task := get(spec, "customRef")
	if task == nil {
		task = get(spec, "customSpec")
	}
	what := "custom task " + str(task, "apiVersion") + " " + str(task, "kind")
	k := get(r, "kind")
	k.Value, s.kind = "CustomRun", "CustomRun"
	get(r, "apiVersion").Value = customRunVersion
	s.note(k, convert.Converted, "run-to-customrun", "Run %q became a tekton.dev/v1beta1 CustomRun (%s); CustomRun has no v1 version, so it is v1beta1 whatever version the upgrade targets", name, strings.Join(moved, ", "))
	s.note(task, convert.Approximated, "customrun-controller", "the controller of %s must reconcile tekton.dev/v1beta1 CustomRun: one written for v1alpha1 Run does not see it", what)
	if pk := keyNode(spec, "podTemplate"); pk != nil {
		// Only the custom task knows where a pod template goes: its old value stays beside the marker, commented out.
		kept := mapping("podTemplate", del(spec, "podTemplate"))
		s.markerAbove(keyNode(r, "spec"), pk, "customrun-pod-template", "spec.podTemplate was removed: CustomRun has none; if the %s applied it, its own spec must carry it (the value follows, commented out)", what)
		var b strings.Builder
		e := yaml.NewEncoder(&b)
		e.SetIndent(2)
		if e.Encode(kept) == nil && e.Close() == nil {
			for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
				addHeadComment(keyNode(r, "spec"), convert.CommentLine("# "+l)) // a line break in a value must not end the comment
			}
		}
	}
	return rn, nil
}
