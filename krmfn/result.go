package krmfn

// The ResourceList and its results as the KRM functions specification has them, after
// sigs.k8s.io/kustomize/kyaml/fn/framework (Apache-2.0, The Kubernetes Authors): importing
// framework links kube-openapi's validation, whose init every tkn-migrate command paid.

import (
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// ResourceList is a function's input and output: its items, and the results it adds.
type ResourceList struct {
	Items   []*yaml.RNode
	Results Results
}

// Severity is a result's severity; an error fails the function.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Result is one entry of ResourceList.results; fields in the specification's order.
type Result struct {
	Message     string                   `yaml:"message,omitempty" json:"message,omitempty"`
	Severity    Severity                 `yaml:"severity,omitempty" json:"severity,omitempty"`
	ResourceRef *yaml.ResourceIdentifier `yaml:"resourceRef,omitempty" json:"resourceRef,omitempty"`
	File        *File                    `yaml:"file,omitempty" json:"file,omitempty"`
	Tags        map[string]string        `yaml:"tags,omitempty" json:"tags,omitempty"`
}

// File is the file, and index in it, of the resource a result is about.
type File struct {
	Path  string `yaml:"path,omitempty" json:"path,omitempty"`
	Index int    `yaml:"index,omitempty" json:"index,omitempty"`
}

// String is "[severity] apiVersion/kind/namespace/name: message", as framework prints it.
func (r Result) String() string {
	var id []string
	if ref := r.ResourceRef; ref != nil {
		for _, s := range []string{ref.APIVersion, ref.Kind, ref.Namespace, ref.Name} {
			if s != "" {
				id = append(id, s)
			}
		}
	}
	sev := r.Severity
	if sev == "" {
		sev = Info
	}
	if len(id) > 0 {
		return fmt.Sprintf("[%s] %s: %s", sev, strings.Join(id, "/"), r.Message)
	}
	return fmt.Sprintf("[%s]: %s", sev, r.Message)
}

// Results are a ResourceList's results; returned as the error of a function that failed.
type Results []*Result

func (rs Results) Error() string {
	var msgs []string
	for _, r := range rs {
		msgs = append(msgs, r.String())
	}
	return strings.Join(msgs, "\n\n")
}

// ExitCode is 1 when a result is an error, else 0.
func (rs Results) ExitCode() int {
	for _, r := range rs {
		if r.Severity == Error {
			return 1
		}
	}
	return 0
}

// Execute reads a ResourceList from rw, runs p on it and writes it back with its results,
// as framework.Execute does; it returns p's error.
func Execute(p Processor, rw *kio.ByteReadWriter) error {
	items, err := rw.Read()
	if err != nil {
		return fmt.Errorf("failed to read ResourceList input: %w", err)
	}
	annos, err := kio.PreprocessResourcesForInternalAnnotationMigration(items)
	if err != nil {
		return err
	}
	rl := ResourceList{Items: items}
	procErr := p.Process(&rl)
	// Keep the internal and legacy path/index/id annotations in step, whichever p changed.
	if err := kio.ReconcileInternalAnnotations(rl.Items, annos); err != nil {
		return err
	}
	if len(rl.Results) > 0 {
		b, err := yaml.Marshal(rl.Results)
		if err != nil {
			return err
		}
		if rw.Results, err = yaml.Parse(string(b)); err != nil {
			return err
		}
	}
	if err := rw.Write(rl.Items); err != nil {
		return err
	}
	return procErr
}
