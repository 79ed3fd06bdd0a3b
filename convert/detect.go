package convert

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

var (
	groovyPipeline = lazyre.New(`(?m)^\s*(pipeline\s*\{|node\b)`)
	xmlns          = lazyre.New(`\sxmlns(:[\w.-]+)?\s*=`)
	travisKeys     = lazyre.New(`(?m)^(language|script|install|before_install|matrix|jobs|dist|os|env|services|addons|deploy):`)
)

// kustomizeTekton finds a kustomization whose patches can name Tekton fields.
var kustomizeTekton = lazyre.New(`tekton\.dev|kind:\s*["']?(Task|Pipeline|TaskRun|PipelineRun|ClusterTask|PipelineResource|Condition)\b`)

// Detect works out an input's kind from its name and content, as DESIGN.md section 2 sets out.
// It returns KindUnknown for files the tool leaves alone.
func Detect(path string, data []byte) Kind {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // editors on Windows start files with a BOM
	base := filepath.Base(path)
	lower := strings.ToLower(base)
	switch {
	case lower == ".travis.yml" || lower == ".travis.yaml":
		return KindTravis
	case jenkinsfileName(lower):
		// Named as a Jenkinsfile whatever it holds: the converter warns when it holds neither
		// pipeline { nor node, so such a file is never silently left out.
		return KindJenkinsfile
	case strings.HasSuffix(lower, ".groovy"):
		if groovyPipeline.Match(data) {
			return KindJenkinsfile
		}
		return KindUnknown
	case strings.HasSuffix(lower, ".xml"):
		// Every item in a Jenkins home is a config.xml: the job converter names a root it does
		// not know (an unsupported finding) rather than the file going unmentioned.
		if root, ok := jenkinsRoot(data); ok && (base == "config.xml" || jenkinsXMLRoots[root]) {
			return KindJenkinsXML
		}
		return KindUnknown
	case (base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization") && kustomizeTekton.Match(data):
		return KindTekton // its patches name Tekton fields, which the upgrade moves
	case strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml"):
		if hasTektonDoc(data) {
			return KindTekton
		}
		return KindUnknown
	case path == "-" || path == "":
		return sniff(data)
	}
	return KindUnknown
}

// jenkinsfileName matches the names Jenkinsfiles go by (lower-cased): Jenkinsfile,
// Jenkinsfile.X, Jenkinsfile_X, Jenkinsfile-X and X.jenkinsfile.
func jenkinsfileName(lower string) bool {
	rest, ok := strings.CutPrefix(lower, "jenkinsfile")
	return ok && (rest == "" || strings.ContainsAny(rest[:1], "._-")) || strings.HasSuffix(lower, ".jenkinsfile")
}

// sniff guesses the kind of unnamed input (stdin) from its content alone.
func sniff(data []byte) Kind {
	trimmed := bytes.TrimSpace(data)
	switch {
	case hasTektonDoc(data):
		return KindTekton
	case bytes.HasPrefix(trimmed, []byte("<")):
		if root, ok := jenkinsRoot(data); ok && jenkinsXMLRoots[root] {
			return KindJenkinsXML
		}
	case groovyPipeline.Match(data):
		return KindJenkinsfile
	case travisKeys.Match(data):
		return KindTravis
	}
	return KindUnknown
}

// jenkinsXMLRoots are the root elements of Jenkins items (jobs, multibranch projects, folders).
var jenkinsXMLRoots = map[string]bool{
	"project": true, "flow-definition": true, "maven2-moduleset": true, "matrix-project": true,
	"com.tikal.jenkins.plugins.multijob.MultiJobProject":                                     true,
	"org.jenkinsci.plugins.workflow.job.WorkflowJob":                                         true,
	"org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject":                  true,
	"org.jenkinsci.plugins.pipeline.multibranch.defaults.PipelineMultiBranchDefaultsProject": true,
	"com.cloudbees.hudson.plugins.folder.Folder":                                             true,
	"jenkins.branch.OrganizationFolder":                                                      true,
}

// jenkinsRoot returns the name of the root element when data is XML whose root could be a
// Jenkins item: XStream writes no namespaces, so a root with xmlns (a Maven pom.xml
// <project>, a Cordova config.xml) is not one.
func jenkinsRoot(data []byte) (string, bool) {
	d := bytes.TrimPrefix(head(data), []byte("\xef\xbb\xbf"))
	for {
		d = bytes.TrimLeft(d, " \t\r\n")
		var end string
		switch {
		case bytes.HasPrefix(d, []byte("<?")):
			end = "?>"
		case bytes.HasPrefix(d, []byte("<!--")):
			end = "-->"
		case bytes.HasPrefix(d, []byte("<!")):
			end = ">" // DOCTYPE; one with an internal subset is no Jenkins file
		default:
			if len(d) < 2 || d[0] != '<' || !nameStart(d[1]) {
				return "", false
			}
			n := bytes.IndexAny(d, " \t\r\n/>")
			if n < 0 {
				return "", false
			}
			tag := d
			if gt := bytes.IndexByte(d, '>'); gt >= 0 {
				tag = d[:gt]
			}
			if xmlns.Match(tag) {
				return "", false
			}
			return string(d[1:n]), true
		}
		i := bytes.Index(d, []byte(end))
		if i < 0 {
			return "", false
		}
		d = d[i+len(end):]
	}
}

// nameStart reports whether b can start an XML name (bytes >= 0x80 start non-ASCII letters).
func nameStart(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == ':' || b >= 0x80
}

func head(data []byte) []byte {
	if len(data) > 4096 {
		return data[:4096]
	}
	return data
}

// ParseKind validates a --from value.
func ParseKind(s string) (Kind, bool) {
	switch k := Kind(s); k {
	case KindTekton, KindTravis, KindJenkinsfile, KindJenkinsXML:
		return k, true
	}
	return KindUnknown, false
}
