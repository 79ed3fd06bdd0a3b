// Package krmfn is tkn-migrate as a KRM function (kustomize fn run, kpt): it upgrades the old
// Tekton objects among a ResourceList's items to tekton.dev/v1 and reports every finding as a
// result, so a config pipeline can gate on what needs a human.
package krmfn

import (
	"bytes"
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/upgrade"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// Processor upgrades Tekton items in place; other items pass through untouched.
type Processor struct {
	Options convert.Options
}

// item is one Tekton object of the list, named for the converter and the results.
type item struct {
	i        int
	src      convert.Source
	file     *File
	resource *yaml.ResourceIdentifier
}

// Process upgrades the Tekton items of rl and adds a result per finding. Every item is indexed
// first, so a PipelineRun resolves a PipelineResource that another item defines, as convert
// does across files.
func (p Processor) Process(rl *ResourceList) error {
	conv := upgrade.New()
	var items []item
	for i, n := range rl.Items {
		if !isTekton(n.GetApiVersion()) {
			continue
		}
		text, err := n.String()
		if err != nil {
			return err
		}
		path, index, _ := kioutil.GetFileAnnotations(n)
		name := fmt.Sprintf("items[%d]", i)
		var file *File
		if path != "" {
			name = path + "#" + index
			file = &File{Path: path}
			fmt.Sscan(index, &file.Index)
		}
		it := item{i: i, src: convert.Source{Path: name, Data: []byte(text), Kind: convert.KindTekton}, file: file,
			resource: &yaml.ResourceIdentifier{TypeMeta: yaml.TypeMeta{APIVersion: n.GetApiVersion(), Kind: n.GetKind()},
				NameMeta: yaml.NameMeta{Name: n.GetName(), Namespace: n.GetNamespace()}}}
		if err := conv.Index(it.src); err != nil {
			rl.Results = append(rl.Results, it.result(Error, err.Error(), ""))
			continue
		}
		items = append(items, it)
	}
	replaced := map[int][]*yaml.RNode{}
	for _, it := range items {
		nodes, results := p.upgrade(conv, it)
		rl.Results = append(rl.Results, results...)
		if nodes != nil {
			replaced[it.i] = nodes
		}
	}
	var out []*yaml.RNode
	for i, n := range rl.Items {
		if r, ok := replaced[i]; ok {
			out = append(out, r...)
			continue
		}
		out = append(out, n)
	}
	rl.Items = out
	if rl.Results.ExitCode() != 0 {
		return rl.Results
	}
	return nil
}

// upgrade converts one item; nodes is nil when it stays as it is.
func (p Processor) upgrade(conv *upgrade.Converter, it item) (nodes []*yaml.RNode, results []*Result) {
	res, err := conv.Convert(it.src, p.Options)
	if err == nil {
		for _, f := range res.Files {
			if verr := validate.Documents(f.Path, f.Data); verr != nil {
				err = verr
			}
		}
	}
	if err != nil {
		return nil, []*Result{it.result(Error, err.Error(), "")}
	}
	for _, fd := range res.Findings {
		sev := severity(fd.Class)
		if sev == "" {
			continue
		}
		// fd.Line counts lines of the item as serialised (with the reader's annotations), not of its file.
		results = append(results, it.result(sev, fd.Message, fd.Rule))
	}
	changed := false
	for _, f := range res.Files {
		changed = changed || !bytes.Equal(f.Data, it.src.Data)
	}
	if !changed {
		return nil, results
	}
	for _, f := range res.Files {
		got, err := (&kio.ByteReader{Reader: bytes.NewReader(f.Data), OmitReaderAnnotations: true}).Read()
		if err != nil {
			return nil, append(results, it.result(Error, err.Error(), ""))
		}
		nodes = append(nodes, got...)
	}
	return nodes, results
}

// severity maps a finding's class to a result: what a person must do is a warning, what
// Tekton can't express is an error (the function fails), approximations are info.
func severity(c convert.Class) Severity {
	switch c {
	case convert.Unsupported:
		return Error
	case convert.Manual:
		return Warning
	case convert.Approximated:
		return Info
	}
	return ""
}

func (it item) result(sev Severity, msg, rule string) *Result {
	r := &Result{Severity: sev, Message: msg, ResourceRef: it.resource, File: it.file}
	if rule != "" {
		r.Tags = map[string]string{"rule": rule}
	}
	return r
}

func isTekton(apiVersion string) bool {
	return strings.HasPrefix(apiVersion, "tekton.dev/") || strings.HasPrefix(apiVersion, "triggers.tekton.dev/")
}
