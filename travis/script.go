package travis

import (
	"slices"
	"sort"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/internal/shellquote"
)

// shims are bash versions of the travis-build helpers user commands call by name
// (travis-semantics.md §4); only the ones a job uses are emitted.
var shims = []struct{ name, def string }{
	{"travis_retry", `travis_retry() { local r n; for n in 1 2 3; do "$@"; r=$?; [ $r -eq 0 ] && return 0; [ $n -lt 3 ] && { echo "The command \"$*\" failed. Retrying, $((n+1)) of 3." >&2; sleep 1; }; done; return $r; }`},
	{"travis_wait", `travis_wait() { local m=20; case "$1" in ''|*[!0-9]*) ;; *) m=$1; shift ;; esac; timeout "${m}m" "$@"; }`},
	{"travis_fold", `travis_fold() { :; }`},
	{"travis_time_start", `travis_time_start() { :; }`},
	{"travis_time_finish", `travis_time_finish() { :; }`},
	{"travis_terminate", `travis_terminate() { exit "${1:-0}"; }`},
	{"sudo", `command -v sudo >/dev/null || sudo() { while [ "${1#-}" != "$1" ]; do shift; done; "$@"; }`},
}

// uses reports word in text as a whole shell word; a scan, not a regexp, because it runs for every
// helper and variable of every job, on parallel workers.
func uses(text, word string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		at, end := i+j, i+j+len(word)
		if (at == 0 || !wordByte(text[at-1])) && (end == len(text) || !wordByte(text[end])) {
			return true
		}
		i = at + 1
	}
}

func wordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// scriptBuilder accumulates a bash step script.
type scriptBuilder struct{ b strings.Builder }

func (s *scriptBuilder) line(l ...string) {
	for _, x := range l {
		s.b.WriteString(x)
		s.b.WriteByte('\n')
	}
}

func (s *scriptBuilder) String() string { return s.b.String() }

// prelude recreates the Travis job shell: helpers, the job's own directory, branch/tag split, env exports.
func (c *conv) prelude(s *scriptBuilder, j *job, cell cellVals, text string) {
	s.line("#!/usr/bin/env bash")
	helpers := prefixWords(text, "travis_")
	for _, sh := range shims {
		if usesWord(helpers, "travis_", text, sh.name) {
			s.line(sh.def)
		}
	}
	jobDir(s)
	c.coreEnv(s, j, cell, text)
}

// buildRoot is where each job's clone step puts the checkout: /workspace is the pod's own
// emptyDir that Tekton mounts into every step (pkg/pod implicitVolumeMounts), so a job's
// files never meet another job's, as on Travis's one VM per job. The checkout sits at
// build/<owner>/<repo> as Travis's $HOME/build/<owner>/<repo>.
const (
	travisHome = "/workspace"
	buildRoot  = travisHome + "/build"
	buildDir   = buildRoot + "/$(params.repo-slug)"
)

// jobDir enters the job's checkout; every step of the job's pod shares it.
func jobDir(s *scriptBuilder) {
	s.line(`cd "$TRAVIS_BUILD_DIR" || { echo "$TRAVIS_BUILD_DIR is missing: the checkout failed, so Travis runs nothing after it." >&2; exit 2; }`)
}

// cellEnv names the cell's own param values, from which the cache key is derived.
func cellEnv(cell cellVals) []pipeline.Env {
	if !cell.matrix {
		return nil
	}
	vals := []string{cell.image, cell.version, cell.env, cell.arch}
	if cell.job != "" {
		vals = append(vals, cell.job)
	}
	return []pipeline.Env{{Name: "TKN_MIGRATE_CELL", Value: strings.Join(vals, "|")}}
}

// coreEnv splits TRAVIS_BRANCH into branch and tag and exports the .travis.yml env.
func (c *conv) coreEnv(s *scriptBuilder, j *job, cell cellVals, text string) {
	s.line(`case "$TRAVIS_BRANCH" in refs/tags/*) TRAVIS_TAG=${TRAVIS_BRANCH#refs/tags/}; TRAVIS_BRANCH=$TRAVIS_TAG ;; refs/heads/*) TRAVIS_BRANCH=${TRAVIS_BRANCH#refs/heads/} ;; esac`,
		`export TRAVIS_BRANCH TRAVIS_TAG`)
	if uses(text, "TRAVIS_COMMIT_MESSAGE") {
		s.line(`export TRAVIS_COMMIT_MESSAGE="$(git log --format=%B -n 1)"`)
	}
	for _, l := range c.envLines(j, cell) {
		s.line(l)
	}
}

// cellVals are the values that may differ between cells of one matrix task. In a
// matrix task they are $(params.x) references, reaching scripts only through env.
type cellVals struct {
	image, version, env, arch string
	job                       string // $(params.job) when cells differ in nothing else
	matrix                    bool   // rendering a matrix task
	envParam                  bool   // the job env line comes from $(params.env)
}

// envLines exports what Tekton env cannot express: values needing shell expansion,
// secure entries, and the per-cell env line of a matrix task.
func (c *conv) envLines(j *job, cell cellVals) []string {
	var out []string
	emit := func(vars []envVar) {
		for _, v := range vars {
			if v.secure || plainEnv(v) {
				continue
			}
			out = append(out, "export "+v.raw)
		}
	}
	emit(c.globalVars())
	for i := range c.secureVars(j) {
		out = append(out, `eval "export $`+secureEnvName(i)+`"`)
	}
	if cell.envParam {
		out = append(out, `[ -z "$TRAVIS_MATRIX_ENV" ] || eval "export $TRAVIS_MATRIX_ENV"`)
	} else {
		emit(j.env[len(c.globalVars()):])
	}
	return out
}

func (c *conv) globalVars() []envVar {
	var out []envVar
	for _, e := range c.env.global {
		out = append(out, e.vars...)
	}
	return out
}

// secureVars lists the job's secure env entries (global and own) in order.
func (c *conv) secureVars(j *job) []envVar {
	var out []envVar
	for _, v := range j.env {
		if v.secure {
			out = append(out, v)
		}
	}
	return out
}

func secureEnvName(i int) string { return "TRAVIS_SECURE_ENV_" + itoa(i+1) }

var envName = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// plainEnv: a value Tekton env can carry as is (no shell expansion, quoting or escapes).
func plainEnv(v envVar) bool {
	if !envName.MatchString(v.name) || !strings.Contains(v.raw, "=") {
		return false
	}
	_, ok := unquote(v.value)
	return ok
}

// unquote strips one level of shell quoting when the result needs no shell.
func unquote(s string) (string, bool) {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		in := s[1 : len(s)-1]
		if s[0] == '\'' && !strings.Contains(in, "'") {
			return in, true
		}
		if s[0] == '"' && !strings.ContainsAny(in, "\"$`\\") {
			return in, true
		}
		return "", false
	}
	if strings.ContainsAny(s, " \t\n\"'$`\\;&|<>(){}*?[]~#") {
		return "", false
	}
	return s, true
}

// phaseBlock writes a phase's commands with Travis's failure rule for that phase.
func phaseBlock(s *scriptBuilder, file, key string, p phase, mode string) {
	if len(p.cmds) == 0 {
		return
	}
	if p.label != "" {
		s.line("# " + p.label)
	} else {
		s.line("# " + key + " (" + file + ":" + itoa(p.line) + ")")
	}
	for _, cm := range p.cmds {
		s.line("{", strings.TrimRight(cm.text, "\n"))
		switch mode {
		case "setup": // a failing setup command ends the job as errored
			s.line("} || travis_errored " + shellQuote(key) + " $?")
		case "fail": // deploy: a failure fails the deployment
			s.line("} || exit 2")
		case "script": // every script command runs; failures are ORed into the result
			s.line("}", "travis_result $?")
		default: // hooks: failures are ignored
			s.line("}")
		}
	}
}

func shellQuote(s string) string { return shellquote.Single(s) }

// travisEnv defines the TRAVIS_* variables a job's commands see, from params and git-clone results.
func (c *conv) travisEnv(j *job, cell cellVals, stage string, text string) []pipeline.Env {
	env := []pipeline.Env{
		{Name: "CI", Value: "true"}, {Name: "TRAVIS", Value: "true"}, {Name: "CONTINUOUS_INTEGRATION", Value: "true"},
		{Name: "TRAVIS_BUILD_DIR", Value: buildDir},
		{Name: "TRAVIS_BRANCH", Value: "$(params.branch)"},
		{Name: "TRAVIS_TAG", Value: "$(params.tag)"},
		{Name: "TRAVIS_COMMIT", Value: "$(steps." + cloneStep + ".results.commit)"},
		{Name: "TRAVIS_EVENT_TYPE", Value: "$(params.event-type)"},
		{Name: "TRAVIS_PULL_REQUEST", Value: "$(params.pull-request)"},
		{Name: "TRAVIS_REPO_SLUG", Value: "$(params.repo-slug)"},
		{Name: "TRAVIS_OS_NAME", Value: j.os},
		{Name: "TRAVIS_LANGUAGE", Value: j.langName},
		// the clone step runs as UID 65532; git refuses a repository another user owns
		// unless safe.directory says so, and env config is protected config (git-config SCOPES)
		{Name: "GIT_CONFIG_COUNT", Value: "1"}, {Name: "GIT_CONFIG_KEY_0", Value: "safe.directory"}, {Name: "GIT_CONFIG_VALUE_0", Value: "*"},
	}
	if j.os == "windows" {
		for i := range env {
			if env[i].Name == "TRAVIS_COMMIT" {
				env[i].Value = "$(params.revision)" // no clone step there to give the commit
			}
		}
	}
	if j.lang.versionVar != "" {
		v := cell.version
		if v == "" {
			v = firstNonEmpty(j.lang.defVersion, "default")
		}
		env = append(env, pipeline.Env{Name: j.lang.versionVar, Value: v})
	}
	optional := []pipeline.Env{
		{Name: "TRAVIS_PULL_REQUEST_BRANCH", Value: "$(params.pull-request-branch)"},
		{Name: "TRAVIS_PULL_REQUEST_SHA", Value: "$(params.pull-request-sha)"},
		{Name: "TRAVIS_CPU_ARCH", Value: cell.arch},
		{Name: "TRAVIS_DIST", Value: j.dist},
		{Name: "TRAVIS_BUILD_STAGE_NAME", Value: stage},
		{Name: "TRAVIS_ALLOW_FAILURE", Value: boolStr(j.mj.AllowFailure)},
		{Name: "TRAVIS_JOB_NAME", Value: j.name},
		{Name: "TRAVIS_BUILD_ID", Value: "$(context.pipelineRun.uid)"},
		{Name: "TRAVIS_BUILD_NUMBER", Value: "$(context.pipelineRun.name)"},
		{Name: "TRAVIS_JOB_ID", Value: "$(context.taskRun.uid)"},
		{Name: "TRAVIS_JOB_NUMBER", Value: "$(context.taskRun.name)"},
		{Name: "TRAVIS_SECURE_ENV_VARS", Value: boolStr(len(c.secureVars(j)) > 0)},
		{Name: "TRAVIS_HOME", Value: travisHome},
		{Name: "TRAVIS_COMPILER", Value: j.compiler},
	}
	used := prefixWords(text, travisPrefix)
	for _, o := range optional {
		if usesWord(used, travisPrefix, text, o.Name) {
			env = append(env, o)
			c.prSHA = c.prSHA || o.Name == "TRAVIS_PULL_REQUEST_SHA"
		}
	}
	return env
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// prefixWords are the words of text that uses finds and that begin with prefix (itself a
// word): one search for the prefix instead of one per name, for every job rendered. A word
// uses finds is a maximal run of word bytes after a non-word byte or the text's start.
func prefixWords(text, prefix string) []string {
	var out []string
	for at := nextAt(text, prefix, 0); at >= 0; {
		next := at + 1
		if at == 0 || !wordByte(text[at-1]) {
			next = runEnd(text, at+len(prefix), wordByte) // a later prefix in the word is no word's start
			out = append(out, text[at:next])
		}
		at = nextAt(text, prefix, next)
	}
	return out
}

// usesWord is uses(text, name), read from words (prefixWords(text, prefix)) when name is a word
// that begins with prefix.
func usesWord(words []string, prefix, text, name string) bool {
	if !strings.HasPrefix(name, prefix) || runEnd(name, 0, wordByte) != len(name) {
		return uses(text, name)
	}
	return slices.Contains(words, name)
}

// travisVarMatches is what the regexp TRAVIS_[A-Z_]+ finds in text, left to right, without
// overlaps: a scan, as it runs for every job rendered.
func travisVarMatches(text string) []string {
	var out []string
	for at := nextAt(text, travisPrefix, 0); at >= 0; {
		end := runEnd(text, at+len(travisPrefix), func(c byte) bool { return c >= 'A' && c <= 'Z' || c == '_' })
		if end == at+len(travisPrefix) {
			at = nextAt(text, travisPrefix, at+1) // no match starts here
			continue
		}
		out = append(out, text[at:end])
		at = nextAt(text, travisPrefix, end)
	}
	return out
}

const travisPrefix = "TRAVIS_"

// nextAt is the offset of the first s in text at or after i, or -1.
func nextAt(text, s string, i int) int {
	if k := strings.Index(text[i:], s); k >= 0 {
		return i + k
	}
	return -1
}

// runEnd is where the run of bytes ok accepts, from i on, ends.
func runEnd(text string, i int, ok func(byte) bool) int {
	for i < len(text) && ok(text[i]) {
		i++
	}
	return i
}

// unknownTravisVars lists TRAVIS_* names used in commands that no Tekton value backs.
func unknownTravisVars(text string, defined map[string]bool) []string {
	seen := map[string]bool{}
	for _, m := range travisVarMatches(text) {
		m = strings.TrimRight(m, "_")
		if !defined[m] && !strings.HasPrefix(m, "TRAVIS_SECURE_ENV_") && m != "TRAVIS_TEST_RESULT" && m != "TRAVIS_MATRIX_ENV" && m != "TRAVIS_COMMIT_MESSAGE" {
			seen[m] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
