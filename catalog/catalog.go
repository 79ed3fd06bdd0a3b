// Package catalog indexes the Tekton catalog Tasks the converters target and builds
// references to them for each resolver.
package catalog

// RefMode selects how a catalog Task is referenced.
type RefMode string

const (
	Hub     RefMode = "hub"     // hub resolver, type: artifact (default)
	Bundles RefMode = "bundles" // OCI bundles resolver
	Git     RefMode = "git"     // git resolver against the catalog repository
	Cluster RefMode = "cluster" // a Task already installed in the cluster
)

// Param is a resolver parameter.
type Param struct{ Name, Value string }

// Ref is a resolver reference: taskRef: {resolver: R, params: [...]}.
type Ref struct {
	Resolver string
	Params   []Param
}
