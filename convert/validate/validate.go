// Package validate checks emitted documents with Tekton's own code: a strict decode
// into the tektoncd/pipeline v1.15.0 (and tektoncd/triggers v0.34.0) API types, then
// SetDefaults and Validate, as the admission webhook would.
package validate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	"github.com/tektoncd/pipeline/pkg/apis/pipeline/v1beta1"
	triggersv1alpha1 "github.com/tektoncd/triggers/pkg/apis/triggers/v1alpha1"
	triggersv1beta1 "github.com/tektoncd/triggers/pkg/apis/triggers/v1beta1"
	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert/yamlpos"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"knative.dev/pkg/apis"
	sigsyaml "sigs.k8s.io/yaml"
)

// tektonObject is what every Tekton API type offers to the webhook.
type tektonObject interface {
	SetDefaults(context.Context)
	Validate(context.Context) *apis.FieldError
}

// named is the part of metav1.Object the generateName handling needs.
type named interface {
	GetName() string
	GetGenerateName() string
	SetName(string)
}

// newObject returns an empty typed object for apiVersion/kind, or nil when the
// document is not a Tekton kind we validate.
func newObject(apiVersion, kind string) tektonObject {
	switch apiVersion + "/" + kind {
	case "tekton.dev/v1/Task":
		return &v1.Task{}
	case "tekton.dev/v1/Pipeline":
		return &v1.Pipeline{}
	case "tekton.dev/v1/TaskRun":
		return &v1.TaskRun{}
	case "tekton.dev/v1/PipelineRun":
		return &v1.PipelineRun{}
	case "tekton.dev/v1beta1/Task":
		return &v1beta1.Task{}
	case "tekton.dev/v1beta1/Pipeline":
		return &v1beta1.Pipeline{}
	case "tekton.dev/v1beta1/TaskRun":
		return &v1beta1.TaskRun{}
	case "tekton.dev/v1beta1/PipelineRun":
		return &v1beta1.PipelineRun{}
	case "tekton.dev/v1beta1/CustomRun":
		return &v1beta1.CustomRun{}
	case "tekton.dev/v1beta1/StepAction":
		return &v1beta1.StepAction{}
	case "triggers.tekton.dev/v1beta1/TriggerTemplate":
		return &triggersv1beta1.TriggerTemplate{}
	case "triggers.tekton.dev/v1beta1/TriggerBinding":
		return &triggersv1beta1.TriggerBinding{}
	case "triggers.tekton.dev/v1beta1/ClusterTriggerBinding":
		return &triggersv1beta1.ClusterTriggerBinding{}
	case "triggers.tekton.dev/v1beta1/EventListener":
		return &triggersv1beta1.EventListener{}
	case "triggers.tekton.dev/v1beta1/Trigger":
		return &triggersv1beta1.Trigger{}
	case "triggers.tekton.dev/v1alpha1/Interceptor":
		return &triggersv1alpha1.Interceptor{}
	case "triggers.tekton.dev/v1alpha1/ClusterInterceptor":
		return &triggersv1alpha1.ClusterInterceptor{}
	}
	return nil
}

// Error is a validation failure of one document, positioned at the field Tekton names (or the document).
type Error struct {
	Path       string
	Line, Col  int
	Kind, Name string
	Err        error
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s %q fails Tekton validation: %v", e.Path, e.Line, e.Col, e.Kind, e.Name, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Documents validates every Tekton document in a multi-document YAML stream.
// Documents that are not Tekton kinds (Secrets, ConfigMaps, ...) pass untouched.
// It returns all failures joined.
func Documents(path string, data []byte) error {
	var errs []error
	left := fileShare // entries this file may still put in the memo
	for _, d := range splitDocuments(data) {
		key, e, ok := known(d.text)
		if !ok {
			var nameKey [sha256.Size]byte
			var named, done bool
			if p, big := readPieces(d.text); big {
				e, nameKey, named, done = p.check()
			}
			if !done {
				var doc yaml.Node
				if err := yaml.Unmarshal(d.text, &doc); err != nil {
					return yamlError(path, d.line, err)
				}
				nameKey, named = renamedKey(&doc, d.text)
				if ne, hit := lookup(nameKey); named && hit && ne == nil {
					e = nil // the same document under another name passed
				} else if doc.Kind != 0 { // else comments only
					e = validate("", &doc, d.text)
				}
			}
			if left > 0 {
				remember(key, e)
				left--
			}
			if named && e == nil && left > 0 {
				remember(nameKey, nil)
				left--
			}
		}
		if e != nil {
			errs = append(errs, place(e, path, d.line))
		}
	}
	return errors.Join(errs...)
}

// known is the memo's verdict on a document text, keyed as Documents remembers it: under its
// exact bytes, else a pass of the same document under other names (no parse needed).
func known(text []byte) (key [sha256.Size]byte, e *Error, ok bool) {
	key = sha256.Sum256(text)
	if e, ok = lookup(key); ok {
		return key, e, true
	}
	if tk, has := textKey(text); has {
		if te, hit := lookup(tk); hit && te == nil {
			return key, nil, true
		}
	}
	return key, nil, false
}

// document is one document of a YAML stream: its own bytes and its first line in the stream.
type document struct {
	text []byte
	line int
}

// splitDocuments cuts a stream at "---" and "..." lines, so that each document is read
// from its own bytes, as kubectl reads it.
func splitDocuments(data []byte) []document {
	var docs []document
	cur := document{line: 1}
	start := 0
	for off, line := 0, 1; off < len(data); line++ {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		} else {
			end++
		}
		l := data[off : off+end]
		if isMarker(l, "---") || isMarker(l, "...") {
			cur.text = data[start:off]
			docs = append(docs, cur)
			// A document may start on its marker line ("--- |"); then the line stays with it.
			start, cur = off, document{line: line}
			if rest := bytes.TrimSpace(l[3:]); isMarker(l, "...") || len(rest) == 0 || rest[0] == '#' {
				start, cur.line = off+end, line+1
			}
		}
		off += end
	}
	cur.text = data[start:]
	return append(docs, cur)
}

func isMarker(l []byte, m string) bool {
	return bytes.HasPrefix(l, []byte(m)) && (len(l) == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\n' || l[3] == '\r')
}

// Node validates one decoded YAML document node.
func Node(path string, doc *yaml.Node) error {
	if e := validate(path, doc, nil); e != nil {
		return e
	}
	return nil
}

// validate checks one document; text is its source, read again the way kubectl reads it,
// or nil to print the node first.
func validate(path string, doc *yaml.Node, text []byte) *Error {
	if text == nil {
		d, e := decode(path, doc, nil)
		if d == nil {
			return e
		}
		return d.admit(func() *yaml.Node { return rootOf(doc) })
	}
	// The node tree of a big document outweighs its typed object many times over: only
	// the object stays while admission runs, and a failure reads the text again to point at it.
	d, e := decode(path, doc, text)
	if d == nil {
		return e
	}
	return d.admitText(text)
}

// admitText is admit for a document whose tree was dropped: a failure parses text again.
func (d *decoded) admitText(text []byte) *Error {
	return d.admit(func() *yaml.Node {
		var again yaml.Node
		if yaml.Unmarshal(text, &again) != nil {
			return nil
		}
		return rootOf(&again)
	})
}

// decoded is a document's typed object and what an error about it names.
type decoded struct {
	obj tektonObject
	err Error
}

func rootOf(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0]
	}
	return doc
}

// decode reads the document into its Tekton type; nil with a nil *Error when it is no
// Tekton kind (or a List whose items passed).
func decode(path string, doc *yaml.Node, text []byte) (*decoded, *Error) {
	root := rootOf(doc)
	if root.Kind != yaml.MappingNode {
		return nil, nil
	}
	d := describe(path, root)
	if kind := scalar(root, "kind"); d == nil && strings.HasSuffix(kind, "List") {
		return nil, validateItems(path, child(root, "items")) // kubectl applies a List's items one by one
	}
	if d == nil {
		return nil, nil
	}
	obj := d.obj
	// Read the document the way kubectl does (YAML 1.1, where a plain `on` is a bool): from
	// the node parsed from text when every scalar reads alike in both, else from the text.
	var raw []byte
	var err error
	if text != nil {
		raw, err = kubectlJSON(root, text)
	} else if text, err = yaml.Marshal(root); err == nil {
		raw, err = sigsyaml.YAMLToJSON(text)
	}
	if err != nil {
		return nil, d.fail(err)
	}
	if err := StrictDecode(raw, obj); err != nil {
		return nil, d.fail(err)
	}
	return d, nil
}

// describe is the empty typed object for a document's root mapping and what an error about
// the document names; nil when it is no kind we validate.
func describe(path string, root *yaml.Node) *decoded {
	apiVersion, kind, name := scalar(root, "apiVersion"), scalar(root, "kind"), ""
	if md := child(root, "metadata"); md != nil {
		name = scalar(md, "name")
		if name == "" {
			name = scalar(md, "generateName")
		}
	}
	obj := newObject(apiVersion, kind)
	if obj == nil {
		return nil
	}
	return &decoded{obj: obj, err: Error{Path: path, Line: root.Line, Col: root.Column, Kind: kind, Name: name}}
}

func (d *decoded) fail(err error) *Error {
	e := d.err
	e.Err = err
	return &e
}

// admit runs admission on the object; root gives the document's node to point at the
// field Tekton names.
func (d *decoded) admit(root func() *yaml.Node) *Error {
	fe := AdmitCut(d.obj)
	if fe == nil {
		return nil
	}
	err := d.fail(errors.New(strings.TrimSpace(fe.Error())))
	if ws := fe.WrappedErrors(); len(ws) > 0 && len(ws[0].Paths) > 0 {
		// Point at the field Tekton names, not at the document.
		if r := root(); r != nil {
			n := locate(r, ws[0].Paths[0])
			err.Line, err.Col = n.Line, n.Column
		}
	}
	return err
}

// Object is a Tekton or Triggers API object, as the admission webhook sees it.
type Object = tektonObject

// NewObject returns an empty typed object for apiVersion/kind, or nil when the
// document is not a kind we validate.
func NewObject(apiVersion, kind string) Object { return newObject(apiVersion, kind) }

// Admit runs what admission runs on a decoded object: the API server's name from
// generateName, then SetDefaults and Validate.
func Admit(obj Object) *apis.FieldError {
	generatedName(obj)
	ctx := context.Background()
	obj.SetDefaults(ctx)
	return obj.Validate(ctx)
}

// generatedName fills name from generateName, as the API server does before admission runs.
func generatedName(obj Object) {
	if o, ok := obj.(named); ok && o.GetName() == "" && o.GetGenerateName() != "" {
		o.SetName(o.GetGenerateName() + "x7k2q")
	}
}

// Locate is the node a Tekton field path names (see locate).
func Locate(root *yaml.Node, path string) *yaml.Node { return locate(root, path) }

var pathPart = lazyre.New(`[^.\[\]]+|\[[^\]]*\]`)

// locate follows a Tekton field path (spec.steps[0].image, metadata.labels[app]) through
// the document and returns the deepest node it reaches.
func locate(root *yaml.Node, path string) *yaml.Node {
	n := root
	for _, part := range pathPart.FindAllString(path, -1) {
		var next *yaml.Node
		key := strings.Trim(part, "[]")
		switch {
		case n.Kind == yaml.SequenceNode && strings.HasPrefix(part, "["):
			if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			} else if err != nil {
				// ViaFieldKey names a list item by its name (spec.tasks[build]).
				for _, c := range n.Content {
					if c.Kind == yaml.MappingNode && scalar(c, "name") == key {
						next = c
						break
					}
				}
			}
		case n.Kind == yaml.MappingNode:
			next = child(n, key)
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// StrictDecode decodes JSON into v, refusing unknown fields.
func StrictDecode(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	return nil
}

func child(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(m *yaml.Node, key string) string {
	if n := child(m, key); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// yamlError positions a syntax error in emitted YAML; yaml.v3 gives a line but no column.
// yamlError positions a parse error of the document starting at line first.
func yamlError(path string, first int, err error) error {
	if line, msg := yamlpos.Of(err); line > 0 {
		return fmt.Errorf("%s:%d:1: emitted YAML does not parse: %s", path, first+line-1, msg)
	}
	return fmt.Errorf("%s: emitted YAML does not parse: %v", path, err)
}

// validateItems validates each object of a List's items.
func validateItems(path string, items *yaml.Node) *Error {
	if items == nil || items.Kind != yaml.SequenceNode {
		return nil
	}
	for _, it := range items.Content {
		if e := validate(path, it, nil); e != nil {
			return e // the first failing item: one verdict per document, as the memo keeps it
		}
	}
	return nil
}
