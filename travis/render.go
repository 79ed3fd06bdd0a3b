package travis

import (
	"sort"
	"strings"
	"sync"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/travis/cond"
)

// taskParts are the pieces of a job task that services and addons contribute.
type taskParts struct {
	comments []string
	setup    []string
	sidecars []pipeline.Sidecar
	stepEnv  []pipeline.Env
	binds    []pipeline.Binding // pipeline workspaces the task mounts
}

// rendered is one job (or matrix template) as a task: clone, job, hooks, deploy, result.
type rendered struct {
	main *pipeline.Task
}

const (
	idPlaceholder = "@ID@"
	jobStep       = "job"
)

// conditions turns request-dependent if: into Tekton when expressions where they fit,
// else into a run-time bash guard; what neither can express gets a marker.
func (c *conv) conditions(j *job, t *pipeline.Task) []string {
	var guards []string
	for _, jc := range j.conds {
		src := scalarOf(jc.node)
		if ws, err := cond.Whens(jc.expr); err == nil {
			for _, w := range ws {
				t.When = append(t.When, pipeline.When{Input: w.Input, Operator: w.Operator, Values: w.Values})
			}
			c.finding(jc.node, convert.Converted, "travis/condition", "%s if: %s became a when expression", jc.what, src)
			continue
		}
		guard := func(b string) {
			guards = append(guards, "if ! "+b+"; then echo "+shellQuote("Skipping: "+jc.what+" if: "+src+" is false (Travis would not run this job)")+"; : > \"$TRAVIS_BUILD_DIR/.git/tkn-migrate-@ID@.skipped\"; exit 0; fi")
		}
		if b, err := cond.Bash(jc.expr); err == nil {
			guard(b)
			msg := sprintf("%s if: %s is checked at run time by the job step (the task starts, then ends successfully when the condition is false)", jc.what, src)
			c.finding(jc.node, convert.Approximated, "travis/condition", "%s", msg)
			t.Comments = append(t.Comments, c.marker("approximated", msg, jc.node.Line))
			continue
		} else if weak := cond.Weaken(jc.expr); weak != cond.Const(true) {
			// the checkable part still keeps the job off the builds where it certainly did not run
			b, _ := cond.Bash(weak)
			guard(b)
			msg := sprintf("%s if: %s cannot be checked in full (%v); the job step checks only %s, so the job may run where Travis skipped it", jc.what, src, err, weak)
			c.finding(jc.node, convert.Manual, "travis/condition", "%s", msg)
			t.Comments = append(t.Comments, c.marker("manual", msg, jc.node.Line))
		} else {
			msg := sprintf("%s if: %s cannot be translated (%v); the task runs unconditionally", jc.what, src, err)
			c.finding(jc.node, convert.Manual, "travis/condition", "%s", msg)
			t.Comments = append(t.Comments, c.marker("manual", msg, jc.node.Line))
		}
	}
	if len(guards) > 0 {
		guards = append([]string{cond.BashRegexHelper}, guards...)
	}
	return guards
}

// render builds a job's tasks for the given cell values; id names the job for the errored marker.
func (c *conv) render(j *job, cell cellVals, stage, id string) rendered {
	var parts taskParts
	parts.comments = []string{c.jobComment(j, stage)}
	c.sidecars(j, &parts)
	c.addons(j, &parts)
	wsUse, wsCreate := c.workspaces(j, &parts)
	setup := append([]string{}, j.lang.setup...)
	version := j.version
	if version == "" {
		version = j.lang.defVersion
	}
	if j.langName == "c" || j.langName == "cpp" {
		version = firstNonEmpty(j.compiler, j.lang.defVersion)
	}
	setup = append(setup, setupFor(j.lang, version)...)
	if j.langName == "go" {
		setup = append(setup, goImport(j.attr("go_import_path"))...)
	}
	setup = append(parts.setup, setup...)

	c.defaults(j)
	setup = append(setup, c.toolSetup(j)...)
	c.reportVMTools(j)
	t := &pipeline.Task{Comments: parts.comments, Sidecars: parts.sidecars, Image: cell.image, Workspaces: parts.binds}
	guards := c.conditions(j, t)
	text := j.commandsText() + strings.Join(setup, "\n") + strings.Join(guards, "\n")
	env := append(append(c.travisEnv(j, cell, stage, text), cellEnv(cell)...), parts.stepEnv...)
	cacheFetch, cacheStore := c.cacheScript(j, id, t, &env)
	env = lastWins(append(env, c.userEnv(j, cell)...))
	c.reportTravisVars(j, env, text)

	c.placement(j, t)
	var s scriptBuilder
	s.b.Grow(4 << 10) // most job scripts fit: the builder does not double its way there
	c.prelude(&s, j, cell, text)
	for _, g := range guards {
		s.line(strings.ReplaceAll(g, "@ID@", id))
	}
	state := `"$TRAVIS_BUILD_DIR/.git/tkn-migrate-` + id
	s.line(`travis_errored() { echo "The command in $1 exited with $2: Travis ends the job here (errored)." >&2; : > `+state+`.errored"; exit 2; }`,
		`travis_result() { TRAVIS_TEST_RESULT=$(( ${TRAVIS_TEST_RESULT:-0} | ($1 != 0) )); export TRAVIS_TEST_RESULT; }`,
		`# Travis runs after_* and deploy in this same shell: keep exports, functions and the directory for them.`,
		`travis_save_state() { { export -p | grep -vE '^declare -x (PWD|OLDPWD|SHLVL|HOSTNAME|_)='; declare -f; echo "cd $(printf %q "$PWD")"; } > `+state+`.state"; }`,
		`trap 'travis_rc=$?; travis_save_state; echo "$travis_rc" > `+state+`.rc"' EXIT`)
	if len(setup) > 0 {
		phaseBlock(&s, c.file, "setup", phase{cmds: toCmds(setup), label: "setup: what travis-build prepares before before_install"}, "setup")
	}
	if len(cacheFetch) > 0 {
		s.line("# cache: fetch")
		s.line(cacheFetch...)
	}
	if len(wsUse) > 0 {
		s.line("# workspaces: use")
		s.line(wsUse...)
	}
	for _, k := range []string{"before_install", "install", "before_script", "script", "before_cache", "after_success", "after_failure", "after_script"} {
		c.used[j.phases[k].line] = true
	}
	for _, k := range []string{"before_install", "install", "before_script"} {
		phaseBlock(&s, c.file, k, j.phases[k], "setup")
	}
	phaseBlock(&s, c.file, "script", j.phases["script"], "script")
	phaseBlock(&s, c.file, "before_cache", j.phases["before_cache"], "hook")
	if len(cacheStore) > 0 {
		s.line("# cache: store (skipped when a setup phase failed, as in Travis)")
		s.line(cacheStore...)
	}
	if len(wsCreate) > 0 {
		s.line("# workspaces: create (after the job's phases: later jobs copy it in with use:)")
		s.line(wsCreate...)
	}
	s.line(`exit "${TRAVIS_TEST_RESULT:-0}"`)
	step := pipeline.Step{Name: jobStep, Script: s.String(), Env: env}
	if j.os != "windows" { // git-clone's image is Linux only
		t.Steps = append([]pipeline.Step{c.cloneStep()}, t.Steps...)
	}
	t.Steps = append(t.Steps, step)
	// Travis runs after_* and deploy on the job's VM: here they are later steps of the
	// job's pod, and a last step gives the task the job's result.
	var after []pipeline.Step
	hook := func(key string) {
		if st, ok := c.hookStep(j, cell, text, id, key, env); ok {
			after = append(after, st)
		}
	}
	hook("after_success")
	if d := c.deployTask(j, cell, env, text, id); d != nil {
		t.Comments = append(t.Comments, d.Comments...)
		for _, st := range d.Steps {
			if j.mj.AllowFailure {
				st.OnError = "continue"
			}
			after = append(after, st)
		}
	}
	hook("after_failure")
	hook("after_script")
	last := len(t.Steps) - 1
	if len(after) > 0 {
		t.Steps[last].OnError = "continue"
		t.Steps[last].Comments = append(t.Steps[last].Comments, "the job's result is given by the result step, after its hooks")
		t.Steps = append(t.Steps, after...)
		var rs scriptBuilder
		st := `"$TRAVIS_BUILD_DIR/.git/tkn-migrate-` + id
		rs.line("#!/usr/bin/env bash",
			`if [ -e `+st+`.skipped" ]; then exit 0; fi`,
			`travis_rc=$(cat `+st+`.rc" 2>/dev/null) || travis_rc=2 # the job step did not finish: errored`,
			`exit "$travis_rc"`)
		t.Steps = append(t.Steps, pipeline.Step{Name: "result", Script: rs.String(), Env: env})
		last = len(t.Steps) - 1
	}
	if j.mj.AllowFailure {
		t.Steps[last].OnError = "continue"
		t.Steps[last].Comments = append(t.Steps[last].Comments, "allow_failures: a failure here does not fail the pipeline")
	}
	return rendered{main: t}
}

// hookStep is after_success, after_failure or after_script as a step of the job's pod: it
// re-enters the job's shell state and runs only when Travis would (by the job's own result).
func (c *conv) hookStep(j *job, cell cellVals, text, id, key string, env []pipeline.Env) (pipeline.Step, bool) {
	p := j.phases[key]
	if len(p.cmds) == 0 {
		return pipeline.Step{}, false
	}
	var hs scriptBuilder
	c.prelude(&hs, j, cell, text)
	hs.line(restoreState(id, key)...)
	if test, ok := map[string]string{"after_success": "!=", "after_failure": "="}[key]; ok {
		hs.line(`if [ "${TRAVIS_TEST_RESULT:-0}" ` + test + ` 0 ]; then echo "TRAVIS_TEST_RESULT=${TRAVIS_TEST_RESULT:-0}: Travis skips ` + key + `."; exit 0; fi`)
	}
	hs.line("export TRAVIS_TEST_RESULT=${TRAVIS_TEST_RESULT:-0}")
	phaseBlock(&hs, c.file, key, p, "hook")
	return pipeline.Step{Name: strings.ReplaceAll(key, "_", "-"), Script: hs.String(), Env: env, OnError: "continue",
		Comments: []string{sprintf("from %s:%d %s (the job's exports, functions and directory are restored first)", c.file, p.line, key)}}, true
}

// cloneStep checks the job's own commit out into its pod with the git-clone StepAction,
// as Travis clones for every job (depth 50, submodules, unless git: says otherwise).
// tektoncd/pipeline v1.15.0 runs it without configuration: StepActions are stable
// (config/feature_flags.go: enable-step-actions is a no-op), the hub, bundles, git and
// cluster resolvers default to enabled and take kind stepaction (config/resolver,
// resolution/resolver/*), and the default enable-api-fields "beta" allows step refs.
func (c *conv) cloneStep() pipeline.Step {
	co := c.checkout()
	a, _ := catalog.LookupStepAction("git-clone")
	ref := a.Ref(c.opts.CatalogRef)
	ps := []pipeline.Binding{{Name: "url", Value: "$(params.repo-url)"}, {Name: "revision", Value: "$(params.revision)"},
		{Name: "output-path", Value: buildDir}}
	if co.Depth != "" {
		ps = append(ps, pipeline.Binding{Name: "depth", Value: co.Depth})
	}
	if co.Submodules != nil {
		ps = append(ps, pipeline.Binding{Name: "submodules", Value: boolStr(*co.Submodules)})
	}
	return pipeline.Step{Name: cloneStep, Ref: &ref, Params: ps, Comments: co.Comments}
}

// cloneStep names the job's first step; TRAVIS_COMMIT is its commit result.
const cloneStep = "clone"

func toCmds(lines []string) []cmd {
	var out []cmd
	for _, l := range lines {
		out = append(out, cmd{text: l})
	}
	return out
}

func failLoud(name, msg string) pipeline.Step {
	return pipeline.Step{Name: name, Image: "busybox:1.36", Comments: []string{"fail-loud placeholder: remove once ported"},
		Script: "echo " + shellQuote("tkn-migrate: "+msg) + " >&2\nexit 1\n"}
}

func (c *conv) jobComment(j *job, stage string) string {
	s := sprintf("from %s:%d job", c.file, j.pos.Line)
	if j.name != "" {
		s += " " + j.name
	}
	s += " (stage " + stage
	if j.version != "" && j.lang.versionKey != "" {
		s += ", " + j.lang.versionKey + " " + j.version
	}
	if j.jobEnv != "" {
		s += ", env " + j.jobEnv
	}
	return s + ")"
}

// defaults fills install/script from the language when the keys are absent.
func (c *conv) defaults(j *job) {
	install, script := j.lang.install, j.lang.script
	if sol := j.attr("solution"); j.langName == "csharp" && sol != "" {
		// travis-build: nuget restore + msbuild; the .NET SDK image runs both through dotnet
		install = []string{"dotnet restore " + shellQuote(sol)}
		script = []string{"dotnet msbuild /p:Configuration=Release " + shellQuote(sol)}
	}
	install, script = langArgs(j, install, "install"), langArgs(j, script, "script")
	for key, cmds := range map[string][]string{"install": install, "script": script} {
		if _, ok := j.phases[key]; ok || len(cmds) == 0 {
			continue
		}
		j.phases[key] = phase{set: true, cmds: toCmds(cmds), label: key + ": travis-build's default for language " + j.langName}
		j.defaulted[key] = true
	}
}

// argOptions are the language options travis-build splices raw into a default command:
// bundler_args replaces all of bundle install's arguments (shared/bundler.rb), gobuild_args
// replaces go get's and go test's -v (script/go.rb), sbt_args goes before sbt's ++version (script/scala.rb).
var argOptions = sync.OnceValue(func() map[string]argOption {
	return map[string]argOption{
		"bundler_args": {"ruby", "bundle install --jobs=3 --retry=3 --deployment; else bundle install --jobs=3 --retry=3;", "bundle install %s; else bundle install %s;"},
		"gobuild_args": {"go", " -v ", " %s "},
		"sbt_args":     {"scala", "sbt $SBT_ARGS ", "sbt %s "},
	}
})

type argOption struct{ lang, from, to string }

// langArgs applies the job's argOptions to the default commands of one phase.
func langArgs(j *job, cmds []string, phase string) []string {
	out := append([]string{}, cmds...)
	for key, o := range argOptions() {
		v := j.attr(key)
		if o.lang != j.langName || v == "" {
			continue
		}
		to := strings.ReplaceAll(o.to, "%s", v)
		for i := range out {
			out[i] = strings.ReplaceAll(out[i], o.from, to)
		}
	}
	return out
}

// userEnv: .travis.yml env as step env (plain values), secure entries as secretKeyRefs,
// and in a matrix task the per-cell env line.
func (c *conv) userEnv(j *job, cell cellVals) []pipeline.Env {
	var out []pipeline.Env
	global := c.globalVars()
	add := func(vars []envVar) {
		for _, v := range vars {
			if v.secure || !plainEnv(v) {
				continue
			}
			val, _ := unquote(v.value)
			out = append(out, pipeline.Env{Name: v.name, Value: val})
		}
	}
	add(global)
	if !cell.envParam {
		add(j.env[len(global):])
	}
	for i, v := range c.secureVars(j) {
		name, key := c.secretFor(v, "secure-env-"+itoa(c.secureOrdinal(v)),
			"the decrypted NAME=value pair that the secure: entry holds")
		out = append(out, pipeline.Env{Name: secureEnvName(i), SecretName: name, SecretKey: key,
			Comment: sprintf("%s env from %s:%d (create the Secret by hand)", map[bool]string{false: "encrypted", true: "plain-text secret"}[v.literal != ""], c.file, v.line)})
	}
	if cell.envParam {
		out = append(out, pipeline.Env{Name: "TRAVIS_MATRIX_ENV", Value: cell.env})
	}
	return out
}

// secureOrdinal numbers the secure (or plain-text secret) env entries of the file in source
// order: one Secret an entry, so jobs built from different entries never share one.
func (c *conv) secureOrdinal(v envVar) int {
	if c.secureN == nil {
		seen := map[[2]int]bool{}
		var pos [][2]int
		for _, j := range append(append([]*job{}, c.jobs...), c.dropped...) {
			for _, w := range j.env {
				if p := [2]int{w.line, w.col}; w.secure && !seen[p] {
					seen[p] = true
					pos = append(pos, p)
				}
			}
		}
		sort.Slice(pos, func(a, b int) bool { return pos[a][0] < pos[b][0] || pos[a][0] == pos[b][0] && pos[a][1] < pos[b][1] })
		c.secureN = map[[2]int]int{}
		for i, p := range pos {
			c.secureN[p] = i + 1
		}
	}
	return c.secureN[[2]int{v.line, v.col}]
}

// secretFor names the Secret for an encrypted value and reports how to create it, once.
func (c *conv) secretFor(v envVar, key, what string) (string, string) {
	name := pipeline.Sanitize(c.name + "-" + key)
	action := sprintf("kubectl create secret generic %s --from-literal=%s='<value>'", name, key)
	seen := false
	for _, f := range c.findings {
		seen = seen || f.Action == action
	}
	if !seen {
		c.findings = append(c.findings, convert.Finding{File: c.path, Line: v.line, Col: v.col, Class: convert.Manual,
			Rule:    "travis/secret",
			Message: sprintf("encrypted value: create Secret %s with key %s holding %s (Travis's encryption cannot be reversed here)", name, key, what),
			Action:  action})
		if v.literal != "" {
			f := &c.findings[len(c.findings)-1]
			f.Rule, f.Message = "secret-literal", literalMessage(v, name, key)
		}
	}
	return name, key
}

func (c *conv) reportTravisVars(j *job, env []pipeline.Env, text string) {
	defined := map[string]bool{}
	for _, e := range env {
		defined[e.Name] = true
	}
	for _, v := range j.env {
		defined[v.name] = true
	}
	for _, name := range unknownTravisVars(text, defined) {
		c.finding(j.pos, convert.Approximated, "travis/env", "%s has no Tekton source; it is unset", name)
	}
}

// restoreState skips a hook when the job errored or was skipped, and otherwise
// re-enters the job's shell state (exports, functions, directory).
func restoreState(id, what string) []string {
	state := `"$TRAVIS_BUILD_DIR/.git/tkn-migrate-` + id
	return []string{
		`if [ -e ` + state + `.errored" ] || [ -e ` + state + `.skipped" ]; then echo "The job errored in a setup phase or did not run; Travis skips ` + what + `."; exit 0; fi`,
		`if [ -f ` + state + `.state" ]; then . ` + state + `.state"; fi`,
	}
}

// lastWins drops earlier env entries of a repeated name: .travis.yml env is exported
// after Travis's own variables, so it overrides them.
func lastWins(env []pipeline.Env) []pipeline.Env {
	last := map[string]int{}
	for i, e := range env {
		last[e.Name] = i
	}
	if len(env) == 0 {
		return nil
	}
	out := make([]pipeline.Env, 0, len(last))
	for i, e := range env {
		if last[e.Name] == i {
			out = append(out, e)
		}
	}
	return out
}
