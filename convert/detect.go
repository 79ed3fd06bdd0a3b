package convert

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
)

var (
	tektonAPI       = regexp.MustCompile(`(?m)^apiVersion:\s*["']?tekton\.dev/`)
	groovyPipeline  = regexp.MustCompile(`(?m)^\s*(pipeline\s*\{|node\b)`)
	jenkinsXMLRoots = regexp.MustCompile(`<(project|flow-definition|maven2-moduleset|matrix-project|com\.tikal\.jenkins\.plugins\.multijob\.MultiJobProject|org\.jenkinsci\.plugins\.workflow\.job\.WorkflowJob)[\s>/]`)
	travisKeys      = regexp.MustCompile(`(?m)^(language|script|install|before_install|matrix|jobs|dist|os|env|services|addons|deploy):`)
)

// Detect works out an input's kind from its name and content, as DESIGN.md section 2 sets out.
// It returns KindUnknown for files the tool leaves alone.
func Detect(path string, data []byte) Kind {
	base := filepath.Base(path)
	lower := strings.ToLower(base)
	switch {
	case lower == ".travis.yml" || lower == ".travis.yaml":
		return KindTravis
	case base == "Jenkinsfile" || strings.HasPrefix(base, "Jenkinsfile.") || strings.HasSuffix(lower, ".jenkinsfile"):
		return KindJenkinsfile
	case strings.HasSuffix(lower, ".groovy"):
		if groovyPipeline.Match(data) {
			return KindJenkinsfile
		}
		return KindUnknown
	case strings.HasSuffix(lower, ".xml"):
		if jenkinsXMLRoots.Match(head(data)) {
			return KindJenkinsXML
		}
		return KindUnknown
	case strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml"):
		if tektonAPI.Match(data) {
			return KindTekton
		}
		return KindUnknown
	case path == "-" || path == "":
		return sniff(data)
	}
	return KindUnknown
}

// sniff guesses the kind of unnamed input (stdin) from its content alone.
func sniff(data []byte) Kind {
	trimmed := bytes.TrimSpace(data)
	switch {
	case tektonAPI.Match(data):
		return KindTekton
	case bytes.HasPrefix(trimmed, []byte("<")):
		if jenkinsXMLRoots.Match(head(data)) {
			return KindJenkinsXML
		}
	case groovyPipeline.Match(data):
		return KindJenkinsfile
	case travisKeys.Match(data):
		return KindTravis
	}
	return KindUnknown
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
