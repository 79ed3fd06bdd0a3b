// Package catalogres answers Tekton remote-resolution requests for the catalog Tasks and
// StepActions the converters reference, from copies of their YAML, so the simulated
// controller resolves hub/git/bundles/cluster refs offline exactly as it would resolve them remotely.
package catalogres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	remoteresource "github.com/tektoncd/pipeline/pkg/remoteresolution/resource"
	resolutioncommon "github.com/tektoncd/pipeline/pkg/resolution/common"

	"github.com/tkn-migrate/tkn-migrate/catalog"
)

// files holds the catalog YAML byte for byte as ../shared/corpus has it (catalogres_test.go proves it).
//
//go:embed yaml
var files embed.FS

// Where the git-clone StepAction lives (tektoncd-catalog/git-clone v1.7.0, as SOURCES.tsv records).
const (
	stepActionRepo     = "https://github.com/tektoncd-catalog/git-clone.git"
	stepActionRevision = "c166e56217829ecc2062059030a8a0fcc0e1a88f"
	stepActionBundle   = "ghcr.io/tektoncd-catalog/git-clone/bundle:v1.7.0"
	stepActionHub      = "git-clone-stepaction" // its Artifact Hub repository
)

// ErrOffline is wrapped by every resolution error for a reference outside the catalog:
// the cluster might resolve it, the simulation can't tell.
var ErrOffline = errors.New("unresolvable offline")

// entry is one resolvable object: the resolver params that name it and its YAML file.
type entry struct {
	ref  catalog.Ref
	file string
}

// entries lists every reference the converters can emit (each catalog Task in each RefMode)
// and the StepAction references its README documents.
func entries() []entry {
	var out []entry
	for _, t := range catalog.All() {
		file := path.Join("yaml", "catalog", t.Name, t.Version, t.Name+".yaml")
		for _, m := range []catalog.RefMode{catalog.Hub, catalog.Bundles, catalog.Git, catalog.Cluster} {
			out = append(out, entry{t.Ref(m), file})
		}
	}
	sa := path.Join("yaml", "stepaction", "git-clone", "1.7.0", "git-clone.yaml")
	out = append(out,
		entry{catalog.Ref{Resolver: "hub", Params: []catalog.Param{{Name: "catalog", Value: stepActionHub}, {Name: "type", Value: "artifact"}, {Name: "kind", Value: "stepaction"}, {Name: "name", Value: "git-clone"}, {Name: "version", Value: "1.7.0"}}}, sa},
		entry{catalog.Ref{Resolver: "git", Params: []catalog.Param{{Name: "url", Value: stepActionRepo}, {Name: "revision", Value: stepActionRevision}, {Name: "pathInRepo", Value: "stepaction/git-clone/git-clone.yaml"}}}, sa},
		entry{catalog.BundleRef(stepActionBundle, "git-clone", "stepaction"), sa},
		entry{catalog.ClusterRef("stepaction", "git-clone", catalog.ClusterNamespace), sa},
	)
	return out
}

// Requester implements Tekton's remote-resolution Requester from the embedded catalog.
type Requester struct{}

var _ remoteresource.Requester = Requester{}

// Submit returns the catalog object the request names, or a resolution error saying the
// reference is outside the catalog (the simulation has no network and no cluster).
func (Requester) Submit(_ context.Context, resolver remoteresource.ResolverName, req remoteresource.Request) (remoteresource.ResolvedResource, error) {
	spec := req.ResolverPayload().ResolutionSpec
	var params v1.Params
	if spec != nil {
		params = spec.Params
	}
	file, ok := Lookup(string(resolver), params)
	if !ok {
		return nil, resolutioncommon.NewError(resolutioncommon.ReasonResolutionFailed,
			fmt.Errorf("%w: %s resolver reference %s is not a catalog Task or StepAction tkn-migrate ships", ErrOffline, resolver, describe(params)))
	}
	data, err := files.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return resolved{data: data, source: &v1.RefSource{URI: string(resolver) + "://" + strings.TrimPrefix(file, "yaml/")}}, nil
}

// Lookup returns the embedded file a resolver reference names: every param must match one
// the catalog emits for that resolver, with none missing or extra.
func Lookup(resolver string, params v1.Params) (string, bool) {
	got := map[string]string{}
	for _, p := range params {
		if p.Value.Type != v1.ParamTypeString {
			return "", false
		}
		got[p.Name] = p.Value.StringVal
	}
	for _, e := range entries() {
		if e.ref.Resolver != resolver || len(e.ref.Params) != len(got) {
			continue
		}
		if !slices.ContainsFunc(e.ref.Params, func(p catalog.Param) bool { return got[p.Name] != p.Value }) {
			return e.file, true
		}
	}
	return "", false
}

func describe(params v1.Params) string {
	var parts []string
	for _, p := range params {
		parts = append(parts, p.Name+"="+p.Value.StringVal)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

type resolved struct {
	data   []byte
	source *v1.RefSource
}

func (r resolved) Data() ([]byte, error)          { return r.data, nil }
func (r resolved) Annotations() map[string]string { return nil }
func (r resolved) RefSource() *v1.RefSource       { return r.source }
