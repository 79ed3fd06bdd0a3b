package upgrade

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// entry is one indexed object.
type entry struct {
	path       string
	line, col  int
	kind, name string
	version    string
	node       *yaml.Node // the document root; see load
	text       string     // the document's bytes: byte-identical copies are one object
	// load is set for an object of a file the pre-scan found current (fastpath.go): its
	// text is parsed into node on the first lookup that returns it, from file line line0.
	load    *sync.Once
	line0   int
	current bool
	// reparse is set for an object the full index read: the index keeps its text, not its
	// tree, and each document that looks it up parses it again (index.trees).
	reparse bool
}

// resolved parses a lazily indexed entry; every entry a lookup returns has passed here.
func (e *entry) resolved() *entry {
	if e != nil && e.load != nil {
		e.load.Do(func() {
			if n, err := parseDoc(e.path, e.text, e.line0); err == nil {
				e.node = root(n)
			}
		})
	}
	if e != nil && e.reparse && e.node == nil {
		c := *e
		if n, err := parseDoc(e.path, e.text, e.line0); err == nil {
			c.node = root(n)
		}
		return &c
	}
	return e
}

// index holds the Tekton objects of the whole input set, by kind and name. The same
// kind and name may be defined many times (kustomize bases and overlays, examples per
// API version): a view for one file resolves each reference by proximity.
type index struct {
	byKey map[string][]*entry // kind/name → every definition, in input order
	paths map[string]bool
	from  string   // the file this view resolves references for
	own   []*entry // objects that win over any other (a TriggerTemplate's own resourcetemplates)
	amb   *ambiguities
	files []string // every file of the scope indexed, so Forget can drop what it recorded
	// texts are the indexed files' text, one copy each, which their entries slice.
	texts map[string]string
	// scanned are the current files of the scope as the pre-scan read them, so that
	// Current need not scan a file again (fastpath.go).
	scanned map[string]scannedFile
	// trees are the reparsed entries one document's upgrade looked up (forDocument): parsed
	// once for it, dropped with it.
	trees map[*entry]*entry
}

func newIndex() *index { return &index{byKey: map[string][]*entry{}, paths: map[string]bool{}} }

func key(kind, name string) string { return kind + "/" + name }

// add records one document of path, tree and all.
func (x *index) add(path string, d document) {
	x.addEntry(path, newEntry(path, d.line, d.text, root(d.node)))
}

// addEntry records an object of path, if e is one.
func (x *index) addEntry(path string, e *entry) {
	if e != nil {
		k := key(e.kind, e.name)
		x.byKey[k] = append(x.byKey[k], e)
		x.paths[path] = true
	}
}

// summary is the index entry of document d without its tree, parsed again when looked up:
// a file's trees outweigh its text many times over.
func summary(path string, d document) *entry {
	e := newEntry(path, d.line, d.text, root(d.node))
	if e != nil {
		e.node, e.reparse, e.line0 = nil, true, d.line
	}
	return e
}

// forDocument is the view for one document's upgrade: what it looks up is parsed once for it.
func (x *index) forDocument() *index {
	y := *x
	y.trees = map[*entry]*entry{}
	return &y
}

// drop forgets the objects of path, a kustomize patch: part of an object, not a definition.
func (x *index) drop(path string) {
	for k, es := range x.byKey {
		var keep []*entry
		for _, e := range es {
			if e.path != path {
				keep = append(keep, e)
			}
		}
		x.byKey[k] = keep
	}
	x.paths[path] = true // converted as a patch, it needs no local definitions either
}

// newEntry describes a Tekton object that can be referenced, or returns nil. line is the
// file line of the document's first line.
func newEntry(path string, line int, text string, r *yaml.Node) *entry {
	if !isTekton(r) {
		return nil
	}
	av, kind := apiVersionKind(r)
	name := str(get(r, "metadata"), "name")
	if name == "" {
		return nil // generateName objects can't be referenced
	}
	if kind == "ClusterTask" {
		kind = "Task" // a ClusterTask becomes a Task: the names share one space
	}
	return &entry{path: path, line: line + r.Line - 1, col: r.Column, kind: intern(kind), name: name, version: intern(av), node: r, text: text}
}

// intern returns the constant for a kind or API version an entry names, so that an index of
// many objects keeps one string each, not a copy per object from its parse.
func intern(s string) string {
	if c, ok := constants[s]; ok {
		return c
	}
	return s
}

var constants = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{"tekton.dev/v1alpha1", "tekton.dev/v1beta1", "tekton.dev/v1"} {
		m[s] = s
	}
	for k := range tektonKinds {
		m[k] = k
	}
	return m
}()

// withLocal returns the view of the index that resolves the references of path; the
// documents of path are added when path was not indexed (a file converted alone).
func (x *index) withLocal(path string, docs []document) *index {
	y := &index{byKey: x.byKey, paths: x.paths, from: path, amb: &ambiguities{}}
	if x.paths[path] {
		return y
	}
	y.byKey = make(map[string][]*entry, len(x.byKey)+len(docs))
	for k, v := range x.byKey {
		y.byKey[k] = v
	}
	y.paths = map[string]bool{path: true}
	for _, d := range docs {
		if d.node != nil {
			if e := newEntry(path, d.line, d.text, root(d.node)); e != nil {
				k := key(e.kind, e.name)
				y.byKey[k] = append(append([]*entry(nil), y.byKey[k]...), e)
			}
		}
	}
	return y
}

// withTemplate returns a view in which the objects of a TriggerTemplate's
// resourcetemplates (nodes, starting at file line line) win: Triggers creates them together.
func (x *index) withTemplate(path string, line int, nodes []*yaml.Node) *index {
	y := *x
	y.own = nil
	for _, n := range nodes {
		if e := newEntry(path, line, "", n); e != nil {
			y.own = append(y.own, e)
		}
	}
	return &y
}

// lookup finds the definition of kind/name nearest to the file of this view: the same
// file, then the same directory, then the nearest ancestor directory, then the repository.
// Equally near definitions that differ are recorded as an ambiguity; the first one is used.
func (x *index) lookup(kind, name string) *entry {
	top := x.nearest(kind, name)
	if len(top) == 0 {
		return nil
	}
	if differ(top) {
		x.amb.add(kind, name, top)
	}
	e := top[0]
	if !e.reparse || x.trees == nil {
		return e.resolved()
	}
	if c, ok := x.trees[e]; ok {
		return c
	}
	c := e.resolved()
	x.trees[e] = c
	return c
}

// nearest returns the equally near definitions of kind/name, the one lookup uses first.
func (x *index) nearest(kind, name string) []*entry {
	if x == nil || name == "" {
		return nil
	}
	for _, e := range x.own {
		if e.kind == kind && e.name == name {
			return []*entry{e}
		}
	}
	best, top := -1, []*entry(nil)
	for _, e := range x.byKey[key(kind, name)] {
		switch r := nearness(x.from, e.path); {
		case r > best:
			best, top = r, []*entry{e}
		case r == best:
			top = append(top, e)
		}
	}
	return top
}

// differ reports equally near definitions whose texts differ.
func differ(top []*entry) bool {
	for _, e := range top[1:] {
		if e.text != top[0].text {
			return true
		}
	}
	return false
}

// nearness ranks where a definition at def sits for a reference in from: higher is nearer.
func nearness(from, def string) int {
	if from == def {
		return 1 << 20
	}
	fd, dd := filepath.Dir(filepath.ToSlash(from)), filepath.Dir(filepath.ToSlash(def))
	if fd == dd {
		return 1 << 19
	}
	if dd == "." || strings.HasPrefix(fd+"/", dd+"/") {
		return 1 + strings.Count(dd, "/") + boolInt(dd != ".") // deeper ancestors are nearer
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ambiguities collects the references of one file that had equally near, differing definitions.
type ambiguities struct {
	mu   sync.Mutex
	seen map[string][]*entry
}

func (a *ambiguities) add(kind, name string, es []*entry) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seen == nil {
		a.seen = map[string][]*entry{}
	}
	k := key(kind, name)
	if _, ok := a.seen[k]; !ok {
		a.seen[k] = es
	}
}

// findings reports each ambiguity as a manual finding at the first use of the name in
// docs (the documents of file path).
func (a *ambiguities) findings(path string, docs []document) []convert.Finding {
	if a == nil || len(a.seen) == 0 {
		return nil
	}
	keys := make([]string, 0, len(a.seen))
	for k := range a.seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []convert.Finding
	for _, k := range keys {
		es := a.seen[k]
		var where []string
		for _, e := range es {
			where = append(where, fmt.Sprintf("%s:%d", e.path, e.line))
		}
		line, col := firstUse(docs, es[0].name)
		out = append(out, convert.Finding{File: path, Line: line, Col: col, Class: convert.Manual, Rule: "ambiguous-reference",
			Message: fmt.Sprintf("%s %q has equally near definitions that differ (%s); this conversion used the first: check which one the reference means",
				es[0].kind, es[0].name, strings.Join(where, ", "))})
	}
	return out
}

// firstUse finds the first scalar value name in docs that is not a metadata.name.
func firstUse(docs []document, name string) (int, int) {
	for _, d := range docs {
		if d.node == nil {
			continue
		}
		line, col := 0, 0
		md := get(root(d.node), "metadata")
		walkValues(root(d.node), func(n *yaml.Node) {
			if line == 0 && n.Value == name && n != get(md, "name") {
				line, col = d.line+n.Line-1, n.Column
			}
		})
		if line > 0 {
			return line, col
		}
	}
	return 0, 0
}
