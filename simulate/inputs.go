package simulate

import (
	"context"
	"strings"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	"github.com/tektoncd/pipeline/pkg/apis/pipeline/v1alpha1"
	"github.com/tektoncd/pipeline/pkg/apis/pipeline/v1beta1"
	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/runtime"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// File is one input file.
type File struct {
	Path string
	Data []byte
}

// doc is one Tekton document of the input, decoded to the version the controller stores.
type doc struct {
	*yamldoc.Doc
	obj runtime.Object // *v1.Pipeline, *v1.Task, *v1beta1.StepAction or *v1.PipelineRun
}

// pos is where an error about d points: the node at keys, else the document.
func (d *doc) pos(n *yaml.Node) Pos {
	if n == nil {
		n = d.Root
	}
	return Pos{File: d.Path, Line: n.Line, Col: n.Column}
}

// inputs is every Tekton document read, in input order.
type inputs struct {
	docs []*doc
}

// read parses files into Tekton documents. A document the admission webhook would
// refuse is an error here too (convert/validate runs Tekton's SetDefaults and Validate).
func read(files []File) (*inputs, []error) {
	in := &inputs{}
	var errs []error
	for _, f := range files {
		ds, err := yamldoc.Parse(f.Path, f.Data)
		if err != nil {
			errs = append(errs, err)
		}
		for _, d := range ds {
			if !strings.HasPrefix(d.APIVersion, "tekton.dev/") {
				continue
			}
			if err := validate.Node(f.Path, d.Root); err != nil {
				errs = append(errs, err)
				continue
			}
			obj, err := decode(d)
			if err != nil {
				errs = append(errs, convert.Errorf(d.Path, d.Root.Line, d.Root.Column, "%v", err))
				continue
			}
			if obj != nil {
				in.docs = append(in.docs, &doc{Doc: d, obj: obj})
			}
		}
	}
	return in, errs
}

// decode reads a document into the type the controller works on (v1; StepAction v1beta1),
// converting older versions with Tekton's own ConvertTo. Kinds the simulation does not
// use (TaskRuns, CustomRuns, ...) give nil.
func decode(d *yamldoc.Doc) (runtime.Object, error) {
	text, err := yaml.Marshal(d.Root)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	into := func(o any) error { return sigsyaml.Unmarshal(text, o) }
	switch d.APIVersion + "/" + d.Kind {
	case "tekton.dev/v1/Pipeline":
		p := &v1.Pipeline{}
		return p, into(p)
	case "tekton.dev/v1beta1/Pipeline":
		old, p := &v1beta1.Pipeline{}, &v1.Pipeline{}
		if err := into(old); err != nil {
			return nil, err
		}
		return p, old.ConvertTo(ctx, p)
	case "tekton.dev/v1/Task":
		t := &v1.Task{}
		return t, into(t)
	case "tekton.dev/v1beta1/Task":
		old, t := &v1beta1.Task{}, &v1.Task{}
		if err := into(old); err != nil {
			return nil, err
		}
		return t, old.ConvertTo(ctx, t)
	case "tekton.dev/v1beta1/StepAction":
		s := &v1beta1.StepAction{}
		return s, into(s)
	case "tekton.dev/v1alpha1/StepAction":
		old, s := &v1alpha1.StepAction{}, &v1beta1.StepAction{}
		if err := into(old); err != nil {
			return nil, err
		}
		return s, old.ConvertTo(ctx, s)
	case "tekton.dev/v1/PipelineRun":
		r := &v1.PipelineRun{}
		return r, into(r)
	case "tekton.dev/v1beta1/PipelineRun":
		old, r := &v1beta1.PipelineRun{}, &v1.PipelineRun{}
		if err := into(old); err != nil {
			return nil, err
		}
		return r, old.ConvertTo(ctx, r)
	}
	return nil, nil
}

// runs returns the PipelineRun documents.
func (in *inputs) runs() []*doc {
	var out []*doc
	for _, d := range in.docs {
		if _, ok := d.obj.(*v1.PipelineRun); ok {
			out = append(out, d)
		}
	}
	return out
}

// pipeline returns the Pipeline document called name, or nil.
func (in *inputs) pipeline(name string) *doc {
	for _, d := range in.docs {
		if p, ok := d.obj.(*v1.Pipeline); ok && p.Name == name {
			return d
		}
	}
	return nil
}

// objects returns the Pipelines, Tasks and StepActions, as the cluster would hold them.
func (in *inputs) objects() []runtime.Object {
	var out []runtime.Object
	for _, d := range in.docs {
		if _, ok := d.obj.(*v1.PipelineRun); ok {
			continue
		}
		o := d.obj.DeepCopyObject()
		if m, ok := o.(interface{ SetNamespace(string) }); ok {
			m.SetNamespace(Namespace)
		}
		out = append(out, o)
	}
	return out
}

// runName is the name the API server gives the run (generateName gets a fixed suffix, as convert/validate does).
func runName(pr *v1.PipelineRun) string {
	if pr.Name == "" && pr.GenerateName != "" {
		return pr.GenerateName + "x7k2q"
	}
	return pr.Name
}

// taskNode is the node of the Pipeline task called name in the document holding the
// Pipeline spec (a Pipeline, or a run's pipelineSpec), for error positions.
func taskNode(d *doc, name string) *yaml.Node {
	if d == nil {
		return nil
	}
	for _, base := range [][]string{{"spec"}, {"spec", "pipelineSpec"}} {
		for _, list := range []string{"tasks", "finally"} {
			for _, t := range yamldoc.Items(d.Root, append(base, list)...) {
				if yamldoc.Str(t, "name") == name {
					return t
				}
			}
		}
	}
	return nil
}
