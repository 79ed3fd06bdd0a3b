package upgrade

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// A kustomization's patches name Tekton fields by their old paths. Once the bases are
// upgraded, a JSON6902 op on /spec/serviceAccountName of a v1beta1 PipelineRun fails
// ("no matches for target", or a missing path) and a strategic-merge patch adds a field
// v1 no longer has. Patches are upgraded with the bases: targets take the new version,
// op paths the new field paths, and strategic-merge patches the same field moves as the
// objects they patch; what has no place in v1 is marked.

// isKustomization reports a kustomize Kustomization file, by the names kustomize reads.
func isKustomization(p string) bool {
	switch filepath.Base(p) {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return true
	}
	return false
}

// kustomizer carries what a kustomization's conversion needs besides its own tree.
type kustomizer struct {
	dir   string         // the kustomization's directory: patch paths are relative to it
	files []convert.File // patch files it rewrote (JSON6902 op lists are no Tekton input of their own)
}

// patchEntry is one patch of a kustomization.
type patchEntry struct {
	node   *yaml.Node // the list item (a mapping, or a scalar in patchesStrategicMerge)
	target *yaml.Node // target selector, or nil
	inline *yaml.Node // the patch text, or nil
	file   string     // the patch file, relative to the kustomization, or ""
	json   bool       // a JSON6902 patch (patchesJson6902), rather than possibly either
}

func kustomizePatches(r *yaml.Node) []patchEntry {
	var out []patchEntry
	for _, it := range items(get(r, "patchesStrategicMerge")) {
		if it.Kind != yaml.ScalarNode {
			continue
		}
		if strings.Contains(it.Value, "\n") {
			out = append(out, patchEntry{node: it, inline: it})
		} else {
			out = append(out, patchEntry{node: it, file: it.Value})
		}
	}
	for _, list := range []string{"patches", "patchesJson6902"} {
		for _, it := range items(get(r, list)) {
			e := patchEntry{node: it, target: get(it, "target"), inline: get(it, "patch"), file: str(it, "path"), json: list == "patchesJson6902"}
			if e.inline != nil || e.file != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

// smpFiles lists the files a kustomization uses as strategic-merge patches (they are Tekton
// inputs of their own, converted as patches), relative to the kustomization's directory.
func smpFiles(r *yaml.Node) []string {
	var out []string
	for _, e := range kustomizePatches(r) {
		if e.file != "" && !e.json {
			out = append(out, e.file)
		}
	}
	return out
}

// kustomization upgrades the patches of a Kustomization r.
func (s *docState) kustomization(r *yaml.Node) error {
	for _, e := range kustomizePatches(r) {
		kind, old := s.retarget(e.target)
		switch {
		case e.inline != nil:
			if err := s.inlinePatch(e, kind, old); err != nil {
				return err
			}
		case e.file != "" && kind != "":
			s.opsFile(e, kind, old)
		}
	}
	return nil
}

// retarget moves a target selector naming an old Tekton kind to the upgraded object, and
// returns the kind and the version the patch was written against ("" when not Tekton).
func (s *docState) retarget(t *yaml.Node) (kind, old string) {
	kind = str(t, "kind")
	if oldGroup, ok := triggersKinds[kind]; ok && t != nil {
		s.retargetTriggers(t, kind, oldGroup)
		if kind == "TriggerTemplate" {
			return kind, triggersOps // its ops may add resourcetemplates, Tekton objects to upgrade
		}
		return "", ""
	}
	if _, ok := tektonKinds[kind]; !ok || t == nil || (str(t, "group") != "" && str(t, "group") != "tekton.dev") {
		return "", ""
	}
	old = str(t, "version")
	switch kind {
	case "PipelineResource", "Condition":
		s.markerAt(get(t, "kind"), get(t, "kind"), "kustomize-target", "this patch targets a %s, which the upgrade removes: move what it patches to the Runs or Pipelines that used it", kind)
		return "", ""
	case "Run":
		s.markerAt(get(t, "kind"), get(t, "kind"), "kustomize-target", "%s", runPatched)
		return "", ""
	case "ClusterTask":
		get(t, "kind").Value = "Task"
		s.note(get(t, "kind"), convert.Converted, "kustomize-target", "target kind ClusterTask became Task, as the object it patches")
		kind = "Task"
	}
	if v := get(t, "version"); v != nil && v.Value != s.to && !(v.Value == "v1" && s.to == "v1beta1") {
		s.note(v, convert.Converted, "kustomize-target", "target version %s became %s, as the object it patches", v.Value, s.to)
		v.Value = s.to
	}
	return kind, old
}

// retargetTriggers moves a target selector naming a Triggers kind to the group and
// version the upgrade gives the object, or kustomize finds nothing to patch.
func (s *docState) retargetTriggers(t *yaml.Node, kind string, oldGroup bool) {
	if kind == "Interceptor" || kind == "ClusterInterceptor" {
		return // they keep their version (triggers.go)
	}
	g := get(t, "group")
	switch {
	case g != nil && g.Value == "tekton.dev" && oldGroup:
		g.Value = strings.TrimSuffix(triggersGroup, "/")
		s.note(g, convert.Converted, "kustomize-target", "target group tekton.dev became %s, as the %s it patches", g.Value, kind)
	case g != nil && g.Value+"/" != triggersGroup:
		return
	}
	if v := get(t, "version"); v != nil && v.Value == "v1alpha1" {
		v.Value = "v1beta1"
		s.note(v, convert.Converted, "kustomize-target", "target version v1alpha1 became v1beta1, as the %s it patches; op paths are kept as written", kind)
	}
}

// inlinePatch upgrades a patch written inside the kustomization.
func (s *docState) inlinePatch(e patchEntry, kind, old string) error {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(e.inline.Value), &n); err != nil || len(n.Content) == 0 {
		return nil // kustomize reports what it can't read
	}
	body := n.Content[0]
	line0 := s.line0 + e.inline.Line // a block scalar's text starts on the line after its indicator
	switch {
	case body.Kind == yaml.SequenceNode && kind != "":
		sub := &docState{path: s.path, line0: line0, opts: s.opts, to: s.to, idx: s.idx, wide: s.wide, shares: s.shares}
		d := document{text: e.inline.Value, line: line0 + 1, node: &n}
		edited := clone(&n)
		sub.jsonOps(root(edited), kind, old, str(e.target, "name"))
		text, err := sub.render(d, edited)
		if err != nil {
			return err
		}
		s.findings = append(s.findings, sub.findings...)
		e.inline.Value = text
	case body.Kind == yaml.MappingNode && isTekton(&n):
		sub := &docState{path: s.path, line0: line0, opts: s.opts, to: s.to, idx: s.idx, wide: s.wide, patch: true, shares: s.shares}
		text, err := sub.upgrade(document{text: e.inline.Value, line: line0 + 1, node: &n})
		if err != nil {
			return err
		}
		s.findings = append(s.findings, sub.findings...)
		e.inline.Value = text
	}
	return nil
}

// opsFile upgrades a JSON6902 patch file (YAML) of a Tekton target; the kustomization's
// conversion writes it, since no apiVersion makes it an input of its own.
func (s *docState) opsFile(e patchEntry, kind, old string) {
	p := filepath.Join(s.kustomize.dir, e.file)
	data, err := os.ReadFile(p)
	if err != nil {
		return // kustomize reports a missing patch file
	}
	docs, err := splitDocs(p, data)
	if err != nil || len(docs) != 1 || docs[0].node == nil || root(docs[0].node).Kind != yaml.SequenceNode {
		return // a strategic-merge patch file: converted as an input of its own
	}
	sub := &docState{path: p, opts: s.opts, to: s.to, idx: s.idx, wide: kyaml.DeriveSeqIndentStyle(string(data)) == string(kyaml.WideSequenceStyle), shares: s.shares}
	edited := clone(docs[0].node)
	sub.jsonOps(root(edited), kind, old, str(e.target, "name"))
	var text string
	if root(docs[0].node).Style&yaml.FlowStyle != 0 {
		// JSON (or flow YAML) keeps its form: the changed strings are replaced where they
		// stand, and what needs a human is marked on the kustomization, as JSON has no comments.
		var ok bool
		if text, ok = editScalars(docs[0].text, docs[0].node, edited); !ok {
			s.markerAt(e.node, e.node, "kustomize-patch", "patch file %s targets a %s: check its paths against the upgraded object by hand", e.file, kind)
			return
		}
		for _, f := range sub.findings {
			if f.Class == convert.Manual {
				s.markerAt(keyNode(e.node, "path"), keyNode(e.node, "path"), "kustomize-patch", "%s: %s", e.file, f.Message)
			}
		}
	} else if text, err = sub.render(docs[0], edited); err != nil {
		return
	}
	s.findings = append(s.findings, sub.findings...)
	if text != docs[0].text {
		s.kustomize.files = append(s.kustomize.files, convert.File{Path: p, Data: []byte(docs[0].sep + text), Partial: true})
	}
}

// editScalars replaces, in text (the source of tree a), each double-quoted scalar whose
// value differs in b, a copy of a with only scalar values changed.
func editScalars(text string, a, b *yaml.Node) (string, bool) {
	lines := splitLines(text)
	ok := true
	var walk func(a, b *yaml.Node)
	walk = func(a, b *yaml.Node) {
		if a.Kind == yaml.ScalarNode && a.Value != b.Value {
			old, repl := `"`+a.Value+`"`, `"`+b.Value+`"`
			if a.Line < 1 || a.Line > len(lines) || a.Style != yaml.DoubleQuotedStyle {
				ok = false
				return
			}
			l := lines[a.Line-1]
			if c := a.Column - 1; c >= 0 && strings.HasPrefix(l[c:], old) {
				lines[a.Line-1] = l[:c] + repl + l[c+len(old):]
			} else {
				ok = false
			}
			return
		}
		for i := range a.Content {
			walk(a.Content[i], b.Content[i])
		}
	}
	walk(a, b)
	return strings.Join(lines, ""), ok
}

// opMove is one v1beta1 → v1 field move, as JSON pointers: from matches a path (its group
// "below" the rest of the path below the field), to is the replacement.
type opMove struct {
	from   *lazyre.Regexp
	to     string
	parent string // a field the move puts the value under, which the object may lack
}

// mv moves field from (a pattern) and everything below it to field to.
func mv(from, to, parent string) opMove {
	return opMove{lazyre.New(`^` + from + `(?P<below>/.*)?$`), to + "${below}", parent}
}

// stepResources renames a container's resources to computeResources in the task spec at
// pattern (with n groups), written back as repl.
func stepResources(pattern, repl string, n int) []opMove {
	g := func(i int) string { return "${" + strconv.Itoa(n+i) + "}" }
	return []opMove{
		mv(pattern+`/(steps|sidecars)/([^/]+)/resources`, repl+"/"+g(1)+"/"+g(2)+"/computeResources", ""),
		mv(pattern+`/stepTemplate/resources`, repl+"/stepTemplate/computeResources", ""),
	}
}

// pipelineTaskSpecs are the moves inside the task specs of a pipeline spec at prefix.
func pipelineTaskSpecs(prefix string) []opMove {
	var out []opMove
	for _, l := range []string{"tasks", "finally"} {
		out = append(out, stepResources(prefix+"/"+l+`/([^/]+)/taskSpec`, prefix+"/"+l+"/${1}/taskSpec", 1)...)
	}
	return out
}

// opMoves are the moves betaToV1 and legacyFields make, by kind; built on first use, not at
// every command's init.
var opMoves = sync.OnceValue(func() map[string][]opMove {
	return map[string][]opMove{
		"PipelineRun": append([]opMove{
			mv(`/spec/serviceAccount`, "/spec/taskRunTemplate/serviceAccountName", "taskRunTemplate"),
			mv(`/spec/serviceAccountName`, "/spec/taskRunTemplate/serviceAccountName", "taskRunTemplate"),
			mv(`/spec/podTemplate`, "/spec/taskRunTemplate/podTemplate", "taskRunTemplate"),
			mv(`/spec/timeout`, "/spec/timeouts/pipeline", "timeouts"),
			mv(`/spec/taskRunSpecs/([^/]+)/taskServiceAccountName`, "/spec/taskRunSpecs/${1}/serviceAccountName", ""),
			mv(`/spec/taskRunSpecs/([^/]+)/taskPodTemplate`, "/spec/taskRunSpecs/${1}/podTemplate", ""),
			mv(`/spec/taskRunSpecs/([^/]+)/(step|sidecar)Overrides/([^/]+)/resources`, "/spec/taskRunSpecs/${1}/${2}Specs/${3}/computeResources", ""),
			mv(`/spec/taskRunSpecs/([^/]+)/(step|sidecar)Overrides`, "/spec/taskRunSpecs/${1}/${2}Specs", ""),
		}, pipelineTaskSpecs("/spec/pipelineSpec")...),
		"TaskRun": append([]opMove{
			mv(`/spec/serviceAccount`, "/spec/serviceAccountName", ""),
			mv(`/spec/(step|sidecar)Overrides/([^/]+)/resources`, "/spec/${1}Specs/${2}/computeResources", ""),
			mv(`/spec/(step|sidecar)Overrides`, "/spec/${1}Specs", ""),
		}, stepResources("/spec/taskSpec", "/spec/taskSpec", 0)...),
		"Task":     stepResources("/spec", "/spec", 0),
		"Pipeline": pipelineTaskSpecs("/spec"),
	}
})

// goneOps are paths with no v1 counterpart: PipelineResources, Conditions, v1alpha1 inputs,
// and serviceAccountNames (now per-task taskRunSpecs entries); goneKey is such a field itself.
var (
	goneOps = lazyre.New(`^/spec/((resources|inputs|outputs|serviceAccountNames)(/|$)|(pipelineSpec/)?(tasks|finally)/[^/]+/(resources|conditions)(/|$))`)
	goneKey = lazyre.New(`^/spec/((resources|inputs|outputs)|(pipelineSpec/)?(tasks|finally)/[^/]+/(resources|conditions))$`)
)

// jsonOps rewrites the paths of a JSON6902 op list for an upgraded object of kind.
func (s *docState) jsonOps(ops *yaml.Node, kind, old, name string) {
	if old == triggersOps {
		s.templateOps(ops)
		return
	}
	if old == "v1" || s.to != "v1" && old != "v1alpha1" {
		return // written against v1 already, or the fields stay (v1beta1 to v1beta1)
	}
	for _, op := range items(ops) {
		for _, field := range []string{"path", "from"} {
			pn := get(op, field)
			if pn == nil || pn.Kind != yaml.ScalarNode {
				continue
			}
			if goneOps.MatchString(pn.Value) {
				s.markerAt(pn, pn, "kustomize-patch", "%s %s patches a field Tekton v1 has no place for (PipelineResources, Conditions or v1alpha1 inputs/outputs): rewrite this op against the upgraded %s", field, pn.Value, kind)
				continue
			}
			for _, m := range opMoves()[kind] {
				if !m.from.MatchString(pn.Value) {
					continue
				}
				to := m.from.ReplaceAllString(pn.Value, m.to)
				s.note(pn, convert.Converted, "kustomize-patch", "op %s %s became %s (the field moved in Tekton v1)", field, pn.Value, to)
				if m.parent != "" && str(op, "op") == "add" && !s.willHave(kind, name, m.parent) {
					s.markerAt(pn, pn, "kustomize-patch", "add %s needs spec.%s in the upgraded %s, which has it only where the old one set a field that moved there: otherwise make this op add spec.%s with the value as its field", to, m.parent, kind, m.parent)
				}
				pn.Value = to
				break
			}
		}
	}
}

// willHave reports whether the upgraded object kind/name (a patch target) has spec.parent:
// the old one set a field that moves there.
func (s *docState) willHave(kind, name, parent string) bool {
	e := s.idx.lookup(kind, name)
	if e == nil {
		return false
	}
	spec := get(e.node, "spec")
	fields := map[string][]string{
		"taskRunTemplate": {"taskRunTemplate", "serviceAccountName", "serviceAccount", "podTemplate"},
		"timeouts":        {"timeouts", "timeout"},
	}[parent]
	for _, f := range fields {
		if get(spec, f) != nil {
			return true
		}
	}
	return false
}

// patchFilters are the upgrade rules that only rename or move fields, so they apply to
// part of an object as to the whole; the others need the whole object.
func (s *docState) patchFilters() []kyaml.Filter {
	return []kyaml.Filter{legacyFields{s}, clusterTask{s}, betaToV1{s}, deprecatedStepFields{s}, apiVersion{s}}
}

// patchDoc upgrades a strategic-merge patch n in place.
func (s *docState) patchDoc(n *yaml.Node) error {
	r := root(n)
	av, kind := apiVersionKind(r)
	s.version, s.kind = strings.TrimPrefix(av, "tekton.dev/"), kind
	if kind == "PipelineResource" || kind == "Condition" {
		s.markerAt(get(r, "kind"), get(r, "kind"), "kustomize-patch", "this patch targets a %s, which the upgrade removes: move what it patches to the Runs or Pipelines that used it", kind)
		return nil
	}
	if kind == "Run" {
		s.markerAt(get(r, "kind"), get(r, "kind"), "kustomize-patch", "%s", runPatched)
		return nil
	}
	walkPaths(get(r, "spec"), "/spec", func(p string, k *yaml.Node) {
		if goneKey.MatchString(p) {
			s.markerAt(k, k, "kustomize-patch", "this patch sets %s, which Tekton v1 has no place for (PipelineResources, Conditions or v1alpha1 inputs/outputs): rewrite it against the upgraded %s", p, kind)
		}
	})
	_, err := kyaml.NewRNode(r).Pipe(s.patchFilters()...)
	return err
}

// runPatched is why a patch of a v1alpha1 Run is left to a human: the Run it patches becomes a
// v1beta1 CustomRun, whose fields have other names.
const runPatched = "this patch targets a v1alpha1 Run, which the upgrade makes a v1beta1 CustomRun (ref → customRef, spec → customSpec, no podTemplate): rewrite the patch against the CustomRun"

// walkPaths calls f with the JSON pointer of every mapping key below n (list items by index).
func walkPaths(n *yaml.Node, at string, f func(p string, key *yaml.Node)) {
	switch {
	case n == nil:
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := at + "/" + n.Content[i].Value
			f(p, n.Content[i])
			walkPaths(n.Content[i+1], p, f)
		}
	case n.Kind == yaml.SequenceNode:
		for i, c := range n.Content {
			walkPaths(c, fmt.Sprintf("%s/%d", at, i), f)
		}
	}
}

// triggersOps is the version retarget reports for a TriggerTemplate target: its ops are
// not Tekton field paths, but their values may be resourcetemplates.
const triggersOps = "triggers"

var resourceTemplatesOp = lazyre.New(`^/spec/resourcetemplates(/(\d+|-))?$`)

// templateOps upgrades the Tekton objects that ops add to a TriggerTemplate's
// resourcetemplates, as the template's own would be: Triggers creates them as written.
func (s *docState) templateOps(ops *yaml.Node) {
	for _, op := range items(ops) {
		pn, v := get(op, "path"), get(op, "value")
		if pn == nil || v == nil || !resourceTemplatesOp.MatchString(pn.Value) {
			continue
		}
		objs := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			objs = v.Content
		}
		var own []*yaml.Node
		for _, it := range objs {
			own = append(own, clone(it))
		}
		idx := s.idx.withTemplate(s.path, s.line0+1, own)
		var kept []*yaml.Node
		for _, it := range objs {
			if !isTekton(it) {
				kept = append(kept, it)
				continue
			}
			sub := &docState{path: s.path, line0: s.line0, opts: s.opts, to: s.to, idx: idx, wide: s.wide, shares: s.shares}
			if err := sub.run(it); err != nil {
				s.markerAt(pn, pn, "kustomize-patch", "the %s this op adds to resourcetemplates was not upgraded (%v): upgrade it by hand", str(it, "kind"), err)
				kept = append(kept, it)
				continue
			}
			s.findings = append(s.findings, sub.findings...)
			if sub.removed {
				if v.Kind != yaml.SequenceNode {
					s.markerAt(pn, pn, "kustomize-patch", "this op adds %s %s to resourcetemplates, which the upgrade removes (%s): drop the op", sub.kind, str(get(it, "metadata"), "name"), removedWhere(sub.kind))
					kept = append(kept, it)
					continue
				}
				s.note(it, convert.Converted, "triggers-template-resource", "%s %s was removed from resourcetemplates: %s", sub.kind, str(get(it, "metadata"), "name"), removedWhere(sub.kind))
				continue
			}
			kept = append(kept, it)
		}
		if v.Kind == yaml.SequenceNode {
			v.Content = kept
		}
	}
}
