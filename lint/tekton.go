package lint

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"knative.dev/pkg/apis"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// checkTekton runs what the admission webhook runs on every Tekton and Triggers document
// (tektoncd/pipeline v1.15.0, tektoncd/triggers v0.34.0: strict decode, SetDefaults,
// Validate) and reports each failure at the field it names, not only the first.
func checkTekton(in *input) {
	for _, d := range in.docs {
		// Tekton validates a TriggerTemplate's runs once $(tt.params) are substituted, not before.
		if d.Root.Kind != yaml.MappingNode || !strings.Contains(d.APIVersion, "tekton.dev/") || in.templated[d] {
			continue
		}
		obj := validate.NewObject(d.APIVersion, d.Kind)
		if obj == nil {
			continue
		}
		// Read the document the way kubectl does: YAML 1.1, where a plain `on` is a bool. From the
		// node where every scalar reads alike in both (printing it again may not round-trip a
		// block scalar that starts with a blank line), else from the node printed.
		raw, ok := validate.NodeJSON(d.Root)
		var err error
		if !ok {
			var text []byte
			if text, err = yaml.Marshal(d.Root); err != nil {
				continue
			}
			raw, err = sigsyaml.YAMLToJSON(text)
		}
		if err != nil {
			in.report("TKN002", "", d.Path, d.Root, fmt.Sprintf("%s %q does not decode: %v", d.Kind, displayName(d), err))
			continue
		}
		unknownFields(d.Root, reflect.TypeOf(obj).Elem(), "", func(key *yaml.Node, path string, known []string) {
			msg := fmt.Sprintf("unknown field %q: Tekton's strict decoding rejects the %s", path, d.Kind)
			if s := closest(key.Value, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			in.report("TKN001", "", d.Path, key, msg)
		})
		// convert/validate's verdict on the document's text is Tekton's on this JSON as this kind:
		// a pass decodes strictly and admits, so there is nothing more to report.
		text := in.texts[d]
		known := text != nil && plainKind(d.Root)
		if known && validate.Passed(text) && (ok || textJSON(text, raw)) {
			continue
		}
		// A strict decode, as validate's, lets a pass be remembered; else (unknown fields are
		// reported above) decode the rest to keep validating.
		strict := known && validate.StrictDecode(raw, obj) == nil
		if !strict {
			obj = validate.NewObject(d.APIVersion, d.Kind) // a failed decode may have filled part of it
			if err := json.Unmarshal(raw, obj); err != nil {
				n, msg := d.Root, err.Error()
				var te *json.UnmarshalTypeError
				if errors.As(err, &te) {
					n = locateJSON(d.Root, te.Field)
					msg = fmt.Sprintf("%s is a %s, Tekton wants a %s", te.Field, te.Value, te.Type)
				}
				in.report("TKN002", "", d.Path, n, fmt.Sprintf("%s %q does not decode: %s", d.Kind, displayName(d), msg))
				continue
			}
		}
		fe := validate.AdmitCut(obj)
		if fe == nil {
			if strict {
				validate.Admitted(text, raw, d.APIVersion, d.Kind)
			}
			continue
		}
		keys := keyIndex{root: d.Root}
		for _, e := range fe.WrappedErrors() {
			sev := Error
			if e.Level == apis.WarningLevel {
				sev = Warning
			}
			// Paths that name the same node (missing fields of one mapping) make one finding.
			var nodes []*yaml.Node
			byNode := map[*yaml.Node][]string{}
			for _, p := range e.Paths {
				reached := validate.Locate(d.Root, p)
				n := keys.of(reached)
				if t := dependent(reached, e.Message); t != nil {
					n = t
				}
				if t := duplicateParam(d.Root, reached, p, e.Message); t != nil {
					n = t
				}
				if byNode[n] == nil {
					nodes = append(nodes, n)
				}
				byNode[n] = append(byNode[n], p)
			}
			if len(nodes) == 0 {
				nodes = []*yaml.Node{d.Root}
			}
			for _, n := range nodes {
				if strings.HasPrefix(e.Message, "parameter appears more than once") && in.at[at{"TKN910", d.Path, n.Line, n.Column}] {
					continue // Tekton checks a Pipeline's params once for tasks and once for finally
				}
				msg := e.Message
				if ps := byNode[n]; len(ps) > 0 {
					msg += ": " + strings.Join(ps, ", ")
				}
				if e.Details != "" {
					msg += ": " + e.Details
				}
				if strings.Contains(msg, "cycle detected") {
					if c := cycle(graph.FromDoc(d), msg); c != "" {
						msg += " (cycle: " + c + ")"
					}
				}
				id := classify(msg)
				if m := dagEdge.FindStringSubmatch(msg); m != nil && id == "TKN908" && isFinally(d.Root, m[2]) {
					id, msg = "TKN912", msg+" ("+m[2]+" is a finally task: it runs after every task, which can't wait for it or read its results)"
				}
				in.report(id, sev, d.Path, n, msg)
			}
		}
	}
}

var paramKey = lazyre.New(`params\[([^\]]+)\]$`)

// duplicateParam points "parameter appears more than once" (whose path Tekton builds as
// spec.tasks.params[x]) at the second declaration of x: in the node reached, or spec.params.
func duplicateParam(root, reached *yaml.Node, path, msg string) *yaml.Node {
	m := paramKey.FindStringSubmatch(path)
	if m == nil || !strings.HasPrefix(msg, "parameter appears more than once") {
		return nil
	}
	for _, list := range [][]*yaml.Node{yamldoc.Items(reached, "params"), yamldoc.Items(root, "spec", "params")} {
		seen := false
		for _, p := range list {
			if yamldoc.Str(p, "name") == m[1] {
				if seen {
					return yamldoc.Get(p, "name")
				}
				seen = true
			}
		}
	}
	return nil
}

// dagEdge is how tektoncd/pipeline's dag names a bad edge: `task "a" depends on "b"`
// (a cycle) or `task a depends on b but b wasn't present` (a missing task).
var dagEdge = lazyre.New(`task "?([A-Za-z0-9_-]+)"? depends on "?([A-Za-z0-9_-]+)`)

// dependent points a DAG failure, which Tekton reports at spec.tasks, at the runAfter
// entry or result reference (or else the task) it names.
func dependent(tasks *yaml.Node, msg string) *yaml.Node {
	m := dagEdge.FindStringSubmatch(msg)
	if m == nil || tasks == nil || tasks.Kind != yaml.SequenceNode {
		return nil
	}
	for _, t := range tasks.Content {
		if yamldoc.Str(t, "name") != m[1] {
			continue
		}
		for _, r := range yamldoc.Items(t, "runAfter") {
			if r.Value == m[2] {
				return r
			}
		}
		// Else the dependency is a result reference.
		var ref *yaml.Node
		yamldoc.Walk(t, func(n *yaml.Node) {
			if ref == nil && n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "tasks."+m[2]+".") {
				ref = n
			}
		})
		if ref != nil {
			return ref
		}
		return yamldoc.Get(t, "name")
	}
	return nil
}

// isFinally reports a finally task of the document's Pipeline (or embedded pipelineSpec).
func isFinally(root *yaml.Node, name string) bool {
	for _, spec := range []*yaml.Node{yamldoc.Get(root, "spec"), yamldoc.Get(root, "spec", "pipelineSpec")} {
		for _, t := range yamldoc.Items(spec, "finally") {
			if yamldoc.Str(t, "name") == name {
				return true
			}
		}
	}
	return false
}

// cycle lists the cycle through the task a DAG error names: a -> c -> b -> a.
func cycle(p *graph.Pipeline, msg string) string {
	m := dagEdge.FindStringSubmatch(msg)
	if p == nil || m == nil {
		return ""
	}
	start := m[1]
	seen := map[string]bool{}
	var path []string
	var walk func(name string) bool
	walk = func(name string) bool {
		path = append(path, name)
		if len(path) > 1 && name == start {
			return true
		}
		if !seen[name] {
			seen[name] = true
			if t := p.Task(name); t != nil {
				for _, dep := range t.Deps {
					if walk(dep.Task) {
						return true
					}
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if !walk(start) {
		return ""
	}
	return strings.Join(path, " -> ")
}

// specific routes Tekton's messages that one of our reference rules names to that rule,
// so a cycle or an undefined variable shows under the same ID whichever check found it.
var specific = []struct {
	re *lazyre.Regexp
	id string
}{
	{lazyre.New(`cycle detected`), "TKN909"},
	{lazyre.New(`wasn't present in Pipeline|referencing a nonexistent task|is not defined in the pipeline`), "TKN908"},
	{lazyre.New(`final task has task result reference|execution status|invalid task result reference`), "TKN912"},
	{lazyre.New(`non-existent variable|undefined workspace|not declared in the (task|pipeline)`), "TKN905"},
	{lazyre.New(`(?i)matrix`), "TKN914"},
	{lazyre.New(`appears more than once|must be unique|more than once|multiple volumes with same name|got both: .*name`), "TKN910"},
	{lazyre.New(`(?i)when expression|WhenExpression`), "TKN913"},
	{lazyre.New(`(?i)invalid resource name|DNS-1123|DNS label|RFC 1123|must consist of lower case`), "TKN911"},
}

// classify names the rule of one Tekton failure: a reference rule when the message is
// one, else its class.
func classify(msg string) string {
	for _, s := range specific {
		if s.re.MatchString(msg) {
			return s.id
		}
	}
	switch {
	case strings.HasPrefix(msg, "missing field(s)"):
		return "TKN003"
	case strings.HasPrefix(msg, "must not set the field") || strings.HasPrefix(msg, "must not update deprecated"):
		return "TKN004"
	case strings.HasPrefix(msg, "expected exactly one"):
		return "TKN006"
	case strings.HasPrefix(msg, "invalid value") || strings.HasPrefix(msg, "invalid key name") ||
		(strings.HasPrefix(msg, "expected ") && strings.Contains(msg, " <= ")):
		return "TKN005"
	}
	return "TKN007"
}

// keyIndex finds the key of a mapping or sequence value, where a finding about the
// field reads best; a scalar stays itself (its value is what is wrong).
type keyIndex struct {
	root *yaml.Node
	keys map[*yaml.Node]*yaml.Node // value -> key, built on first use
}

func (x *keyIndex) of(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.ScalarNode || n == x.root {
		return n
	}
	if x.keys == nil {
		x.keys = map[*yaml.Node]*yaml.Node{}
		yamldoc.Walk(x.root, func(m *yaml.Node) {
			if m.Kind == yaml.MappingNode {
				for i := 1; i < len(m.Content); i += 2 {
					x.keys[m.Content[i]] = m.Content[i-1]
				}
			}
		})
	}
	if k := x.keys[n]; k != nil {
		return k
	}
	return n
}

// jsonField is one JSON key a Go type accepts.
type jsonField struct {
	name string
	typ  reflect.Type
}

var fieldCache sync.Map // reflect.Type -> []jsonField

var unmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()

// fieldsOf lists the JSON keys of struct t as encoding/json reads them (embedded
// structs without a name are inlined).
func fieldsOf(t reflect.Type) []jsonField {
	if v, ok := fieldCache.Load(t); ok {
		return v.([]jsonField)
	}
	var out []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" && tag == "-" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			out = append(out, fieldsOf(ft)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name, f.Type})
	}
	fieldCache.Store(t, out)
	return out
}

// unknownFields walks n against Go type t and calls bad for each mapping key t has no
// field for: all of them, where encoding/json's strict mode stops at the first.
func unknownFields(n *yaml.Node, t reflect.Type, path string, bad func(key *yaml.Node, path string, known []string)) {
	n = yamldoc.Deref(n)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n == nil || reflect.PointerTo(t).Implements(unmarshaler) || t.Implements(unmarshaler) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return
		}
		fields := fieldsOf(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			var ft reflect.Type
			for _, f := range fields {
				if f.name == k.Value {
					ft = f.typ
					break
				}
			}
			// No case-insensitive match as encoding/json makes: the API server's strict
			// field validation (kubectl's default) matches keys exactly.
			p := join(path, k.Value)
			if ft == nil {
				names := make([]string, len(fields))
				for j, f := range fields {
					names[j] = f.name
				}
				bad(k, p, names)
				continue
			}
			unknownFields(n.Content[i+1], ft, p, bad)
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				unknownFields(n.Content[i+1], t.Elem(), path+"["+n.Content[i].Value+"]", bad)
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind == yaml.SequenceNode {
			for i, c := range n.Content {
				unknownFields(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), bad)
			}
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// locateJSON finds the node of an encoding/json error path (spec.steps.image: no
// indices), trying each item of a sequence, and returns the deepest node it reaches.
func locateJSON(root *yaml.Node, field string) *yaml.Node {
	var best *yaml.Node
	bestDepth := -1
	var walk func(n *yaml.Node, parts []string, depth int)
	walk = func(n *yaml.Node, parts []string, depth int) {
		n = yamldoc.Deref(n)
		if n == nil {
			return
		}
		if depth > bestDepth {
			best, bestDepth = n, depth
		}
		if len(parts) == 0 {
			return
		}
		switch n.Kind {
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, parts, depth)
			}
		case yaml.MappingNode:
			if k := yamldoc.Key(n, parts[0]); k != nil {
				walk(yamldoc.Get(n, parts[0]), parts[1:], depth+1)
			}
		}
	}
	walk(root, strings.Split(field, "."), 0)
	return best
}

// closest is the known name within two edits of s, for "did you mean".
func closest(s string, known []string) string {
	best, bestD := "", 3
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	for _, k := range sorted {
		if d := distance(strings.ToLower(s), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// distance is the Levenshtein distance.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
