package upgrade

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	"github.com/tektoncd/pipeline/pkg/apis/pipeline/v1beta1"
	"go.yaml.in/yaml/v3"
	"knative.dev/pkg/apis"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// convertible is what Tekton's v1beta1 types offer the conversion webhook.
type convertible interface {
	apis.Convertible
	SetDefaults(context.Context)
}

type defaulted interface {
	SetDefaults(context.Context)
}

func oracleTypes(kind string) (convertible, defaulted, defaulted) {
	switch kind {
	case "Task":
		return &v1beta1.Task{}, &v1.Task{}, &v1.Task{}
	case "Pipeline":
		return &v1beta1.Pipeline{}, &v1.Pipeline{}, &v1.Pipeline{}
	case "TaskRun":
		return &v1beta1.TaskRun{}, &v1.TaskRun{}, &v1.TaskRun{}
	case "PipelineRun":
		return &v1beta1.PipelineRun{}, &v1.PipelineRun{}, &v1.PipelineRun{}
	}
	return nil, nil, nil
}

func nodeJSON(t *testing.T, n *yaml.Node) []byte {
	var generic any
	if err := n.Decode(&generic); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(generic)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// canonical is an object as JSON without status, which we drop and Tekton converts.
func canonical(t *testing.T, obj any) string {
	raw, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "status")
	delete(m, "apiVersion") // ConvertTo leaves TypeMeta to the caller
	delete(m, "kind")
	out, _ := json.MarshalIndent(m, "", "  ")
	return string(out)
}

// For every corpus v1beta1 document that Tekton converts without parking data in
// tekton.dev/v1beta1* annotations, our upgrade equals Tekton's own ConvertTo once both
// are defaulted.
func TestOracleTektonConversion(t *testing.T) {
	t.Run("golden", func(t *testing.T) {
		ins, _ := filepath.Glob("testdata/*/input.yaml")
		var files []convert.Source
		for _, in := range ins {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, convert.Source{Path: in, Data: data})
		}
		oracle(t, files, filepath.Dir)
	})
	t.Run("corpus", func(t *testing.T) { oracle(t, corpusFiles(t), inputSet) })
}

func oracle(t *testing.T, files []convert.Source, inputSet func(string) string) {
	conv := map[string]*Converter{}
	for _, src := range files {
		if conv[inputSet(src.Path)] == nil {
			conv[inputSet(src.Path)] = New()
		}
		_ = conv[inputSet(src.Path)].Index(src)
	}
	ctx := context.Background()
	compared, parked, failed, byDesign := 0, 0, 0, 0
	for _, src := range files {
		if _, bad := expectedErrors[baseName(src.Path)]; bad {
			continue
		}
		res, err := conv[inputSet(src.Path)].Convert(src, convert.Options{})
		if err != nil {
			t.Fatalf("%s: %v", src.Path, err)
		}
		in, _ := splitDocs(src.Path, src.Data)
		out, _ := splitDocs(src.Path, res.Files[0].Data)
		for i, d := range in {
			if d.node == nil {
				continue
			}
			av, kind := apiVersionKind(d.node)
			if av != "tekton.dev/v1beta1" {
				continue
			}
			old, want, got := oracleTypes(kind)
			if old == nil {
				continue
			}
			if why := divergesByDesign(root(d.node)); why != "" {
				byDesign++
				t.Logf("%s:%d %s: not compared: %s", src.Path, d.line, kind, why)
				continue
			}
			if err := json.Unmarshal(nodeJSON(t, root(d.node)), old); err != nil {
				t.Fatalf("%s:%d: %v", src.Path, d.line, err)
			}
			old.SetDefaults(ctx)
			if err := old.ConvertTo(ctx, want.(apis.Convertible)); err != nil {
				parked++ // Tekton itself can't convert it (e.g. resources)
				continue
			}
			wantJSON := canonical(t, want)
			if strings.Contains(wantJSON, `"tekton.dev/v1beta1`) {
				parked++
				continue
			}
			want.SetDefaults(ctx)
			if err := json.Unmarshal(nodeJSON(t, root(out[i].node)), got); err != nil {
				t.Fatalf("%s:%d: our output does not decode: %v", src.Path, d.line, err)
			}
			got.SetDefaults(ctx)
			compared++
			if g, w := canonical(t, got), canonical(t, want); g != w {
				failed++
				t.Errorf("%s:%d %s: ours differs from Tekton's conversion\n--- ours\n%s\n--- tekton\n%s", src.Path, d.line, kind, g, w)
			}
		}
	}
	t.Logf("oracle: %d documents compared, %d differ, %d skipped (Tekton parks data in annotations or refuses), %d diverge by design", compared, failed, parked, byDesign)
	if compared == 0 {
		t.Error("no document compared")
	}
}

// divergesByDesign names the constructs where Tekton's ConvertTo is lossy or emits what
// v1 rejects, and we deliberately do better; such documents can't equal the oracle.
func divergesByDesign(r *yaml.Node) string {
	var why []string
	walkValues(r, func(n *yaml.Node) {
		if strings.Contains(n.Value, "$(inputs.") || strings.Contains(n.Value, "$(outputs.") {
			why = appendOnce(why, "v1alpha1 variables: Tekton keeps $(inputs.params.X), we rewrite it to $(params.X)")
		}
		if homeLiteral.MatchString(n.Value) || oldSyntax.MatchString(n.Value) {
			why = appendOnce(why, "pre-v0.24 evidence: we restore the implicit HOME and workingDir, ConvertTo doesn't")
		}
	})
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i].Value, n.Content[i+1]
				switch {
				case k == "conditions" && v.Kind == yaml.SequenceNode && get(v.Content[0], "conditionRef") != nil:
					why = appendOnce(why, "conditions: Tekton drops them silently, we turn them into when expressions")
				case (k == "taskRef" || k == "pipelineRef") && str(v, "bundle") != "":
					why = appendOnce(why, "bundle: Tekton v1.15 drops it silently, we use the bundles resolver")
				case k == "taskRef" && str(v, "kind") == "ClusterTask":
					why = appendOnce(why, "kind ClusterTask: Tekton keeps it (v1 rejects it), we name the Task in the run's namespace")
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(r)
	return strings.Join(why, "; ")
}

func appendOnce(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}
