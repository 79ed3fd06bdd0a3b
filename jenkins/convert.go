// Package jenkins converts Jenkinsfiles (declarative and scripted) and job config.xml files to
// the shared pipeline model, which the emitter writes as Tekton v1 in .tekton/.
package jenkins

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/secret/bind"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/jobxml"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
	"github.com/tkn-migrate/tkn-migrate/jenkins/tools"
	"github.com/tkn-migrate/tkn-migrate/jenkins/vars"
)

// Converter converts Jenkinsfiles and job config.xml files; it dispatches on Source.Kind.
type Converter struct{}

var _ convert.Converter = Converter{}

// Convert implements convert.Converter.
func (Converter) Convert(src convert.Source, opts convert.Options) (convert.Result, error) {
	mapping, err := LoadMapping(opts)
	if err != nil {
		return convert.Result{}, err
	}
	dir := filepath.Dir(src.Path)
	if src.Kind == convert.KindJenkinsXML || (src.Kind == convert.KindUnknown && strings.HasSuffix(src.Path, ".xml")) {
		return convertXML(src, dir, opts, mapping)
	}
	p, findings, err := Pipeline(src.Path, src.Data, opts, mapping)
	if base := filepath.Base(src.Path); !strings.EqualFold(base, "Jenkinsfile") && !pipelineText.Match(src.Data) {
		// Detected by a Jenkinsfile-like name alone: say so, and never let it pass as converted-to-nothing.
		if err == nil && (p == nil || len(p.Tasks) == 0 && p.Checkout == nil) {
			return convert.Result{}, convert.Errorf(src.Path, 1, 1, "%s is named like a Jenkinsfile but holds neither `pipeline {` nor `node`, and nothing in it converts", base)
		}
		if err == nil {
			findings = append([]convert.Finding{{File: src.Path, Line: 1, Col: 1, Class: convert.Manual, Rule: "jenkins/not-a-pipeline",
				Message: base + " holds neither `pipeline {` nor `node`: converted as a scripted Jenkinsfile; check that Jenkins runs it as one"}}, findings...)
		}
	}
	if err != nil {
		return convert.Result{}, err
	}
	return emit(src, dir, p, findings, opts, func() (*pipeline.Pipeline, error) {
		p, _, err := Pipeline(src.Path, src.Data, opts, mapping)
		return p, err
	})
}

// pipelineText is what makes a file a Jenkinsfile by content: a declarative pipeline or a node.
var pipelineText = lazyre.New(`(?m)^\s*(pipeline\s*\{|node\b)`)

// emit binds p's secrets and prints it. With again, a fresh conversion of the same source,
// the printer drops each task of p once printed, and prints again's Pipeline whole if it
// needs a dropped task again.
func emit(src convert.Source, dir string, p *pipeline.Pipeline, findings []convert.Finding, opts convert.Options, again func() (*pipeline.Pipeline, error)) (convert.Result, error) {
	res := convert.Result{Findings: findings}
	if p == nil || (len(p.Tasks) == 0 && p.Checkout == nil) {
		return res, nil
	}
	if err := pipeline.CheckTaskCap(p, opts); err != nil {
		return res, err // over the cap: neither bound nor printed
	}
	// Secrets in sh commands move to step env read from Secrets (never copied).
	res.Findings = append(res.Findings, bind.Pipeline(p, src)...)
	p.DropPrinted = again != nil
	files, err := pipeline.Emit(dir, p, opts)
	if errors.Is(err, pipeline.ErrDropped) {
		files, err = printFresh(src, dir, opts, again)
	}
	if err != nil {
		return res, err
	}
	res.Files = files
	return res, nil
}

// printFresh prints a fresh conversion whole, its secrets bound (the findings are p's, in
// the result already).
func printFresh(src convert.Source, dir string, opts convert.Options, again func() (*pipeline.Pipeline, error)) ([]convert.File, error) {
	p, err := again()
	if err != nil {
		return nil, err
	}
	bind.Pipeline(p, src)
	return pipeline.Emit(dir, p, opts)
}

func convertXML(src convert.Source, dir string, opts convert.Options, mapping *Mapping) (convert.Result, error) {
	job, err := jobxml.Convert(src.Path, src.Data, opts)
	if err != nil {
		return convert.Result{}, err
	}
	if job.Script == "" {
		return emit(src, dir, job.Pipeline, job.Findings, opts, nil)
	}
	// The inline script was padded so its lines are config.xml lines; the job's parameters
	// are params of the script too.
	p, findings, err := convertJenkinsfile(src.Path, []byte(job.Script), opts, mapping, job.Pipeline.Params, true)
	if err != nil {
		return convert.Result{}, err
	}
	findings = append(job.Findings, findings...)
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Line < findings[j].Line })
	if p != nil {
		mergeJob(p, job.Pipeline)
	}
	return emit(src, dir, p, findings, opts, nil)
}

// mergeJob adds the job-level settings of a pipeline job (parameters, triggers, timeout)
// to the pipeline converted from its inline script.
func mergeJob(p, job *pipeline.Pipeline) {
	p.Name, p.FileStem = job.Name, job.FileStem
	p.Comments = append(job.Comments, p.Comments...)
	if p.Timeout == "" {
		p.Timeout = job.Timeout
	}
	// A pipeline job is not multibranch: its triggers decide the runs.
	var extra []pipeline.Binding
	if len(p.Runs) > 0 {
		extra = p.Runs[0].Params
	}
	runs := append([]pipeline.Run(nil), job.Runs...)
	for i := range runs {
		runs[i].Params = append(append([]pipeline.Binding(nil), runs[i].Params...), extra...)
	}
	p.Runs = runs
}

// Pipeline converts one Jenkinsfile to the pipeline model. It returns a nil pipeline (with
// findings saying why) when nothing in the file can run.
func Pipeline(path string, src []byte, opts convert.Options, mapping *Mapping) (*pipeline.Pipeline, []convert.Finding, error) {
	return convertJenkinsfile(path, src, opts, mapping, nil, false)
}

// inline is a job's own script (CpsFlowDefinition): it comes from no SCM, so Jenkins makes no
// implicit checkout and only the script's own checkout or git steps clone anything.
func convertJenkinsfile(path string, src []byte, opts convert.Options, mapping *Mapping, preset []pipeline.Param, inline bool) (*pipeline.Pipeline, []convert.Finding, error) {
	c, p, err := convertConv(path, src, opts, mapping, preset, inline, true)
	if err != nil {
		return nil, nil, err
	}
	return p, c.findings, nil
}

// convertConv is convertJenkinsfile keeping the conversion state; dropStages lets it drop each
// stage of the model once converted (the state's file then has none).
func convertConv(path string, src []byte, opts convert.Options, mapping *Mapping, preset []pipeline.Param, inline, dropStages bool) (*conv, *pipeline.Pipeline, error) {
	f, err := parseFile(path, src)
	if err != nil {
		return nil, nil, err
	}
	c := newConv(path, f, opts, mapping, f.Source) // the model's copy of src, not one more
	// Only declarative Pipeline checks out implicitly (per agent); a scripted one clones when it says checkout scm.
	c.checkout = !inline && f.Kind == model.Declarative && f.Pipeline != nil
	c.dropStages = dropStages
	for _, q := range preset {
		c.params[q.Name] = true
		c.p.Params = append(c.p.Params, q)
	}
	if f.Kind == model.Declarative && f.Pipeline != nil {
		c.declarative(f.Pipeline)
	} else {
		c.scripted(f.Script)
	}
	p := c.finish()
	if c.fatal != nil {
		return nil, nil, c.fatal
	}
	sort.SliceStable(c.findings, func(i, j int) bool { return c.findings[i].Line < c.findings[j].Line })
	return c, p, nil
}

// conv holds the state of one Jenkinsfile conversion.
type conv struct {
	fatal      error // the first construct that makes the output unusable: the file is refused
	path, base string
	opts       convert.Options
	file       *model.File
	mapping    *Mapping
	p          *pipeline.Pipeline
	findings   []convert.Finding
	names      *pipeline.Namer
	params     map[string]bool   // declared Pipeline params
	needs      map[string]string // Pipeline params the bindings need (name → PaC value)
	needOrder  []string
	checkout   bool
	subdir     string // checkoutToSubdirectory
	// checkoutFrom is the head comment of the git-clone task: what in the source it stands for.
	checkoutFrom string
	libs         []string
	literals     map[string]string         // scripted `def x = 'literal'` values, usable in GStrings
	secretNames  pipeline.Distinct[string] // Secrets bound to plain-text secrets of the source, by value
	captured     map[string]int            // x = sh(returnStdout: true): the line of the sh whose output x holds
	rootGit      string                    // the URL of the first git step at the workspace root: this repository
	lateEnv      []pipeline.Env            // env.X = ... so far, in order: later tasks' steps get them too
	setEnvs      map[string]bool           // names lateEnv sets
	dockerImages map[string]string         // def img = docker.build(...): the image name's env value
	secretWS     map[string]bool
	userPass     map[string]bool // credential env names read as _USR/_PSW somewhere in the file
	runs         runSpec
	unresolved   int
	srcText      string
	// pipelineRetries applies options { retry(n) } to every task.
	pipelineRetries int
	passwordEnv     []pipeline.Env
	cmdSecrets      map[string]string // plain-text secret of a bat or powershell command → the env var that holds it
	// funcs are the file's top-level helper functions (def f(a) { ... }), inlined at their calls.
	funcs    map[string]*model.Step
	inlined  map[string]bool
	inlining int
	// branchMaps are map variables filled with closures for parallel (def b = [:]; b['x'] = { ... }).
	branchMaps map[string][]branch
	usedMaps   map[string]bool
	// scmVars are variables holding checkout(scm)'s result map (GIT_COMMIT, GIT_BRANCH, ...).
	scmVars map[string]bool
	// lists are def'd lists of literal strings.
	lists map[string][]string
	// stashes are the stash steps seen (by name); stashed those a branch saves to stashDir.
	stashes map[string]stashSpec
	stashed map[string]bool
	// stageTasks are the tasks made for each source stage (by sourceStages key).
	stageTasks map[string][]string
	// dropStages: a sequence's stages leave the model once converted, so a big file's model
	// shrinks while its Pipeline grows instead of both being live at once.
	dropStages bool
}

// runSpec collects what decides the PipelineRuns: events, branches, annotations.
type runSpec struct {
	push, pr     bool
	keep         string
	cancel       bool
	comments     []string
	noDefault    bool // triggers define the events (cron-only jobs get no push/PR runs)
	pushBranches []string
}

func newConv(path string, f *model.File, opts convert.Options, m *Mapping, srcText string) *conv {
	c := &conv{
		srcText:      srcText,
		checkoutFrom: fmt.Sprintf("from %s: the checkout Jenkins does for a Jenkinsfile from SCM (checkout scm)", filepath.Base(path)),
		path:         path, base: filepath.Base(path), opts: opts, file: f, mapping: m,
		names:        pipeline.NewNamer(pipeline.CheckoutTask),
		params:       map[string]bool{},
		needs:        map[string]string{},
		checkout:     true,
		literals:     map[string]string{},
		captured:     map[string]int{},
		setEnvs:      map[string]bool{},
		dockerImages: map[string]string{},
		secretWS:     map[string]bool{},
		userPass:     map[string]bool{},
	}
	c.p = &pipeline.Pipeline{Name: pipelineName(path)}
	if filepath.Base(path) != "Jenkinsfile" {
		// Jenkinsfile.release beside a Jenkinsfile: each gets its own files in .tekton/.
		c.p.FileStem = c.p.Name
	}
	for _, l := range f.Libraries {
		c.libs = append(c.libs, l.Raw)
		c.find(l.Line, l.Col, convert.Manual, "library", "shared library %s (%s): its steps have no Tekton form unless --mapping maps them", l.Raw, l.From)
	}
	c.scanUserPass(f)
	c.funcs, c.inlined, c.branchMaps = map[string]*model.Step{}, map[string]bool{}, map[string][]branch{}
	c.usedMaps, c.scmVars, c.lists = map[string]bool{}, map[string]bool{}, map[string][]string{}
	c.stashes, c.stashed = map[string]stashSpec{}, map[string]bool{}
	c.stageTasks = map[string][]string{}
	if f.Script != nil {
		for _, s := range f.Script.Stmts {
			if s.Kind == model.Func {
				c.funcs[s.Name] = s
			}
		}
	}
	return c
}

// failAt refuses the file with a positioned error (the first one wins).
func (c *conv) failAt(line, col int, format string, args ...any) {
	if c.fatal == nil {
		c.fatal = convert.Errorf(c.path, line, col, format, args...)
	}
}

// find records a finding; the pointer is valid until the next one.
func (c *conv) find(line, col int, class convert.Class, rule, format string, args ...any) *convert.Finding {
	c.findings = append(c.findings, convert.Finding{File: c.path, Line: line, Col: col, Class: class, Rule: "jenkins/" + rule, Message: fmt.Sprintf(format, args...)})
	return &c.findings[len(c.findings)-1]
}

// marker records a finding and returns the inline marker comment for it.
func (c *conv) marker(line, col int, class convert.Class, rule, format string, args ...any) string {
	f := c.find(line, col, class, rule, format, args...)
	return fmt.Sprintf("tkn-migrate: %s: %s (%s:%d)", class, f.Message, c.base, line)
}

// from is the head comment naming a construct's source.
func (c *conv) from(line int, what string) string {
	return fmt.Sprintf("from %s:%d %s", c.base, line, what)
}

// need records a Pipeline param the tasks read, bound in every Run to a PaC value.
func (c *conv) need(name, runValue string) {
	if _, ok := c.needs[name]; !ok {
		c.needs[name] = runValue
		c.needOrder = append(c.needOrder, name)
	}
}

// finish assembles runs and Pipeline params; nil when nothing runs.
func (c *conv) finish() *pipeline.Pipeline {
	p := c.p
	// Helper functions nobody calls (or that are called in ways we don't convert) keep their source.
	var unused []*model.Step
	for name, f := range c.funcs {
		if !c.inlined[name] {
			unused = append(unused, f)
		}
	}
	sort.Slice(unused, func(i, j int) bool { return unused[i].Line < unused[j].Line })
	var maps []string
	for name := range c.branchMaps {
		if !c.usedMaps[name] {
			maps = append(maps, name)
		}
	}
	sort.Strings(maps)
	for _, name := range maps {
		for _, b := range c.branchMaps[name] {
			p.Comments = append(p.Comments, c.marker(b.line, 0, convert.Manual, "parallel-map", "closure %s[%s] is not run by a parallel we could convert; original: %s", name, b.name, strings.TrimSpace(b.raw)))
		}
	}
	for _, f := range unused {
		p.Comments = append(p.Comments, c.marker(f.Line, f.Col, convert.Manual, "groovy-function", "helper function %s is not converted (no call we could inline); %s", f.Name, original(f)))
	}
	if len(p.Tasks) == 0 && len(p.Finally) == 0 {
		c.find(1, 1, convert.Manual, "empty", "nothing in %s converts to a Tekton task; see the other findings", c.base)
		return nil
	}
	if len(p.Tasks) == 0 {
		// finally needs at least one task; a no-op keeps the post actions.
		p.Tasks = append(p.Tasks, &pipeline.Task{Name: c.names.Name("main"), Image: tools.Default, Comments: []string{"the Jenkinsfile has only post actions"},
			Steps: []pipeline.Step{{Name: "noop", Script: "true\n"}}})
	}
	if c.checkout {
		p.Checkout = &pipeline.Checkout{Subdirectory: c.subdir, Comments: []string{c.checkoutFrom}}
	} else {
		p.Checkout = nil
	}
	c.isolateFinally()
	c.buildRuns()
	vars.Declare(p, c.needOrder, c.needs)
	cleanComments(p)
	for _, ts := range [][]*pipeline.Task{p.Tasks, p.Finally} {
		for _, t := range ts {
			t.HoistEnv() // environment {} applies to a whole stage: write it once
		}
	}
	return p
}

// cleanComments replaces control characters in comments (they carry source text, and YAML
// comments can't hold them) with U+FFFD.
func cleanComments(p *pipeline.Pipeline) {
	fix := func(cs []string) {
		for i, s := range cs {
			s = strings.ReplaceAll(s, "\r\n", "\n")
			cs[i] = strings.Map(func(r rune) rune {
				if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff {
					return '\uFFFD'
				}
				return r
			}, s)
		}
	}
	fix(p.Comments)
	for _, ts := range [][]*pipeline.Task{p.Tasks, p.Finally} {
		for _, t := range ts {
			fix(t.Comments)
			for i := range t.Steps {
				fix(t.Steps[i].Comments)
				for j := range t.Steps[i].Env {
					e := []string{t.Steps[i].Env[j].Comment}
					fix(e)
					t.Steps[i].Env[j].Comment = e[0]
				}
			}
		}
	}
	for i := range p.Runs {
		fix(p.Runs[i].Comments)
	}
	if p.Checkout != nil {
		fix(p.Checkout.Comments)
	}
}

// pipelineName names the Pipeline after the file: Jenkinsfile.release → release,
// deploy.groovy → deploy, and a plain Jenkinsfile after its directory.
func pipelineName(path string) string {
	base := filepath.Base(path)
	for _, ext := range []string{".groovy", ".jenkinsfile", ".Jenkinsfile"} {
		base = strings.TrimSuffix(base, ext)
	}
	if len(base) >= len("jenkinsfile") && strings.EqualFold(base[:len("jenkinsfile")], "jenkinsfile") {
		base = strings.TrimLeft(base[len("jenkinsfile"):], "-._")
	}
	if base == "" {
		base = filepath.Base(filepath.Dir(path))
		if base == "." || base == string(filepath.Separator) || base == "" {
			base = "jenkinsfile"
		}
	}
	return pipeline.Sanitize(base)
}
