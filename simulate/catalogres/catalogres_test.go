package catalogres

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	resolutionv1beta1 "github.com/tektoncd/pipeline/pkg/apis/resolution/v1beta1"
	remoteresource "github.com/tektoncd/pipeline/pkg/remoteresolution/resource"

	"github.com/tkn-migrate/tkn-migrate/catalog"
)

// TestFilesMatchCorpus proves the embedded YAML is the corpus copy byte for byte.
func TestFilesMatchCorpus(t *testing.T) {
	corpus, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("shared corpus not present:", corpus)
	}
	n := 0
	err = fs.WalkDir(files, "yaml", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		got, _ := files.ReadFile(p)
		want, err := os.ReadFile(filepath.Join(corpus, strings.TrimPrefix(p, "yaml/")))
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the corpus copy", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 22 {
		t.Errorf("%d embedded files, want 22 (21 catalog Tasks, 1 StepAction)", n)
	}
}

// TestEveryCatalogRefResolves resolves each catalog Task in each reference mode to its
// own YAML, as the converters emit the references.
func TestEveryCatalogRefResolves(t *testing.T) {
	for _, task := range catalog.All() {
		for _, m := range []catalog.RefMode{catalog.Hub, catalog.Bundles, catalog.Git, catalog.Cluster} {
			ref := task.Ref(m)
			res, err := Requester{}.Submit(context.Background(), remoteresource.ResolverName(ref.Resolver), request(ref))
			if err != nil {
				t.Errorf("%s %s: %v", task.Name, m, err)
				continue
			}
			data, _ := res.Data()
			if !bytes.Contains(data, []byte("name: "+task.Name+"\n")) {
				t.Errorf("%s %s: resolved to another object", task.Name, m)
			}
		}
	}
}

// TestStepActionRefsResolve resolves the git-clone StepAction through each resolver.
func TestStepActionRefsResolve(t *testing.T) {
	for _, ref := range []catalog.Ref{
		{Resolver: "hub", Params: []catalog.Param{{Name: "catalog", Value: "git-clone-stepaction"}, {Name: "type", Value: "artifact"}, {Name: "kind", Value: "stepaction"}, {Name: "name", Value: "git-clone"}, {Name: "version", Value: "1.7.0"}}},
		catalog.BundleRef("ghcr.io/tektoncd-catalog/git-clone/bundle:v1.7.0", "git-clone", "stepaction"),
		catalog.ClusterRef("stepaction", "git-clone", catalog.ClusterNamespace),
	} {
		res, err := Requester{}.Submit(context.Background(), remoteresource.ResolverName(ref.Resolver), request(ref))
		if err != nil {
			t.Errorf("%s: %v", ref.Resolver, err)
			continue
		}
		if data, _ := res.Data(); !bytes.Contains(data, []byte("kind: StepAction\n")) {
			t.Errorf("%s: not the StepAction", ref.Resolver)
		}
	}
}

// TestOtherRefsAreUnresolvable: a version, repository or extra param the catalog does not ship fails.
func TestOtherRefsAreUnresolvable(t *testing.T) {
	base := catalog.MustLookup("git-clone").Ref(catalog.Hub)
	for name, ref := range map[string]catalog.Ref{
		"other version":  {Resolver: "hub", Params: replace(base.Params, "version", "0.9")},
		"extra param":    {Resolver: "hub", Params: append(append([]catalog.Param(nil), base.Params...), catalog.Param{Name: "x", Value: "y"})},
		"fewer params":   {Resolver: "hub", Params: base.Params[1:]},
		"other resolver": {Resolver: "http", Params: base.Params},
	} {
		_, err := Requester{}.Submit(context.Background(), remoteresource.ResolverName(ref.Resolver), request(ref))
		if err == nil || !strings.Contains(err.Error(), "unresolvable offline") {
			t.Errorf("%s: err = %v, want unresolvable", name, err)
		}
	}
}

func replace(ps []catalog.Param, name, value string) []catalog.Param {
	out := append([]catalog.Param(nil), ps...)
	for i := range out {
		if out[i].Name == name {
			out[i].Value = value
		}
	}
	return out
}

type req struct {
	p remoteresource.ResolverPayload
}

func (r req) ResolverPayload() remoteresource.ResolverPayload { return r.p }

func request(ref catalog.Ref) remoteresource.Request {
	var params v1.Params
	for _, p := range ref.Params {
		params = append(params, v1.Param{Name: p.Name, Value: *v1.NewStructuredValues(p.Value)})
	}
	return req{remoteresource.ResolverPayload{Name: "x", Namespace: "default", ResolutionSpec: &resolutionv1beta1.ResolutionRequestSpec{Params: params}}}
}
