package upgrade

import (
	"encoding/json"
	"strings"

	"github.com/tektoncd/pipeline/pkg/apis/pipeline/v1alpha1"
	"github.com/tektoncd/pipeline/pkg/apis/pipeline/v1beta1"
	"go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// strictCheck refuses an old Tekton document with fields Tekton never had, the way the
// webhook's strict decode does. v1alpha1 has no Go types any more: its documents are
// first moved to the v1beta1 shape (on a copy), and the removed-but-real fields we
// upgrade (conditions, serviceAccountNames, ...) are checked here and then set aside.
func (s *docState) strictCheck(doc *yaml.Node) error {
	if s.version == "v1" {
		return nil
	}
	r := root(doc)
	spec := get(r, "spec")
	switch s.kind {
	case "PipelineResource":
		return s.allowKeys(spec, "spec", map[string][]string{
			"": {"type", "params", "secrets", "description"}, "params": {"name", "value"}, "secrets": {"fieldName", "secretKey", "secretName"},
		})
	case "Condition":
		if err := s.allowKeys(spec, "spec", map[string][]string{"": {"check", "params", "resources", "description"}}); err != nil {
			return err
		}
		return s.decodeStrict(r, get(spec, "check"), &v1beta1.Step{})
	}
	c := clone(r)
	scratch := *s
	scratch.findings = nil
	rn := kyaml.NewRNode(c)
	if _, err := rn.Pipe(legacyFields{&scratch}); err != nil {
		return err
	}
	// inputs/outputs may only hold what v1alpha1 allowed.
	specs := taskSpecs(s.kind, c)
	if s.kind == "TaskRun" {
		specs = append(specs, get(c, "spec"))
	}
	for _, ts := range specs {
		for _, io := range []string{"inputs", "outputs"} {
			if err := s.allowKeys(get(ts, io), io, map[string][]string{"": {"params", "resources", "results"}}); err != nil {
				return err
			}
		}
		if k := keyNode(get(ts, "inputs"), "params"); k != nil && get(ts, "params") != nil {
			// The old conversion webhook refused this too ("multiple one-of").
			return convert.Errorf(s.path, s.line(k), k.Column, "%s: both inputs.params and params are set", s.kind)
		}
		alphaInputsOutputs{&scratch}.move(ts)
	}
	for _, ps := range pipelineSpecs(s.kind, c) {
		for _, pt := range pipelineTasks(ps) {
			for _, cond := range items(get(pt, "conditions")) {
				if err := s.allowKeys(cond, "conditions", map[string][]string{
					"": {"conditionRef", "params", "resources"}, "params": {"name", "value"}, "resources": {"name", "resource", "from"},
				}); err != nil {
					return err
				}
			}
			del(pt, "conditions")
		}
	}
	var obj any
	switch s.kind {
	case "Task", "ClusterTask":
		obj = &v1beta1.Task{}
	case "Pipeline":
		obj = &v1beta1.Pipeline{}
	case "TaskRun":
		obj = &v1beta1.TaskRun{}
	case "PipelineRun":
		obj = &v1beta1.PipelineRun{}
	case "Run":
		obj = &v1alpha1.Run{}
	default:
		return nil
	}
	del(c, "status") // status is dropped; its shape changed across versions
	// A passing decode is remembered with its case fixes, by kind and the tree with its
	// positions: a fleet holds the same document many times.
	key := memoKey(false, s.kind, string(appendTree(nil, c, true)))
	fixes, hit := strictMemo.Get(key)
	if !hit {
		if err := s.decodeStrict(r, c, obj); err != nil {
			return err
		}
		fixes = fieldCaseFixes(c, obj)
		if take(s.shares, strictShare, strictMemo, 0) {
			strictMemo.Put(key, fixes, 0)
		}
	}
	s.renameKeys(r, fixes)
	return nil
}

// fixFieldCase renames the keys of orig whose case differs from the field names of obj,
// decoded from decoded (orig or a copy that keeps its positions).
func (s *docState) fixFieldCase(orig, decoded *yaml.Node, obj any) {
	s.renameKeys(orig, fieldCaseFixes(decoded, obj))
}

func (s *docState) renameKeys(orig *yaml.Node, fixes []caseFix) {
	for _, f := range fixes {
		if k := keyAt(orig, f.line, f.col, f.from); k != nil {
			k.Value = f.to
			s.note(k, convert.Converted, "field-case", "field %s is spelled %s in Tekton's API; the API server ignores or refuses the other spelling", f.from, f.to)
		}
	}
}

// caseFix renames the key at line:col from from to to.
type caseFix struct {
	line, col int
	from, to  string
}

// fieldCaseFixes finds keys whose case differs from Tekton's field names (workingdir):
// Go's JSON decoding matched them, so old Tekton ran them, but the API server's schema
// is case-sensitive and now drops or refuses them. obj is decoded parsed into its type.
func fieldCaseFixes(decoded *yaml.Node, obj any) []caseFix {
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil
	}
	type fix = caseFix
	var fixes []fix
	var walk func(n *yaml.Node, v any)
	walk = func(n *yaml.Node, v any) {
		switch n.Kind {
		case yaml.MappingNode:
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if sub, ok := m[k.Value]; ok {
					walk(n.Content[i+1], sub)
					continue
				}
				for name, sub := range m {
					if strings.EqualFold(name, k.Value) {
						fixes = append(fixes, fix{k.Line, k.Column, k.Value, name})
						walk(n.Content[i+1], sub)
						break
					}
				}
			}
		case yaml.SequenceNode:
			l, ok := v.([]any)
			if !ok {
				return
			}
			for i, c := range n.Content {
				if i < len(l) {
					walk(c, l[i])
				}
			}
		}
	}
	walk(decoded, out)
	return fixes
}

// keyAt finds the mapping key with this position and value.
func keyAt(n *yaml.Node, line, col int, value string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Line == line && k.Column == col && k.Value == value {
				return k
			}
		}
	}
	for _, c := range n.Content {
		if k := keyAt(c, line, col, value); k != nil {
			return k
		}
	}
	return nil
}

var unknownField = lazyre.New(`unknown field "([^"]+)"`)

// decodeStrict decodes n into obj refusing unknown fields; errors point into orig.
func (s *docState) decodeStrict(orig, n *yaml.Node, obj any) error {
	if n == nil {
		return nil
	}
	var generic any
	if err := n.Decode(&generic); err != nil {
		return convert.Errorf(s.path, s.line(orig), orig.Column, "%s: %v", s.kind, err)
	}
	raw, err := json.Marshal(generic)
	if err != nil {
		return convert.Errorf(s.path, s.line(orig), orig.Column, "%s: %v", s.kind, err)
	}
	if err := validate.StrictDecode(raw, obj); err != nil {
		msg := strings.TrimPrefix(err.Error(), "json: ")
		at := orig
		if m := unknownField.FindStringSubmatch(msg); m != nil {
			field := m[1]
			if i := strings.LastIndex(field, "."); i >= 0 {
				field = field[i+1:]
			}
			if k := findKey(orig, field); k != nil {
				at = k
			}
		}
		return convert.Errorf(s.path, s.line(at), at.Column, "%s %q: %s", s.kind, str(get(orig, "metadata"), "name"), msg)
	}
	return nil
}

// findKey finds the first mapping key called name below n.
func findKey(n *yaml.Node, name string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == name {
				return n.Content[i]
			}
		}
	}
	for _, c := range n.Content {
		if k := findKey(c, name); k != nil {
			return k
		}
	}
	return nil
}

// allowKeys checks a mapping (and the list items under some of its keys) for unknown keys.
func (s *docState) allowKeys(m *yaml.Node, where string, allowed map[string][]string) error {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	ok := func(list []string, k string) bool {
		for _, x := range list {
			if x == k {
				return true
			}
		}
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if !ok(allowed[""], k.Value) {
			return convert.Errorf(s.path, s.line(k), k.Column, "%s: unknown field %q in %s", s.kind, k.Value, where)
		}
		if sub, has := allowed[k.Value]; has {
			for _, it := range items(m.Content[i+1]) {
				if err := s.allowKeys(it, where+"."+k.Value, map[string][]string{"": sub}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// removedText is what replaces a PipelineResource or Condition document: a comment
// saying where its content went.
func removedText(d document, s *docState) string {
	r := root(d.node)
	name := str(get(r, "metadata"), "name")
	return convert.CommentLine("# tkn-migrate: "+s.kind+" "+name+" removed ("+baseName(s.path)+":"+itoa(s.line(r))+"): "+removedWhere(s.kind)) + "\n"
}

// removedWhere says where the content of a removed PipelineResource or Condition went.
func removedWhere(kind string) string {
	if kind == "Condition" {
		return "Pipelines that used it now run a check task and guard with when"
	}
	return "the Runs that bound it now pass its params"
}
