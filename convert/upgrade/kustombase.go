package upgrade

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// A kustomize base often holds objects an overlay completes (a TriggerTemplate whose
// resourcetemplates a JSON6902 patch adds): kubectl only ever applies them built, so
// such a document is not judged alone.

// markPatchTargets records the kind/name of every object a kustomization patches: JSON6902
// and patches targets, and the objects of its strategic-merge patch files; callers hold c.mu.
func (c *Converter) markPatchTargets(scope string, r *yaml.Node) {
	for _, e := range kustomizePatches(r) {
		if e.target != nil && str(e.target, "kind") != "" && str(e.target, "name") != "" {
			c.markTarget(scope, str(e.target, "kind"), str(e.target, "name"))
		}
	}
}

// markObjects records the kind/name of the objects of file p; callers hold c.mu.
func (c *Converter) markObjects(p string, objs []string) {
	if c.objects == nil {
		c.objects = map[string][]string{}
	}
	c.objects[p] = append(c.objects[p], objs...)
}

// objectKey is the kind/name markObjects records for a document's tree, if it has a kind.
func objectKey(n *yaml.Node) (string, bool) {
	if _, kind := apiVersionKind(n); n != nil && kind != "" {
		return kind + "/" + str(get(root(n), "metadata"), "name"), true
	}
	return "", false
}

// patched reports whether a kustomization of scope patches the object kind/name.
func (c *Converter) patched(scope, kind, name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.patchTargets[scope][kind+"/"+name] {
		return true
	}
	for p := range c.patchFiles {
		for _, o := range c.objects[p] {
			if o == kind+"/"+name {
				return true
			}
		}
	}
	return false
}

func (c *Converter) markTarget(scope, kind, name string) {
	if c.patchTargets == nil {
		c.patchTargets = map[string]map[string]bool{}
	}
	if c.patchTargets[scope] == nil {
		c.patchTargets[scope] = map[string]bool{}
	}
	c.patchTargets[scope][kind+"/"+name] = true
}

// patchedBase reports each document of the converted file data that fails validation
// alone but is an object a kustomization patches. It returns false, and nothing, when
// some failing document is patched by nothing: that one is the engine's to report.
// Only files holding a patched object are validated here.
func (c *Converter) patchedBase(scope, path string, in []object, data []byte) (bool, []convert.Finding) {
	var patched []bool
	some := false
	for _, d := range in {
		p := d.parsed && c.patched(scope, d.kind, d.name)
		patched = append(patched, p)
		some = some || p
	}
	if !some {
		return false, nil
	}
	out, err := splitDocs(path, data)
	if err != nil || len(out) != len(in) {
		return false, nil
	}
	var fs []convert.Finding
	for i, d := range out {
		if d.node == nil {
			continue
		}
		err := validate.Node(path, d.node)
		if err == nil {
			continue
		}
		if !patched[i] {
			return false, nil
		}
		kind, name := in[i].kind, in[i].name
		msg, _, _ := strings.Cut(err.Error(), "\n")
		if _, after, ok := strings.Cut(msg, "fails Tekton validation: "); ok {
			msg = after
		}
		fs = append(fs, convert.Finding{File: path, Line: in[i].line, Col: 1, Class: convert.Approximated, Rule: "kustomize-base",
			Message: kind + " " + name + " is completed by a kustomize patch and is not valid alone (" + msg + "); it is left unvalidated: check the output of kustomize build"})
	}
	return len(fs) > 0, fs
}
