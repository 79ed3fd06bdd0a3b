// Package travis converts a .travis.yml into a Tekton v1 Pipeline and the
// Pipelines-as-Code PipelineRuns that start it (DESIGN.md §3).
package travis

import (
	"errors"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/secret/bind"
	"github.com/tkn-migrate/tkn-migrate/travis/cond"
	"github.com/tkn-migrate/tkn-migrate/travis/matrix"
)

// Converter is the .travis.yml front-end.
type Converter struct{}

var _ convert.Converter = Converter{}

// Convert turns one .travis.yml into .tekton/ files beside it.
func (Converter) Convert(src convert.Source, opts convert.Options) (convert.Result, error) {
	c, err := build(src)
	if err != nil {
		return convert.Result{}, err
	}
	c.opts = opts
	p, err := c.pipeline()
	if err != nil {
		return convert.Result{}, err
	}
	if err := pipeline.CheckTaskCap(p, opts); err != nil {
		return convert.Result{}, err // over the cap: neither bound nor printed
	}
	// Secrets in script commands move to step env read from Secrets (never copied).
	c.findings = append(c.findings, bind.Pipeline(p, src)...)
	files, err := pipeline.Emit(filepath.Dir(src.Path), p, opts)
	if err != nil {
		return convert.Result{}, convert.Errorf(src.Path, 0, 0, "%v", err)
	}
	return convert.Result{Files: files, Findings: c.findings}, nil
}

// conv holds one conversion's state.
type conv struct {
	decoder
	prSHA   bool // a script reads TRAVIS_PULL_REQUEST_SHA: the runs pass the pull-request-sha param
	opts    convert.Options
	file    string // base name used in markers
	name    string // pipeline name
	root    *mapping
	lang    string
	env     envSpec
	jobs    []*job
	dropped []*job // jobs left out of the Pipeline (os: osx)
	// excludedBy maps a jobs.include index to the line of the jobs.exclude entry removing it.
	excludedBy map[int]int
	stages     []stageDef
	fast       *yaml.Node
	markers    []string                  // pipeline-level markers
	hosts      []string                  // addons.hosts of every job
	cacheUsed  bool                      // some job binds the cache workspace
	wsUsed     bool                      // some job binds the shared workspace of Travis workspaces:
	anyArch    bool                      // some job sets arch: (the others are then pinned to amd64)
	includes   []*mapping                // jobs.include entries, in order
	used       map[int]bool              // lines of phase keys some job runs
	secureN    map[[2]int]int            // secure env entries by line and column: their ordinal in the file
	deployKeys pipeline.Distinct[[2]int] // deploy credential Secret keys, one per option (line, column): two deploys of a provider never share one
}

type stageDef struct {
	name string
	ifN  *yaml.Node
	expr cond.Expr
}

// build decodes and expands the file; every input error is returned here, before any output.
func build(src convert.Source) (*conv, error) {
	rootNode, err := parse(src.Path, src.Data)
	if err != nil {
		return nil, err
	}
	c := &conv{decoder: decoder{path: src.Path}, file: filepath.Base(src.Path), used: map[int]bool{}}
	c.name = pipelineName(src.Path)
	dealiasJobs(rootNode)
	c.root = asMap(rootNode)
	if err := c.checkKeys(c.root, "", true); err != nil {
		return nil, err
	}
	c.lang = "ruby"
	if n := c.root.get("language"); n != nil {
		if n.Kind != yaml.ScalarNode {
			return nil, c.errorf(n, "language: expected a string, found %s", describe(n))
		}
		if l, ok := canonicalLanguage(n.Value); ok {
			c.lang = l
		} else if !isNull(n) {
			c.finding(n, convert.Approximated, "travis/language", "language %q is unknown; travis-build falls back to Ruby", n.Value)
		}
	}
	if c.env, err = c.rootEnv(c.root.keyNode("env"), c.root.get("env")); err != nil {
		return nil, err
	}
	if err := c.expand(); err != nil {
		return nil, err
	}
	return c, nil
}

// keyAliases are the language schemas' aliases of matrix keys (travis-yml lang/ruby.rb,
// lang/node_js.rb, lang/objective_c.rb); Key#dealias renames them before expansion.
var keyAliases = map[string]string{"ruby": "rvm", "rbenv": "rvm", "node": "node_js", "gemfiles": "gemfile"}

// dealiasJobs renames keyAliases in the root and in every jobs entry, so `ruby: [2.6, 2.7]`
// expands as rvm: does; a key already given under its own name keeps it.
func dealiasJobs(root *yaml.Node) {
	rename := func(m *yaml.Node) {
		if m == nil || m.Kind != yaml.MappingNode {
			return
		}
		have := map[string]bool{}
		for i := 0; i+1 < len(m.Content); i += 2 {
			have[m.Content[i].Value] = true
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if to, ok := keyAliases[m.Content[i].Value]; ok && !have[to] {
				m.Content[i].Value, have[to] = to, true
			}
		}
	}
	entries := func(n *yaml.Node) {
		if n != nil && n.Kind == yaml.SequenceNode {
			for _, e := range n.Content {
				rename(e)
			}
		} else {
			rename(n)
		}
	}
	rename(root)
	if root == nil || root.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i].Value; k != "jobs" && k != "matrix" {
			continue
		}
		jobs := root.Content[i+1]
		if jobs.Kind == yaml.SequenceNode {
			entries(jobs)
			continue
		}
		for j := 0; jobs.Kind == yaml.MappingNode && j+1 < len(jobs.Content); j += 2 {
			switch jobs.Content[j].Value {
			case "include", "exclude", "allow_failures", "allowed_failures":
				entries(jobs.Content[j+1])
			}
		}
	}
}

// pipelineName is the directory holding the .travis.yml (the repository name in a checkout).
func pipelineName(path string) string {
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil || path == "-" || path == "<stdin>" {
		return "travis"
	}
	base := filepath.Base(abs)
	if base == "/" || base == "." || base == "" {
		return "travis"
	}
	return base
}

// checkKeys validates phase shapes and records unknown keys as residue.
func (c *conv) checkKeys(m *mapping, where string, root bool) error {
	for _, k := range m.keys {
		key := k.Value
		v := m.vals[key]
		switch {
		case isPhase(key):
			if _, err := c.phase(where+key, k, v); err != nil {
				return err
			}
		case langOptions[key]:
			c.finding(k, convert.Manual, "travis/language-option", "%s%s: travis-build's language setup reads it, the conversion does not; fold what it did into install: or script:", where, key)
			c.markers = append(c.markers, c.marker("manual", where+key+" is not converted", k.Line))
		case jobKeys[key], root && rootOnly[key]:
		default:
			msg := sprintf("%s%s is not a Travis key; ignored", where, key)
			c.finding(k, convert.Unsupported, "travis/unknown-key", "%s", msg)
			c.markers = append(c.markers, c.marker("unsupported", msg, k.Line))
		}
	}
	return nil
}

func isPhase(k string) bool {
	for _, p := range phaseKeys {
		if p == k {
			return true
		}
	}
	return false
}

func (c *conv) marker(class, why string, line int) string {
	return sprintf("tkn-migrate: %s: %s (%s:%d)", class, why, c.file, line)
}

// jobsNode is the root jobs: or its alias matrix:, a list standing for its include:.
// When both are given, Travis merged them, the later key winning per sub-key (Travis
// staff in travis-ci/travis-ci#10229, observed in #9974); a finding names each loser.
func (c *conv) jobsNode() (*yaml.Node, *yaml.Node) {
	var n, k *yaml.Node
	for _, key := range c.root.keys {
		if key.Value != "jobs" && key.Value != "matrix" {
			continue
		}
		v := c.root.vals[key.Value]
		if v.Kind == yaml.SequenceNode {
			v = &yaml.Node{Kind: yaml.MappingNode, Line: v.Line, Column: v.Column,
				Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "include", Line: v.Line, Column: v.Column}, v}}
		}
		if n == nil || isNull(v) || v.Kind != yaml.MappingNode || n.Kind != yaml.MappingNode {
			if n != nil {
				c.finding(k, convert.Converted, "travis/jobs-alias", "%s: (line %d) is replaced by %s: (line %d), its alias given later", k.Value, k.Line, key.Value, key.Line)
			}
			n, k = v, key
			continue
		}
		merged := &yaml.Node{Kind: yaml.MappingNode, Line: n.Line, Column: n.Column}
		later := asMap(v)
		for i := 0; i+1 < len(n.Content); i += 2 {
			sub := n.Content[i].Value
			if later.has(sub) {
				c.finding(n.Content[i], convert.Converted, "travis/jobs-alias", "%s.%s (line %d) is replaced by %s.%s (line %d): %s: is an alias of %s: and the later one wins per key; merge them",
					k.Value, sub, n.Content[i].Line, key.Value, sub, later.keyNode(sub).Line, key.Value, k.Value)
				continue
			}
			merged.Content = append(merged.Content, n.Content[i], n.Content[i+1])
		}
		merged.Content = append(merged.Content, v.Content...)
		n = merged
	}
	return n, k
}

// expand builds the matrix input from the root and runs it.
func (c *conv) expand() error {
	jobsN, jobsK := c.jobsNode()
	var in matrix.Input
	in.Limit = maxConfigJobs
	var includes []*mapping
	if jobsN != nil && !isNull(jobsN) {
		if jobsN.Kind != yaml.MappingNode {
			return c.errorf(jobsN, "%s: expected a mapping, found %s", jobsK.Value, describe(jobsN))
		}
		jm := asMap(jobsN)
		for _, k := range jm.keys {
			v := jm.vals[k.Value]
			switch k.Value {
			case "include":
				list, err := c.entries(jobsK.Value+".include", v)
				if err != nil {
					return err
				}
				for _, m := range list {
					if err := c.checkKeys(m, jobsK.Value+".include: ", false); err != nil {
						return err
					}
					a, err := c.attrs(m, map[string]bool{"stage": true, "allow_failure": true, "if": true})
					if err != nil {
						return err
					}
					c.includeLists(jobsK.Value, m, a)
					e := matrix.Entry{Attrs: a, Line: m.node.Line, Col: m.node.Column}
					e.Stage = scalarOf(m.get("stage"))
					e.AllowFailure = scalarOf(m.get("allow_failure")) == "true"
					includes = append(includes, m)
					in.Include = append(in.Include, e)
				}
			case "exclude", "allow_failures", "allowed_failures":
				v = c.dropScalarEntries(jobsK.Value+"."+k.Value, v)
				list, err := c.entries(jobsK.Value+"."+k.Value, v)
				if err != nil {
					return err
				}
				for _, m := range list {
					a, err := c.attrs(m, map[string]bool{"stage": true, "if": true})
					if err != nil {
						return err
					}
					e := matrix.Entry{Attrs: a, Stage: scalarOf(m.get("stage")), Line: m.node.Line, Col: m.node.Column}
					if n := m.get("if"); n != nil {
						e.If = c.entryIf(n)
					}
					if k.Value == "exclude" {
						in.Exclude = append(in.Exclude, e)
					} else {
						in.AllowFailures = append(in.AllowFailures, e)
					}
				}
			case "fast_finish", "fast_failure":
				if scalarOf(v) == "true" {
					c.fast = k
				}
			default:
				msg := sprintf("%s.%s is not a Travis key; ignored", jobsK.Value, k.Value)
				c.finding(k, convert.Unsupported, "travis/unknown-key", "%s", msg)
				c.markers = append(c.markers, c.marker("unsupported", msg, k.Line))
			}
		}
	}
	if err := c.readStages(); err != nil {
		return err
	}
	for _, s := range c.stages {
		in.Stages = append(in.Stages, s.name)
	}
	// The root's shared keys, for include/exclude/allow_failures matching.
	skip := map[string]bool{}
	for k := range rootOnly {
		skip[k] = true
	}
	supported := map[string]bool{"os": true, "arch": true}
	for _, k := range supportedKeys()[c.lang] {
		supported[k] = true
	}
	for _, k := range matrix.Keys {
		skip[k] = true
	}
	base, err := c.attrs(c.root, skip)
	if err != nil {
		return err
	}
	// travis-yml fills defaults before matching: os linux (macOS for objective-c), language ruby
	if _, ok := base["language"]; !ok {
		base["language"] = []string{c.lang}
	}
	if !c.root.has("os") {
		os := "linux"
		if c.lang == "objective-c" {
			os = "osx"
		}
		base["os"] = []string{os}
	}
	in.Base = base
	for _, k := range matrix.Keys {
		if k == "env" {
			continue
		}
		n := c.root.get(k)
		if n == nil || !supported[k] {
			if n != nil && !isNull(n) && k != "osx_image" {
				c.finding(c.root.keyNode(k), convert.Converted, "travis/unsupported-key", "%s does not apply to language %s; Travis ignores it", k, c.lang)
			}
			continue
		}
		vs, ok := scalars(n)
		if !ok {
			return c.errorf(n, "%s: expected a string or a list of strings, found %s", k, describe(n))
		}
		kn := c.root.keyNode(k)
		in.Axes = append(in.Axes, matrix.Axis{Key: k, Values: vs, Line: kn.Line, Col: kn.Column})
	}
	if len(c.env.jobs) > 0 {
		var vs []string
		for _, e := range c.env.jobs {
			vs = append(vs, e.key)
		}
		in.Axes = append(in.Axes, matrix.Axis{Key: "env", Values: vs, Line: c.env.node.Line, Col: c.env.node.Column})
	}
	c.excludedBy = map[int]int{}
	in.Excluded = func(j matrix.Job, by matrix.Entry) {
		if _, seen := c.excludedBy[j.Include]; j.Include >= 0 && !seen {
			c.excludedBy[j.Include] = by.Line
		}
	}
	expanded, err := matrix.Expand(in)
	var tl *matrix.TooLarge
	if errors.As(err, &tl) {
		return convert.Errorf(c.path, tl.Line, tl.Col, "%v", err)
	}
	if err != nil {
		return err
	}
	c.includes = includes
	for _, mj := range expanded {
		j, err := c.newJob(mj, includes)
		if err != nil {
			return err
		}
		if j != nil {
			c.jobs = append(c.jobs, j)
		}
	}
	if len(c.jobs) == 0 {
		return convert.Errorf(c.path, 1, 1, "every job is filtered out by its if: condition; nothing to run")
	}
	return nil
}

// entries reads a list of mappings (include/exclude/allow_failures).
// includeLists notes an include entry listing several values of a matrix key: an include
// is one job, and travis-build reads the first value (script/php.rb Array(config[:php]).first).
func (c *conv) includeLists(jobsKey string, m *mapping, a matrix.Attrs) {
	for _, k := range matrix.Keys {
		if vs := a[k]; k != "env" && len(vs) > 1 {
			c.finding(m.keyNode(k), convert.Converted, "travis/include-list", "%s.include: %s lists %d values, but an include entry is one job and does not expand: Travis ran it with the first, %s; write one include per value to run them all", jobsKey, k, len(vs), vs[0])
		}
	}
}

// dropScalarEntries removes the scalar entries of an exclude or allow_failures list
// (such as a bare "- oraclejdk7"): they match no job, so Travis built every job anyway;
// refusing the file would be harsher than Travis, so each gets a finding instead.
func (c *conv) dropScalarEntries(key string, v *yaml.Node) *yaml.Node {
	if v == nil || v.Kind != yaml.SequenceNode {
		return v
	}
	kept := *v
	kept.Content = nil
	for _, e := range v.Content {
		if e.Kind == yaml.ScalarNode && !isNull(e) {
			msg := sprintf("%s: the entry %q is not a mapping of job keys, so it matches no job; ignored, as on Travis", key, e.Value)
			c.finding(e, convert.Unsupported, "travis/matrix-entry", "%s", msg)
			c.markers = append(c.markers, c.marker("unsupported", msg, e.Line))
			continue
		}
		kept.Content = append(kept.Content, e)
	}
	return &kept
}

func (c *conv) entries(key string, v *yaml.Node) ([]*mapping, error) {
	if isNull(v) {
		return nil, nil
	}
	if v.Kind == yaml.MappingNode {
		return []*mapping{asMap(v)}, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, c.errorf(v, "%s: expected a list of mappings, found %s", key, describe(v))
	}
	var out []*mapping
	for _, e := range v.Content {
		if e.Kind != yaml.MappingNode {
			if isNull(e) {
				continue
			}
			return nil, c.errorf(e, "%s: each entry must be a mapping, found %s", key, describe(e))
		}
		out = append(out, asMap(e))
	}
	return out, nil
}

func scalarOf(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		return ""
	}
	return n.Value
}

func (c *conv) readStages() error {
	n := c.root.get("stages")
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return c.errorf(n, "stages: expected a list, found %s", describe(n))
	}
	for _, e := range n.Content {
		switch e.Kind {
		case yaml.ScalarNode:
			c.stages = append(c.stages, stageDef{name: e.Value})
		case yaml.MappingNode:
			m := asMap(e)
			s := stageDef{name: scalarOf(m.get("name")), ifN: m.get("if")}
			if s.ifN != nil {
				x, err := cond.Parse(scalarOf(s.ifN))
				if err != nil {
					c.finding(s.ifN, convert.Manual, "travis/condition", "stage %q if: %v; Travis treats it as false", s.name, err)
					continue // a condition that fails to parse is false: the stage is removed
				}
				s.expr = x
			}
			c.stages = append(c.stages, s)
		default:
			return c.errorf(e, "stages: each entry must be a name or a mapping, found %s", describe(e))
		}
	}
	return nil
}

// entryIf evaluates an exclude/allow_failures if: against what is known of a job at conversion time.
func (c *conv) entryIf(n *yaml.Node) func(matrix.Job) bool {
	x, err := cond.Parse(scalarOf(n))
	if err != nil {
		c.finding(n, convert.Approximated, "travis/condition", "if: %v; Travis treats it as false", err)
		return func(matrix.Job) bool { return false }
	}
	return func(mj matrix.Job) bool {
		r := cond.Simplify(x, cond.Known{Attrs: map[string]string{"os": first(mj.Attrs["os"], "linux")}})
		if v, ok := r.(cond.Const); ok {
			return bool(v)
		}
		c.finding(n, convert.Approximated, "travis/condition", "if: %s depends on the build request; applied as true", scalarOf(n))
		return true
	}
}

func first(vs []string, def string) string {
	if len(vs) > 0 {
		return vs[0]
	}
	return def
}

// newJob resolves one expanded job; nil when its if: is statically false.
func (c *conv) newJob(mj matrix.Job, includes []*mapping) (*job, error) {
	j := &job{mj: mj, root: c.root, pos: c.root.node, phases: map[string]phase{}, defaulted: map[string]bool{}}
	if mj.Include >= 0 {
		j.inc = includes[mj.Include]
		j.pos = j.inc.node
	} else {
		// a job expanded from the root is best located by its first matrix key
		for _, k := range append(append([]string{}, matrix.Keys...), "language") {
			if c.root.has(k) {
				j.pos = c.root.keyNode(k)
				break
			}
		}
	}
	j.langName = c.lang
	if n := j.get("language"); n != nil && j.inc != nil && j.inc.has("language") {
		l, ok := canonicalLanguage(scalarOf(n))
		if !ok {
			c.finding(n, convert.Approximated, "travis/language", "language %q is unknown; travis-build falls back to Ruby", scalarOf(n))
		}
		j.langName = l
	}
	j.lang = languages[j.langName]
	defOS := "linux"
	if j.langName == "objective-c" {
		defOS = "osx" // objective-c and swift jobs run on macOS
	}
	j.os = firstNonEmpty(j.attr("os"), defOS)
	j.arch = archAlias(firstNonEmpty(j.attr("arch"), "amd64"))
	j.dist = firstNonEmpty(j.attr("dist"), defaultDist)
	j.name = j.attr("name")
	if j.lang.versionKey != "" {
		j.version = j.attr(j.lang.versionKey)
		if j.version == "" && j.langName == "ruby" {
			j.version = j.attr("ruby")
		}
		if j.version == "" && j.langName == "node_js" {
			j.version = j.attr("node")
		}
	}
	j.compiler = j.attr("compiler")
	// env: global first, then the job's own entry.
	for _, e := range c.env.global {
		j.env = append(j.env, e.vars...)
	}
	j.jobEnv = strings.Join(mj.Attrs["env"], " ")
	for _, k := range mj.Attrs["env"] {
		j.env = append(j.env, c.envs[k].vars...)
	}
	for _, k := range phaseKeys {
		if j.inc != nil && j.inc.has(k) {
			p, err := c.phase(k, j.inc.keyNode(k), j.inc.get(k))
			if err != nil {
				return nil, err
			}
			j.phases[k] = p
		} else if c.root.has(k) {
			p, err := c.phase(k, c.root.keyNode(k), c.root.get(k))
			if err != nil {
				return nil, err
			}
			j.phases[k] = p
		}
	}
	if n := j.get("if"); n != nil {
		x, err := cond.Parse(scalarOf(n))
		if err != nil {
			c.finding(n, convert.Approximated, "travis/condition", "if: %v; Travis treats it as false and drops the job", err)
			return nil, nil
		}
		x = cond.Simplify(x, c.known(j))
		if v, ok := x.(cond.Const); ok {
			if !v {
				c.finding(n, convert.Converted, "travis/condition", "if: %s is false for this job; Travis drops it", scalarOf(n))
				return nil, nil
			}
		} else {
			j.conds = append(j.conds, jobCond{x, n, "job"})
		}
	}
	return j, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// known is what conditions may use about a job at conversion time.
func (c *conv) known(j *job) cond.Known {
	env := map[string]string{}
	for _, v := range j.env {
		if !v.secure {
			env[v.name] = v.value
		}
	}
	return cond.Known{Attrs: map[string]string{"os": j.os, "dist": j.dist, "language": j.langName,
		"sudo": firstNonEmpty(j.attr("sudo"), "true"), "group": firstNonEmpty(j.attr("group"), "stable")}, Env: env}
}
