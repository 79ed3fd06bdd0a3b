package upgrade

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/yamlpos"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Converter upgrades old Tekton YAML. Index every input before converting any, so
// that bindings to PipelineResources, Conditions, Tasks and Pipelines defined in
// other files resolve. It is safe for concurrent use.
type Converter struct {
	mu   sync.Mutex
	idxs map[string]*index // by Source.Scope: names resolve within one repository
	// patchFiles are the files kustomizations use as strategic-merge patches: parts of
	// objects, upgraded as patches and never definitions.
	patchFiles map[string]bool
	// patchTargets are, by scope, the kind/name of objects kustomizations patch by target;
	// objects holds every indexed file's kind/names, for those patched by a patch file.
	patchTargets map[string]map[string]bool
	objects      map[string][]string
	// fallbacks counts documents printed whole by kyaml because a hunk could not be placed.
	fallbacks atomic.Int64
}

var (
	_ convert.Converter = (*Converter)(nil)
	_ convert.Indexer   = (*Converter)(nil)
)

// New returns a Converter with an empty index.
func New() *Converter { return &Converter{} }

// index returns the index of scope, creating it on first use; callers hold c.mu.
func (c *Converter) index(scope string) *index {
	if c.idxs == nil {
		c.idxs = map[string]*index{}
	}
	x := c.idxs[scope]
	if x == nil {
		x = newIndex()
		c.idxs[scope] = x
	}
	return x
}

// Index records the Tekton objects of src for cross-file resolution within src.Scope.
func (c *Converter) Index(src convert.Source) error {
	if c.indexFast(src) { // a current file is indexed from a byte scan (fastpath.go)
		return nil
	}
	if templated(src.Path, src.Data) != nil {
		return nil // Convert reports it
	}
	if isKustomization(src.Path) {
		docs, err := splitDocs(src.Path, src.Data)
		if err != nil {
			return err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		idx := c.index(src.Scope)
		for _, d := range docs {
			c.markPatchTargets(src.Scope, root(d.node))
			for _, f := range smpFiles(root(d.node)) {
				p := filepath.Join(filepath.Dir(src.Path), f)
				c.markPatch(p)
				idx.drop(p)
			}
		}
		return nil
	}
	// One tree at a time: the index keeps each object's summary and text (see summary). The
	// text shares src.Data rather than copying a file's worth of heap: Data is never written.
	text := unsafe.String(unsafe.SliceData(src.Data), len(src.Data))
	docs := splitString(text)
	var objs []string
	ents := make([]*entry, 0, len(docs))
	for i := range docs {
		d := docs[i]
		n, err := parseDoc(src.Path, d.text, d.line)
		if err != nil {
			return err
		}
		d.node = n
		if o, ok := objectKey(n); ok {
			objs = append(objs, o)
		}
		if n != nil {
			ents = append(ents, summary(src.Path, d))
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	idx := c.index(src.Scope)
	c.markObjects(src.Path, objs)
	if c.patchFiles[src.Path] {
		return nil
	}
	for _, e := range ents {
		idx.addEntry(src.Path, e)
	}
	if len(ents) > 0 { // its entries hold slices of text anyway: Convert splits the same copy
		if idx.texts == nil {
			idx.texts = map[string]string{}
		}
		idx.texts[src.Path] = text
	}
	return nil
}

// markPatch records a strategic-merge patch file; callers hold c.mu.
func (c *Converter) markPatch(p string) {
	if c.patchFiles == nil {
		c.patchFiles = map[string]bool{}
	}
	c.patchFiles[p] = true
}

// Convert upgrades every Tekton document of src. The result has one File at
// src.Path, byte-identical to the input when nothing needed to change; a template
// (Helm chart) has none, and an unsupported finding instead.
func (c *Converter) Convert(src convert.Source, opts convert.Options) (res convert.Result, err error) {
	// A file the index read is parsed one document at a time, each tree dropped once
	// converted; a parse error still wins over an upgrade error in an earlier document,
	// as when every document was parsed first. next is the first document not yet parsed.
	var docs []document
	lazy, next := false, 0
	fallbacks := int64(0)
	defer func() {
		if r := recover(); r != nil { // a bug must not take the batch down: report it as this file's error
			err = convert.Errorf(src.Path, 0, 0, "internal error upgrading Tekton YAML: %v", r)
		}
		if err != nil && lazy {
			if perr := parseRest(src.Path, docs[min(next, len(docs)):]); perr != nil {
				res, err, fallbacks = convert.Result{}, perr, 0
			}
		}
		c.fallbacks.Add(fallbacks)
	}()
	to := opts.To
	if to == "" {
		to = "v1"
	}
	if to != "v1" && to != "v1beta1" {
		return res, fmt.Errorf("unsupported target version %q (want v1 or v1beta1)", opts.To)
	}
	if f := templated(src.Path, src.Data); f != nil {
		// No output file: the template stays as it is, and nothing validates its unrendered text.
		res.Findings = []convert.Finding{*f}
		return res, nil
	}
	c.mu.Lock()
	idx := c.index(src.Scope)
	patch := c.patchFiles[src.Path]
	lazy = idx.paths[src.Path]
	text, indexed := idx.texts[src.Path]
	c.mu.Unlock()
	if indexed && text == string(src.Data) {
		docs = splitString(text) // the index's copy, not a second one
	} else {
		docs = splitText(src.Data)
	}
	if len(docs) > 0 && strings.HasPrefix(docs[0].text, "\ufeff") {
		// A BOM (Windows editors) is kept, as the separator before the first document: in the
		// text, it would shift the first line's columns from where the parser puts its keys.
		docs[0].sep, docs[0].text = docs[0].sep+"\ufeff", docs[0].text[len("\ufeff"):]
	}
	if !lazy {
		if err := parseAll(src.Path, docs); err != nil {
			return res, err
		}
	}
	var kz *kustomizer
	if isKustomization(src.Path) {
		kz = &kustomizer{dir: filepath.Dir(src.Path)}
	}
	// A file converted alone still resolves against itself.
	local := idx.withLocal(src.Path, docs)

	// Inserted sequences follow the file's own sequence indentation.
	wide := kyaml.DeriveSeqIndentStyle(string(src.Data)) == string(kyaml.WideSequenceStyle)
	// The output's pieces, joined once at the end: a growing buffer and its copy held up to
	// three times the output at once.
	out := joined{in: len(src.Data)}
	sh := &shares{}
	objs := make([]object, len(docs))
	for i := range docs {
		d := &docs[i]
		if out.buf == nil && out.in >= reserveFrom && out.read >= out.in/8 {
			out.reserve()
		}
		out.read += len(d.sep) + len(d.text)
		if lazy {
			if d.node, err = parseDoc(src.Path, d.text, d.line); err != nil {
				return convert.Result{}, err
			}
			next = i + 1
		}
		objs[i] = objectOf(*d)
		out.WriteString(d.sep)
		if d.node == nil || !isTekton(d.node) && !isTriggers(d.node) && !isTektonList(d.node) && kz == nil {
			out.WriteString(d.text)
		} else {
			st := &docState{path: src.Path, line0: d.line - 1, opts: opts, to: to, idx: local.forDocument(), wide: wide, patch: patch && isTekton(d.node), kustomize: kz, shares: sh}
			text, err := st.upgrade(*d)
			if err != nil {
				return res, err
			}
			if st.fellBack {
				fallbacks++
			}
			res.Findings = append(res.Findings, st.findings...)
			out.WriteString(text)
		}
		if lazy {
			d.node = nil
		}
	}
	if lazy {
		if fs := local.amb.findings(src.Path, nil); len(fs) > 0 {
			// Ambiguities point at a use of the name: read the documents again to find it.
			_ = parseAll(src.Path, docs)
		}
	}
	res.Findings = append(res.Findings, local.amb.findings(src.Path, docs)...)
	data := out.bytes()
	if n := bytes.Count(src.Data, []byte("\r\n")); n > 0 && n == bytes.Count(src.Data, []byte("\n")) {
		// A CRLF file stays CRLF: edited and inserted lines come out of kyaml with LF alone.
		data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	}
	base := false
	if !patch {
		var fs []convert.Finding
		base, fs = c.patchedBase(src.Scope, src.Path, objs, data)
		res.Findings = append(res.Findings, fs...)
	}
	res.Files = []convert.File{{Path: src.Path, Data: data, Partial: patch || base}}
	if kz != nil {
		res.Files = append(res.Files, kz.files...)
	}
	return res, nil
}

// object is what a file's conversion keeps of each document once its tree is dropped.
type object struct {
	kind, name string
	line       int
	parsed     bool // the document holds YAML, not only comments
}

func objectOf(d document) object {
	_, kind := apiVersionKind(d.node)
	return object{kind: kind, name: str(get(root(d.node), "metadata"), "name"), line: d.line, parsed: d.node != nil}
}

// document is one YAML document of a file: the separator line(s) before it, its text,
// and its parsed node (nil when it holds only comments).
type document struct {
	sep  string
	text string
	line int // 1-based line of text's first line in the file
	node *yaml.Node
}

var docSep = lazyre.New(`^---(\s|$)`)

// splitDocs cuts a YAML stream at "---" lines, keeping every byte, and parses every document.
func splitDocs(path string, data []byte) ([]document, error) {
	docs := splitText(data)
	if err := parseAll(path, docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// splitText cuts a YAML stream at "---" lines, keeping every byte; nothing is parsed. Every
// text and separator is a slice of one copy of data.
func splitText(data []byte) []document { return splitString(string(data)) }

// splitString is splitText of a string: every text and separator is a slice of s.
func splitString(s string) []document {
	var docs []document
	cur := document{line: 1}
	line, start := 0, 0
	for off := 0; off < len(s); {
		end := strings.IndexByte(s[off:], '\n') + off + 1
		if end == off {
			end = len(s)
		}
		l := s[off:end]
		line++
		if docSep.MatchString(l) && strings.TrimSpace(strings.TrimPrefix(l, "---")) == "" || strings.HasPrefix(l, "--- #") {
			if line > 1 || off > start {
				cur.text = s[start:off]
				docs = append(docs, cur)
			}
			cur = document{sep: l, line: line + 1}
			start = end
		}
		off = end
	}
	cur.text = s[start:]
	return append(docs, cur)
}

// parseAll parses each document in place, stopping at the first error.
func parseAll(path string, docs []document) error {
	for i := range docs {
		n, err := parseDoc(path, docs[i].text, docs[i].line)
		if err != nil {
			return err
		}
		docs[i].node = n
	}
	return nil
}

// parseRest returns the first parse error among docs, keeping no tree.
func parseRest(path string, docs []document) error {
	for _, d := range docs {
		if _, err := parseDoc(path, d.text, d.line); err != nil {
			return err
		}
	}
	return nil
}

// parseDoc parses one document; errors carry file positions.
func parseDoc(path, text string, line0 int) (*yaml.Node, error) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	var n yaml.Node
	err := dec.Decode(&n)
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		l, msg := yamlpos.Of(err)
		return nil, convert.Errorf(path, line0+max(l, 1)-1, 1, "invalid YAML: %s", msg)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, convert.Errorf(path, line0+extra.Line-1, 1, "unexpected second document")
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 0 {
		return nil, nil
	}
	if err := checkAliases(&n, 0); err != nil {
		return nil, convert.Errorf(path, line0, 1, "%v", err)
	}
	return &n, nil
}

// checkAliases bounds alias expansion and nesting so that no input can blow up memory.
func checkAliases(n *yaml.Node, depth int) error {
	budget := 100000
	var walk func(n *yaml.Node, depth int) error
	walk = func(n *yaml.Node, depth int) error {
		if depth > 200 {
			return errors.New("YAML nested too deeply (limit 200)")
		}
		budget--
		if budget < 0 {
			return errors.New("YAML too large after alias expansion (limit 100000 nodes)")
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			return walk(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(n, depth)
}

func root(doc *yaml.Node) *yaml.Node {
	if doc != nil && doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0]
	}
	return doc
}

// tektonKinds are the kinds this package upgrades.
var tektonKinds = map[string]bool{
	"Task": true, "ClusterTask": true, "Pipeline": true, "TaskRun": true, "PipelineRun": true,
	"PipelineResource": true, "Condition": true, "Run": true,
}

func apiVersionKind(doc *yaml.Node) (string, string) {
	r := root(doc)
	return str(r, "apiVersion"), str(r, "kind")
}

func isTekton(doc *yaml.Node) bool {
	av, kind := apiVersionKind(doc)
	return strings.HasPrefix(av, "tekton.dev/") && tektonKinds[kind] && (kind != "Run" || av == "tekton.dev/v1alpha1") // Run was only ever v1alpha1
}

// docState carries one document through the filters.
type docState struct {
	path     string
	line0    int // file line of the document's first line, minus one
	opts     convert.Options
	to       string
	idx      *index
	version  string // source version: v1alpha1, v1beta1, v1
	kind     string
	findings []convert.Finding
	removed  bool    // the document is dropped from the output (PipelineResource, Condition)
	wide     bool    // the file indents sequences under their key
	fellBack bool    // the document was printed whole
	shares   *shares // the file's shares of the memos
	// embeddedDecls are the resource types an embedded pipelineSpec declared, by name.
	embeddedDecls map[string]string
	// embeddedParams are the params an embedded pipelineSpec declared before conversion.
	embeddedParams map[string]bool
	// embeddedWorkspaces are the workspaces an embedded pipelineSpec declared before conversion.
	embeddedWorkspaces map[string]bool
	// prepended counts, per steps list, the fetch steps put before a TaskRun's own steps.
	prepended map[*yaml.Node]int
	// clones: the converted Pipeline runs git-clone (its runs need fsGroup).
	clones bool
	// runWorkspaces are the workspaces a converted Pipeline declares: its runs bind no others.
	runWorkspaces map[string]bool
	// runParams are the params a converted Pipeline declares: its runs pass no others.
	runParams map[string]bool
	// fetchFor lists, per pipeline task, the fetch tasks the Pipeline gained for its resources.
	fetchFor map[string][]string
	// kubeconfigTasks names, per cluster resource, the kubeconfig task an embedded pipelineSpec gained.
	kubeconfigTasks map[string]string
	// wsUser are the workspaces the Pipeline being converted declared before conversion.
	wsUser    map[string]bool
	patch     bool        // a kustomize strategic-merge patch: part of an object (kustomize.go)
	kustomize *kustomizer // set for a kustomization file (kustomize.go)
}

func (s *docState) line(n *yaml.Node) int {
	if n == nil || n.Line == 0 {
		return s.line0 + 1
	}
	return s.line0 + n.Line
}

// note records a Finding at node n.
func (s *docState) note(n *yaml.Node, class convert.Class, rule, format string, args ...any) {
	msg := format // a constant message is shared, not copied once per document of a big file
	if len(args) > 0 || strings.Contains(format, "%") {
		msg = fmt.Sprintf(format, args...)
	}
	f := convert.Finding{File: s.path, Line: s.line(n), Class: class, Rule: rule, Message: msg}
	if n != nil {
		f.Col = n.Column
	}
	s.findings = append(s.findings, f)
}

// marker records a manual Finding and puts the matching comment on n.
func (s *docState) marker(n *yaml.Node, rule, format string, args ...any) {
	s.markerAt(n, n, rule, format, args...)
}

// markerAt comments on n (often a node we generated) and points at the source node at.
func (s *docState) markerAt(n, at *yaml.Node, rule, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.note(at, convert.Manual, rule, "%s", msg)
	addComment(n, fmt.Sprintf("# tkn-migrate: manual: %s (%s:%d)", msg, baseName(s.path), s.line(at)))
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

func (s *docState) catalogRef(name string) (*yaml.Node, catalog.Task) {
	t := catalog.MustLookup(name)
	return refNode(t.Ref(s.opts.CatalogRef)), t
}

func refNode(r catalog.Ref) *yaml.Node {
	ps := seq()
	for _, p := range r.Params {
		ps.Content = append(ps.Content, mapping("name", p.Name, "value", p.Value))
	}
	return mapping("resolver", r.Resolver, "params", ps)
}

// upgrade runs the filters over one document and returns its new text.
func (s *docState) upgrade(d document) (string, error) {
	edited := clone(d.node)
	var err error
	switch {
	case s.kustomize != nil:
		err = s.kustomization(root(edited))
	case s.patch:
		err = s.patchDoc(edited)
	case isTriggers(d.node):
		err = s.triggers(d, root(edited))
	case isTektonList(d.node):
		its, _ := listItems(edited)
		err = s.upgradeList(its)
	default:
		err = s.run(edited)
	}
	if err != nil {
		return "", err
	}
	if s.removed {
		return removedText(d, s), nil
	}
	return s.render(d, edited)
}

// render returns the text of document d after its tree became edited, changing as few
// source lines as it can.
func (s *docState) render(d document, edited *yaml.Node) (string, error) {
	// Unchanged trees keep their text without the cost of finding the print style.
	if samePrint(d.node, edited) {
		return d.text, nil
	}
	// The rest is a function of the source text and what edited prints: a document met
	// again with the same upgrade is printed, spliced and checked once.
	key := memoKey(s.wide, d.text, string(appendTree(nil, edited, false)))
	if r, hit := renderMemo.Get(key); hit {
		s.fellBack = r.fellBack
		return r.text, nil
	}
	st, before, printed := styleFor(d.node, d.text, s.wide, s.shares)
	after, err := printNode(edited, st)
	if err != nil {
		return "", convert.Errorf(s.path, s.line0+1, 1, "printing upgraded document: %v", err)
	}
	if !printed {
		if before, err = printNode(d.node, st); err != nil {
			before = "" // as bestStyle leaves it when no style prints
		}
	}
	r := rendered{text: after, fellBack: true}
	if before == after {
		r = rendered{text: d.text}
	} else if out, ok := splice(d.text, before, after); ok && reparsesTo(out, after, st, edited) {
		r = rendered{text: out}
	}
	if take(s.shares, renderShare, renderMemo, len(r.text)) {
		renderMemo.Put(key, r, len(r.text))
	}
	s.fellBack = r.fellBack
	return r.text, nil
}

// run checks one Tekton object and applies the filters to it in place.
func (s *docState) run(n *yaml.Node) error {
	av, kind := apiVersionKind(n)
	s.version, s.kind = strings.TrimPrefix(av, "tekton.dev/"), kind
	if err := s.strictCheck(n); err != nil {
		return err
	}
	if s.version != "v1" {
		s.envLiterals(root(n)) // in v1 files lint reports them: an upgrade reports what it upgrades
	}
	_, err := kyaml.NewRNode(root(n)).Pipe(s.filters()...)
	return err
}

// markerAbove puts the marker on its own line above n and points at source node at.
func (s *docState) markerAbove(n, at *yaml.Node, rule, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.note(at, convert.Manual, rule, "%s", msg)
	addHeadComment(n, fmt.Sprintf("# tkn-migrate: manual: %s (%s:%d)", msg, baseName(s.path), s.line(at)))
}

// reparsesTo checks that spliced text means exactly what the edited tree says: it reads
// back as edited (want is edited printed in style st), comments aside.
func reparsesTo(text, want string, st style, edited *yaml.Node) bool {
	var n yaml.Node
	if err := yaml.NewDecoder(strings.NewReader(text)).Decode(&n); err != nil {
		return false
	}
	if samePrint(&n, edited) {
		return true // it prints as want, comments and all
	}
	got, err := printNode(&n, st)
	return err == nil && stripComments(got) == stripComments(want)
}

func stripComments(s string) string {
	var b bytes.Buffer
	for _, l := range splitLines(s) {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
			continue
		}
		b.WriteString(l)
	}
	return b.String()
}

// filters lists the rules in the order they apply.
func (s *docState) filters() []kyaml.Filter {
	if s.kind == "Run" { // a custom task's spec is its own: no Tekton Task rule applies inside it
		return []kyaml.Filter{customRun{s}, dropStatus{s}}
	}
	return []kyaml.Filter{
		kanikoNote{s},
		implicitEnv{s},
		legacyFields{s},
		alphaInputsOutputs{s},
		variables{s},
		conditionsToWhen{s},
		pipelineResources{s},
		clusterTask{s},
		refResolvers{s},
		betaToV1{s},
		deprecatedStepFields{s},
		dropStatus{s},
		apiVersion{s},
	}
}

// joined is text appended piece by piece and copied once into bytes; once reserve has sized
// the output, pieces are copied into it as they come, so they are not all live with it.
type joined struct {
	parts []string
	n     int // bytes written
	buf   []byte
	// in and read are the input's size and how much of it was converted: the output grows
	// to what they foretell, not by a fixed factor.
	in, read int
}

func (j *joined) WriteString(s string) {
	j.n += len(s)
	if j.buf == nil {
		j.parts = append(j.parts, s)
		return
	}
	if len(j.buf)+len(s) > cap(j.buf) {
		b := make([]byte, len(j.buf), max(len(j.buf)+len(s), j.foretold()))
		copy(b, j.buf)
		j.buf = b
	}
	j.buf = append(j.buf, s...)
}

// foretold is the output's size if the rest of the input grows as what was read did, and a
// sixteenth more.
func (j *joined) foretold() int {
	return int(float64(j.n) * float64(j.in) / float64(max(j.read, 1)) * (1 + 1.0/16))
}

// reserve makes the output buffer with room for what foretold says and moves the pieces so far into it.
func (j *joined) reserve() {
	j.buf = make([]byte, 0, max(j.foretold(), j.n))
	for _, s := range j.parts {
		j.buf = append(j.buf, s...)
	}
	j.parts = nil
}

func (j *joined) bytes() []byte {
	if j.buf != nil {
		if len(j.buf) < cap(j.buf)-cap(j.buf)/4 { // overestimated: keep no more than is used
			return append([]byte(nil), j.buf...)
		}
		return j.buf
	}
	b := make([]byte, 0, j.n)
	for _, s := range j.parts {
		b = append(b, s...)
	}
	return b
}

// reserveFrom is the input size from which Convert sizes its output early, from what the
// first eighth of the input became; smaller files join their pieces once at the end, when
// the pieces and their copy are both live: negligible under 64 KiB, not for the issue's
// 550 KB file of 4,000 documents.
var reserveFrom = 64 << 10
