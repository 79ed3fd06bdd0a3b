package upgrade

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Tekton Triggers documents are upgraded to triggers.tekton.dev/v1beta1, the version
// tektoncd/triggers v0.34.0 serves (Interceptor and ClusterInterceptor exist only as
// v1alpha1 there, so they keep it). The field moves follow the triggers history:
//
//	v0.1        group tekton.dev; trigger.binding (one) and trigger.params; interceptor (one webhook)
//	v0.2–v0.9   bindings[].name is the binding's name (v0.5 adds ref, v0.10 makes name a param name)
//	v0.4–v0.7   trigger.serviceAccount {name, namespace} (v0.8: serviceAccountName)
//	≤ v0.7      $(params.X) in a TriggerTemplate (v0.6 adds $(tt.params.X), v0.8 drops the old form)
//	≤ v0.9      param values had " replaced by \" (v0.10 keeps it under old-escape-quotes)
//	≤ v0.11     template.name (v0.10 adds template.ref); bindings[].spec (embedded binding)
//	≤ v0.13     spec.serviceType, spec.replicas, spec.podTemplate (then spec.resources.kubernetesResource)
//	≤ v0.x      interceptors[].github|gitlab|bitbucket|cel (v0.12 adds ref + params; v1beta1 has only those)

// triggersKinds are the Triggers kinds, by whether tekton.dev/v1alpha1 (triggers ≤ v0.3) had them.
var triggersKinds = map[string]bool{
	"TriggerTemplate": true, "TriggerBinding": true, "EventListener": true, "ClusterTriggerBinding": true,
	"Trigger": false, "Interceptor": false, "ClusterInterceptor": false,
}

const triggersGroup = "triggers.tekton.dev/"

// isTriggers reports a Tekton Triggers document of any version this package upgrades.
func isTriggers(doc *yaml.Node) bool {
	av, kind := apiVersionKind(doc)
	oldGroup, known := triggersKinds[kind]
	switch av {
	case triggersGroup + "v1alpha1", triggersGroup + "v1beta1":
		return known
	case "tekton.dev/v1alpha1":
		return oldGroup
	}
	return false
}

// triggers upgrades one Triggers document (edited in place) to the version v0.34.0 serves.
func (s *docState) triggers(d document, r *yaml.Node) error {
	av, kind := apiVersionKind(r)
	s.version, s.kind = av, kind
	oldGroup := av == "tekton.dev/v1alpha1"
	s.triggersFieldCase(r, av, kind)
	want := triggersGroup + "v1beta1"
	if kind == "Interceptor" || kind == "ClusterInterceptor" {
		want = av // v0.34.0 serves them as v1alpha1 only; a later version's stays as written
	}
	if n := get(r, "apiVersion"); n.Value != want {
		n.Value = want
		if oldGroup {
			s.note(n, convert.Converted, "triggers-api", "%s moved from tekton.dev/v1alpha1 (Triggers v0.1–v0.3) to %s", kind, want)
		}
	}
	spec := get(r, "spec")
	switch kind {
	case "TriggerTemplate":
		return s.triggerTemplate(d, r, oldGroup)
	case "EventListener":
		s.listenerResources(spec)
		for _, t := range items(get(spec, "triggers")) {
			if err := s.triggerSpec(d, t, true); err != nil {
				return err
			}
		}
		for _, g := range items(get(spec, "triggerGroups")) {
			s.interceptors(g)
		}
		if k := keyNode(r, "status"); k != nil {
			del(r, "status")
			s.note(k, convert.Converted, "triggers-status", "status is runtime state and was dropped")
		}
	case "Trigger":
		return s.triggerSpec(d, spec, false)
	}
	return nil
}

// listenerResources moves the EventListener pod fields of triggers ≤ v0.13 to
// spec.resources.kubernetesResource, where v0.12's defaulting put them.
func (s *docState) listenerResources(spec *yaml.Node) {
	moves := []struct{ from, sub string }{{"serviceType", "serviceType"}, {"replicas", "replicas"}}
	var kr *yaml.Node
	kres := func() *yaml.Node {
		if kr == nil {
			kr = ensureMap(ensureMap(spec, "resources"), "kubernetesResource")
		}
		return kr
	}
	for _, m := range moves {
		if k := keyNode(spec, m.from); k != nil {
			set(kres(), m.sub, del(spec, m.from))
			s.note(k, convert.Converted, "triggers-el-resources", "spec.%s moved to spec.resources.kubernetesResource.%s", m.from, m.sub)
		}
	}
	if k := keyNode(spec, "podTemplate"); k != nil {
		pt := del(spec, "podTemplate")
		ps := ensureMap(ensureMap(ensureMap(kres(), "spec"), "template"), "spec")
		for i := 0; i+1 < len(pt.Content); i += 2 {
			set(ps, pt.Content[i].Value, pt.Content[i+1])
		}
		s.note(k, convert.Converted, "triggers-el-resources", "spec.podTemplate moved to spec.resources.kubernetesResource.spec.template.spec")
	}
}

// triggerSpec upgrades an EventListener trigger (inEL) or a Trigger's spec.
func (s *docState) triggerSpec(d document, t *yaml.Node, inEL bool) error {
	if t == nil || t.Kind != yaml.MappingNode {
		return nil
	}
	if k := keyNode(t, "binding"); k != nil && get(t, "bindings") == nil {
		i := keyIndex(t, "binding")
		k.Value = "bindings"
		t.Content[i+1] = seq(t.Content[i+1])
		s.note(k, convert.Converted, "triggers-binding", "binding (Triggers v0.1) became a bindings list")
	}
	if k := keyNode(t, "params"); k != nil && inEL {
		// v0.1 merged trigger params with the binding's, refusing duplicates, as inline bindings do now.
		ps := del(t, "params")
		bs := ensureSeq(t, "bindings", "template")
		for _, p := range items(ps) {
			bs.Content = append(bs.Content, mapping("name", str(p, "name"), "value", get(p, "value")))
		}
		s.note(k, convert.Converted, "triggers-binding", "trigger params (Triggers v0.1) became inline bindings")
	}
	bs := get(t, "bindings")
	for _, b := range append([]*yaml.Node(nil), items(bs)...) { // binding may replace items
		s.binding(bs, b)
	}
	if tp := get(t, "template"); tp != nil {
		switch k := keyNode(tp, "name"); {
		case k != nil && get(tp, "ref") == nil:
			rename(tp, "name", "ref")
			s.note(k, convert.Converted, "triggers-template-ref", "template.name became template.ref (removed in Triggers v0.12)")
		case k != nil:
			del(tp, "name")
			s.note(k, convert.Converted, "triggers-template-ref", "template.name dropped beside template.ref")
		}
	}
	if k := keyNode(t, "interceptor"); k != nil {
		ic := del(t, "interceptor")
		if get(ic, "objectRef") != nil || get(ic, "header") != nil {
			ic = mapping("webhook", ic) // v0.1: the interceptor was a webhook
		}
		ensureSeq(t, "interceptors", "bindings", "template").Content = append([]*yaml.Node{ic}, items(get(t, "interceptors"))...)
		s.note(k, convert.Converted, "triggers-interceptor", "interceptor (Triggers v0.1–v0.2) became an interceptors list")
	}
	s.interceptors(t)
	if k := keyNode(t, "serviceAccount"); k != nil && get(t, "serviceAccountName") == nil {
		sa := get(t, "serviceAccount")
		i := keyIndex(t, "serviceAccount")
		k.Value = "serviceAccountName"
		t.Content[i+1] = scalar(str(sa, "name"))
		if ns := str(sa, "namespace"); ns != "" {
			s.markerAt(t.Content[i+1], k, "triggers-service-account", "serviceAccount.namespace %s is gone: the ServiceAccount %s must be in the namespace of the %s", ns, str(sa, "name"), s.kind)
		} else {
			s.note(k, convert.Converted, "triggers-service-account", "serviceAccount (Triggers v0.4–v0.7) became serviceAccountName")
		}
	}
	if ts := path(t, "template", "spec"); ts != nil {
		// An embedded template (v0.10+) creates its resources as a TriggerTemplate does.
		_, err := s.templateSpec(d, ts, false)
		return err
	}
	return nil
}

// binding upgrades one bindings item of list bs.
func (s *docState) binding(bs, b *yaml.Node) {
	switch {
	case get(b, "spec") != nil:
		// An embedded binding (v0.5–v0.11) is its params as inline bindings (v0.10+).
		k := keyNode(b, "spec")
		var inline []*yaml.Node
		for _, p := range items(path(b, "spec", "params")) {
			inline = append(inline, mapping("name", str(p, "name"), "value", get(p, "value")))
		}
		at := indexOf(bs.Content, b)
		bs.Content = append(bs.Content[:at], append(inline, bs.Content[at+1:]...)...)
		s.note(k, convert.Converted, "triggers-binding", "embedded binding spec (removed in Triggers v0.12) became inline name/value bindings")
		return
	case get(b, "ref") == nil && get(b, "value") == nil && str(b, "name") != "":
		k := keyNode(b, "name")
		rename(b, "name", "ref")
		s.note(k, convert.Converted, "triggers-binding", "bindings[].name named the binding until Triggers v0.10; it is bindings[].ref now")
	}
	if str(b, "ref") != "" && get(b, "kind") == nil {
		// v1beta1 validation requires the kind its defaulting used to fill in.
		insertAfter(b, "ref", "kind", scalar("TriggerBinding"))
	}
}

// coreInterceptors are the interceptor fields v1beta1 replaced with ref + params, and
// their params in the order Triggers' own conversion (updateCoreInterceptors) writes them.
var coreInterceptors = map[string][]string{
	"github": {"secretRef", "eventTypes"}, "gitlab": {"secretRef", "eventTypes"},
	"bitbucket": {"secretRef", "eventTypes"}, "cel": {"filter", "overlays"},
}

// interceptors rewrites the interceptors of m (a trigger or a trigger group).
func (s *docState) interceptors(m *yaml.Node) {
	for _, ic := range items(get(m, "interceptors")) {
		for _, name := range []string{"github", "gitlab", "bitbucket", "cel"} {
			i := keyIndex(ic, name)
			if i < 0 || get(ic, "ref") != nil {
				continue
			}
			k, old := ic.Content[i], ic.Content[i+1]
			ps := seq()
			for _, p := range coreInterceptors[name] {
				v := get(old, p)
				if v == nil || v.Tag == "!!null" {
					continue
				}
				if p == "secretRef" {
					if nk := keyNode(v, "namespace"); nk != nil {
						ns := str(v, "namespace")
						del(v, "namespace")
						on := v
						if sn := get(v, "secretName"); sn != nil {
							on = sn // a line comment needs a scalar line
						}
						s.markerAt(on, nk, "triggers-interceptor", "secretRef.namespace %s is gone (Triggers v0.9): the %s interceptor reads the Secret from the namespace of the trigger", ns, name)
					}
				}
				ps.Content = append(ps.Content, mapping("name", p, "value", v))
			}
			ref := mapping("name", name)
			ref.HeadComment, ref.LineComment = old.HeadComment, old.LineComment
			ic.Content = append(ic.Content[:i], append([]*yaml.Node{scalar("ref"), ref}, ic.Content[i+2:]...)...)
			if len(ps.Content) > 0 {
				insertAfter(ic, "ref", "params", ps)
			}
			s.note(k, convert.Converted, "triggers-interceptor", "interceptor field %s became ref %s with params (v1beta1 has no %s field)", name, name, name)
		}
	}
}

var oldParamRef = lazyre.New(`\$\(params\.([_a-zA-Z][_a-zA-Z0-9.-]*)\)`)

// triggerTemplate rewrites old param references, keeps the old quoting where the
// file's era had it, and upgrades the Tekton documents of spec.resourcetemplates.
func (s *docState) triggerTemplate(d document, r *yaml.Node, oldGroup bool) error {
	preV08, err := s.templateSpec(d, get(r, "spec"), oldGroup)
	if preV08 {
		// Triggers ≤ v0.9 put \" for every " of a param value; v0.10 kept that under this annotation.
		md := ensureMap(r, "metadata")
		if get(get(md, "annotations"), oldEscapeAnnotation) == nil {
			set(ensureMap(md, "annotations"), oldEscapeAnnotation, quoted("true"))
			s.note(keyNode(r, "metadata"), convert.Converted, "triggers-old-escape", "annotation %s keeps the quote escaping of param values that Triggers before v0.10 applied", oldEscapeAnnotation)
		}
	}
	return err
}

// templateSpec upgrades a TriggerTemplate spec (of a TriggerTemplate, or embedded in a
// trigger) and reports whether it was written for Triggers ≤ v0.7.
func (s *docState) templateSpec(d document, spec *yaml.Node, oldGroup bool) (preV08 bool, err error) {
	rts := get(spec, "resourcetemplates")
	params := declared(spec, "params")
	for _, p := range items(get(spec, "params")) {
		// Triggers ≤ v0.4 used Tekton's ParamSpec; its own has no type: every value is a string.
		if k := keyNode(p, "type"); k != nil {
			if t := str(p, "type"); t == "string" {
				del(p, "type")
				s.note(k, convert.Converted, "triggers-param-type", "param %s: type string dropped (Triggers params are strings)", str(p, "name"))
			} else {
				del(p, "type")
				s.markerAt(get(p, "name"), k, "triggers-param-type", "param %s was of type %s; Triggers params are strings now: pass the value as one string", str(p, "name"), t)
			}
		}
	}
	// Triggers ≤ v0.7 replaced $(params.X) for each template param X, anywhere in the
	// raw template text; v0.8 only replaces $(tt.params.X). The era shows in the file:
	// the tekton.dev group (≤ v0.3); a $(params.X) where no embedded Task or Pipeline
	// declares X, which only Triggers could fill (v0.6–v0.7 took both forms); or template
	// params used only as $(params.X).
	usesTT := false
	walkScalars(rts, func(n *yaml.Node) { usesTT = usesTT || strings.Contains(n.Value, "$(tt.params.") })
	preV08 = oldGroup
	walkShadowed(rts, nil, func(n *yaml.Node, shadow map[string]bool) {
		for _, m := range oldParamRef.FindAllStringSubmatch(n.Value, -1) {
			preV08 = preV08 || params[m[1]] && (!shadow[m[1]] || !usesTT)
		}
	})
	if preV08 {
		n := 0
		walkScalars(rts, func(v *yaml.Node) {
			v.Value = oldParamRef.ReplaceAllStringFunc(v.Value, func(m string) string {
				if name := oldParamRef.FindStringSubmatch(m)[1]; params[name] {
					n++
					return "$(tt.params." + name + ")"
				}
				return m
			})
		})
		if n > 0 {
			s.note(keyNode(spec, "resourcetemplates"), convert.Converted, "triggers-template-params", "%d $(params.X) references to template params became $(tt.params.X) (Triggers ≤ v0.7 replaced the old form; v0.8 and later leave it to Tekton)", n)
		}
		s.uidLength(rts)
	}
	// The template's own objects resolve first: a PipelineRun binds the PipelineResource beside it.
	var own []*yaml.Node
	for _, it := range items(rts) {
		own = append(own, clone(it))
	}
	idx := s.idx.withTemplate(s.path, d.line, own)
	var kept []*yaml.Node
	for _, it := range items(rts) {
		if !isTekton(it) {
			kept = append(kept, it)
			continue
		}
		sub := &docState{path: s.path, line0: s.line0, opts: s.opts, to: s.to, idx: idx, wide: s.wide, shares: s.shares}
		if err := sub.run(it); err != nil {
			return preV08, err
		}
		s.findings = append(s.findings, sub.findings...)
		if sub.removed {
			s.note(it, convert.Converted, "triggers-template-resource", "%s %s was removed from resourcetemplates: %s", sub.kind, str(get(it, "metadata"), "name"), removedWhere(sub.kind))
			continue
		}
		kept = append(kept, it)
	}
	if rts != nil && len(kept) < len(rts.Content) {
		rts.Content = kept
	}
	return preV08, nil
}

// walkShadowed calls f on every scalar below n with the params that the embedded Task
// and Pipeline specs around it declare (a $(params.X) there may be Tekton's own).
func walkShadowed(n *yaml.Node, shadow map[string]bool, f func(*yaml.Node, map[string]bool)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		f(n, shadow)
		return
	}
	if n.Kind == yaml.MappingNode {
		specs := []*yaml.Node{get(n, "taskSpec"), get(n, "pipelineSpec")}
		if k := str(n, "kind"); k == "Task" || k == "ClusterTask" || k == "Pipeline" {
			specs = append(specs, get(n, "spec"))
		}
		for _, sp := range specs {
			if sp == nil {
				continue
			}
			inner := map[string]bool{}
			for k := range shadow {
				inner[k] = true
			}
			for k := range declared(sp, "params") {
				inner[k] = true
			}
			shadow = inner
		}
	}
	for _, c := range n.Content {
		walkShadowed(c, shadow, f)
	}
}

const oldEscapeAnnotation = "triggers.tekton.dev/old-escape-quotes"

// uidLength marks a name whose $(uid) makes it longer than Tekton allows: $(uid) was 5
// characters before Triggers v0.12 and is a 36-character UUID since.
func (s *docState) uidLength(rts *yaml.Node) {
	for _, it := range items(rts) {
		if !isTekton(it) {
			continue // other kinds allow 253 characters; Tekton's validation allows 63
		}
		// generateName needs no check: the API server cuts it to fit.
		if v := path(it, "metadata", "name"); v != nil && strings.Contains(v.Value, "$(uid)") && !strings.Contains(v.Value, "$(tt.params.") {
			if n := len(strings.ReplaceAll(v.Value, "$(uid)", strings.Repeat("u", 36))); n > 63 {
				s.markerAt(v, v, "triggers-uid-length", "name is %d characters once $(uid) is a UUID (Triggers v0.12 and later); Tekton allows 63: shorten it", n)
			}
		}
	}
}

// insertAfter inserts key: v right after key after (at the end when after is absent).
func insertAfter(m *yaml.Node, after, key string, v *yaml.Node) {
	at := len(m.Content)
	if i := keyIndex(m, after); i >= 0 {
		at = i + 2
	}
	insertAt(m, at, key, v)
}

func indexOf(l []*yaml.Node, n *yaml.Node) int {
	for i, x := range l {
		if x == n {
			return i
		}
	}
	return -1
}
