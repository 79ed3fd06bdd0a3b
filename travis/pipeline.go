package travis

import (
	"encoding/json"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/travis/cond"
	"github.com/tkn-migrate/tkn-migrate/travis/matrix"
)

// taskParts are the pieces of a job task that services and addons contribute.
type taskParts struct {
	comments []string
	setup    []string
	sidecars []pipeline.Sidecar
	stepEnv  []pipeline.Env
}

// rendered is one job (or matrix template) as tasks.
type rendered struct {
	main   *pipeline.Task
	hooks  []*pipeline.Task // finally
	deploy *pipeline.Task
}

const (
	idPlaceholder = "@ID@"
	jobStep       = "job"
)

// paramCell is the template used to decide which jobs share a matrix task.
var paramCell = cellVals{image: "$(params.image)", version: "$(params.version)", env: "$(params.env)", arch: "$(params.arch)", matrix: true, envParam: true}

// pipeline assembles the model: stages in sequence, jobs of a stage in parallel.
func (c *conv) pipeline() (*pipeline.Pipeline, error) {
	p := &pipeline.Pipeline{Name: c.name, Comments: []string{"from " + c.file + ":1 (Travis CI)"}}
	p.Params = runParams()
	p.Checkout = c.checkout()
	c.rootNotes(p)
	names := pipeline.NewNamer(pipeline.CheckoutTask)
	order := matrix.StageOrder(jobsOf(c.jobs), c.stageNames())
	var prev []string
	for _, st := range order {
		var stJobs []*job
		for _, j := range c.jobs {
			if strings.EqualFold(j.mj.Stage, st) {
				stJobs = append(stJobs, j)
			}
		}
		sc, skip := c.stageCond(st)
		if skip {
			continue
		}
		if sc != nil {
			for _, j := range stJobs {
				j.conds = append([]jobCond{*sc}, j.conds...)
			}
		}
		var cur []string
		for _, g := range c.group(stJobs, st) {
			base := st
			if len(g) == 1 && g[0].name != "" {
				base = g[0].name
			}
			name := names.Name(base)
			r := c.renderGroup(g, st, name)
			r.main.Name = name
			r.main.RunAfter = prev
			p.Tasks = append(p.Tasks, r.main)
			if r.deploy != nil {
				r.deploy.Name = names.Name(name + "-deploy")
				r.deploy.RunAfter = []string{name}
				p.Tasks = append(p.Tasks, r.deploy)
			}
			for _, h := range r.hooks {
				h.Name = names.Name(name + "-" + h.Name)
				for i := range h.When {
					h.When[i].Input = strings.ReplaceAll(h.When[i].Input, idPlaceholder, name)
				}
				p.Finally = append(p.Finally, h)
			}
			cur = append(cur, name)
		}
		prev = cur
	}
	p.Runs = c.runs()
	c.parallelNote()
	c.unusedNotes()
	if len(c.hosts) > 0 {
		p.HostAliases = []pipeline.HostAlias{{IP: "127.0.0.1", Hostnames: c.hosts}}
	}
	p.Comments = dedupeStrings(append(p.Comments, c.markers...))
	c.findings = dedupeFindings(c.findings)
	if c.cacheUsed {
		p.Workspaces = append(p.Workspaces, pipeline.Workspace{Name: cacheWorkspace, Optional: true,
			Description: "Travis cache: directories. Bind a PVC here to keep them between runs; without one the jobs run uncached."})
	}
	return p, nil
}

func jobsOf(js []*job) []matrix.Job {
	out := make([]matrix.Job, len(js))
	for i, j := range js {
		out[i] = j.mj
	}
	return out
}

func (c *conv) stageNames() []string {
	var out []string
	for _, s := range c.stages {
		out = append(out, s.name)
	}
	return out
}

// stageCond simplifies a stage's if:; skip reports a stage that is statically false.
func (c *conv) stageCond(st string) (*jobCond, bool) {
	for _, s := range c.stages {
		if !strings.EqualFold(s.name, st) || s.expr == nil {
			continue
		}
		x := cond.Simplify(s.expr, cond.Known{Attrs: map[string]string{"language": c.lang}})
		if v, ok := x.(cond.Const); ok {
			if !v {
				c.finding(s.ifN, convert.Converted, "travis/condition", "stage %s if: %s is always false; Travis removes the stage", s.name, scalarOf(s.ifN))
			}
			return nil, !bool(v)
		}
		return &jobCond{x, s.ifN, "stage " + s.name}, false
	}
	return nil, false
}

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
		if b, err := cond.Bash(jc.expr); err == nil {
			guards = append(guards, "if ! "+b+"; then echo "+shellQuote("Skipping: "+jc.what+" if: "+src+" is false (Travis would not run this job)")+"; : > \"$TRAVIS_BUILD_DIR/.git/tkn-migrate-@ID@.skipped\"; exit 0; fi")
			msg := sprintf("%s if: %s is checked at run time by the job step (the task starts, then ends successfully when the condition is false)", jc.what, src)
			c.finding(jc.node, convert.Approximated, "travis/condition", "%s", msg)
			t.Comments = append(t.Comments, c.marker("approximated", msg, jc.node.Line))
			continue
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

// group splits a stage's jobs into sets that one matrix task template can run.
func (c *conv) group(jobs []*job, stage string) [][]*job {
	var groups [][]*job
	var keys []string
	for _, j := range jobs {
		mark := len(c.findings)
		saved := len(c.markers)
		r := c.render(j, paramCell, stage, idPlaceholder)
		c.findings, c.markers = c.findings[:mark], c.markers[:saved]
		k := fingerprint(r)
		found := false
		for i := range keys {
			if keys[i] == k {
				groups[i] = append(groups[i], j)
				found = true
				break
			}
		}
		if !found {
			keys = append(keys, k)
			groups = append(groups, []*job{j})
		}
	}
	return groups
}

// sourceComment matches the "# phase (.travis.yml:N)" lines, which differ between jobs sharing a template.
var sourceComment = regexp.MustCompile(`(?m)^# .*$`)

func fingerprint(r rendered) string {
	strip := func(t *pipeline.Task) *pipeline.Task {
		if t == nil {
			return nil
		}
		c := *t
		c.Comments = nil
		c.Steps = append([]pipeline.Step{}, t.Steps...)
		for i := range c.Steps {
			c.Steps[i].Script = sourceComment.ReplaceAllString(c.Steps[i].Script, "")
		}
		return &c
	}
	var hooks []*pipeline.Task
	for _, h := range r.hooks {
		hooks = append(hooks, strip(h))
	}
	b, _ := json.Marshal([]any{strip(r.main), hooks, strip(r.deploy)})
	return string(b)
}

// cellOf is a job's concrete cell values.
func (c *conv) cellOf(j *job) (cellVals, string) {
	img, note := c.image(j)
	return cellVals{image: img, version: j.version, env: j.jobEnv, arch: j.arch}, note
}

// renderGroup renders one job directly, or a group as a matrix task listing its cells.
func (c *conv) renderGroup(g []*job, stage, name string) rendered {
	if len(g) == 1 {
		cell, note := c.cellOf(g[0])
		if note != "" {
			c.finding(g[0].pos, convert.Approximated, "travis/image", "%s", note)
		}
		return c.render(g[0], cell, stage, name)
	}
	cells := make([]cellVals, len(g))
	for i, j := range g {
		var note string
		cells[i], note = c.cellOf(j)
		if note != "" {
			c.finding(j.pos, convert.Approximated, "travis/image", "%s", note)
		}
	}
	get := func(cv cellVals, p string) string {
		switch p {
		case "image":
			return cv.image
		case "version":
			return cv.version
		case "env":
			return cv.env
		}
		return cv.arch
	}
	// Only the values that differ between cells become matrix params.
	tpl := cells[0]
	tpl.matrix = true
	mx := &pipeline.Matrix{}
	var taskParams []pipeline.Param
	var varying []string
	for _, p := range []string{"image", "version", "env", "arch"} {
		same := true
		for _, cv := range cells[1:] {
			if get(cv, p) != get(cells[0], p) {
				same = false
			}
		}
		if same {
			continue
		}
		varying = append(varying, p)
		taskParams = append(taskParams, pipeline.Param{Name: p})
		ref := "$(params." + p + ")"
		switch p {
		case "image":
			tpl.image = ref
		case "version":
			tpl.version = ref
		case "env":
			tpl.env, tpl.envParam = ref, true
		case "arch":
			tpl.arch = ref
		}
	}
	r := c.render(g[0], tpl, stage, name)
	cellNames := pipeline.NewNamer()
	for i, cv := range cells {
		in := pipeline.MatrixInclude{Name: cellNames.Name(c.cellName(g[i], cv, varying))}
		for _, p := range varying {
			in.Params = append(in.Params, pipeline.Binding{Name: p, Value: get(cv, p)})
		}
		mx.Include = append(mx.Include, in)
	}
	var lines []string
	for _, j := range g {
		lines = append(lines, itoa(j.pos.Line))
	}
	for _, t := range append([]*pipeline.Task{r.main, r.deploy}, r.hooks...) {
		if t == nil {
			continue
		}
		t.Matrix, t.TaskParams = mx, taskParams
	}
	r.main.Comments = append([]string{sprintf("from %s: %d Travis jobs of stage %s as one matrix (lines %s)", c.file, len(g), stage, strings.Join(dedupeStrings(lines), ", "))}, r.main.Comments[1:]...)
	return r
}

func dedupeStrings(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func (c *conv) cellName(j *job, cv cellVals, varying []string) string {
	if j.name != "" {
		return j.name
	}
	var parts []string
	for _, p := range varying {
		switch p {
		case "version":
			parts = append(parts, j.lang.versionKey+"-"+cv.version)
		case "env":
			parts = append(parts, cv.env)
		case "arch":
			parts = append(parts, cv.arch)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, cv.image)
	}
	return strings.Join(parts, "-")
}

// image picks the job image from its language and version.
func (c *conv) image(j *job) (string, string) {
	if j.lang.image == nil {
		u, ok := ubuntuFor[j.dist]
		if !ok {
			u = ubuntuFor[defaultDist]
		}
		note := ""
		if j.langName != "generic" {
			note = sprintf("language %s has no official image; using ubuntu:%s", j.langName, u)
		}
		return "ubuntu:" + u, note
	}
	v := j.version
	if v == "" {
		v = j.lang.defVersion
	}
	if j.langName == "c" || j.langName == "cpp" {
		v = j.compiler
	}
	return j.lang.image(v)
}

// render builds a job's tasks for the given cell values; id names the job for the errored marker.
func (c *conv) render(j *job, cell cellVals, stage, id string) rendered {
	var parts taskParts
	parts.comments = []string{c.jobComment(j, stage)}
	c.sidecars(j, &parts)
	c.addons(j, &parts)
	if n := j.get("workspaces"); n != nil {
		k := j.keyNode("workspaces")
		msg := "workspaces: every task shares the source workspace, so files reach later stages without create/use"
		c.finding(k, convert.Approximated, "travis/workspaces", "%s", msg)
		parts.comments = append(parts.comments, c.marker("approximated", msg, k.Line))
	}
	setup := append([]string{}, j.lang.setup...)
	version := j.version
	if version == "" {
		version = j.lang.defVersion
	}
	if j.langName == "c" || j.langName == "cpp" {
		version = firstNonEmpty(j.compiler, j.lang.defVersion)
	}
	setup = append(setup, setupFor(j.lang, version)...)
	setup = append(parts.setup, setup...)

	c.defaults(j)
	t := &pipeline.Task{Comments: parts.comments, Sidecars: parts.sidecars, Image: cell.image}
	guards := c.conditions(j, t)
	text := j.commandsText() + strings.Join(setup, "\n") + strings.Join(guards, "\n")
	env := append(c.travisEnv(j, cell, stage, text), parts.stepEnv...)
	cacheFetch, cacheStore := c.cacheScript(j, id, t, &env)
	env = append(env, c.userEnv(j, cell)...)
	c.reportTravisVars(j, env, text)

	if j.os != "linux" {
		msg := sprintf("os: %s has no Linux container equivalent; port this job by hand", j.os)
		c.finding(j.keyNode("os"), convert.Unsupported, "travis/os", "%s", msg)
		t.Comments = append(t.Comments, c.marker("unsupported", msg, j.keyNode("os").Line))
		if c.opts.Placeholders {
			t.Steps = append(t.Steps, failLoud("unsupported-os", msg))
		}
	}
	if j.attr("arch") != "" {
		// an explicit arch pins the pods; matrix cells share one task, so arch is never a cell value
		t.NodeSelector = []pipeline.Binding{{Name: "kubernetes.io/arch", Value: j.arch}}
		c.finding(j.keyNode("arch"), convert.Converted, "travis/arch", "arch: %s became nodeSelector kubernetes.io/arch (the images must be multi-arch)", j.arch)
	}
	var s scriptBuilder
	c.prelude(&s, j, cell, text)
	for _, g := range guards {
		s.line(strings.ReplaceAll(g, "@ID@", id))
	}
	state := `"$TRAVIS_BUILD_DIR/.git/tkn-migrate-` + id
	s.line(`travis_errored() { echo "The command in $1 exited with $2: Travis ends the job here (errored)." >&2; : > `+state+`.errored"; exit 2; }`,
		`travis_result() { TRAVIS_TEST_RESULT=$(( ${TRAVIS_TEST_RESULT:-0} | ($1 != 0) )); export TRAVIS_TEST_RESULT; }`,
		`# Travis runs after_* and deploy in this same shell: keep exports, functions and the directory for them.`,
		`travis_save_state() { { export -p | grep -vE '^declare -x (PWD|OLDPWD|SHLVL|HOSTNAME|_)='; declare -f; echo "cd $(printf %q "$PWD")"; } > `+state+`.state"; }`,
		`trap travis_save_state EXIT`)
	if len(setup) > 0 {
		phaseBlock(&s, c.file, "setup", phase{cmds: toCmds(setup), label: "setup: what travis-build prepares before before_install"}, "setup")
	}
	if len(cacheFetch) > 0 {
		s.line("# cache: fetch")
		s.line(cacheFetch...)
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
	s.line(`exit "${TRAVIS_TEST_RESULT:-0}"`)
	step := pipeline.Step{Name: jobStep, Script: s.String(), Env: env}
	if j.mj.AllowFailure {
		step.OnError = "continue"
		step.Comments = append(step.Comments, "allow_failures: a failure here does not fail the pipeline")
	}
	t.Steps = append(t.Steps, step)
	r := rendered{main: t}
	for _, h := range []struct{ key, when, op string }{
		{"after_success", "Succeeded", "in"}, {"after_failure", "Failed", "in"}, {"after_script", "None", "notin"}} {
		p := j.phases[h.key]
		if len(p.cmds) == 0 {
			continue
		}
		var hs scriptBuilder
		c.prelude(&hs, j, cell, text)
		hs.line(restoreState(id, h.key)...)
		op, when := h.op, h.when
		if j.mj.AllowFailure && h.key != "after_script" {
			// onError: continue makes a failed job Succeeded: decide on the job's own result instead
			op, when = "notin", "None"
			test := map[string]string{"after_success": "!=", "after_failure": "="}[h.key]
			hs.line(`if [ "${TRAVIS_TEST_RESULT:-1}" ` + test + ` 0 ]; then echo "TRAVIS_TEST_RESULT=${TRAVIS_TEST_RESULT:-}: Travis skips ` + h.key + `."; exit 0; fi`)
		} else if h.key != "after_script" {
			hs.line("TRAVIS_TEST_RESULT=" + map[string]string{"after_success": "0", "after_failure": "1"}[h.key])
		} else {
			hs.line(`[ "$TRAVIS_JOB_STATUS" = Succeeded ] && TRAVIS_TEST_RESULT=0 || TRAVIS_TEST_RESULT=1`)
		}
		hs.line("export TRAVIS_TEST_RESULT")
		phaseBlock(&hs, c.file, h.key, p, "hook")
		henv := env
		if h.key == "after_script" {
			henv = append(append([]pipeline.Env{}, env...), pipeline.Env{Name: "TRAVIS_JOB_STATUS", Value: "$(tasks." + idPlaceholder + ".status)"})
		}
		ht := &pipeline.Task{Name: strings.ReplaceAll(h.key, "_", "-"), Image: cell.image, Sidecars: nil,
			Comments: []string{sprintf("from %s:%d %s (a new pod: the job's exports, functions and directory are restored first)", c.file, p.line, h.key)},
			When:     []pipeline.When{{Input: "$(tasks." + idPlaceholder + ".status)", Operator: op, Values: []string{when}}},
			Steps:    []pipeline.Step{{Name: strings.ReplaceAll(h.key, "_", "-"), Script: hs.String(), Env: fixID(henv, id)}}}
		r.hooks = append(r.hooks, ht)
	}
	r.deploy = c.deployTask(j, cell, env, text, id)
	for _, x := range append([]*pipeline.Task{r.deploy}, r.hooks...) {
		if x != nil {
			x.NodeSelector = t.NodeSelector
		}
	}
	return r
}

func fixID(env []pipeline.Env, id string) []pipeline.Env {
	if id == idPlaceholder {
		return env
	}
	out := make([]pipeline.Env, len(env))
	for i, e := range env {
		e.Value = strings.ReplaceAll(e.Value, idPlaceholder, id)
		out[i] = e
	}
	return out
}

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
	for key, cmds := range map[string][]string{"install": j.lang.install, "script": j.lang.script} {
		if _, ok := j.phases[key]; ok || len(cmds) == 0 {
			continue
		}
		j.phases[key] = phase{set: true, cmds: toCmds(cmds), label: key + ": travis-build's default for language " + j.langName}
		j.defaulted[key] = true
	}
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
		name, key := c.secretFor(v, "secure-env-"+itoa(i+1),
			"the decrypted NAME=value pair that the secure: entry holds")
		out = append(out, pipeline.Env{Name: secureEnvName(i), SecretName: name, SecretKey: key,
			Comment: sprintf("encrypted env from %s:%d (create the Secret by hand)", c.file, v.line)})
	}
	if cell.envParam {
		out = append(out, pipeline.Env{Name: "TRAVIS_MATRIX_ENV", Value: cell.env})
	}
	return out
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

// checkout maps git: onto the git-clone task (Travis defaults: depth 50, submodules on).
func (c *conv) checkout() *pipeline.Checkout {
	co := &pipeline.Checkout{Depth: "50", Comments: []string{"from " + c.file + " git: (Travis clones with depth 50 and submodules)"}}
	g := c.root.get("git")
	if g == nil || g.Kind != yaml.MappingNode {
		return co
	}
	gm := asMap(g)
	for _, k := range gm.keys {
		v := gm.vals[k.Value]
		switch k.Value {
		case "depth":
			if scalarOf(v) == "false" {
				co.Depth = "0"
			} else {
				co.Depth = scalarOf(v)
			}
		case "submodules":
			b := scalarOf(v) != "false"
			co.Submodules = &b
		case "quiet":
		default:
			msg := sprintf("git.%s is not converted", k.Value)
			c.finding(k, convert.Manual, "travis/git", "%s", msg)
			c.markers = append(c.markers, c.marker("manual", msg, k.Line))
		}
	}
	return co
}

// rootNotes records root keys that have no Tekton counterpart.
func (c *conv) rootNotes(p *pipeline.Pipeline) {
	for _, k := range c.root.keys {
		switch k.Value {
		case "notifications":
			msg := "notifications are not converted; use Pipelines-as-Code status reporting or a finally task"
			c.finding(k, convert.Manual, "travis/notifications", "%s", msg)
			p.Comments = append(p.Comments, c.marker("manual", msg, k.Line))
		case "import":
			msg := "import: shared configs are not fetched; convert the imported file too"
			c.finding(k, convert.Unsupported, "travis/import", "%s", msg)
			p.Comments = append(p.Comments, c.marker("unsupported", msg, k.Line))
		}
	}
	if c.fast != nil {
		msg := "fast_finish: a Pipeline waits for every task, including allowed failures"
		c.finding(c.fast, convert.Approximated, "travis/fast-finish", "%s", msg)
		p.Comments = append(p.Comments, c.marker("approximated", msg, c.fast.Line))
	}
	p.Comments = dedupeStrings(append(p.Comments, c.markers...))
	c.findings = dedupeFindings(c.findings)
	c.markers = nil
}

// unusedNotes marks source that no job runs, as in Travis: include entries removed by
// exclude or if:, and phases every job overrides (or deploy hooks without a deploy).
func (c *conv) unusedNotes() {
	kept := map[int]bool{}
	for _, j := range c.jobs {
		kept[j.mj.Include] = true
	}
	for i, m := range c.includes {
		if !kept[i] {
			msg := "this jobs.include entry is removed by jobs.exclude, a false if: or as a duplicate, as Travis removes it"
			c.finding(m.node, convert.Converted, "travis/job-removed", "%s", msg)
			c.markers = append(c.markers, c.marker("removed", msg, m.node.Line))
		}
	}
	maps := append([]*mapping{c.root}, c.includes...)
	for i, m := range maps {
		if i > 0 && !kept[i-1] {
			continue
		}
		for _, k := range m.keys {
			if !isPhase(k.Value) || c.used[k.Line] || isNull(m.vals[k.Value]) {
				continue
			}
			msg := k.Value + " is never run: every job overrides it"
			if k.Value == "before_deploy" || k.Value == "after_deploy" {
				msg = k.Value + " is never run: no job deploys"
			}
			c.finding(k, convert.Converted, "travis/unused", "%s", msg)
			c.markers = append(c.markers, c.marker("unused", msg, k.Line))
		}
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

// dedupeFindings drops repeats: jobs of one matrix report the same source construct.
func dedupeFindings(fs []convert.Finding) []convert.Finding {
	seen := map[convert.Finding]bool{}
	var out []convert.Finding
	for _, f := range fs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// parallelNote reports the one difference parallel jobs always have: Travis gives each
// job its own clone, here the jobs of a stage share the source workspace.
func (c *conv) parallelNote() {
	per := map[string]int{}
	for _, j := range c.jobs {
		per[strings.ToLower(j.mj.Stage)]++
	}
	for _, n := range per {
		if n > 1 {
			pos := c.root.node
			for _, k := range []string{"jobs", "matrix", "env"} {
				if c.root.has(k) {
					pos = c.root.keyNode(k)
					break
				}
			}
			c.finding(pos, convert.Approximated, "travis/shared-checkout",
				"parallel jobs share one checkout (the source workspace); Travis gives each job its own clone, so jobs that write the same files can collide")
			return
		}
	}
}
