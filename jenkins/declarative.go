package jenkins

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
	"github.com/tkn-migrate/tkn-migrate/jenkins/tools"
	"github.com/tkn-migrate/tkn-migrate/jenkins/vars"
	"go.yaml.in/yaml/v3"
)

func (c *conv) declarative(p *model.Pipeline) {
	c.p.Comments = append(c.p.Comments, c.from(p.Line, "pipeline {}"))
	var sc scope
	c.parameters(p.Parameters)
	sc = sc.withEnv(c.passwordEnv...)
	c.agent(p.Agent, &sc, true)
	c.options(p.Options, nil, &sc)
	sc = c.optionWrappers(p.Options, sc)
	c.triggers(p.Triggers)
	sc = c.environment(p.Environment, sc)
	sc.tools = c.toolSet(p.Tools, sc.tools, sc)
	for _, o := range p.Other {
		c.otherDirective(o)
	}
	if c.file.Script != nil {
		c.outsideStatements(c.file.Script.Stmts)
	}
	// Markers of root directives sit on the Pipeline itself.
	c.p.Comments = append(c.p.Comments, sc.comments...)
	sc.comments = nil
	c.stages(p.Stages, nil, sc, "")
	c.post(p.Post, sc, nil, p.Line)
}

// outsideStatements reports Groovy around pipeline {}: literal defs are kept for interpolation,
// everything else is a marker on the Pipeline holding its source.
func (c *conv) outsideStatements(stmts []*model.Step) {
	for _, s := range stmts {
		switch s.Kind {
		case model.Assign:
			if v, ok := lit(s.Value); ok {
				c.literals[assignName(s.Target)] = v
				continue
			}
			if s.Value == nil {
				continue // a bare declaration: def x
			}
			c.p.Comments = append(c.p.Comments, c.marker(s.Line, s.Col, convert.Manual, "groovy", "Groovy outside pipeline {} is not converted; %s", original(s)))
		case model.Func:
			// Defined before use in pipeline {}: collected in newConv; calls inline it.
		default:
			raw := strings.TrimSpace(s.Raw)
			if s.Kind == model.Call && (s.Name == "library" || s.Name == "import") || strings.HasPrefix(raw, "@Library") || strings.HasPrefix(raw, "import ") {
				continue // libraries are in File.Libraries; imports only matter to Groovy
			}
			c.p.Comments = append(c.p.Comments, c.marker(s.Line, s.Col, convert.Manual, "groovy", "Groovy outside pipeline {} is not converted; %s", original(s)))
		}
	}
}

func assignName(target string) string {
	f := strings.Fields(target)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

func (c *conv) otherDirective(o *model.Step) {
	if o.Name == "libraries" {
		return // recorded in File.Libraries
	}
	if o.Name == "environment" {
		c.find(o.Line, o.Col, convert.Unsupported, "environment", badEnv, envHead(o.Raw))
		return
	}
	c.find(o.Line, o.Col, convert.Unsupported, "directive", "directive %s is not converted: %s", o.Name, oneLine(o.Raw))
}

// imageRE accepts image references; anything else in an image field is a Groovy expression.
var imageRE = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9._/:@-]*$`)

// agent applies an agent directive to the scope.
func (c *conv) agent(a *model.Agent, sc *scope, root bool) {
	if a == nil {
		return
	}
	switch a.Kind {
	case "any":
	case "none":
		if root {
			sc.label = ""
		}
	case "label", "node":
		c.label(a.Label, sc, a.Line, a.Col, "agent label")
		if cw := a.Param("customWorkspace"); cw != nil {
			c.find(a.Line, a.Col, convert.Approximated, "custom-workspace", "customWorkspace %s: steps run in the shared source workspace", oneLine(cw.Raw))
		}
	case "docker":
		img := ""
		if v, ok := lit(a.Param("image")); ok {
			img = v
		} else if v, ok := c.paramString(a.Param("image"), *sc); ok {
			img = v // "node:${NODE}" in a matrix: Tekton substitutes the cell's param in the image
		} else if a.Param("image") == nil && imageRE.MatchString(a.Image) {
			img = a.Image // docker 'image' short form
		}
		if img == "" {
			sc.comments = append(sc.comments, c.marker(a.Line, a.Col, convert.Manual, "agent-docker", "docker agent image %s is computed at run time; set the image by hand", oneLine(a.Raw)))
			return
		}
		sc.image = img
		if args := a.Param("args"); args != nil {
			sc.comments = append(sc.comments, c.marker(a.Line, a.Col, convert.Approximated, "docker-args", "docker run args %s are dropped: express volumes, user and env in the Task (volumes, securityContext, env)", oneLine(args.Raw)))
		}
		if r := a.Param("registryCredentialsId"); r != nil {
			sc.comments = append(sc.comments, c.marker(a.Line, a.Col, convert.Manual, "registry-credentials", "registry credentials %s: add an imagePullSecret to the service account the PipelineRun uses", oneLine(r.Raw)))
		}
	case "dockerfile":
		sc.comments = append(sc.comments, c.marker(a.Line, a.Col, convert.Manual, "agent-dockerfile", "dockerfile agent: build and push the image first (catalog buildah Task), then set it as the step image; steps run in %s meanwhile", c.imageFor(*sc)))
	case "kubernetes":
		c.kubernetesAgent(a, sc)
	default:
		c.find(a.Line, a.Col, convert.Unsupported, "agent", "agent %s is not converted: %s", a.Kind, oneLine(a.Raw))
	}
}

// kubernetesAgent reads the pod YAML: containers become the images container('x') selects.
func (c *conv) kubernetesAgent(a *model.Agent, sc *scope) {
	y, ok := lit(a.Param("yaml"))
	if !ok {
		if f := a.Param("yamlFile"); f != nil {
			sc.comments = append(sc.comments, c.marker(a.Line, a.Col, convert.Manual, "agent-kubernetes", "kubernetes agent yamlFile %s lives in the repository; copy its container images into the steps", oneLine(f.Raw)))
		} else {
			sc.comments = append(sc.comments, c.marker(a.Line, a.Col, convert.Manual, "agent-kubernetes", "kubernetes agent without a literal yaml: pick step images by hand"))
		}
		return
	}
	kube, err := podImages(y)
	if err != nil {
		sc.comments = append(sc.comments, c.marker(a.Line, a.Col, convert.Manual, "agent-kubernetes", "kubernetes agent yaml does not parse (%v); pick step images by hand", err))
		return
	}
	sc.kube = kube
	if dc, ok := lit(a.Param("defaultContainer")); ok && sc.kube[dc] != "" {
		sc.image = sc.kube[dc]
	}
	c.find(a.Line, a.Col, convert.Approximated, "agent-kubernetes", "kubernetes pod template: its containers' images become step images; other pod settings (volumes, resources, serviceAccount) need a podTemplate on the PipelineRun")
}

// podImages maps each container of a pod YAML to its image.
func podImages(y string) (map[string]string, error) {
	var pod struct {
		Spec struct {
			Containers []struct {
				Name  string `yaml:"name"`
				Image string `yaml:"image"`
			} `yaml:"containers"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal([]byte(y), &pod); err != nil {
		return nil, err
	}
	kube := map[string]string{}
	for _, ct := range pod.Spec.Containers {
		kube[ct.Name] = ct.Image
	}
	return kube, nil
}

func (c *conv) toolSet(entries []*model.Step, set tools.Set, sc scope) tools.Set {
	for _, t := range entries {
		name, ok := c.staticString(arg(t, "", 0), sc)
		if !ok {
			c.find(t.Line, t.Col, convert.Manual, "tools", "tool %s %s is computed at run time", t.Name, oneLine(t.Raw))
			continue
		}
		if !tools.Known(t.Name) {
			c.find(t.Line, t.Col, convert.Manual, "tools", "tool type %s (%s) has no image mapping; pick an image that carries it", t.Name, name)
			continue
		}
		set = set.With(t.Name, name)
		img, exact := set.Image()
		class := convert.Converted
		if !exact {
			class = convert.Approximated
		}
		c.find(t.Line, t.Col, class, "tools", "tool %s %q → image %s", t.Name, name, img)
	}
	return set
}

// environment converts an environment block; credentials() become secretKeyRef env.
func (c *conv) environment(entries []model.EnvEntry, sc scope) scope {
	for _, e := range entries {
		if e.Value.Kind == model.CallVal && e.Value.Call != nil && e.Value.Call.Name == "credentials" {
			sc = sc.withEnv(c.credentialsEnv(e, sc)...)
			continue
		}
		v, ok := c.envValueOf(&e.Value, sc, e.Name)
		if !ok {
			m := c.marker(e.Line, e.Col, convert.Manual, "environment", "%s = %s is computed by Groovy at run time; set it by hand", e.Name, oneLine(e.Value.Raw))
			sc = sc.withEnv(pipeline.Env{Name: e.Name, Value: "", Comment: m})
			continue
		}
		sc = sc.withEnv(c.literalEnv(e.Name, e.Line, e.Col, v))
	}
	return sc
}

// credentialsEnv maps KEY = credentials('id'). The credential type is not in the Jenkinsfile:
// if the file reads KEY_USR or KEY_PSW it is a username/password, else secret text.
func (c *conv) credentialsEnv(e model.EnvEntry, sc scope) []pipeline.Env {
	idv := arg(e.Value.Call, "", 0)
	secret, dynamic, examples, ok := c.secretName(idv, sc)
	if !ok {
		c.find(e.Line, e.Col, convert.Manual, "credentials", "credentials id %s is computed at run time", oneLine(e.Value.Raw))
		return []pipeline.Env{{Name: e.Name}}
	}
	id := strings.TrimSpace(idv.Raw)
	if v, ok := lit(idv); ok {
		id = v
	}
	if c.userPass[e.Name] {
		c.secretFinding(e.Line, e.Col, fmt.Sprintf("username/password credentials (%s_USR, %s_PSW and %s as user:password)", e.Name, e.Name, e.Name), id, secret, dynamic, examples,
			"kubectl create secret generic %s --type=kubernetes.io/basic-auth --from-literal=username=<user> --from-literal=password=<password>")
		return []pipeline.Env{
			{Name: e.Name + "_USR", SecretName: secret, SecretKey: "username"},
			{Name: e.Name + "_PSW", SecretName: secret, SecretKey: "password"},
			{Name: e.Name, Value: "$(" + e.Name + "_USR):$(" + e.Name + "_PSW)"},
		}
	}
	c.secretFinding(e.Line, e.Col, "credentials (read as secret text, key secret; a secret file credential needs a Secret workspace instead)", id, secret, dynamic, examples,
		"kubectl create secret generic %s --from-literal=secret=<value>")
	return []pipeline.Env{{Name: e.Name, SecretName: secret, SecretKey: "secret"}}
}

// scanUserPass finds NAME_USR / NAME_PSW anywhere in the source (they mark username/password credentials).
func (c *conv) scanUserPass(f *model.File) {
	if f.Pipeline == nil {
		return
	}
	var envs []model.EnvEntry
	envs = append(envs, f.Pipeline.Environment...)
	var walk func([]*model.Stage)
	walk = func(ss []*model.Stage) {
		for _, s := range ss {
			envs = append(envs, s.Environment...)
			walk(s.Stages)
			walk(s.Parallel)
			if s.Matrix != nil {
				envs = append(envs, s.Matrix.Environment...)
				walk(s.Matrix.Stages)
			}
		}
	}
	walk(f.Pipeline.Stages)
	for _, e := range envs {
		if strings.Contains(c.srcText, e.Name+"_USR") || strings.Contains(c.srcText, e.Name+"_PSW") {
			c.userPass[e.Name] = true
		}
	}
}

// duration converts Jenkins time + unit to a Go duration string.
func duration(n float64, unit string) (string, bool) {
	var d time.Duration
	switch strings.ToUpper(unit) {
	case "", "MINUTES":
		d = time.Minute
	case "SECONDS":
		d = time.Second
	case "HOURS":
		d = time.Hour
	case "DAYS":
		d = 24 * time.Hour
	case "MILLISECONDS":
		d = time.Millisecond
	default:
		return "", false
	}
	return (time.Duration(n * float64(d))).String(), true
}

// timeoutOf reads timeout(time: N, unit: 'X') or timeout(N).
func timeoutOf(s *model.Step, defUnit string) (string, bool) {
	t, ok := litArg(s, "time", 0)
	if !ok {
		return "", false
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n <= 0 {
		return "", false
	}
	unit := defUnit
	if u := s.Arg("unit"); u != nil {
		if v, ok := lit(u); ok {
			unit = v
		} else {
			unit = u.Raw
		}
	}
	return duration(n, unit)
}

// inactivity reports timeout(activity: true): it fires after d without log output, which
// Tekton can't watch; a hard timeout would kill a long build that is still logging, so none
// is set (an approximated finding says so).
func (c *conv) inactivity(s *model.Step, d string) bool {
	if !activityTimeout(s) {
		return false
	}
	c.find(s.Line, s.Col, convert.Approximated, "timeout-activity", "timeout(%s, activity: true) ends a build only after %s without log output; Tekton has no inactivity timeout, so no timeout is set here (the PipelineRun's own timeout still applies)", d, d)
	return true
}

func activityTimeout(s *model.Step) bool {
	v, ok := litArg(s, "activity", -1)
	return ok && v == "true"
}

// retryCount reads retry(n) / retry(count: n).
func retryCount(s *model.Step) (int, bool) {
	v, ok := litArg(s, "count", 0)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1
}

// options converts pipeline (ch == nil) or stage options.
// optionWrappers applies the block steps given as options (withCredentials, withEnv): PMD wraps
// every step of the pipeline or stage, children included, in them.
func (c *conv) optionWrappers(opts []*model.Step, sc scope) scope {
	for _, o := range opts {
		if o.Name != "withCredentials" && o.Name != "withEnv" {
			continue
		}
		tmp := c.newChain("x", nil, nil, sc)
		tmp.scratch = true
		if o.Name == "withCredentials" {
			sc = c.withCredentials(tmp, o, sc)
		} else {
			sc = c.withEnv(tmp, o, sc)
		}
		sc.comments = append(sc.comments, tmp.tasksComments()...)
		c.find(o.Line, o.Col, convert.Converted, "option-wrapper", "option %s → applied to every step it wraps", o.Name)
	}
	return sc
}

func (c *conv) options(opts []*model.Step, ch *chain, sc *scope) {
	for _, o := range opts {
		switch o.Name {
		case "timeout":
			d, ok := timeoutOf(o, "MINUTES")
			if !ok {
				c.find(o.Line, o.Col, convert.Manual, "timeout", "timeout %s is not a literal duration", oneLine(o.Raw))
				continue
			}
			if c.inactivity(o, d) {
				continue
			}
			if ch == nil {
				c.p.Timeout = d
				c.find(o.Line, o.Col, convert.Converted, "timeout", "pipeline timeout → timeouts.pipeline %s", d)
			} else {
				ch.timeout = d
				c.find(o.Line, o.Col, convert.Converted, "timeout", "stage timeout → task timeout %s", d)
			}
		case "retry":
			n, ok := retryCount(o)
			if !ok {
				c.find(o.Line, o.Col, convert.Manual, "retry", "retry %s is not a literal count", oneLine(o.Raw))
				continue
			}
			if ch == nil {
				c.pipelineRetries = n - 1
				c.find(o.Line, o.Col, convert.Approximated, "retry", "pipeline retry(%d) re-runs the whole pipeline; Tekton retries each task instead (retries: %d)", n, n-1)
			} else {
				ch.retries = n - 1
				c.find(o.Line, o.Col, convert.Converted, "retry", "retry(%d) = %d attempts → retries: %d", n, n, n-1)
			}
		case "skipDefaultCheckout":
			on := true
			if v, ok := litArg(o, "", 0); ok && v == "false" {
				on = false
			}
			if ch == nil {
				if on {
					c.checkout = false
				}
				c.find(o.Line, o.Col, convert.Converted, "skip-checkout", "skipDefaultCheckout → no implicit git-clone task (a checkout scm step still clones)")
			} else {
				c.find(o.Line, o.Col, convert.Approximated, "skip-checkout", "stage skipDefaultCheckout: the stage still sees the source cloned once into the shared workspace")
			}
		case "checkoutToSubdirectory":
			if v, ok := litArg(o, "", 0); ok {
				c.subdir = v
				c.find(o.Line, o.Col, convert.Converted, "checkout-subdirectory", "checkoutToSubdirectory → git-clone subdirectory %s", v)
			} else {
				c.find(o.Line, o.Col, convert.Manual, "checkout-subdirectory", "checkoutToSubdirectory %s is not literal", oneLine(o.Raw))
			}
		case "buildDiscarder":
			if n := findNamedLiteral(o, "numToKeepStr", "numToKeep"); n != "" {
				c.runs.keep = n
				c.find(o.Line, o.Col, convert.Converted, "build-discarder", "keep %s builds → pipelinesascode.tekton.dev/max-keep-runs", n)
			} else {
				c.find(o.Line, o.Col, convert.Approximated, "build-discarder", "buildDiscarder without numToKeep: PaC keeps runs until pruned")
			}
		case "disableConcurrentBuilds":
			if strings.Contains(o.Raw, "abortPrevious") && strings.Contains(o.Raw, "true") {
				c.runs.cancel = true
				c.find(o.Line, o.Col, convert.Converted, "concurrency", "disableConcurrentBuilds(abortPrevious: true) → pipelinesascode.tekton.dev/cancel-in-progress")
			} else {
				c.find(o.Line, o.Col, convert.Manual, "concurrency", "disableConcurrentBuilds: set concurrency_limit: 1 on the PaC Repository")
			}
		case "timestamps", "ansiColor":
			c.find(o.Line, o.Col, convert.Converted, "log-decoration", "%s only decorates the log; dropped", o.Name)
		case "skipStagesAfterUnstable":
			c.find(o.Line, o.Col, convert.Approximated, "unstable", "skipStagesAfterUnstable: Tekton has no UNSTABLE result; a failed task already skips the tasks after it")
		case "parallelsAlwaysFailFast":
			c.find(o.Line, o.Col, convert.Approximated, "fail-fast", "parallelsAlwaysFailFast: Tekton does not cancel running sibling tasks, but starts no new ones after a failure")
		case "withCredentials", "withEnv":
			// optionWrappers applied it before the stage's children were built.
		case "preserveStashes":
			c.find(o.Line, o.Col, convert.Converted, "stash", "preserveStashes: stashes live in the run's workspace; dropped")
		case "quietPeriod":
			c.find(o.Line, o.Col, convert.Approximated, "quiet-period", "quietPeriod: PaC starts a run on the event; dropped")
		case "disableResume", "durabilityHint", "disableRestartFromStage":
			c.find(o.Line, o.Col, convert.Converted, "durability", "%s tunes Jenkins' resume behaviour; dropped", o.Name)
		case "newContainerPerStage":
			c.find(o.Line, o.Col, convert.Converted, "container-per-stage", "newContainerPerStage: every Tekton task runs in its own pod already")
		case "overrideIndexTriggers":
			c.find(o.Line, o.Col, convert.Approximated, "index-triggers", "overrideIndexTriggers: PaC triggers come from the PipelineRun annotations")
		case "lock":
			m := c.marker(o.Line, o.Col, convert.Manual, "lock", "%s: Tekton has no lockable resources; use PaC concurrency_limit or a queue", oneLine(o.Raw))
			sc.comments = append(sc.comments, m)
		case "rateLimitBuilds":
			c.find(o.Line, o.Col, convert.Manual, "rate-limit", "rateLimitBuilds has no PaC equivalent")
		default:
			m := c.marker(o.Line, o.Col, convert.Unsupported, "option", "option %s is not converted", oneLine(o.Raw))
			sc.comments = append(sc.comments, m)
		}
	}
}

// findNamedLiteral finds name: 'literal' anywhere inside a call's nested arguments.
func findNamedLiteral(s *model.Step, names ...string) string {
	var walk func(args []model.Arg) string
	walk = func(args []model.Arg) string {
		for i := range args {
			a := &args[i]
			for _, n := range names {
				if a.Name == n {
					if v, ok := lit(&a.Value); ok {
						return v
					}
				}
			}
			if a.Value.Kind == model.CallVal && a.Value.Call != nil {
				if v := walk(a.Value.Call.Args); v != "" {
					return v
				}
			}
			if a.Value.Kind == model.Map {
				if v := walk(a.Value.Map); v != "" {
					return v
				}
			}
		}
		return ""
	}
	return walk(s.Args)
}

// parameters converts parameters {} entries to Pipeline params.
func (c *conv) parameters(ps []*model.Step) {
	for _, p := range ps {
		name, ok := litArg(p, "name", -1)
		if !ok {
			c.find(p.Line, p.Col, convert.Manual, "parameter", "parameter without a literal name: %s", oneLine(p.Raw))
			continue
		}
		desc, _ := litArg(p, "description", -1)
		def, defOK := litArg(p, "defaultValue", -1)
		if dv := p.Arg("defaultValue"); dv != nil && !defOK && p.Name != "password" {
			// Jenkins computes it when the job is configured; Tekton needs the value written out.
			c.p.Comments = append(c.p.Comments, c.marker(p.Line, p.Col, convert.Manual, "parameter-default", "parameter %s: defaultValue %s is computed by Groovy; the Tekton param defaults to the type's empty value until it is written out", name, oneLine(dv.Raw)))
		}
		switch p.Name {
		case "string", "text":
			if c.literalParam(p.Line, p.Col, name, def) {
				continue
			}
		case "booleanParam":
			if def != "true" {
				def = "false"
			}
		case "choice":
			def = ""
			if ch := p.Arg("choices"); ch != nil {
				if ch.Kind == model.List && len(ch.List) > 0 {
					def, _ = lit(&ch.List[0])
				} else if s, ok := lit(ch); ok {
					def = strings.SplitN(s, "\n", 2)[0]
				}
			}
			if c.literalParam(p.Line, p.Col, name, def) { // the first choice is the default
				continue
			}
			c.find(p.Line, p.Col, convert.Approximated, "choice-param", "choice parameter %s → string param defaulting to the first choice %q", name, def)
		case "password":
			secret := pipeline.Sanitize(name)
			c.find(p.Line, p.Col, convert.Manual, "password-param", "password parameter %s → Secret %s (not a param, so the value stays out of the PipelineRun)", name, secret).Action =
				fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", secret, name)
			c.passwordEnv = append(c.passwordEnv, pipeline.Env{Name: name, SecretName: secret, SecretKey: "value"})
			continue
		default:
			c.find(p.Line, p.Col, convert.Unsupported, "parameter", "parameter type %s (%s) is not converted", p.Name, name)
			continue
		}
		if c.params[name] {
			continue
		}
		c.params[name] = true
		d := def
		if pn := paramName(name); pn != name {
			c.find(p.Line, p.Col, convert.Approximated, "param-name", "parameter %q is named %s in Tekton (letters, digits, _ . - only)", name, pn)
		}
		c.p.Params = append(c.p.Params, pipeline.Param{Name: paramName(name), Description: desc, Default: &d})
	}
}

// triggers converts triggers {} entries: PaC has events, not schedules.
func (c *conv) triggers(ts []*model.Step) {
	for _, t := range ts {
		spec, _ := litArg(t, "spec", 0)
		switch t.Name {
		case "cron", "parameterizedCron":
			c.runs.comments = append(c.runs.comments, c.marker(t.Line, t.Col, convert.Manual, "cron", "cron trigger %q: Tekton has no scheduler; create a CronJob that calls the PaC incoming webhook (replace Jenkins' H with a fixed minute)", spec))
		case "pollSCM":
			c.runs.push = true
			c.find(t.Line, t.Col, convert.Converted, "poll-scm", "pollSCM(%q) → PaC push event", spec)
		case "githubPush", "gitlab", "GenericTrigger":
			c.runs.push = true
			c.find(t.Line, t.Col, convert.Approximated, "push-trigger", "%s → PaC push event", t.Name)
		case "upstream":
			c.runs.comments = append(c.runs.comments, c.marker(t.Line, t.Col, convert.Manual, "upstream", "upstream trigger %s: PaC cannot chain pipelines; start this one from the upstream pipeline", oneLine(t.Raw)))
		default:
			c.runs.comments = append(c.runs.comments, c.marker(t.Line, t.Col, convert.Unsupported, "trigger", "trigger %s is not converted", oneLine(t.Raw)))
		}
	}
}

// buildRuns creates the PipelineRuns. A Jenkinsfile in a multibranch job builds every branch
// push and every pull request, which is what the default push and pull-request runs do.
func (c *conv) buildRuns() {
	var ann []pipeline.Binding
	if c.runs.keep != "" {
		ann = append(ann, pipeline.Binding{Name: "pipelinesascode.tekton.dev/max-keep-runs", Value: c.runs.keep})
	}
	if c.runs.cancel {
		ann = append(ann, pipeline.Binding{Name: "pipelinesascode.tekton.dev/cancel-in-progress", Value: "true"})
	}
	mk := func(name, event string, comments []string) pipeline.Run {
		return pipeline.Run{Name: name, Comments: comments, Annotations: append([]pipeline.Binding{
			{Name: "pipelinesascode.tekton.dev/on-event", Value: "[" + event + "]"},
			{Name: "pipelinesascode.tekton.dev/on-target-branch", Value: "[*]"},
		}, ann...)}
	}
	src := c.from(1, "(multibranch: every branch and pull request)")
	c.p.Runs = append(c.p.Runs, mk("push", "push", append([]string{src}, c.runs.comments...)))
	c.p.Runs = append(c.p.Runs, mk("pull-request", "pull_request", []string{src}))
	if _, ok := c.needs["jenkins-tag-name"]; ok {
		// buildingTag(), when { tag } or TAG_NAME: the job builds tags, which PaC sees as pushes of refs/tags/<tag>.
		r := mk("tag", "push", []string{c.from(1, "(multibranch tag builds: buildingTag(), when { tag } or TAG_NAME)")})
		r.Annotations[1].Value = "[" + vars.TagRef + "]"
		c.p.Runs = append(c.p.Runs, r)
		c.find(1, 1, convert.Converted, "tag-run", "tag builds → PipelineRun tag on push of refs/tags/*, with TAG_NAME and BRANCH_NAME set to the tag")
	}
}
