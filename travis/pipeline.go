package travis

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/travis/cond"
	"github.com/tkn-migrate/tkn-migrate/travis/matrix"
)

// paramCell is the template used to decide which jobs share a matrix task.
var paramCell = cellVals{image: "$(params.image)", version: "$(params.version)", env: "$(params.env)", arch: "$(params.arch)", matrix: true, envParam: true}

// pipeline assembles the model: stages in sequence, jobs of a stage in parallel.
func (c *conv) pipeline() (*pipeline.Pipeline, error) {
	p := &pipeline.Pipeline{Name: c.name, Comments: []string{"from " + c.file + ":1 (Travis CI)"}}
	p.Params = runParams()
	p.PodLocalSource = true // each job clones into its own pod (cloneStep)
	c.rootNotes(p)
	names := pipeline.NewNamer(pipeline.CheckoutTask)
	var kept []*job
	for _, j := range c.jobs {
		if runsOnKubernetes(j) {
			kept = append(kept, j)
		} else {
			c.leftOut(j)
			c.dropped = append(c.dropped, j)
		}
	}
	if len(kept) == 0 {
		// a Pipeline needs a task: this one says loudly that nothing here can run
		msg := "every job runs on " + c.jobs[0].os + ", which has no Kubernetes equivalent; run them on a macOS CI"
		p.Tasks = append(p.Tasks, &pipeline.Task{Name: "unsupported-os", Comments: []string{c.marker("unsupported", msg, c.jobs[0].pos.Line)},
			Steps: []pipeline.Step{failLoud("unsupported-os", msg)}})
	}
	c.jobs = kept
	for _, j := range c.jobs {
		c.anyArch = c.anyArch || j.attr("arch") != ""
	}
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
		for _, g := range c.splitCells(c.group(stJobs, st), st) {
			base := st
			if len(g) == 1 && g[0].name != "" {
				base = g[0].name
			}
			name := names.Name(base)
			for _, j := range g {
				j.task = name
			}
			r := c.renderGroup(g, st, name)
			r.main.Name = name
			for i := range r.main.Workspaces {
				if r.main.Workspaces[i].Name == cacheWorkspace {
					// Each task keeps its caches in its own directory: parallel jobs never share files.
					r.main.Workspaces[i].SubPath = name
				}
			}
			r.main.RunAfter = prev
			p.Tasks = append(p.Tasks, r.main)
			cur = append(cur, name)
		}
		prev = cur
	}
	if c.prSHA {
		p.Params = append(p.Params, pipeline.Param{Name: "pull-request-sha", Description: "Head commit of a pull request, empty on push (TRAVIS_PULL_REQUEST_SHA).", Default: strp("")})
	}
	p.Runs = c.runs()
	c.unusedNotes()
	if len(c.hosts) > 0 {
		p.HostAliases = []pipeline.HostAlias{{IP: "127.0.0.1", Hostnames: c.hosts}}
	}
	p.Comments = dedupeStrings(append(p.Comments, c.markers...))
	c.findings = dedupeFindings(c.findings)
	if c.wsUsed {
		p.Workspaces = append(p.Workspaces, pipeline.Workspace{Name: sharedWorkspace, VolumeClaim: true,
			Description: "Travis workspaces: (create/use) passed from job to job, one subPath each."})
	}
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

// maxMatrixCells is Tekton's default max-matrix-combinations-count (config-defaults).
const maxMatrixCells = 256

// splitCells splits a set of jobs larger than one matrix may hold into several matrix
// tasks of the same stage: same runAfter, each cell keeps its own allow_failure.
func (c *conv) splitCells(groups [][]*job, stage string) [][]*job {
	var out [][]*job
	for _, g := range groups {
		if len(g) <= maxMatrixCells {
			out = append(out, g)
			continue
		}
		n := (len(g) + maxMatrixCells - 1) / maxMatrixCells
		c.finding(g[0].pos, convert.Converted, "travis/matrix-split",
			"%d jobs of stage %s run from one task template, more than the %d combinations Tekton allows in one matrix (max-matrix-combinations-count): they are %d matrix tasks of the same stage", len(g), stage, maxMatrixCells, n)
		for len(g) > 0 {
			k := min(len(g), maxMatrixCells)
			out = append(out, g[:k])
			g = g[k:]
		}
	}
	return out
}

// group splits a stage's jobs into sets that one matrix task template can run.
func (c *conv) group(jobs []*job, stage string) [][]*job {
	if len(jobs) == 1 {
		// One job is one group: its template is not rendered to be compared. What that
		// render left behind, renderGroup's render of the job does again, except that it
		// would have applied the language's default phases before that render reads them.
		c.defaults(jobs[0])
		return [][]*job{jobs}
	}
	var groups [][]*job
	var keys []string
	for _, j := range jobs {
		mark := len(c.findings)
		saved := len(c.markers)
		r := c.render(j, paramCell, stage, idPlaceholder)
		c.findings, c.markers = c.findings[:mark], c.markers[:saved]
		k := fingerprint(r)
		if ownSecure(j, c.globalVars()) {
			k = sprintf("secure job %d", len(keys)) // its env line cannot be a matrix value
		}
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
	// A cell's job directory is keyed by its param values: cells that differ in none
	// (jobs told apart only by name or by what Tekton cannot run) get a job param.
	seen := map[string]bool{}
	for _, cv := range cells {
		var k []string
		for _, p := range varying {
			k = append(k, get(cv, p))
		}
		key := strings.Join(k, "\x00")
		if seen[key] {
			tpl.job = "$(params.job)"
			taskParams = append(taskParams, pipeline.Param{Name: "job"})
			break
		}
		seen[key] = true
	}
	r := c.render(g[0], tpl, stage, name)
	cellNames := pipeline.NewNamer()
	for i, cv := range cells {
		in := pipeline.MatrixInclude{Name: cellNames.Name(c.cellName(g[i], cv, varying))}
		for _, p := range varying {
			in.Params = append(in.Params, pipeline.Binding{Name: p, Value: get(cv, p)})
		}
		if tpl.job != "" {
			in.Params = append(in.Params, pipeline.Binding{Name: "job", Value: in.Name})
		}
		mx.Include = append(mx.Include, in)
	}
	var lines []string
	for _, j := range g {
		lines = append(lines, itoa(j.pos.Line))
	}
	r.main.Matrix, r.main.TaskParams = mx, taskParams
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
	img, note := j.lang.image(v)
	// travis-build's jdk setup also ran for scala and JRuby jobs; their images carry their own JDK
	if jdk := j.attr("jdk"); jdk != "" && (j.langName == "scala" || j.langName == "ruby" && strings.HasPrefix(v, "jruby")) {
		note = strings.TrimPrefix(note+"; jdk "+jdk+" is not applied: the image brings its own JDK", "; ")
	}
	return img, note
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
	for _, j := range append(c.jobs, c.dropped...) {
		kept[j.mj.Include] = true
	}
	for i, m := range c.includes {
		if !kept[i] {
			msg := "this jobs.include entry is removed by jobs.exclude, a false if: or as a duplicate, as Travis removes it"
			if line, ok := c.excludedBy[i]; ok {
				msg = sprintf("the jobs.include entry at line %d is removed by the jobs.exclude entry at line %d: Travis applies excludes to included jobs too", m.node.Line, line)
			}
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

// diskNote reports the cost of giving each job its own copy of the checkout: the copies
// share the source workspace's volume, where Travis gave each job its own disk.
// ownSecure reports a job whose own env entry holds a secure: value.
func ownSecure(j *job, global []envVar) bool {
	for _, v := range j.env[len(global):] {
		if v.secure {
			return true
		}
	}
	return false
}
