package travis

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/travis/matrix"
)

// archAlias maps Travis's arch aliases to the kubernetes.io/arch value (GOARCH names):
// docs user/multi-cpu-architectures.md (arm64-graviton2 is an arm64 machine) and
// travis-yml schema/def/arch.rb's value aliases (x86_64, x64, power, ppc, ppc64, x86).
func archAlias(a string) string {
	switch a {
	case "arm64-graviton2":
		return "arm64"
	case "x86_64", "x64":
		return "amd64"
	case "power", "ppc", "ppc64":
		return "ppc64le"
	case "i386", "x86":
		return "386"
	}
	return a
}

// windowsImage is the Windows Server Core image a windows job is placed on; Travis's
// Windows VMs were Server 1809 with Git Bash, which no container image matches.
const windowsImage = "mcr.microsoft.com/windows/servercore:ltsc2022"

// placement puts the job's pods where Travis ran it: arch and os become node selectors,
// which Emit carries into the runs' taskRunSpecs podTemplate; virt is a VM detail.
func (c *conv) placement(j *job, t *pipeline.Task) {
	if a := j.attr("arch"); a != "" {
		// an explicit arch pins the pods; jobs of different arch never share a matrix task
		t.NodeSelector = []pipeline.Binding{{Name: "kubernetes.io/arch", Value: j.arch}}
		c.finding(j.keyNode("arch"), convert.Converted, "travis/arch", "arch: %s became nodeSelector kubernetes.io/arch=%s in the runs' taskRunSpecs: the cluster needs %s nodes, and the images must be built for %s", a, j.arch, j.arch, j.arch)
	} else if c.anyArch && j.os == "linux" {
		// a cluster with the other jobs' architectures may schedule this one there too
		t.NodeSelector = []pipeline.Binding{{Name: "kubernetes.io/arch", Value: j.arch}}
		c.finding(j.pos, convert.Converted, "travis/arch", "a job without arch: ran on amd64 (Travis's default): as other jobs pin their architecture, it is pinned to kubernetes.io/arch=amd64")
	}
	if v := j.attr("virt"); v != "" {
		c.finding(j.keyNode("virt"), convert.Converted, "travis/virt", "virt: %s chose Travis's VM or LXD container for the job; a Tekton task runs in a pod, so it has no counterpart", v)
	}
	if j.os == "windows" {
		t.NodeSelector = append(t.NodeSelector, pipeline.Binding{Name: "kubernetes.io/os", Value: "windows"})
		t.Image = windowsImage
		msg := "os: windows: the job runs on a Windows node (" + windowsImage + ") but its commands are bash for Travis's Git Bash; port the steps and the checkout (git-clone's image is Linux only)"
		c.finding(j.keyNode("os"), convert.Manual, "travis/os", "%s", msg)
		t.Comments = append(t.Comments, c.marker("manual", msg, j.keyNode("os").Line))
		if c.opts.Placeholders {
			t.Steps = append(t.Steps, pipeline.Step{Name: "port-to-windows", Comments: []string{"fail-loud placeholder: remove once ported"},
				Command: []string{"cmd.exe", "/C"}, Args: []string{"echo tkn-migrate: " + msg + " & exit 1"}})
		}
	}
}

// runsOnKubernetes: macOS (and FreeBSD) jobs have no Kubernetes node to run on.
func runsOnKubernetes(j *job) bool { return j.os == "linux" || j.os == "windows" }

// leftOut reports a job Travis ran on an OS Kubernetes has no nodes for, naming its
// matrix values so each left-out job has its own finding.
func (c *conv) leftOut(j *job) {
	what := "job"
	if j.name != "" {
		what += " " + j.name
	}
	var vals []string
	for _, k := range matrix.Keys {
		if v := j.mj.Attrs[k]; len(v) > 0 && k != "os" {
			vals = append(vals, k+" "+strings.Join(v, " "))
		}
	}
	if len(vals) > 0 {
		what += " (" + strings.Join(vals, ", ") + ")"
	}
	c.finding(j.keyNode("os"), convert.Unsupported, "travis/os", "os: %s has no Kubernetes equivalent; the %s from line %d is left out of the Pipeline: run it on a macOS CI", j.os, what, j.pos.Line)
}
