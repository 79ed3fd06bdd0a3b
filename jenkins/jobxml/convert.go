package jobxml

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/shellquote"
	"github.com/tkn-migrate/tkn-migrate/jenkins/ownws"
	"github.com/tkn-migrate/tkn-migrate/jenkins/tools"
	"github.com/tkn-migrate/tkn-migrate/jenkins/vars"
)

// Job is what one config.xml converts to.
type Job struct {
	// Type is the job kind, named after the root element (project, flow-definition, ...).
	Type string
	// Pipeline is the converted job; for a pipeline job with an inline script it holds only the
	// job-level settings (params, runs) and the caller merges the converted script into it.
	// A job whose script is in its repository (Pipeline from SCM, multibranch) converts to its
	// checkout and runs plus one placeholder task for the script. Nil when the file defines
	// nothing that runs (folders, or a non-git script job without placeholders).
	Pipeline *pipeline.Pipeline
	// Script is the inline CpsFlowDefinition script, preceded by blank lines so that its line
	// numbers are config.xml line numbers. Empty when the job has none.
	Script   string
	Findings []convert.Finding
}

// Convert reads config.xml and converts the job.
func Convert(path string, data []byte, opts convert.Options) (*Job, error) {
	d, err := Read(path, data)
	if err != nil {
		return nil, err
	}
	c := &conv{d: d, opts: opts, job: &Job{Type: d.Root.Tag}}
	c.run()
	sort.SliceStable(c.job.Findings, func(i, j int) bool { return c.job.Findings[i].Line < c.job.Findings[j].Line })
	return c.job, nil
}

type conv struct {
	d    *Doc
	opts convert.Options
	job  *Job
	p    *pipeline.Pipeline
	task *pipeline.Task
	bind *vars.Binder
	// jobParams are the job's parameters; Jenkins exports each to builders as an env var.
	jobParams []string
	tools     tools.Set
	label     string
	branches  []string
	push      bool // a push-style trigger (SCM polling, GitHub/GitLab push) exists
	steps     []pipeline.Step
	finally   []*pipeline.Task
	names     *pipeline.Namer
	env       []pipeline.Env
	timeout   string
	keepRuns  string
	comments  []string // markers collected for the task head
	// multi: a multibranch project, whose runs are PaC push and pull_request on every branch.
	multi       bool
	tagTrait    *etree.Element // the branch source discovers tags
	tagsBuilt   bool           // and a build strategy builds them
	runComments []string       // markers for the runs
}

// find records a finding; the pointer is valid until the next one is recorded.
func (c *conv) find(e *etree.Element, class convert.Class, rule, format string, args ...any) *convert.Finding {
	c.job.Findings = append(c.job.Findings, convert.Finding{File: c.d.Path, Line: c.d.Line(e), Class: class, Rule: "jenkins-xml/" + rule, Message: fmt.Sprintf(format, args...)})
	return &c.job.Findings[len(c.job.Findings)-1]
}

// marker records a finding and returns the inline marker text for it.
func (c *conv) marker(e *etree.Element, class convert.Class, rule, format string, args ...any) string {
	f := c.find(e, class, rule, format, args...)
	return fmt.Sprintf("tkn-migrate: %s: %s (%s:%d)", class, f.Message, filepath.Base(c.d.Path), f.Line)
}

// residue records an element we do not understand, with its XML path.
func (c *conv) residue(e *etree.Element, what string) {
	plugin := ""
	if p := e.SelectAttrValue("plugin", ""); p != "" {
		plugin = " (plugin " + p + ")"
	}
	c.comments = append(c.comments, c.marker(e, convert.Unsupported, "unknown-element",
		"%s <%s>%s at %s is not converted", what, e.Tag, plugin, xpath(e)))
}

// jobName names the pipeline: jobs/<name>/config.xml → <name>, else the file's stem.
func jobName(path string) string {
	base := filepath.Base(path)
	if base == "config.xml" {
		if dir := filepath.Base(filepath.Dir(path)); dir != "." && dir != string(filepath.Separator) {
			return dir
		}
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func (c *conv) run() {
	root := c.d.Root
	c.p = &pipeline.Pipeline{
		Name:     ShortName(jobName(c.d.Path)),
		Comments: []string{fmt.Sprintf("from %s:%d <%s>", filepath.Base(c.d.Path), c.d.Line(root), root.Tag)},
	}
	if filepath.Base(c.d.Path) != "config.xml" {
		// foo.xml beside bar.xml: each job gets its own files in .tekton/.
		c.p.FileStem = c.p.Name
	}
	c.names = pipeline.NewNamer(pipeline.CheckoutTask)
	c.bind = vars.NewBinder(false)
	switch root.Tag {
	case "project", "maven2-moduleset", "matrix-project":
		c.buildJob()
	case "flow-definition":
		c.flowJob()
	case "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject",
		"org.jenkinsci.plugins.pipeline.multibranch.defaults.PipelineMultiBranchDefaultsProject":
		c.multibranch()
	case "com.cloudbees.hudson.plugins.folder.Folder", "jenkins.branch.OrganizationFolder":
		c.find(root, convert.Manual, "folder", "<%s> is a folder: it holds jobs (jobs/<name>/config.xml) but runs nothing itself; convert those jobs", root.Tag)
	default:
		c.find(root, convert.Unsupported, "unknown-job-type", "<%s> is not a job type tkn-migrate reads (freestyle <project>, <maven2-moduleset>, <matrix-project>, <flow-definition>, multibranch)", root.Tag)
	}
}

// common handles the children every job type shares; it reports whether it knew e.
func (c *conv) common(e *etree.Element) bool {
	switch e.Tag {
	case "actions", "description", "displayName", "keepDependencies", "canRoam",
		"blockBuildWhenDownstreamBuilding", "blockBuildWhenUpstreamBuilding", "concurrentBuild":
		// Informational, or Tekton's default (runs are concurrent unless PaC limits them).
	case "disabled":
		if trimSpace(e.Text()) == "true" {
			c.comments = append(c.comments, c.marker(e, convert.Manual, "disabled", "the job is disabled in Jenkins; the converted PipelineRuns are active"))
		}
	case "properties":
		for _, p := range e.ChildElements() {
			c.property(p)
		}
	case "triggers":
		for _, t := range e.ChildElements() {
			c.trigger(t)
		}
	case "logRotator":
		c.logRotator(e)
	case "quietPeriod":
		c.find(e, convert.Approximated, "quiet-period", "quietPeriod %s s is dropped: PaC starts runs on the event", trimSpace(e.Text()))
	case "authToken":
		c.find(e, convert.Manual, "auth-token", "remote trigger token: use a PaC incoming webhook (Repository spec.incoming) instead")
	case "scm":
		c.scm(e)
	default:
		return false
	}
	return true
}

func (c *conv) buildJob() {
	root := c.d.Root
	c.task = &pipeline.Task{Name: c.names.Name("build"), Comments: []string{fmt.Sprintf("from %s:%d <%s> builders", filepath.Base(c.d.Path), c.d.Line(root), root.Tag)}}
	var builders, matrixAxes []*etree.Element
	for _, e := range root.ChildElements() {
		if c.common(e) {
			continue
		}
		switch e.Tag {
		case "assignedNode":
			c.label = trimSpace(e.Text())
		case "jdk":
			if v := trimSpace(e.Text()); v != "" && v != "(System)" && v != "(Default)" {
				c.tools = c.tools.With("jdk", v)
			}
		case "customWorkspace":
			c.find(e, convert.Approximated, "custom-workspace", "customWorkspace %q: steps run in the shared source workspace", trimSpace(e.Text()))
		case "scmCheckoutRetryCount":
			c.find(e, convert.Approximated, "checkout-retry", "scmCheckoutRetryCount is dropped; set retries on the fetch-source task if needed")
		case "builders", "prebuilders", "postbuilders":
			builders = append(builders, e.ChildElements()...)
		case "publishers":
			for _, p := range e.ChildElements() {
				c.publisher(p)
			}
		case "buildWrappers":
			for _, w := range e.ChildElements() {
				c.wrapper(w)
			}
		case "axes":
			matrixAxes = e.ChildElements()
		case "combinationFilter":
			if f := trimSpace(e.Text()); f != "" {
				c.comments = append(c.comments, c.marker(e, convert.Manual, "combination-filter", "combinationFilter %q is Groovy evaluated per cell; list the surviving cells in matrix.include by hand", f))
			}
		case "executionStrategy":
			if text(e, "runSequentially") == "true" {
				c.find(e, convert.Approximated, "run-sequentially", "runSequentially: Tekton runs matrix cells in parallel")
			}
			if e.SelectElement("touchStoneCombinationFilter") != nil {
				c.find(e, convert.Manual, "touchstone", "touchstone combinations have no Tekton equivalent")
			}
		case "rootPOM", "goals", "mavenName", "mavenOpts", "rootModule":
			// read by mavenModuleSet below
		case "aggregatorStyleBuild", "incrementalBuild", "ignoreUpstremChanges", "ignoreUnsuccessfulUpstreams",
			"archivingDisabled", "siteArchivingDisabled", "fingerprintingDisabled", "resolveDependencies",
			"processPlugins", "mavenValidationLevel", "runHeadless", "disableTriggerDownstreamProjects",
			"blockTriggerWhenBuilding", "settings", "globalSettings", "reporters", "runPostStepsIfResult", "modules":
			if root.Tag != "maven2-moduleset" {
				c.residue(e, "element")
			}
		default:
			c.residue(e, "element")
		}
	}
	if root.Tag == "maven2-moduleset" {
		c.mavenModuleSet(root, builders)
	} else {
		for _, b := range builders {
			c.builder(b)
		}
	}
	if len(matrixAxes) > 0 {
		c.axes(matrixAxes)
	}
	c.finish()
}

// finish assembles the build task and the runs.
func (c *conv) finish() {
	t := c.task
	img, exact := c.tools.Image()
	t.Image = img
	if c.label != "" || !c.tools.Empty() {
		what := "agent label " + strconv.Quote(c.label)
		if c.label == "" {
			what = "tools"
		}
		t.Comments = append(t.Comments, fmt.Sprintf("%s → image %s", what, img))
		if c.label != "" {
			c.find(c.d.Root, convert.Approximated, "agent-label", "agent label %q runs as image %s; pick an image with the tools those agents have", c.label, img)
		}
	}
	if !exact {
		c.find(c.d.Root, convert.Approximated, "tool-version", "tool versions guessed for image %s from installation names %+v", img, c.tools)
	}
	t.Comments = append(t.Comments, c.comments...)
	if len(c.steps) == 0 {
		c.steps = append(c.steps, pipeline.Step{Name: "no-builders", Script: "echo 'the Jenkins job has no build steps'\n",
			Comments: []string{"the job defines no builders"}})
	}
	for i := range c.steps {
		c.steps[i].Env = append(append([]pipeline.Env(nil), c.env...), c.steps[i].Env...)
	}
	t.Steps = c.steps
	t.Timeout = ""
	if t.Matrix != nil {
		var axes []string
		for _, m := range t.Matrix.Params {
			axes = append(axes, m.Name)
		}
		if ownws.Cells(t, axes) {
			c.find(c.d.Root, convert.Converted, "own-workspace", "every cell works in its own copy of the workspace (%s/%s/<axis values>), as each Jenkins configuration has its own workspace", ownws.Dir, t.Name)
		}
	}
	c.bind.Apply(t)
	t.HoistEnv() // the job's env and bindings apply to every builder: write them once
	c.p.Tasks = append(c.p.Tasks, t)
	c.p.Finally = append(c.p.Finally, c.finally...)
	c.runs()
}

// runs creates the PipelineRuns: push when the job polls or gets push hooks, else incoming
// (PaC's webhook for builds started from outside, like Jenkins "Build Now"); a multibranch
// project builds every branch push and every pull request.
func (c *conv) runs() {
	c.p.Timeout = c.timeout
	var runs []pipeline.Run
	if c.multi {
		runs = c.branchRuns()
	} else {
		runs = []pipeline.Run{c.jobRun()}
	}
	for i := range runs {
		if c.keepRuns != "" {
			runs[i].Annotations = append(runs[i].Annotations, pipeline.Binding{Name: "pipelinesascode.tekton.dev/max-keep-runs", Value: c.keepRuns})
		}
	}
	c.p.Runs = append(c.p.Runs, runs...)
	if c.bind != nil {
		needs := c.bind.Needs()
		names := make([]string, 0, len(needs))
		for n := range needs {
			names = append(names, n)
		}
		sort.Strings(names)
		vars.Declare(c.p, names, needs)
	}
	c.job.Pipeline = c.p
}

func (c *conv) property(e *etree.Element) {
	switch e.Tag {
	case "hudson.model.ParametersDefinitionProperty":
		for _, defs := range e.SelectElements("parameterDefinitions") {
			for _, d := range defs.ChildElements() {
				c.param(d)
			}
		}
	case "jenkins.model.BuildDiscarderProperty":
		if s := e.SelectElement("strategy"); s != nil {
			c.logRotator(s)
		}
	case "org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty":
		for _, ts := range e.SelectElements("triggers") {
			for _, t := range ts.ChildElements() {
				c.trigger(t)
			}
		}
	case "org.jenkinsci.plugins.workflow.job.properties.DisableConcurrentBuildsJobProperty":
		c.find(e, convert.Manual, "disable-concurrent", "disableConcurrentBuilds: set concurrency_limit: 1 on the PaC Repository")
	case "org.jenkinsci.plugins.pipeline.modeldefinition.config.FolderConfig", "org.jenkinsci.plugins.docker.workflow.declarative.FolderConfig":
		if text(e, "dockerLabel") != "" || text(e, "registry/url") != "" || text(e, "registry/credentialsId") != "" {
			c.residue(e, "folder property")
		}
		// Empty: the declarative docker agent defaults, which the Jenkinsfile conversion assumes.
	case "com.coravy.hudson.plugins.github.GithubProjectProperty":
		// The project URL is informational; PaC knows the repository.
	case "org.jenkinsci.plugins.workflow.job.properties.DurabilityHintJobProperty",
		"org.jenkinsci.plugins.workflow.job.properties.DisableResumeJobProperty":
		c.find(e, convert.Converted, "durability", "<%s> only tunes Jenkins' resume behaviour; dropped", e.Tag)
	default:
		c.residue(e, "job property")
	}
}

func (c *conv) logRotator(e *etree.Element) {
	n := text(e, "numToKeep")
	if n == "" || n == "-1" {
		return
	}
	c.keepRuns = n
	c.find(e, convert.Converted, "log-rotator", "keep %s builds → pipelinesascode.tekton.dev/max-keep-runs", n)
}

func (c *conv) param(d *etree.Element) {
	name := text(d, "name")
	if name == "" {
		c.residue(d, "parameter without a name")
		return
	}
	desc := text(d, "description")
	def := text(d, "defaultValue")
	kind := d.Tag[strings.LastIndexByte(d.Tag, '.')+1:]
	switch kind {
	case "StringParameterDefinition", "TextParameterDefinition":
		if c.literalParam(d, name, def) {
			return
		}
	case "BooleanParameterDefinition":
		if def != "true" {
			def = "false"
		}
	case "ChoiceParameterDefinition":
		def = ""
		var choices []string
		if ch := d.SelectElement("choices"); ch != nil {
			for _, s := range ch.FindElements(".//string") {
				choices = append(choices, s.Text())
			}
		}
		if len(choices) > 0 {
			def = choices[0]
			if c.literalParam(d, name, def) { // the first choice is the default
				return
			}
			c.find(d, convert.Approximated, "choice-param", "choice parameter %s: Tekton params are free strings; allowed values were %s", name, strings.Join(maskSecrets(name, choices), ", "))
		}
	case "PasswordParameterDefinition":
		secret := pipeline.Sanitize(name)
		c.find(d, convert.Manual, "password-param", "password parameter %s → env from Secret %s key value; its encrypted default is not copied", name, secret).Action = fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", secret, name)
		c.env = append(c.env, pipeline.Env{Name: vars.EnvName(name), SecretName: secret, SecretKey: "value"})
		return
	default:
		c.residue(d, "parameter type")
		return
	}
	if pn := vars.TektonParam(name); pn != name {
		c.find(d, convert.Approximated, "param-name", "parameter %q is named %s in Tekton (letters, digits, _ . - only)", name, pn)
	}
	p := pipeline.Param{Name: vars.TektonParam(name), Description: desc, Default: &def}
	c.p.Params = append(c.p.Params, p)
	c.jobParams = append(c.jobParams, name)
}

func (c *conv) trigger(t *etree.Element) {
	switch t.Tag {
	case "hudson.triggers.SCMTrigger":
		c.push = true
		c.find(t, convert.Converted, "scm-polling", "SCM polling (%s) → PaC push event", text(t, "spec"))
	case "com.cloudbees.jenkins.GitHubPushTrigger", "com.dabsquared.gitlabjenkins.GitLabPushTrigger":
		c.push = true
		c.find(t, convert.Converted, "push-trigger", "<%s> → PaC push event", t.Tag)
	case "com.cloudbees.hudson.plugins.folder.computed.PeriodicFolderTrigger":
		c.find(t, convert.Converted, "branch-indexing", "periodic branch indexing (%s) → PaC starts runs on webhook events", text(t, "spec"))
	case "hudson.triggers.TimerTrigger":
		spec := text(t, "spec")
		c.comments = append(c.comments, c.marker(t, convert.Manual, "timer", "timer trigger %q: Tekton has no scheduler; create a CronJob that calls the PaC incoming webhook (replace Jenkins' H with a fixed minute)", spec))
	case "jenkins.triggers.ReverseBuildTrigger":
		c.comments = append(c.comments, c.marker(t, convert.Manual, "upstream", "upstream trigger on %q: PaC cannot chain pipelines; start this one from the upstream pipeline's last task", text(t, "upstreamProjects")))
	default:
		c.residue(t, "trigger")
	}
}

// branchName turns a Jenkins branch specifier (*/main, origin/**, refs/heads/x) into a PaC branch.
func branchName(spec string) string {
	for _, p := range []string{"refs/heads/", "*/", "origin/", "remotes/origin/"} {
		spec = strings.TrimPrefix(spec, p)
	}
	if spec == "**" || spec == "" {
		return "*"
	}
	return spec
}

func (c *conv) scm(e *etree.Element) {
	class := e.SelectAttrValue("class", "")
	switch class {
	case "hudson.scm.NullSCM", "":
		return
	case "hudson.plugins.git.GitSCM":
	default:
		c.comments = append(c.comments, c.marker(e, convert.Unsupported, "scm", "SCM %s is not converted: git-clone only fetches git repositories", class))
		return
	}
	co := &pipeline.Checkout{}
	for _, rc := range e.FindElements("userRemoteConfigs/hudson.plugins.git.UserRemoteConfig") {
		if u := text(rc, "url"); u != "" {
			co.Comments = append(co.Comments, fmt.Sprintf("from %s:%d GitSCM %s (PaC supplies the repository URL)", filepath.Base(c.d.Path), c.d.Line(rc), u))
		}
		if id := text(rc, "credentialsId"); id != "" {
			c.find(rc, convert.Manual, "git-credentials", "git credentials %q: PaC clones with its own token ({{ git_auth_secret }}); other repositories need a basic-auth workspace", id)
		}
	}
	for _, b := range e.FindElements("branches/hudson.plugins.git.BranchSpec") {
		if n := text(b, "name"); n != "" {
			c.branches = append(c.branches, branchName(n))
		}
	}
	for _, x := range e.FindElements("extensions/*") {
		if !c.gitExtension(x, x.Tag, co) {
			c.residue(x, "git extension")
		}
	}
	if text(e, "disableSubmodules") == "false" && text(e, "recursiveSubmodules") == "true" {
		on := true
		co.Submodules = &on
	}
	c.p.Checkout = co
}

// gitExtension applies a git plugin extension, named by its class (the element's tag under
// GitSCM, its class attribute inside a multibranch trait), to the checkout; false if unknown.
func (c *conv) gitExtension(x *etree.Element, class string, co *pipeline.Checkout) bool {
	switch class {
	case "hudson.plugins.git.extensions.impl.CloneOption":
		if text(x, "shallow") == "true" {
			d := text(x, "depth")
			if d == "" || d == "0" {
				d = "1"
			}
			co.Depth = d
		} else {
			co.Depth = "0"
		}
	case "hudson.plugins.git.extensions.impl.SubmoduleOption":
		on := text(x, "disableSubmodules") != "true"
		co.Submodules = &on
	case "hudson.plugins.git.extensions.impl.CleanCheckout", "hudson.plugins.git.extensions.impl.CleanBeforeCheckout",
		"hudson.plugins.git.extensions.impl.WipeWorkspace", "hudson.plugins.git.extensions.impl.PruneStaleBranch",
		"hudson.plugins.git.extensions.impl.LocalBranch":
		// Each run clones into a fresh volumeClaimTemplate, which is what these ask for.
	default:
		return false
	}
	return true
}

func (c *conv) jobRun() pipeline.Run {
	branches := c.branches
	if len(branches) == 0 {
		branches = []string{"main"}
		if c.p.Checkout != nil || c.push {
			c.find(c.d.Root, convert.Approximated, "branch", "no branch in the job's SCM; the runs target main")
		}
	}
	target := "[" + strings.Join(branches, ", ") + "]"
	if c.push {
		return pipeline.Run{Name: "push", Comments: c.runComments, Annotations: []pipeline.Binding{
			{Name: "pipelinesascode.tekton.dev/on-event", Value: "[push]"},
			{Name: "pipelinesascode.tekton.dev/on-target-branch", Value: target},
		}}
	}
	return pipeline.Run{Name: "incoming", Comments: append([]string{"the job had no push trigger; start it through the PaC incoming webhook (Repository spec.incoming), as Jenkins 'Build Now' did"}, c.runComments...),
		Annotations: []pipeline.Binding{
			{Name: "pipelinesascode.tekton.dev/on-event", Value: "[incoming]"},
			{Name: "pipelinesascode.tekton.dev/on-target-branch", Value: target},
		}}
}

// branchRuns are a multibranch project's runs: branch discovery becomes the push run and
// pull request discovery the pull_request run.
func (c *conv) branchRuns() []pipeline.Run {
	push := c.branches
	if len(push) == 0 {
		push = []string{"*"}
	}
	if t := c.tagTrait; t != nil {
		if c.tagsBuilt {
			push = append(push, "refs/tags/*")
			c.find(t, convert.Converted, "tags", "tag discovery with a tag build strategy → the push run also targets refs/tags/*")
		} else {
			c.find(t, convert.Approximated, "tags", "tags are discovered, but Jenkins builds them only when started by hand; add refs/tags/* to the push run's on-target-branch to build them on push")
		}
	}
	from := fmt.Sprintf("from %s:%d <%s> (multibranch: every branch and pull request)", filepath.Base(c.d.Path), c.d.Line(c.d.Root), c.d.Root.Tag)
	return []pipeline.Run{
		{Name: "push", Comments: append([]string{from}, c.runComments...), Annotations: []pipeline.Binding{
			{Name: "pipelinesascode.tekton.dev/on-event", Value: "[push]"},
			{Name: "pipelinesascode.tekton.dev/on-target-branch", Value: "[" + strings.Join(push, ", ") + "]"},
		}},
		{Name: "pull-request", Comments: []string{from}, Annotations: []pipeline.Binding{
			{Name: "pipelinesascode.tekton.dev/on-event", Value: "[pull_request]"},
			{Name: "pipelinesascode.tekton.dev/on-target-branch", Value: "[*]"},
		}},
	}
}

// shellEnv binds the Jenkins variables and job params a script reads into step env.
func (c *conv) shellEnv(e *etree.Element, script string) []pipeline.Env {
	c.bind.Checkout = c.p.Checkout != nil
	var env []pipeline.Env
	for _, n := range vars.ShellRefs(script) {
		if why := vars.Unmappable(n); why != "" {
			c.comments = append(c.comments, c.marker(e, convert.Manual, "jenkins-variable", "$%s has no Tekton value: %s", n, why))
			continue
		}
		v, _ := vars.Lookup(n)
		env = append(env, pipeline.Env{Name: n, Value: c.bind.Var(v)})
		if v.Class != convert.Converted {
			c.find(e, v.Class, "jenkins-variable", "$%s: %s", n, v.Note)
		}
	}
	// Jenkins exports every job parameter to builders as an env var.
	for _, p := range c.jobParams {
		env = append(env, pipeline.Env{Name: vars.EnvName(p), Value: c.bind.Param(vars.TektonParam(p))})
	}
	return env
}

func (c *conv) stepComment(e *etree.Element, what string) []string {
	return []string{fmt.Sprintf("from %s:%d %s", filepath.Base(c.d.Path), c.d.Line(e), what)}
}

func (c *conv) builder(b *etree.Element) {
	switch b.Tag {
	case "hudson.tasks.Shell":
		cmd := text(b, "command")
		if cmd == "" {
			return
		}
		// Verbatim: Jenkins runs sh -xe and Tekton's default script header has set -e, so only
		// the command trace differs, as for Jenkinsfile sh steps.
		script := cmd + "\n"
		c.steps = append(c.steps, pipeline.Step{Name: "shell", Comments: c.stepComment(b, "hudson.tasks.Shell"),
			Script: script, Env: c.shellEnv(b, cmd)})
	case "hudson.tasks.BatchFile":
		cmd := text(b, "command")
		if cmd == "" {
			return
		}
		if strings.Contains(cmd, "\n") {
			// cmd.exe /C takes one line; a multi-line batch file needs porting (or the alpha #!win script gate).
			c.placeholder(b, convert.Manual, "batch", "multi-line Windows batch command needs a port to sh or a .cmd file in the repository: "+cmd)
			return
		}
		m := c.marker(b, convert.Approximated, "batch", "Windows batch step runs cmd.exe in %s: needs Windows nodes (nodeSelector kubernetes.io/os: windows)", tools.Windows)
		c.steps = append(c.steps, pipeline.Step{Name: "batch", Comments: append(c.stepComment(b, "hudson.tasks.BatchFile"), m),
			Image: tools.Windows, Command: []string{"cmd.exe", "/S", "/C"}, Args: []string{cmd}, Env: c.shellEnv(b, cmd)})
	case "hudson.tasks.Maven":
		c.maven(b)
	default:
		c.unknownBuilder(b)
	}
}

// unknownBuilder keeps the build's shape: a builder we can't convert becomes a marker and,
// with placeholders on, a step that fails so the gap can't pass unnoticed.
func (c *conv) unknownBuilder(b *etree.Element) {
	c.placeholder(b, convert.Unsupported, "unknown-element", fmt.Sprintf("builder <%s> at %s is not converted", b.Tag, xpath(b)))
}

func (c *conv) placeholder(b *etree.Element, class convert.Class, rule, why string) {
	short := b.Tag[strings.LastIndexByte(b.Tag, '.')+1:]
	c.placeholderNamed(b, class, rule, "todo-"+pipeline.Sanitize(short), why)
}

// placeholderNamed records the marker and, with placeholders on, adds the failing step name.
func (c *conv) placeholderNamed(b *etree.Element, class convert.Class, rule, name, why string) {
	m := c.marker(b, class, rule, "%s", why)
	if !c.opts.Placeholders {
		c.comments = append(c.comments, m)
		return
	}
	first, _, _ := strings.Cut(why, "\n")
	c.steps = append(c.steps, pipeline.Step{Name: name, Comments: append(c.stepComment(b, b.Tag), m),
		Script: fmt.Sprintf("echo %s >&2\nexit 1\n", shellQuote(fmt.Sprintf("tkn-migrate: not converted (%s:%d): %s", filepath.Base(c.d.Path), c.d.Line(b), first)))})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func shellQuote(s string) string { return shellquote.Single(s) }

func (c *conv) maven(b *etree.Element) {
	args := []string{"mvn", "-B"}
	if pom := text(b, "pom"); pom != "" {
		args = append(args, "-f", shellQuote(pom))
	}
	for _, line := range strings.Split(text(b, "properties"), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			args = append(args, shellQuote("-D"+line))
		}
	}
	targets := text(b, "targets")
	args = append(args, shellquote.Args(targets))
	script := strings.TrimSpace(strings.Join(args, " ")) + "\n"
	set := c.tools
	name := text(b, "mavenName")
	if name == "" || name == "(Default)" {
		name = "maven-3"
	}
	set = set.With("maven", name)
	img, exact := set.Image()
	step := pipeline.Step{Name: "maven", Comments: c.stepComment(b, "hudson.tasks.Maven"), Image: img, Script: script, Env: c.shellEnv(b, targets)}
	if !exact {
		c.find(b, convert.Approximated, "tool-version", "Maven installation %q runs as image %s", name, img)
	}
	if o := text(b, "jvmOptions"); o != "" {
		step.Env = append(step.Env, pipeline.Env{Name: "MAVEN_OPTS", Value: o})
	}
	if s := b.SelectElement("settings"); s != nil && s.SelectAttrValue("class", "") != "jenkins.mvn.DefaultSettingsProvider" {
		step.Comments = append(step.Comments, c.marker(s, convert.Manual, "maven-settings", "Maven settings %s: mount the settings.xml from a ConfigMap or Secret and pass -s", s.SelectAttrValue("class", "")))
	}
	c.steps = append(c.steps, step)
}

// mavenModuleSet converts a Maven project: prebuilders, mvn <goals> on rootPOM, postbuilders.
func (c *conv) mavenModuleSet(root *etree.Element, _ []*etree.Element) {
	for _, e := range root.SelectElements("prebuilders") {
		for _, b := range e.ChildElements() {
			c.builder(b)
		}
	}
	name := text(root, "mavenName")
	if name == "" {
		name = "maven-3"
	}
	set := c.tools.With("maven", name)
	img, _ := set.Image()
	args := []string{"mvn", "-B"}
	if pom := text(root, "rootPOM"); pom != "" && pom != "pom.xml" {
		args = append(args, "-f", shellQuote(pom))
	}
	goals := text(root, "goals")
	if goals == "" {
		goals = "install"
	}
	args = append(args, shellquote.Args(goals))
	step := pipeline.Step{Name: "maven", Comments: c.stepComment(root, "maven2-moduleset goals"), Image: img,
		Script: strings.Join(args, " ") + "\n", Env: c.shellEnv(root, goals)}
	if o := text(root, "mavenOpts"); o != "" {
		step.Env = append(step.Env, pipeline.Env{Name: "MAVEN_OPTS", Value: o})
	}
	c.steps = append(c.steps, step)
	for _, e := range root.SelectElements("postbuilders") {
		for _, b := range e.ChildElements() {
			c.builder(b)
		}
	}
}

func (c *conv) axes(axes []*etree.Element) {
	m := &pipeline.Matrix{}
	for _, a := range axes {
		name := text(a, "name")
		var values []string
		for _, v := range a.FindElements("values/string") {
			values = append(values, v.Text())
		}
		switch a.Tag {
		case "hudson.matrix.TextAxis":
		case "hudson.matrix.LabelAxis", "hudson.matrix.LabelExpAxis":
			c.comments = append(c.comments, c.marker(a, convert.Approximated, "label-axis", "label axis %s (%s): cells differ only by the %s param; map each agent label to an image by hand", name, strings.Join(values, ", "), name))
		default:
			c.residue(a, "matrix axis")
			continue
		}
		if name == "" || len(values) == 0 {
			continue
		}
		pn := vars.TektonParam(name)
		m.Params = append(m.Params, pipeline.MatrixParam{Name: pn, Values: values})
		c.task.TaskParams = append(c.task.TaskParams, pipeline.Param{Name: pn})
		// Jenkins exports each axis to the builders as an env var.
		c.env = append(c.env, pipeline.Env{Name: vars.EnvName(name), Value: "$(params." + pn + ")"})
	}
	if len(m.Params) > 0 {
		c.task.Matrix = m
		// Re-apply the axis env to steps already built.
		for i := range c.task.Steps {
			c.task.Steps[i].Env = append(append([]pipeline.Env(nil), c.env...), c.task.Steps[i].Env...)
		}
	}
}

func (c *conv) publisher(p *etree.Element) {
	switch p.Tag {
	case "hudson.tasks.junit.JUnitResultArchiver":
		c.comments = append(c.comments, c.marker(p, convert.Manual, "junit", "JUnit reports %q stay in the workspace: Tekton has no test-report view or UNSTABLE result", text(p, "testResults")))
	case "hudson.tasks.ArtifactArchiver":
		c.comments = append(c.comments, c.marker(p, convert.Manual, "artifacts", "archived artifacts %q: Tekton keeps no build artifacts; add an upload task (e.g. catalog gcs-upload) or push to a registry", text(p, "artifacts")))
	case "hudson.tasks.Mailer":
		c.comments = append(c.comments, c.marker(p, convert.Manual, "mailer", "mail to %q on failure: add a finally task with the catalog sendmail Task and when $(tasks.status) in [Failed]", text(p, "recipients")))
	case "hudson.tasks.Fingerprinter":
		c.find(p, convert.Converted, "fingerprint", "fingerprints have no Tekton equivalent; dropped")
	default:
		c.residue(p, "publisher")
	}
}

func (c *conv) wrapper(w *etree.Element) {
	switch w.Tag {
	case "hudson.plugins.build__timeout.BuildTimeoutWrapper":
		s := w.SelectElement("strategy")
		if s == nil {
			c.residue(w, "build wrapper")
			return
		}
		cls := s.SelectAttrValue("class", "")
		switch {
		case strings.HasSuffix(cls, "AbsoluteTimeOutStrategy"):
			if m, err := strconv.Atoi(text(s, "timeoutMinutes")); err == nil && m > 0 {
				c.timeout = (minutes(m)).String()
				c.find(w, convert.Converted, "timeout", "build timeout %d min → timeouts.pipeline", m)
				return
			}
		case strings.HasSuffix(cls, "ElasticTimeOutStrategy"):
			if m, err := strconv.Atoi(text(s, "timeoutMinutesElasticDefault")); err == nil && m > 0 {
				c.timeout = minutes(m).String()
				c.find(w, convert.Approximated, "timeout", "elastic timeout (a percentage of recent build times) → its default %d min as timeouts.pipeline", m)
				return
			}
		}
		c.residue(w, "build timeout strategy")
	case "hudson.plugins.timestamper.TimestamperBuildWrapper", "hudson.plugins.ansicolor.AnsiColorBuildWrapper":
		c.find(w, convert.Converted, "log-decoration", "<%s> only decorates the log; dropped", w.Tag)
	case "hudson.plugins.ws__cleanup.PreBuildCleanup":
		c.find(w, convert.Converted, "workspace-cleanup", "pre-build workspace cleanup: every PipelineRun gets a fresh volumeClaimTemplate")
	case "org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper":
		for _, b := range w.FindElements("bindings/*") {
			c.credentialBinding(b)
		}
	default:
		c.residue(w, "build wrapper")
	}
}

// credentialBinding maps a credentials-binding entry to secretKeyRef env on every step.
func (c *conv) credentialBinding(b *etree.Element) {
	id := text(b, "credentialsId")
	secret := pipeline.Sanitize(id)
	short := b.Tag[strings.LastIndexByte(b.Tag, '.')+1:]
	switch short {
	case "StringBinding":
		v := text(b, "variable")
		c.env = append(c.env, pipeline.Env{Name: v, SecretName: secret, SecretKey: "secret"})
		c.find(b, convert.Manual, "credentials", "secret text %q → Secret %s key secret", id, secret).Action = fmt.Sprintf("kubectl create secret generic %s --from-literal=secret=<value>", secret)
	case "UsernamePasswordMultiBinding":
		u, p := text(b, "usernameVariable"), text(b, "passwordVariable")
		if u != "" {
			c.env = append(c.env, pipeline.Env{Name: u, SecretName: secret, SecretKey: "username"})
		}
		if p != "" {
			c.env = append(c.env, pipeline.Env{Name: p, SecretName: secret, SecretKey: "password"})
		}
		c.find(b, convert.Manual, "credentials", "username/password %q → basic-auth Secret %s", id, secret).Action = fmt.Sprintf("kubectl create secret generic %s --type=kubernetes.io/basic-auth --from-literal=username=<user> --from-literal=password=<password>", secret)
	default:
		c.residue(b, "credential binding")
	}
}

// flowJob handles <flow-definition>: an inline script is returned for conversion; a script
// from SCM is a pointer to the repository's Jenkinsfile.
func (c *conv) flowJob() {
	root := c.d.Root
	var def *etree.Element
	for _, e := range root.ChildElements() {
		if c.common(e) {
			continue
		}
		switch e.Tag {
		case "definition":
			def = e
		case "publishers", "buildWrappers":
			// Pipeline jobs ignore these (job-dsl writes them anyway); report non-empty ones.
			for _, x := range e.ChildElements() {
				c.residue(x, "element")
			}
		default:
			c.residue(e, "element")
		}
	}
	if def == nil {
		c.find(root, convert.Unsupported, "no-definition", "<flow-definition> has no <definition>: nothing to convert")
		return
	}
	cls := def.SelectAttrValue("class", "")
	switch {
	case strings.HasSuffix(cls, ".CpsFlowDefinition"):
		s := def.SelectElement("script")
		if s == nil || trimSpace(s.Text()) == "" {
			c.find(def, convert.Unsupported, "empty-script", "inline pipeline script is empty")
			return
		}
		c.job.Script = strings.Repeat("\n", max(c.d.ContentLine(s)-1, 0)) + s.Text()
		c.runs()
		c.p.Tasks = nil
	case strings.HasSuffix(cls, ".CpsScmFlowDefinition"):
		path := text(def, "scriptPath")
		if path == "" {
			path = "Jenkinsfile"
		}
		repo := ""
		for _, e := range def.ChildElements() {
			switch e.Tag {
			case "scm":
				c.scm(e)
				repo = text(e, "userRemoteConfigs/hudson.plugins.git.UserRemoteConfig/url")
				if repo == "" {
					repo = text(e, "source") // Mercurial
				}
			case "scriptPath", "lightweight":
				// lightweight only says how Jenkins fetches the script.
			default:
				c.residue(e, "pipeline definition element")
			}
		}
		if repo == "" {
			repo = "the job's repository"
		}
		c.scriptTask(def, "scm-script", fmt.Sprintf("the pipeline script is %s in %s", path, repo), path)
	default:
		c.find(def, convert.Unsupported, "definition", "pipeline definition %s is not converted", cls)
	}
}

// scriptTask ends the conversion of a job whose pipeline script is not in config.xml: what
// the job knows (checkout, params, triggers, runs) is kept, and one task stands for the script
// until that file is converted on its own. where says where the script is.
func (c *conv) scriptTask(e *etree.Element, rule, where, script string) {
	why := fmt.Sprintf("%s; convert it with `tkn-migrate convert %s` in that repository and replace this task with its tasks", where, script)
	c.task = &pipeline.Task{Name: c.names.Name("build"), Comments: []string{fmt.Sprintf("from %s:%d <%s>: the build is the pipeline script", filepath.Base(c.d.Path), c.d.Line(e), e.Tag)}}
	c.placeholderNamed(e, convert.Manual, rule, "todo-pipeline-script", why)
	if len(c.steps) > 0 {
		c.finish()
		return
	}
	// Without placeholders the skeleton is the checkout alone, headed by the markers.
	c.p.Comments = append(c.p.Comments, c.comments...)
	c.comments = nil
	c.runs()
	if c.p.Checkout == nil {
		c.job.Pipeline = nil // nothing runs: the findings say why
	}
}

// multibranch converts a multibranch project: its branch sources give the checkout and the
// PaC push and pull_request runs; its factory names the script every branch runs.
func (c *conv) multibranch() {
	root := c.d.Root
	c.multi = true
	var repos []string
	var factory *etree.Element
	for _, e := range root.ChildElements() {
		if c.common(e) {
			continue
		}
		switch e.Tag {
		case "sources":
			for _, x := range e.ChildElements() {
				switch x.Tag {
				case "data":
					for _, bs := range x.ChildElements() {
						if r := c.branchSource(bs); r != "" {
							repos = append(repos, r)
						}
					}
				case "owner":
				default:
					c.residue(x, "element")
				}
			}
		case "factory":
			factory = e
		case "views", "viewsTabBar", "primaryView", "folderViews", "healthMetrics", "icon":
			// How Jenkins shows the branch jobs.
		case "orphanedItemStrategy":
			// When Jenkins deletes the jobs of deleted branches; PaC keeps no job per branch.
		default:
			c.residue(e, "element")
		}
	}
	if len(repos) > 1 {
		c.find(root, convert.Manual, "branch-sources", "%d branch sources (%s): PaC runs the .tekton/ of the repository an event comes from; copy the converted files into each repository", len(repos), strings.Join(repos, ", "))
	}
	repo := strings.Join(repos, ", ")
	if repo == "" {
		repo = "the project's repository"
	}
	script, where := "Jenkinsfile", ""
	at := root
	defaults := root.Tag == "org.jenkinsci.plugins.pipeline.multibranch.defaults.PipelineMultiBranchDefaultsProject"
	if factory != nil {
		at = factory
		switch cls := factory.SelectAttrValue("class", ""); cls {
		case "org.jenkinsci.plugins.workflow.multibranch.WorkflowBranchProjectFactory":
		case "org.jenkinsci.plugins.pipeline.multibranch.defaults.PipelineBranchDefaultsProjectFactory":
			defaults = true
		default:
			c.residue(factory, "branch project factory "+cls)
		}
		if p := text(factory, "scriptPath"); p != "" {
			script = p
		}
	}
	if defaults {
		id := script
		if s := text(root, "factory/scriptId"); s != "" {
			id = s
		}
		where = fmt.Sprintf("the pipeline script is the default Jenkinsfile %q that Config File Provider keeps on the Jenkins controller and runs for every branch of %s: copy it into that repository as Jenkinsfile", id, repo)
		script = "Jenkinsfile"
	} else {
		where = fmt.Sprintf("the pipeline script is %s in %s", script, repo)
	}
	c.scriptTask(at, "multibranch", where, script)
}

// branchSource reads one multibranch branch source into the checkout and the runs' filters;
// it returns the repository as the report names it.
func (c *conv) branchSource(bs *etree.Element) string {
	if bs.Tag != "jenkins.branch.BranchSource" {
		c.residue(bs, "branch source")
		return ""
	}
	src := bs.SelectElement("source")
	if src == nil {
		c.residue(bs, "branch source without a <source>")
		return ""
	}
	class := src.SelectAttrValue("class", "")
	var repo string
	switch class {
	case "jenkins.plugins.git.GitSCMSource":
		repo = text(src, "remote")
	case "org.jenkinsci.plugins.github_branch_source.GitHubSCMSource":
		repo = text(src, "repositoryUrl")
		if repo == "" {
			repo = hosted(text(src, "apiUri"), "https://github.com", text(src, "repoOwner"), text(src, "repository"))
		}
	case "com.cloudbees.jenkins.plugins.bitbucket.BitbucketSCMSource":
		repo = hosted(text(src, "serverUrl"), "https://bitbucket.org", text(src, "repoOwner"), text(src, "repository"))
	case "org.jenkinsci.plugin.gitea.GiteaSCMSource":
		repo = hosted(text(src, "serverUrl"), "", text(src, "repoOwner"), text(src, "repository"))
	case "io.jenkins.plugins.gitlabbranchsource.GitLabSCMSource":
		repo = hosted(text(src, "serverName"), "", "", text(src, "projectPath"))
	default:
		c.comments = append(c.comments, c.marker(src, convert.Unsupported, "scm", "branch source %s is not converted: git-clone only fetches git repositories", class))
		for _, f := range []string{"remote", "source"} {
			if r := text(src, f); r != "" {
				return r
			}
		}
		return ""
	}
	co := c.p.Checkout
	if co == nil {
		co = &pipeline.Checkout{}
		c.p.Checkout = co
	}
	short := class[strings.LastIndexByte(class, '.')+1:]
	co.Comments = append(co.Comments, fmt.Sprintf("from %s:%d %s %s (PaC supplies the repository URL)", filepath.Base(c.d.Path), c.d.Line(src), short, repo))
	for _, e := range src.ChildElements() {
		switch e.Tag {
		case "id", "remote", "repositoryUrl", "apiUri", "serverUrl", "serverName", "repoOwner", "repository", "projectOwner", "projectPath":
			// Read above; the id only names the source inside Jenkins.
		case "credentialsId":
			if id := trimSpace(e.Text()); id != "" {
				c.find(e, convert.Manual, "git-credentials", "git credentials %q: PaC clones with its own token ({{ git_auth_secret }}); other repositories need a basic-auth workspace", id)
			}
		case "includes", "excludes":
			// Older GitSCMSource filters, read with the trait form in headFilter.
			if e.Tag == "includes" {
				c.headFilter(src, text(src, "includes"), text(src, "excludes"))
			}
		case "traits":
			for _, t := range e.ChildElements() {
				c.trait(t, co)
			}
		default:
			c.residue(e, "branch source element")
		}
	}
	if s := bs.SelectElement("strategy"); s != nil {
		c.branchStrategy(s)
	}
	if s := bs.SelectElement("buildStrategies"); s != nil {
		var names []string
		for _, b := range s.ChildElements() {
			if strings.HasSuffix(b.Tag, ".TagBuildStrategyImpl") {
				c.tagsBuilt = true
			}
			if n := b.Tag[strings.LastIndexByte(b.Tag, '.')+1:]; !contains(names, n) {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			c.find(s, convert.Approximated, "build-strategies", "build strategies (%s) choose which discovered branches, pull requests and tags Jenkins builds; the PaC runs build every matching push and pull request", strings.Join(names, ", "))
		}
	}
	for _, e := range bs.ChildElements() {
		if e.Tag != "source" && e.Tag != "strategy" && e.Tag != "buildStrategies" {
			c.residue(e, "branch source element")
		}
	}
	return repo
}

// hosted names a repository on a forge: the web URL on the public host, else owner/name on server.
func hosted(server, public, owner, name string) string {
	path := name
	if owner != "" {
		path = owner + "/" + name
	}
	if server == "" && public != "" {
		return public + "/" + path
	}
	if server == "" {
		return path
	}
	return path + " on " + server
}

// trait applies one branch source trait: discovery and filters shape the runs, git
// extensions the checkout.
func (c *conv) trait(t *etree.Element, co *pipeline.Checkout) {
	short := t.Tag[strings.LastIndexByte(t.Tag, '.')+1:]
	switch short {
	case "BranchDiscoveryTrait":
		c.find(t, convert.Converted, "discovery", "branch discovery → PaC push run on every branch")
		return
	case "OriginPullRequestDiscoveryTrait", "PullRequestDiscoveryTrait":
		c.find(t, convert.Converted, "discovery", "pull request discovery → PaC pull_request run")
		return
	case "ForkPullRequestDiscoveryTrait":
		trust := t.SelectElement("trust")
		who := "the configured trust"
		if trust != nil {
			cls := trust.SelectAttrValue("class", "")
			who = cls[strings.LastIndexAny(cls, ".$")+1:]
		}
		c.find(t, convert.Approximated, "fork-pull-requests", "fork pull requests (%s): PaC runs them for repository owners and collaborators, and for others after an /ok-to-test comment", who)
		return
	case "TagDiscoveryTrait":
		c.tagTrait = t
		return
	case "WildcardSCMHeadFilterTrait":
		c.headFilter(t, text(t, "includes"), text(t, "excludes"))
		return
	case "RegexSCMHeadFilterTrait":
		c.runComments = append(c.runComments, c.marker(t, convert.Approximated, "branch-filter", "branch filter regex %q: the runs target every branch; list the matching branches as globs in on-target-branch", text(t, "regex")))
		return
	case "SSHCheckoutTrait":
		c.find(t, convert.Manual, "git-credentials", "checkout over SSH with credentials %q: PaC clones over HTTPS with its own token", text(t, "credentialsId"))
		return
	}
	if x := t.SelectElement("extension"); x != nil {
		cls := x.SelectAttrValue("class", "")
		switch cls {
		case "hudson.plugins.git.extensions.impl.AuthorInChangelog", "hudson.plugins.git.extensions.impl.CheckoutOption":
			// The changelog's author and the checkout timeout only concern Jenkins' own clone.
			return
		}
		if c.gitExtension(x, cls, co) {
			return
		}
	}
	c.residue(t, "branch source trait")
}

// headFilter reads a wildcard branch filter: its includes become the push run's target
// branches (PR-<n> names the pull requests, which the pull_request run already takes).
func (c *conv) headFilter(e *etree.Element, includes, excludes string) {
	var branches []string
	for _, b := range strings.Fields(includes) {
		if b == "*" {
			branches = nil
			break
		}
		if !strings.HasPrefix(b, "PR-") {
			branches = append(branches, b)
		}
	}
	c.branches = append(c.branches, branches...)
	if len(branches) > 0 {
		c.find(e, convert.Converted, "branch-filter", "branch filter %q → on-target-branch of the push run", includes)
	}
	if excludes != "" {
		c.runComments = append(c.runComments, c.marker(e, convert.Approximated, "branch-filter", "branches excluded by %q still run: on-target-branch only lists the branches to run", excludes))
	}
}

// branchStrategy reads the properties a branch source gives every branch job.
func (c *conv) branchStrategy(s *etree.Element) {
	if cls := s.SelectAttrValue("class", ""); cls != "jenkins.branch.DefaultBranchPropertyStrategy" {
		c.residue(s, "branch property strategy")
		return
	}
	var props []*etree.Element
	for _, p := range s.FindElements("properties/*") {
		if p.Tag == "a" { // XStream writes an array list's backing array as <a>
			props = append(props, p.ChildElements()...)
		} else {
			props = append(props, p)
		}
	}
	for _, p := range props {
		switch p.Tag {
		case "jenkins.branch.NoTriggerBranchProperty":
			c.runComments = append(c.runComments, c.marker(p, convert.Manual, "no-trigger", "Jenkins builds branches only when started by hand (NoTriggerBranchProperty); the push run builds every push: delete it to keep that"))
		case "org.jenkinsci.plugins.workflow.multibranch.DurabilityHintBranchProperty":
			c.find(p, convert.Converted, "durability", "<%s> only tunes Jenkins' resume behaviour; dropped", p.Tag)
		case "jenkins.branch.BuildRetentionBranchProperty":
			if d := p.SelectElement("buildDiscarder"); d != nil {
				c.logRotator(d)
			}
		default:
			c.residue(p, "branch property")
		}
	}
}

type minutes int

func (m minutes) String() string { return (time.Duration(m) * time.Minute).String() }

// ShortName sanitises a job name into a Pipeline name.
func ShortName(s string) string {
	return pipeline.Sanitize(s)
}
