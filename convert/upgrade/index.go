package upgrade

import (
	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// entry is one indexed object.
type entry struct {
	path       string
	line, col  int
	kind, name string
	version    string
	node       *yaml.Node // the document root
}

// index holds the Tekton objects of the whole input set, by kind and name.
type index struct {
	byKey map[string]*entry // kind/namespace/name → first definition
	paths map[string]bool
}

func newIndex() *index { return &index{byKey: map[string]*entry{}, paths: map[string]bool{}} }

func key(kind, ns, name string) string { return kind + "/" + ns + "/" + name }

// add records one document; a second object of the same kind and name is an error.
func (x *index) add(path string, d document) error {
	r := root(d.node)
	av, kind := apiVersionKind(d.node)
	if !isTekton(d.node) {
		return nil
	}
	md := get(r, "metadata")
	name := str(md, "name")
	if name == "" {
		return nil // generateName objects can't be referenced
	}
	if kind == "ClusterTask" {
		kind = "Task" // a ClusterTask becomes a Task: the names share one space
	}
	e := &entry{path: path, line: d.line + r.Line - 1, col: r.Column, kind: kind, name: name, version: av, node: r}
	k := key(kind, str(md, "namespace"), name)
	if first, ok := x.byKey[k]; ok {
		return convert.Errorf(path, e.line, e.col, "duplicate %s %q (first defined at %s:%d:%d)", kind, name, first.path, first.line, first.col)
	}
	x.byKey[k] = e
	x.paths[path] = true
	return nil
}

// withLocal returns an index that also holds the documents of path, for a file
// converted without a prior Index call.
func (x *index) withLocal(path string, docs []document) *index {
	if x.paths[path] {
		return x
	}
	y := &index{byKey: make(map[string]*entry, len(x.byKey)), paths: map[string]bool{path: true}}
	for k, v := range x.byKey {
		y.byKey[k] = v
	}
	for _, d := range docs {
		if d.node != nil {
			_ = y.add(path, d) // duplicates are reported by Index; here the first one wins
		}
	}
	return y
}

// lookup finds an object by kind and name in any namespace.
func (x *index) lookup(kind, name string) *entry {
	if x == nil || name == "" {
		return nil
	}
	if e, ok := x.byKey[key(kind, "", name)]; ok {
		return e
	}
	for _, e := range x.byKey {
		if e.kind == kind && e.name == name {
			return e
		}
	}
	return nil
}
