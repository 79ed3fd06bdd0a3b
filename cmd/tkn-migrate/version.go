package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version and commit are set at release time with
// -ldflags "-X main.version=v1.2.3 -X main.commit=abc123"; build info fills them otherwise.
var (
	version = ""
	commit  = ""
)

// targetAPI is the Tekton API version convert writes by default (--to v1).
const targetAPI = "tekton.dev/v1"

// pipelineModule is the Tekton module whose validation every emitted document passes.
const pipelineModule = "github.com/tektoncd/pipeline"

func newCmdVersion(ios *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit and the Tekton API version targeted",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			bi, _ := debug.ReadBuildInfo()
			fmt.Fprintf(ios.Out, "tkn-migrate %s (%s)\ncommit: %s\ntekton: %s, validated with %s %s\n",
				versionString(bi), runtime.Version(), commitString(bi), targetAPI, pipelineModule, depVersion(bi, pipelineModule))
			return nil
		},
	}
}

func versionString(bi *debug.BuildInfo) string {
	if version != "" {
		return version
	}
	if bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// commitString is the VCS revision the binary was built from, "+dirty" when the tree had changes.
func commitString(bi *debug.BuildInfo) string {
	if commit != "" {
		return commit
	}
	rev, dirty := "", false
	if bi != nil {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	switch {
	case rev == "":
		return "unknown (built without VCS information)"
	case dirty:
		return rev + "+dirty"
	}
	return rev
}

// depVersion is the version of a module the binary was built with.
func depVersion(bi *debug.BuildInfo, path string) string {
	if bi != nil {
		for _, d := range bi.Deps {
			if d.Path == path {
				if d.Replace != nil {
					d = d.Replace
				}
				return d.Version
			}
		}
	}
	return "(unknown version)"
}
