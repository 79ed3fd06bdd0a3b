// Package tools maps Jenkins agents and tool installations (tools { maven 'M3' }, <jdk>) to
// container images that carry them, since Tekton steps get their tools from the image.
package tools

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Default is the image for steps whose agent names no tools: a Debian image with git, curl,
// make and compilers, close to what a generic Jenkins agent offers.
const Default = "docker.io/library/buildpack-deps:bookworm"

// Windows is the image for bat/powershell steps; it needs Windows nodes in the cluster.
const Windows = "mcr.microsoft.com/windows/servercore:ltsc2022"

// DefaultJDK is the Java version assumed when a tool name carries none.
const DefaultJDK = "17"

// Set is the tools one scope (pipeline or stage) declares, by kind.
type Set struct {
	Maven, JDK, Gradle, NodeJS, Go string
}

// Known reports whether kind is a tool type this package maps.
func Known(kind string) bool {
	switch kind {
	case "maven", "jdk", "gradle", "nodejs", "go":
		return true
	}
	return false
}

// With returns s with the tool kind set to name (installation name from the Jenkins config).
func (s Set) With(kind, name string) Set {
	switch kind {
	case "maven":
		s.Maven = name
	case "jdk":
		s.JDK = name
	case "gradle":
		s.Gradle = name
	case "nodejs":
		s.NodeJS = name
	case "go":
		s.Go = name
	}
	return s
}

// Empty reports whether no tool is set.
func (s Set) Empty() bool { return s == Set{} }

var versionRE = lazyre.New(`\d+(\.\d+)*`)

// version extracts the first dotted number of an installation name ("jdk-17" → "17", "M3" → "3").
func version(name string) string { return versionRE.FindString(name) }

func major(v string) string {
	if i := strings.IndexByte(v, '.'); i >= 0 {
		return v[:i]
	}
	return v
}

// Image picks one image carrying every tool of s. exact is false when a version had to be
// guessed (the installation name carries none), so the caller can report it.
// Jenkins installation names are labels from the controller's config, not versions, so
// the version is read from the name where it has one.
func (s Set) Image() (image string, exact bool) {
	exact = true
	jdk := ""
	if s.JDK != "" {
		jdk = major(version(s.JDK))
		if jdk == "" || jdk == "1" { // "1.8" style names
			if v := version(s.JDK); strings.HasPrefix(v, "1.") {
				jdk = major(strings.TrimPrefix(v, "1."))
			} else {
				jdk, exact = DefaultJDK, false
			}
		}
	}
	pickJDK := func() string {
		if jdk != "" {
			return jdk
		}
		return DefaultJDK
	}
	switch {
	case s.Maven != "":
		m := major(version(s.Maven))
		if m == "" {
			m, exact = "3", false
		}
		if s.JDK == "" {
			exact = false
		}
		return "docker.io/library/maven:" + m + "-eclipse-temurin-" + pickJDK(), exact
	case s.Gradle != "":
		g := major(version(s.Gradle))
		if g == "" {
			g, exact = "8", false
		}
		if s.JDK == "" {
			exact = false
		}
		return "docker.io/library/gradle:" + g + "-jdk" + pickJDK(), exact
	case s.NodeJS != "":
		n := major(version(s.NodeJS))
		if n == "" {
			n, exact = "lts", false
		}
		return "docker.io/library/node:" + n, exact && s.JDK == ""
	case s.Go != "":
		g := version(s.Go)
		if g == "" {
			g, exact = "1", false
		}
		return "docker.io/library/golang:" + g, exact && s.JDK == ""
	case s.JDK != "":
		return "docker.io/library/eclipse-temurin:" + jdk + "-jdk", exact
	}
	return Default, true
}
