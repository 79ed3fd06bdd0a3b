package upgrade

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// implicitEnv restores the step environment old Tekton set implicitly and v1 no longer does:
// workingDir /workspace and HOME=/tekton/home (pod.go, v0.9 to v0.23; /builder/home before,
// both gone by default from v0.24). Only evidence in the document says a file relied on them:
// a v1beta1 file may as well be written for v0.24 or later, where neither was set.
type implicitEnv struct{ s *docState }

// homeLiteral matches the home directories old Tekton mounted, as paths.
var homeLiteral = lazyre.New(`(/tekton/home|/builder/home)([^A-Za-z0-9_.-]|$)`)

// eraEvidence names the first rule that places the document before Tekton v0.24, and the node
// that shows it; "" when nothing does.
func (f implicitEnv) eraEvidence(r *yaml.Node) (string, *yaml.Node) {
	if f.s.version == "v1alpha1" {
		return "the tekton.dev/v1alpha1 apiVersion (Tekton before v0.24 set both by default)", get(r, "apiVersion")
	}
	var rule string
	var at *yaml.Node
	walkValues(get(r, "spec"), func(n *yaml.Node) {
		switch {
		case rule != "":
		case oldSyntax.MatchString(n.Value):
			rule, at = "the ${...} variable syntax of Tekton before v0.7", n
		case homeLiteral.MatchString(n.Value):
			rule, at = "a path under "+homeLiteral.FindStringSubmatch(n.Value)[1]+", the HOME old Tekton set", n
		}
	})
	return rule, at
}

func (f implicitEnv) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	r := rn.YNode()
	specs := taskSpecs(f.s.kind, r)
	if len(specs) == 0 || f.s.version == "v1" { // a v1 file was written for v0.44 or later
		return rn, nil
	}
	era, eraAt := f.eraEvidence(r)
	for _, spec := range specs {
		rule, at, home := era, eraAt, true
		if rule == "" {
			// Without evidence of the era, a relative path into a resource's directory still shows
			// the steps relied on starting in /workspace (and on nothing about HOME).
			if rule, at = relativeResourcePath(spec); rule == "" {
				continue
			}
			home = false
		}
		var added []string
		builder := false
		walkValues(get(spec, "steps"), func(n *yaml.Node) {
			if strings.Contains(n.Value, "/builder/home") {
				// v0.9 mounted the home volume at both paths; only /tekton/home is mounted now.
				n.Value = strings.ReplaceAll(n.Value, "/builder/home", "/tekton/home")
				builder = true
			}
		})
		if builder {
			f.s.note(at, convert.Converted, "builder-home", "/builder/home, the home volume's old mount (Tekton v0.9 mounted it at both paths), is now /tekton/home")
		}
		if f.needs(spec, "workingDir") {
			set(ensureMap(spec, "stepTemplate", "steps"), "workingDir", scalar("/workspace"))
			added = append(added, "workingDir: /workspace")
		}
		if home && f.needs(spec, "HOME") {
			tpl := ensureMap(spec, "stepTemplate", "steps")
			env := ensureSeq(tpl, "env")
			env.Content = append(env.Content, mapping("name", "HOME", "value", "/tekton/home"))
			added = append(added, "HOME=/tekton/home")
		}
		if len(added) > 0 {
			f.s.note(at, convert.Converted, "implicit-env", "steps ran with %s implicitly before Tekton v0.24; stepTemplate sets it, by the rule: %s", strings.Join(added, " and "), rule)
		}
	}
	return rn, nil
}

// needs reports whether some step lacks what old Tekton set implicitly and the stepTemplate
// doesn't set it either.
func (f implicitEnv) needs(spec *yaml.Node, what string) bool {
	tpl := get(spec, "stepTemplate")
	has := func(c *yaml.Node) bool {
		if what == "workingDir" {
			return get(c, "workingDir") != nil
		}
		return byName(get(c, "env"), what) != nil
	}
	if has(tpl) {
		return false
	}
	for _, st := range items(get(spec, "steps")) {
		if !has(st) {
			return true
		}
	}
	return false
}

// relativeResourcePath finds a step value using an input resource's directory by a relative
// path (src/k8s.yaml for /workspace/src), which resolved only while steps started in /workspace.
func relativeResourcePath(spec *yaml.Node) (string, *yaml.Node) {
	var dirs []string
	for _, d := range taskDecls(spec) {
		if !d.input || !hasWorkspace(d.typ) || strings.HasPrefix(d.targetPath, "/") {
			continue
		}
		dirs = append(dirs, strings.TrimPrefix(mountPath(d), "/workspace/"))
	}
	for _, dir := range dirs {
		rel := regexp.MustCompile(`(^|[\s"'=:])(\./)?` + regexp.QuoteMeta(dir) + `/`)
		var at *yaml.Node
		walkValues(get(spec, "steps"), func(n *yaml.Node) {
			if at == nil && rel.MatchString(n.Value) {
				at = n
			}
		})
		if at != nil {
			return "a relative path into resource directory /workspace/" + dir + ", which resolved only from /workspace", at
		}
	}
	return "", nil
}
