// Package vars maps Jenkins build variables (BUILD_NUMBER, WORKSPACE, GIT_COMMIT, params.X)
// to Tekton and Pipelines-as-Code values. Values reach scripts through step env bound from
// task params, never pasted into script text, so nothing in a value can inject shell code.
package vars

import (
	"sort"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Var is how one Jenkins variable is provided in Tekton.
type Var struct {
	Name string
	// Value is the PipelineTask-level expression bound to the task param (e.g. $(context.pipelineRun.name)).
	Value string
	// Checkout is the value to use instead when the git-clone task runs (results are exact there).
	Checkout string
	// PipelineParam, when set, is a Pipeline param the value comes from, bound in each PipelineRun to RunValue.
	PipelineParam, RunValue string
	// PullRequestOnly values exist on pull requests alone: other runs bind "" (PaC would leave the {{ }} text).
	PullRequestOnly bool
	Class           convert.Class
	Note            string
}

var table = map[string]Var{
	"WORKSPACE":        {Value: "$(workspaces.source.path)", Class: convert.Converted},
	"BUILD_NUMBER":     {Value: "$(context.pipelineRun.name)", Class: convert.Approximated, Note: "Tekton has no build counter; the PipelineRun name is unique but not a number"},
	"BUILD_ID":         {Value: "$(context.pipelineRun.name)", Class: convert.Approximated, Note: "Tekton has no build counter; the PipelineRun name is unique but not a number"},
	"BUILD_TAG":        {Value: "$(context.pipeline.name)-$(context.pipelineRun.name)", Class: convert.Approximated, Note: "composed from the Pipeline and PipelineRun names"},
	"JOB_NAME":         {Value: "$(context.pipeline.name)", Class: convert.Approximated, Note: "the Pipeline name stands in for the job name"},
	"JOB_BASE_NAME":    {Value: "$(context.pipeline.name)", Class: convert.Approximated, Note: "the Pipeline name stands in for the job name"},
	"GIT_COMMIT":       {Value: "$(params.jenkins-git-commit)", Checkout: "$(tasks.fetch-source.results.commit)", PipelineParam: "jenkins-git-commit", RunValue: "{{ revision }}", Class: convert.Converted},
	"GIT_URL":          {Value: "$(params.jenkins-git-url)", Checkout: "$(tasks.fetch-source.results.url)", PipelineParam: "jenkins-git-url", RunValue: "{{ repo_url }}", Class: convert.Converted},
	"BRANCH_NAME":      {Value: "$(params.jenkins-branch-name)", PipelineParam: "jenkins-branch-name", RunValue: "{{ source_branch }}", Class: convert.Converted},
	"GIT_BRANCH":       {Value: "$(params.jenkins-branch-name)", PipelineParam: "jenkins-branch-name", RunValue: "{{ source_branch }}", Class: convert.Approximated, Note: "a multibranch build sets it as BRANCH_NAME (PR-<n> on pull requests); a plain job's Git plugin prefixes the remote (origin/)"},
	"GIT_LOCAL_BRANCH": {Value: "$(params.jenkins-branch-name)", PipelineParam: "jenkins-branch-name", RunValue: "{{ source_branch }}", Class: convert.Converted},
	"CHANGE_ID":        {Value: "$(params.jenkins-change-id)", PipelineParam: "jenkins-change-id", RunValue: "{{ pull_request_number }}", PullRequestOnly: true, Class: convert.Converted},
	"CHANGE_TARGET":    {Value: "$(params.jenkins-change-target)", PipelineParam: "jenkins-change-target", RunValue: "{{ target_branch }}", PullRequestOnly: true, Class: convert.Converted},
	"CHANGE_BRANCH":    {Value: "$(params.jenkins-change-branch)", PipelineParam: "jenkins-change-branch", RunValue: "{{ source_branch }}", PullRequestOnly: true, Class: convert.Converted},
	"TAG_NAME":         {Value: "$(params.jenkins-tag-name)", PipelineParam: "jenkins-tag-name", RunValue: "", Class: convert.Converted},
}

// multibranch are the values Jenkins multibranch gives a Pipeline param's variable on pull-request
// and tag builds, where they differ from RunValue: BRANCH_NAME is PR-<n> on a pull request (so
// when { branch 'main' } never holds there) and the tag on a tag build (branch-api
// PullRequestSCMHead/TagSCMHead names), and only a tag build has TAG_NAME.
var multibranch = map[string]struct{ pr, tag string }{
	"jenkins-branch-name": {pr: "PR-{{ pull_request_number }}", tag: "{{ git_tag }}"},
	"jenkins-tag-name":    {pr: "", tag: "{{ git_tag }}"},
}

// TagRef is the on-target-branch of the tag run: PaC matches a tag push against refs/tags/*.
const TagRef = "refs/tags/*"

// unmappable are Jenkins variables with no Tekton counterpart; scripts reading them get a marker.
var unmappable = map[string]string{
	"BUILD_URL":                      "links into the Jenkins UI; Tekton has no fixed dashboard URL",
	"JOB_URL":                        "links into the Jenkins UI; Tekton has no fixed dashboard URL",
	"JENKINS_URL":                    "links into the Jenkins UI; Tekton has no fixed dashboard URL",
	"NODE_NAME":                      "Tekton pods are scheduled by Kubernetes; there is no agent name",
	"NODE_LABELS":                    "Tekton pods are scheduled by Kubernetes; there are no agent labels",
	"EXECUTOR_NUMBER":                "Tekton has no executors",
	"BUILD_DISPLAY_NAME":             "Tekton has no build display name",
	"GIT_PREVIOUS_COMMIT":            "Tekton keeps no build history",
	"GIT_PREVIOUS_SUCCESSFUL_COMMIT": "Tekton keeps no build history",
}

// Lookup returns the mapping of a Jenkins variable.
func Lookup(name string) (Var, bool) {
	v, ok := table[name]
	v.Name = name
	return v, ok
}

// Unmappable returns why a Jenkins variable has no Tekton value, or "".
func Unmappable(name string) string { return unmappable[name] }

// shellRef finds $NAME and ${NAME} in shell text.
var shellRef = lazyre.New(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// ShellRefs returns the known or unmappable Jenkins variables a shell script reads, sorted.
func ShellRefs(script string) []string {
	seen := map[string]bool{}
	for _, m := range shellRef.FindAllStringSubmatch(script, -1) {
		n := m[1]
		if _, ok := table[n]; ok || unmappable[n] != "" {
			seen[n] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ParamName is the task param carrying a Jenkins variable into an inline task.
func ParamName(jenkinsVar string) string { return "jenkins-" + pipeline.Sanitize(jenkinsVar) }

var paramNameRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// TektonParam makes a Jenkins parameter or axis name a valid Tekton param name: Tekton allows
// letters, digits, _ . - with a letter or _ first; other characters become _.
func TektonParam(n string) string {
	if paramNameRE.MatchString(n) {
		return n
	}
	out := []byte(n)
	for i, b := range out {
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '-') {
			out[i] = '_'
		}
	}
	if len(out) == 0 || out[0] >= '0' && out[0] <= '9' || out[0] == '.' || out[0] == '-' {
		out = append([]byte{'_'}, out...)
	}
	return string(out)
}

// EnvName makes a Jenkins parameter name usable as an env var name (letters, digits, _ . -, not
// starting with a digit); Jenkins exports parameters to builds under their own names.
func EnvName(n string) string {
	out := []byte(n)
	for i, b := range out {
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '-') {
			out[i] = '_'
		}
	}
	if len(out) == 0 || out[0] >= '0' && out[0] <= '9' {
		out = append([]byte{'_'}, out...)
	}
	return string(out)
}

// PullRequestOnly reports whether a Pipeline param carries a value that only pull-request runs have.
func PullRequestOnly(param string) bool {
	for _, v := range table {
		if v.PipelineParam == param && v.PullRequestOnly {
			return true
		}
	}
	return false
}
