package upgrade

import (
	"bytes"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

var (
	_ convert.Currenter      = (*Converter)(nil)
	_ convert.CurrentIndexer = (*Converter)(nil)
	_ convert.Forgetter      = (*Converter)(nil)
)

// The fast path: a file already Tekton v1 is mostly upgraded to itself. A byte scan
// (convert.ScanBlock) reads its key paths; when none of them is one a filter acts on in a v1
// document, the upgrade would return the file unchanged with no finding, so it is neither
// parsed nor printed (the engine still validates it).

// currentDoc is one document of a file scanCurrent accepted.
type currentDoc struct {
	kind, name, version string
	line0               int    // 1-based file line of the document's text
	rootLine            int    // file line of its root mapping's first key; 0 for comments only
	start, end          int    // the document's text in the file's bytes
	ref                 string // a PipelineRun's pipelineRef name: the index decides about it
	runLevel            bool   // spec.timeout, serviceAccountName or podTemplate: v1beta1 PipelineRun fields
	deny                bool   // a key the upgrade acts on
}

// anyWhere are keys some filter rewrites or reports wherever a v1 document has them.
var anyWhere = map[string]bool{
	"inputs": true, "outputs": true, // v1alpha1 inputs/outputs
	"bundle": true, "conditions": true, "serviceAccountNames": true, "serviceAccount": true, "trigger": true,
	"stepOverrides": true, "sidecarOverrides": true, "taskServiceAccountName": true, "taskPodTemplate": true,
}

// stepOnly are the container fields v1 Steps lost (deprecatedStepFields removes them from
// steps and stepTemplate; sidecars keep them).
var stepOnly = map[string]bool{
	"ports": true, "livenessProbe": true, "readinessProbe": true, "startupProbe": true, "lifecycle": true,
	"terminationMessagePath": true, "terminationMessagePolicy": true, "stdin": true, "stdinOnce": true, "tty": true,
}

// denyBytes are texts whose presence anywhere sends a file to the full upgrade: the variable
// forms the variables filter rewrites (alphaVars, oldSyntax), resource references
// (resVar, which leftoverRefs marks), and Helm templating. A result of a task named
// multiply-inputs ($(tasks.multiply-inputs.results.x)) is none of them.
var denyBytes = [][]byte{[]byte("$(inputs."), []byte("$(outputs."), []byte("${inputs."), []byte("${outputs."), []byte("$(resources."), []byte("{{")}

// currentKinds are the kinds whose v1 documents the fast path knows.
var currentKinds = map[string]bool{"Task": true, "Pipeline": true, "TaskRun": true, "PipelineRun": true}

// scanCurrent returns the documents of data when the upgrade has nothing to do in them
// whatever the index holds, except for the pipelineRefs it lists (Current decides those);
// ok is false for any file it can't vouch for. ok also means data parses and has no key
// given twice (convert.ScanBlock).
func scanCurrent(path string, data []byte) (docs []currentDoc, ok bool) {
	if isKustomization(path) {
		return nil, false
	}
	for _, b := range denyBytes {
		if bytes.Contains(data, b) {
			return nil, false
		}
	}
	// envsubst templating (template.go) is a ${...} in a name-holding value.
	envsubst := bytes.Contains(data, []byte("${"))
	blocks, ok := convert.ScanBlock(data, func(k *convert.BlockKey) bool {
		for len(docs) <= k.Doc {
			docs = append(docs, currentDoc{})
		}
		cur := &docs[k.Doc]
		if envsubst && nameKeys[string(k.Key)] && (!k.Decoded || bytes.Contains(k.Value, []byte("${"))) {
			return false
		}
		if len(k.Path) == 0 && (string(k.Key) == "apiVersion" || string(k.Key) == "kind") {
			if !k.Decoded {
				return false // a document the scan can't classify
			}
			if string(k.Key) == "kind" {
				cur.kind = string(k.Value)
			} else {
				cur.version = string(k.Value)
			}
		}
		tekton := strings.Contains(cur.version, "tekton.dev")
		custom := cur.version == customRunVersion && (cur.kind == "" || cur.kind == "CustomRun")
		if tekton && cur.version != "tekton.dev/v1" && !custom {
			return false // an older Tekton or a Triggers document: no need to read on
		}
		if !cur.deny && !custom {
			cur.deny = upgradable(cur, k)
		}
		return !(cur.deny && tekton) // a v1 Tekton document the upgrade acts on decides the file
	})
	if !ok {
		return nil, false
	}
	for len(docs) < len(blocks) {
		docs = append(docs, currentDoc{})
	}
	for i, b := range blocks {
		d := &docs[i]
		d.line0, d.rootLine, d.start, d.end = b.Line, b.RootLine, b.Start, b.End
		if b.RootLine == 0 || passThrough(d) {
			continue // comments, or an object the upgrade copies as it is
		}
		if d.deny || d.version != "tekton.dev/v1" || !currentKinds[d.kind] || d.kind == "PipelineRun" && d.runLevel {
			return nil, false
		}
		if d.kind != "PipelineRun" {
			d.ref = ""
		}
	}
	return docs, true
}

// passThrough reports a document Convert copies as it is: no Tekton object, Triggers object
// or List of them (isTekton, isTriggers, isTektonList), or a CustomRun, told from its apiVersion and kind.
func passThrough(d *currentDoc) bool {
	return !strings.Contains(d.version, "tekton.dev") && !strings.HasSuffix(d.kind, "List") ||
		d.version == customRunVersion && d.kind == "CustomRun" // what a Run becomes (customrun.go)
}

// customRunVersion is CustomRun's only version: it is current whatever the target.
const customRunVersion = "tekton.dev/v1beta1"

// upgradable reports a key the upgrade acts on in a v1 document; it records in d what
// the decision needs later (name, pipelineRef, PipelineRun-only fields).
func upgradable(d *currentDoc, k *convert.BlockKey) bool {
	key := k.Key // compared as string(key): no allocation per key
	if anyWhere[string(key)] || stepOnly[string(key)] && inStep(k.Path) {
		return true
	}
	if string(key) == "kind" && (!k.Decoded || string(k.Value) == "ClusterTask") {
		return true // a ClusterTask, or a taskRef to one
	}
	switch len(k.Path) {
	case 0:
		return string(key) == "status"
	case 1:
		switch p := k.Path[0]; {
		case string(p) == "metadata" && string(key) == "description":
			return true
		case string(p) == "metadata" && string(key) == "name":
			if !k.Decoded {
				return true
			}
			d.name = string(k.Value)
		case string(p) == "spec" && (string(key) == "timeout" || string(key) == "serviceAccountName" || string(key) == "podTemplate"):
			d.runLevel = true
		}
	case 2:
		if string(k.Path[0]) == "spec" && string(k.Path[1]) == "pipelineRef" && string(key) == "name" {
			if !k.Decoded {
				return true
			}
			d.ref = string(k.Value)
		}
	}
	switch string(key) {
	case "resources":
		// v1 has it only in a PersistentVolumeClaim spec; anywhere else it is a v1beta1 field.
		for _, p := range k.Path {
			if string(p) == "volumeClaimTemplate" {
				return false
			}
		}
		return true
	case "name":
		return string(k.Path[len(k.Path)-1]) == "stepTemplate" // v1 stepTemplates have no name
	}
	return false
}

// inStep reports a path inside a step or a stepTemplate (of any Task spec).
func inStep(path [][]byte) bool {
	n := len(path)
	return n >= 1 && string(path[n-1]) == "stepTemplate" || n >= 2 && string(path[n-2]) == "steps" && string(path[n-1]) == "-"
}

// entry is the index entry of d, parsed only when a lookup returns it; nil when d defines
// nothing a reference can name (as newEntry).
func (d *currentDoc) entry(path string, data []byte) *entry {
	if d.rootLine == 0 || d.name == "" || passThrough(d) {
		return nil
	}
	return &entry{path: path, line: d.rootLine, col: 1, kind: d.kind, name: d.name, version: d.version, text: string(data[d.start:d.end]),
		load: &sync.Once{}, line0: d.line0, current: true}
}

// IndexCurrent indexes src when the pre-scan finds it current (indexFast); the scan also
// found no key given twice, which is all precheck asks of Tekton YAML.
func (c *Converter) IndexCurrent(src convert.Source) bool { return c.indexFast(src) }

// indexFast records src as a file of its scope and, when the pre-scan finds it current,
// indexes it from the scan as Index would from a parse; false leaves src to the full index.
// A file it already scanned (IndexCurrent, then Index) is not scanned or recorded again.
func (c *Converter) indexFast(src convert.Source) bool {
	c.mu.Lock()
	sf, seen := c.index(src.Scope).scanned[src.Path]
	c.mu.Unlock()
	if seen && sameBytes(sf.data, src.Data) {
		return sf.current
	}
	docs, ok := scanCurrent(src.Path, src.Data)
	c.mu.Lock()
	defer c.mu.Unlock()
	idx := c.index(src.Scope)
	idx.files = append(idx.files, src.Path)
	if idx.scanned == nil {
		idx.scanned = map[string]scannedFile{}
	}
	idx.scanned[src.Path] = scannedFile{data: src.Data, docs: docs, current: ok}
	if !ok {
		return false
	}
	if c.objects == nil {
		c.objects = map[string][]string{}
	}
	for _, d := range docs {
		if d.rootLine != 0 && d.kind != "" { // as markObjects
			c.objects[src.Path] = append(c.objects[src.Path], d.kind+"/"+d.name)
		}
	}
	if c.patchFiles[src.Path] {
		return true
	}
	for i := range docs {
		if e := docs[i].entry(src.Path, src.Data); e != nil {
			k := key(e.kind, e.name)
			idx.byKey[k] = append(idx.byKey[k], e)
			idx.paths[src.Path] = true
		}
	}
	return true
}

// Current reports that Convert would return src unchanged with no finding: the target is
// v1 (an upgrade to v1beta1 still gives v1 files advice), the pre-scan accepts src, no kustomization patches it, and the Pipeline each of its PipelineRuns names
// resolves to one definition that brings its runs nothing to bind.
func (c *Converter) Current(src convert.Source, opts convert.Options) bool {
	if opts.To != "" && opts.To != "v1" {
		return false
	}
	c.mu.Lock()
	idx := c.index(src.Scope)
	patch := c.patchFiles[src.Path]
	sf, ok := idx.scanned[src.Path]
	c.mu.Unlock()
	docs := sf.docs
	if !ok || !sameBytes(sf.data, src.Data) {
		docs, sf.current = scanCurrent(src.Path, src.Data)
	}
	if !sf.current {
		return false
	}
	if patch {
		return false
	}
	var view *index
	for i := range docs {
		d := &docs[i]
		if d.rootLine != 0 && c.patched(src.Scope, d.kind, d.name) {
			return false
		}
		if d.ref == "" {
			continue
		}
		if view == nil {
			view = idx.currentView(src.Path, src.Data, docs)
		}
		top := view.nearest("Pipeline", d.ref)
		if len(top) == 0 {
			continue
		}
		if differ(top) {
			return false // an ambiguous-reference finding
		}
		if e := top[0]; !e.current && pipelineWork(get(e.resolved().node, "spec")) {
			return false
		}
	}
	return true
}

// scannedFile is a current file as indexFast read it.
type scannedFile struct {
	data    []byte
	docs    []currentDoc
	current bool
}

// sameBytes reports the very bytes indexFast scanned (the engine hands the index's read on).
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0] || bytes.Equal(a, b))
}

// currentView is withLocal for a file the pre-scan read.
func (x *index) currentView(path string, data []byte, docs []currentDoc) *index {
	y := &index{byKey: x.byKey, paths: x.paths, from: path}
	if x.paths[path] {
		return y
	}
	y.byKey = make(map[string][]*entry, len(x.byKey)+len(docs))
	for k, v := range x.byKey {
		y.byKey[k] = v
	}
	for i := range docs {
		if e := docs[i].entry(path, data); e != nil {
			k := key(e.kind, e.name)
			y.byKey[k] = append(append([]*entry(nil), y.byKey[k]...), e)
		}
	}
	return y
}

// pipelineWork reports a Pipeline spec whose upgrade changes its runs: it has conditions
// or PipelineResources (conditionsToWhen and pipelineResources.pipeline act on nothing else).
func pipelineWork(ps *yaml.Node) bool {
	if keyNode(ps, "resources") != nil {
		return true
	}
	for _, pt := range pipelineTasks(ps) {
		if keyNode(pt, "resources") != nil || keyNode(pt, "conditions") != nil {
			return true
		}
	}
	return false
}

// Forget drops the index of scope once its last file is converted, so memory follows the
// repositories in flight rather than the whole batch. The objects of kustomize patch files
// stay: patched() consults them across scopes.
func (c *Converter) Forget(scope string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	x := c.idxs[scope]
	if x == nil {
		return
	}
	for _, p := range x.files {
		if !c.patchFiles[p] {
			delete(c.objects, p)
		}
	}
	delete(c.idxs, scope)
	delete(c.patchTargets, scope)
}
