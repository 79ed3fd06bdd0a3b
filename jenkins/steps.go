package jenkins

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
	"github.com/tkn-migrate/tkn-migrate/jenkins/tools"
)

// GitImage runs the git CLI for git/checkout steps that fetch another repository.
const GitImage = "docker.io/alpine/git:2.47.2"

// PowerShellImage runs powershell/pwsh steps on Linux nodes.
const PowerShellImage = "mcr.microsoft.com/powershell:7.4-ubuntu-22.04"

// steps converts a step list; assignments and env.X = ... carry into the following steps.
func (c *conv) steps(ch *chain, ss []*model.Step, sc scope) {
	// A stage whose only step is timeout {} or retry {} maps to the task's own timeout/retries.
	if len(ss) == 1 && ss[0].Kind == model.Call && len(ss[0].Body) > 0 && ch.cur == nil && len(ch.tasks) == 0 {
		s := ss[0]
		switch s.Name {
		case "timeout":
			if d, ok := timeoutOf(s, "MINUTES"); ok && ch.timeout == "" && !activityTimeout(s) {
				ch.timeout = d
				c.find(s.Line, s.Col, convert.Converted, "timeout", "timeout around the whole stage → task timeout %s", d)
				c.steps(ch, s.Body, sc)
				return
			}
		case "retry":
			if n, ok := retryCount(s); ok && ch.retries == 0 {
				ch.retries = n - 1
				c.find(s.Line, s.Col, convert.Converted, "retry", "retry(%d) around the whole stage → retries: %d", n, n-1)
				c.steps(ch, s.Body, sc)
				return
			}
		}
	}
	for _, s := range ss {
		sc = c.step(ch, s, sc)
	}
}

func (c *conv) stepHead(s *model.Step, what string) []string {
	var out []string
	for _, cm := range s.Comments {
		out = append(out, cleanComment(cm)...)
	}
	return append(out, c.from(s.Line, what))
}

// cleanComment turns a Groovy // or /* */ comment into plain lines for a YAML comment.
func cleanComment(cm string) []string {
	var out []string
	for _, l := range strings.Split(cm, "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimPrefix(l, "//")
		l = strings.TrimPrefix(l, "/**")
		l = strings.TrimPrefix(l, "/*")
		l = strings.TrimSuffix(l, "*/")
		l = strings.TrimPrefix(strings.TrimSpace(l), "*")
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// tidyScript removes the indentation a Groovy multi-line string adds (common leading
// whitespace), trailing blanks and leading empty lines; the shell reads the same commands.
func tidyScript(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	if len(lines) > 0 && strings.HasPrefix(lines[0], "#!") && strings.HasPrefix(s, "\n") {
		// Jenkins only honours a shebang on the very first line; keep it inert.
		lines = append([]string{""}, lines...)
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	indent := -1
	for _, l := range lines {
		if l == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			lines[i] = l[indent:]
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// manual marks a step we do not convert; with placeholders it also fails loudly.
func (c *conv) manual(ch *chain, s *model.Step, sc scope, placeholder bool, rule, format string, args ...any) {
	m := c.marker(s.Line, s.Col, convert.Manual, rule, format, args...)
	if placeholder && c.opts.Placeholders {
		why, _, _ := strings.Cut(fmt.Sprintf(format, args...), "; original:")
		st := c.placeholder(s.Line, pipeline.Sanitize(rule), m, why)
		st.Comments = append(c.stepHead(s, oneLine(s.Raw)), st.Comments...)
		ch.step(sc, st)
		return
	}
	ch.comment(m)
}

// original is a marker suffix holding the statement's source, so no command is lost.
func original(s *model.Step) string {
	return "original: " + strings.TrimSpace(s.Raw)
}

func (c *conv) step(ch *chain, s *model.Step, sc scope) scope {
	switch s.Kind {
	case model.Call:
		return c.call(ch, s, sc)
	case model.If:
		c.ifStep(ch, s, sc)
	case model.Try:
		c.steps(ch, s.Body, sc)
		for _, ct := range s.Catches {
			c.manual(ch, &model.Step{Line: ct.Line, Raw: s.Raw}, sc, false, "catch", "catch (%s) is not converted: a failing step fails the task; %s", ct.Param, catchText(ct))
		}
		if len(s.Finally) > 0 {
			c.find(s.Line, s.Col, convert.Approximated, "finally", "finally block runs only when the try body succeeded (Tekton stops a task at its first failing step)")
			c.steps(ch, s.Finally, sc)
		}
	case model.Loop:
		if v, items, ok := c.loopItems(s); ok {
			c.find(s.Line, s.Col, convert.Converted, "loop", "loop %s over a literal list → its body once per item, with %s bound", oneLine(s.Cond), v)
			old, had := c.literals[v]
			for _, it := range items {
				c.literals[v] = it
				c.steps(ch, s.Body, sc)
			}
			if had {
				c.literals[v] = old
			} else {
				delete(c.literals, v)
			}
			return sc
		}
		c.manual(ch, s, sc, true, "loop", "loop %s is Groovy evaluated at run time; %s", oneLine(s.Cond), original(s))
	case model.Assign:
		return c.assign(ch, s, sc)
	case model.Func:
		c.funcs[s.Name] = s
	default:
		if raw := strings.TrimSpace(s.Raw); strings.HasPrefix(raw, "@Library") || strings.HasPrefix(raw, "import ") {
			return sc // libraries are in File.Libraries; imports only matter to Groovy
		}
		raw := strings.TrimSpace(s.Raw)
		switch {
		case strings.HasPrefix(raw, "throw ") || strings.HasPrefix(raw, "throw("):
			// An exception ends the build as failed, as error does.
			c.find(s.Line, s.Col, convert.Approximated, "throw", "%s → a failing step (the exception's message is not evaluated)", oneLine(raw))
			ch.step(sc, pipeline.Step{Name: "throw", Comments: c.stepHead(s, oneLine(raw)), Script: "echo " + shellQuote("tkn-migrate: "+oneLine(raw)) + " >&2\nexit 1\n"})
		case raw == "return" || strings.HasPrefix(raw, "return ") || strings.HasPrefix(raw, "return("):
			ch.comment(c.marker(s.Line, s.Col, convert.Manual, "groovy", "Groovy statement not converted: %s", raw))
		default:
			// switch, i++ and the like: the steps they would run or skip are unknown, so fail loudly.
			c.manual(ch, s, sc, true, "groovy", "Groovy statement not converted; %s", original(s))
		}
	}
	return sc
}

func catchText(ct model.Catch) string {
	var parts []string
	for _, s := range ct.Body {
		parts = append(parts, strings.TrimSpace(s.Raw))
	}
	return "its body: " + strings.Join(parts, "; ")
}

// ifStep guards the branch's steps with a shell test when the condition is recognisable.
func (c *conv) ifStep(ch *chain, s *model.Step, sc scope) {
	if u := strings.TrimSpace(s.Cond); u == "isUnix()" || u == "!isUnix()" {
		// Tekton steps here run on Linux: the Unix branch is the one that runs.
		run, skip := s.Body, s.Else
		if u == "!isUnix()" {
			run, skip = s.Else, s.Body
		}
		c.find(s.Line, s.Col, convert.Converted, "if", "if (%s): steps run on Linux, so only the Unix branch is kept", u)
		c.steps(ch, run, sc)
		if len(skip) > 0 {
			var raw []string
			for _, x := range skip {
				raw = append(raw, strings.TrimSpace(x.Raw))
			}
			ch.comment(c.marker(s.Line, s.Col, convert.Approximated, "if", "the non-Unix branch is dropped: %s", strings.Join(raw, "; ")))
		}
		return
	}
	r := c.expression(model.Condition{Args: []model.Arg{{Value: model.Value{Kind: model.Closure, Str: s.Cond}}}}, sc)
	if !r.ok {
		c.manual(ch, s, sc, true, "if", "if (%s) is Groovy evaluated at run time; %s", oneLine(s.Cond), original(s))
		return
	}
	guard := func(body []*model.Step, test string) {
		t := ch.open()
		first := len(t.Steps)
		c.steps(ch, body, sc.withEnv(r.env...))
		t = ch.open()
		for i := first; i < len(t.Steps); i++ {
			st := &t.Steps[i]
			if st.Script == "" || strings.HasPrefix(st.Script, "#!") {
				st.Comments = append(st.Comments, c.marker(s.Line, s.Col, convert.Approximated, "if", "this step runs whether or not %s holds", s.Cond))
				continue
			}
			st.Script = "if ! " + test + "; then exit 0; fi\n" + st.Script
		}
	}
	c.find(s.Line, s.Col, convert.Converted, "if", "if (%s) → shell test on each step of the branch", oneLine(s.Cond))
	guard(s.Body, "{ "+r.shell+"; }")
	if len(s.Else) > 0 {
		guard(s.Else, "! { "+r.shell+"; }")
	}
}

// assign handles def x = ..., env.X = ..., currentBuild.result = ...
func (c *conv) assign(ch *chain, s *model.Step, sc scope) scope {
	name := assignName(s.Target)
	if s.Value == nil {
		return sc // a bare declaration: def x
	}
	// def branches = [:]; branches['a'] = { ... }; parallel branches
	if s.Value.Kind == model.Map && len(s.Value.Map) == 0 && identRE.MatchString(name) {
		c.branchMaps[name] = []branch{}
		return sc
	}
	if m := indexRE.FindStringSubmatch(strings.TrimSpace(s.Target)); m != nil && s.Value.Kind == model.Closure {
		if list, ok := c.branchMaps[m[1]]; ok {
			key := c.groovyKey(m[2])
			binds := make(map[string]string, len(c.literals))
			for k, v := range c.literals {
				binds[k] = v
			}
			c.branchMaps[m[1]] = append(list, branch{name: key, line: s.Line, body: s.Value.Body, raw: s.Raw, binds: binds})
			c.find(s.Line, s.Col, convert.Converted, "parallel-map", "closure %s[%s] → parallel branch %q where %s runs", m[1], m[2], key, m[1])
			return sc
		}
	}
	if items, ok := c.literalList(s.Value); ok && s.Value.Kind == model.List && identRE.MatchString(name) {
		c.lists[name] = items // def targets = ['a', 'b']: known for collectEntries and loops
		return sc
	}
	v, ok := lit(s.Value)
	if !ok && s.Value != nil && s.Value.Kind == model.Expr && identRE.MatchString(strings.TrimSpace(s.Value.Raw)) {
		v, ok = c.literals[strings.TrimSpace(s.Value.Raw)] // def label = p, p bound to a literal
	}
	if ok {
		switch {
		case strings.HasPrefix(name, "env."):
			return c.setEnv(s, strings.TrimPrefix(name, "env."), strings.ReplaceAll(v, "$(", "$$("), sc)
		case name == "currentBuild.result":
			if v == "FAILURE" || v == "ABORTED" {
				ch.step(sc, pipeline.Step{Name: "fail", Comments: c.stepHead(s, "currentBuild.result = "+v), Script: "echo " + shellQuote("build marked "+v) + " >&2\nexit 1\n"})
				return sc
			}
			c.find(s.Line, s.Col, convert.Approximated, "build-result", "currentBuild.result = %s: Tekton has no %s result; dropped", v, v)
			return sc
		case strings.Contains(name, "."):
			c.find(s.Line, s.Col, convert.Manual, "groovy", "assignment %s is not converted", oneLine(s.Raw))
			return sc
		}
		c.literals[name] = v
		delete(c.captured, name)
		return sc
	}
	if s.Value != nil && s.Value.Kind == model.CallVal && s.Value.Call != nil {
		call, method := s.Value.Call, ""
		// sh(returnStdout: true, ...).trim(): the step is the innermost receiver.
		for call.Receiver != nil && call.Receiver.Kind == model.CallVal && call.Receiver.Call != nil {
			call, method = call.Receiver.Call, call.Name
		}
		switch call.Path() {
		case "sh", "bat", "powershell", "pwsh":
			what := "the output"
			if returnsStatus(call) {
				what = "the exit code" // returnStatus wins over returnStdout (DurableTaskStep.handleExit)
			}
			ch.comment(c.marker(s.Line, s.Col, convert.Manual, "captured-output", "%s captures %s of %s; Tekton steps share values through files or results, so later uses of %s are marked", name, what, call.Name, name))
			c.captured[name] = s.Line
			delete(c.literals, name)
			c.call(ch, call, sc)
			if what == "the exit code" && stringMethods[method] {
				// An Integer has no String methods: Groovy throws right after the step, failing the build.
				c.manual(ch, s, sc, true, "return-status-string", "%s returns the exit code (returnStatus), an Integer, so .%s() on it fails the build in Jenkins right after the step (groovy.lang.MissingMethodException: No signature of method: java.lang.Integer.%s()); this step fails the same way: drop returnStatus or the .%s()",
					call.Name, method, method, method)
			}
			return sc
		case "checkout":
			// def scmVars = checkout(scm): the clone still happens; scmVars.GIT_COMMIT and the
			// other SCM variables come from the git-clone task's results.
			c.checkoutStep(ch, call, sc)
			if a := arg(call, "scm", 0); a != nil && strings.TrimSpace(a.Raw) == "scm" {
				c.scmVars[name] = true
			}
			return sc
		case "tool":
			if nsc, ok := c.toolStep(call, "", sc); ok {
				ch.comment(c.marker(s.Line, s.Col, convert.Approximated, "tool-path", "%s holds the tool's install path in Jenkins; the image carries the tool on PATH, so uses of %s are marked", name, name))
				return nsc
			}
		case "docker.build":
			if c.dockerBuild(ch, call, name, sc) {
				return sc
			}
		case "docker.image", "load", "readFile", "readJSON", "readYaml", "readProperties", "libraryResource", "fileExists", "input":
		}
	}
	if strings.HasPrefix(name, "env.") && s.Value != nil && s.Value.Kind == model.GString {
		if v, ok := c.envValue(s.Value, sc, s.Line); ok {
			return c.setEnv(s, strings.TrimPrefix(name, "env."), v, sc)
		}
	}
	if s.Value != nil && s.Value.Kind == model.Closure {
		ch.comment(c.marker(s.Line, s.Col, convert.Manual, "groovy", "closure %s is not converted; %s", name, original(s)))
		return sc
	}
	ch.comment(c.marker(s.Line, s.Col, convert.Manual, "groovy", "%s is computed by Groovy at run time; %s", name, original(s)))
	return sc
}

// call converts one step call.
func (c *conv) call(ch *chain, s *model.Step, sc scope) scope {
	p := s.Path()
	if m, ok := c.mapping.lookup(p); ok {
		c.mapped(ch, s, sc, m)
		return sc
	}
	if s.Receiver != nil && s.Name == "push" && c.dockerImages[strings.TrimSpace(s.Receiver.Raw)] != "" {
		c.dockerPush(ch, s, c.dockerImages[strings.TrimSpace(s.Receiver.Raw)], sc)
		return sc
	}
	if f := c.funcs[p]; f != nil && s.Receiver == nil {
		// A method of the script shadows a step of the same name (def build() { } beats build job:).
		c.inline(ch, s, f, sc)
		return sc
	}
	switch p {
	case "sh":
		c.sh(ch, s, sc)
	case "bat":
		c.bat(ch, s, sc)
	case "powershell", "pwsh":
		c.pwsh(ch, s, sc)
	case "echo", "print", "println":
		v := arg(s, "message", 0)
		if v == nil {
			return sc
		}
		script, env, markers := c.shell(v, sc, s.Line)
		body := "echo " + shellQuote(script)
		if v.Kind == model.GString {
			body = "echo \"" + escapeDQ(script) + "\""
		}
		ch.step(sc, pipeline.Step{Name: "echo", Comments: append(c.stepHead(s, "echo"), markers...), Script: body + "\n", Env: env})
	case "error":
		v := arg(s, "message", 0)
		msg := "error"
		var env []pipeline.Env
		var markers []string
		if v != nil {
			msg, env, markers = c.shell(v, sc, s.Line)
		}
		ch.step(sc, pipeline.Step{Name: "error", Comments: append(c.stepHead(s, "error"), markers...), Script: "echo \"" + escapeDQ(msg) + "\" >&2\nexit 1\n", Env: env})
	case "sleep":
		t, ok := litArg(s, "time", 0)
		n, err := strconv.ParseFloat(t, 64)
		if !ok || err != nil {
			c.manual(ch, s, sc, false, "sleep", "sleep %s is not a literal duration", oneLine(s.Raw))
			return sc
		}
		unit, _ := litArg(s, "unit", -1)
		if u := s.Arg("unit"); u != nil && unit == "" {
			unit = strings.TrimPrefix(u.Raw, "TimeUnit.")
		}
		d, ok := duration(n, map[bool]string{true: "SECONDS", false: unit}[unit == ""])
		if !ok {
			d = t + "s"
		}
		secs := strings.TrimSuffix(d, "s")
		if dur, err := parseSeconds(d); err == nil {
			secs = dur
		}
		ch.step(sc, pipeline.Step{Name: "sleep", Comments: c.stepHead(s, "sleep"), Script: "sleep " + secs + "\n"})
	case "dir":
		d, ok := c.staticString(arg(s, "path", 0), sc)
		if a := arg(s, "path", 0); !ok && a != nil && a.Kind == model.GString {
			// dir("${env.WORKSPACE}/sub"): the workspace is where steps start, so the rest is relative.
			if m := workspaceDir.FindStringSubmatch(a.Str); m != nil && !strings.Contains(m[1], "$") {
				d, ok = m[1], true
			}
		}
		if !ok {
			what := s.Raw
			if a := arg(s, "path", 0); a != nil {
				what = a.Raw
			}
			c.manual(ch, s, sc, true, "dir", "dir(%s) is computed at run time; %s", oneLine(what), original(s))
			return sc
		}
		inner := sc
		inner.dir = path.Clean(path.Join(sc.dir, d))
		if inner.dir == "." {
			inner.dir = "" // dir('.') or dir(WORKSPACE): the workspace itself
		}
		if path.IsAbs(d) {
			ch.comment(c.marker(s.Line, s.Col, convert.Approximated, "dir", "dir(%q) is absolute; Tekton steps work under the source workspace, so it resolves inside it", d))
			inner.dir = strings.TrimPrefix(inner.dir, "/")
		}
		c.steps(ch, s.Body, inner)
	case "withEnv":
		c.steps(ch, s.Body, c.withEnv(ch, s, sc))
	case "withCredentials":
		c.steps(ch, s.Body, c.withCredentials(ch, s, sc))
	case "checkout":
		c.checkoutStep(ch, s, sc)
	case "git":
		c.gitStep(ch, s, sc)
	case "archiveArtifacts", "archive":
		a, _ := litArg(s, "artifacts", 0)
		ch.comment(c.marker(s.Line, s.Col, convert.Manual, "artifacts", "archiveArtifacts %q: Tekton keeps no build artifacts; upload them (e.g. catalog gcs-upload) or push to a registry", a))
	case "junit":
		r, _ := litArg(s, "testResults", 0)
		ch.comment(c.marker(s.Line, s.Col, convert.Manual, "junit", "junit %q: reports stay in the workspace; Tekton has no test-report view or UNSTABLE result", r))
	case "stash", "unstash":
		c.stash(ch, s, sc)
	case "timeout":
		d, ok := timeoutOf(s, "MINUTES")
		if !ok {
			c.manual(ch, s, sc, false, "timeout", "timeout %s is not literal", oneLine(s.Raw))
			c.steps(ch, s.Body, sc)
			return sc
		}
		if c.inactivity(s, d) {
			c.steps(ch, s.Body, sc)
			return sc
		}
		c.find(s.Line, s.Col, convert.Approximated, "timeout", "timeout(%s) around %d steps → each step gets timeout %s", d, len(s.Body), d)
		inner := sc
		inner.timeout = d
		c.steps(ch, s.Body, inner)
	case "retry":
		n, ok := retryCount(s)
		if ok && ch.retries == 0 {
			ch.retries = n - 1
			c.find(s.Line, s.Col, convert.Approximated, "retry", "retry(%d) around part of the stage → the whole task retries (retries: %d)", n, n-1)
		} else {
			c.find(s.Line, s.Col, convert.Manual, "retry", "retry %s is not converted; its body runs once", oneLine(s.Raw))
		}
		c.steps(ch, s.Body, sc)
	case "script":
		c.steps(ch, s.Body, sc)
	case "catchError", "warnError":
		inner := sc
		inner.onError = "continue"
		br, _ := litArg(s, "buildResult", -1)
		if s.Name == "catchError" && (arg(s, "buildResult", -1) == nil || strings.EqualFold(br, "FAILURE")) {
			// CatchErrorStep's buildResult defaults to FAILURE: Jenkins goes on, the build ends failed.
			inner.failBuild = true
			c.find(s.Line, s.Col, convert.Approximated, "catch-error", "catchError → onError: continue, and a last step fails the task if a step inside failed (Jenkins marks the build FAILURE and goes on, so its later stages ran; here they are skipped)")
		} else {
			inner.failBuild = false
			c.find(s.Line, s.Col, convert.Approximated, "catch-error", "%s → onError: continue (the build/stage result it sets is lost)", s.Name)
		}
		c.steps(ch, s.Body, inner)
	case "unstable":
		msg, _ := litArg(s, "message", 0)
		ch.step(sc, pipeline.Step{Name: "unstable", Comments: append(c.stepHead(s, "unstable"), c.marker(s.Line, s.Col, convert.Approximated, "unstable", "unstable: Tekton has no UNSTABLE result; the message is printed")), Script: "echo " + shellQuote("UNSTABLE: "+msg) + " >&2\n"})
	case "build":
		job, ok := litArg(s, "job", 0)
		if ok {
			job = strconv.Quote(job)
		} else if v := arg(s, "job", 0); !ok && v != nil {
			job = strings.TrimSpace(v.Raw) // computed ("../x/${env.BRANCH_NAME}"): show the expression
		}
		c.manual(ch, s, sc, true, "build-job", "build job %s triggers another Jenkins job; create that pipeline's PipelineRun here (e.g. catalog tkn Task) or use Pipelines in Pipelines", job)
	case "input":
		msg, _ := litArg(s, "message", 0)
		c.manual(ch, s, sc, true, "input", "input %q waits for a person; Tekton has no pause (use an approval task such as openshift-pipelines manual-approval-gate)", msg)
	case "writeFile":
		c.writeFile(ch, s, sc)
	case "readFile", "fileExists", "readJSON", "readYaml", "readProperties", "findFiles", "pwd", "isUnix":
		ch.comment(c.marker(s.Line, s.Col, convert.Manual, "groovy-value", "%s returns a value to Groovy; nothing reads it here", oneLine(s.Raw)))
	case "deleteDir":
		ch.step(sc, pipeline.Step{Name: "delete-dir", Comments: c.stepHead(s, "deleteDir()"), Script: "find . -mindepth 1 -delete\n"})
	case "cleanWs":
		c.find(s.Line, s.Col, convert.Converted, "clean-workspace", "cleanWs: every PipelineRun gets a fresh volumeClaimTemplate")
	case "container":
		name, _ := litArg(s, "name", 0)
		inner := sc
		if img := sc.kube[name]; img != "" {
			inner.image = img
		} else {
			ch.comment(c.marker(s.Line, s.Col, convert.Manual, "container", "container(%q) is not in a literal pod template; its steps run in %s", name, c.imageFor(sc)))
		}
		c.steps(ch, s.Body, inner)
	case "docker.image.inside", "withDockerContainer":
		img := ""
		if p == "withDockerContainer" {
			img, _ = litArg(s, "image", 0)
		} else if s.Receiver != nil && s.Receiver.Call != nil {
			img, _ = litArg(s.Receiver.Call, "id", 0)
		}
		inner := sc
		if img == "" {
			ch.comment(c.marker(s.Line, s.Col, convert.Manual, "docker-inside", "docker image %s is computed at run time; its steps run in %s", oneLine(s.Raw), c.imageFor(sc)))
		} else {
			inner.image = img
			if len(s.Args) > 0 {
				c.find(s.Line, s.Col, convert.Approximated, "docker-args", "docker run args %s are dropped", oneLine(s.Args[0].Value.Raw))
			}
		}
		c.steps(ch, s.Body, inner)
	case "docker.image.pull":
		c.find(s.Line, s.Col, convert.Converted, "docker-pull", "image pull: Kubernetes pulls step images itself")
	case "withMaven", "withGradle":
		inner := sc
		if m, ok := litArg(s, "maven", -1); ok {
			inner.tools = inner.tools.With("maven", m)
		}
		if j, ok := litArg(s, "jdk", -1); ok {
			inner.tools = inner.tools.With("jdk", j)
		}
		if p == "withMaven" && inner.tools.Maven == "" {
			inner.tools = inner.tools.With("maven", "maven-3")
		}
		c.find(s.Line, s.Col, convert.Approximated, "with-maven", "%s → image %s; its settings/reporting features are dropped", s.Name, c.imageFor(inner))
		c.steps(ch, s.Body, inner)
	case "node":
		c.nodeBlock(ch, s, sc)
	case "configFileProvider":
		c.configFileProvider(ch, s, sc)
	case "sshagent":
		c.steps(ch, s.Body, c.sshAgent(ch, s, sc))
	case "docker.withRegistry":
		c.steps(ch, s.Body, c.withRegistry(ch, s, sc))
	case "stage", "ws", "timestamps", "ansiColor", "wrap", "lock", "withDockerRegistry",
		"withSonarQubeEnv", "withAWS", "withVault", "withKubeConfig", "withNPM", "nodejs", "withPythonEnv", "xvfb", "podTemplate":
		c.wrapper(ch, s, sc)
	case "parallel":
		c.parallelInline(ch, s, sc)
	case "properties":
		c.properties(s)
	case "library", "milestone":
		c.find(s.Line, s.Col, convert.Converted, s.Name, "%s: nothing to run in Tekton", oneLine(s.Raw))
	case "mail", "emailext", "slackSend", "office365ConnectorSend", "mattermostSend", "hipchatSend", "discordSend", "rocketSend":
		c.manual(ch, s, sc, false, "notify", "notification %s is not converted: use a finally task with the catalog sendmail or send-to-webhook-slack Task; %s", s.Name, original(s))
	case "tool":
		if nsc, ok := c.toolStep(s, "", sc); ok {
			return nsc
		}
		c.manual(ch, s, sc, false, "tool", "tool %s returns an install path; pick an image with the tool instead", oneLine(s.Raw))
	case "load":
		c.manual(ch, s, sc, true, "load", "load %s evaluates another Groovy file from the workspace; convert that file's steps here", oneLine(s.Raw))
	default:
		c.unknown(ch, s, sc)
	}
	return sc
}

// inline converts a call to a helper function defined in the same file as its body, with
// literal arguments bound to the parameters.
func (c *conv) inline(ch *chain, s *model.Step, f *model.Step, sc scope) {
	c.funcCall(ch, s, f, sc, func() {
		ch.comment(c.from(s.Line, s.Path()+"(...): helper function from line "+itoa(f.Line)+" inlined"))
		c.steps(ch, f.Body, sc)
	})
}

// parseSeconds renders a Go duration as the seconds sleep takes.
func parseSeconds(d string) (string, error) {
	td, err := time.ParseDuration(d)
	if err != nil {
		return "", err
	}
	return strconv.FormatFloat(td.Seconds(), 'f', -1, 64), nil
}

// escapeDQ escapes text for a double-quoted shell word, keeping ${VAR} references.
func escapeDQ(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch ch {
		case '"', '\\', '`':
			b.WriteByte('\\')
			b.WriteByte(ch)
		case '$':
			if i+1 < len(s) && s[i+1] == '{' {
				b.WriteByte('$')
			} else {
				b.WriteString(`\$`)
			}
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

func (c *conv) sh(ch *chain, s *model.Step, sc scope) {
	v := arg(s, "script", 0)
	if v == nil {
		c.manual(ch, s, sc, true, "sh", "sh without a script: %s", oneLine(s.Raw))
		return
	}
	script, env, markers := c.shell(v, sc, s.Line)
	script = tidyScript(script)
	if dockerCommand.MatchString(script) {
		ch.usesDocker(s.Line)
	}
	st := pipeline.Step{Name: "sh", Comments: append(c.stepHead(s, "sh"), markers...), Script: script, Env: env}
	c.durableOptions(s, &st)
	ch.step(sc, st)
}

// durableOptions applies the options every durable-task step (sh, bat, powershell, pwsh)
// takes: label names the step, returnStatus (unless a literal false) keeps a non-zero exit from
// failing it. returnStdout is the assignment's (a captured-output marker); the step runs the same.
func (c *conv) durableOptions(s *model.Step, st *pipeline.Step) {
	if l, ok := litArg(s, "label", -1); ok && l != "" {
		st.Name = l
	}
	if returnsStatus(s) {
		st.Comments = append(st.Comments, c.marker(s.Line, s.Col, convert.Approximated, "return-status", "returnStatus: the exit code no longer fails the step (onError: continue) but Groovy can't read it"))
		st.OnError = "continue"
		if optionSet(s, "returnStdout") {
			// Only the snippet generator refuses both (doCheckReturnStatus); at run time
			// DurableTaskStep captures the output, then handleExit returns the exit code alone.
			st.Comments = append(st.Comments, c.marker(s.Line, s.Col, convert.Approximated, "return-stdout-status",
				"returnStdout and returnStatus together (Jenkins's snippet generator says \"You may not select both returnStdout and returnStatus.\", but the step runs): Jenkins returns the exit code and throws the captured output away, so it never reaches the build log; here the output goes to the step's log"))
		}
	}
}

// stringMethods are methods of a String (what returnStdout returns) that an Integer (what
// returnStatus returns) lacks, even with Groovy's additions to Object and Number.
var stringMethods = map[string]bool{"trim": true, "tokenize": true, "readLines": true, "split": true, "toLowerCase": true,
	"toUpperCase": true, "startsWith": true, "endsWith": true, "contains": true, "replace": true, "replaceAll": true,
	"isEmpty": true, "length": true, "substring": true, "strip": true, "isBlank": true, "matches": true}

// returnsStatus reports a durable-task step whose returnStatus is set, unless to a literal false:
// its exit code is its value and fails nothing.
func returnsStatus(s *model.Step) bool { return optionSet(s, "returnStatus") }

// optionSet reports a step option that is given, unless as a literal false.
func optionSet(s *model.Step, name string) bool {
	v, ok := litArg(s, name, -1)
	return s.Arg(name) != nil && !(ok && v == "false")
}

func (c *conv) bat(ch *chain, s *model.Step, sc scope) {
	v := arg(s, "script", 0)
	if v == nil {
		c.manual(ch, s, sc, true, "bat", "bat without a script: %s", oneLine(s.Raw))
		return
	}
	script, env, markers, why := c.batchScript(v, sc, s.Line)
	if why != "" {
		c.manual(ch, s, sc, true, "bat", "this bat command can't be built: %s", why)
		return
	}
	script, ok := batchLine(tidyScript(script))
	if !ok {
		c.manual(ch, s, sc, true, "bat", "Windows batch script with blocks or labels needs a .cmd file in the repository (or a port to sh): %s", strings.TrimSpace(c.masked(script, "bat", s.Line)))
		return
	}
	script, secrets, ok := c.batSecretEnv(script, s.Line)
	if !ok {
		c.manual(ch, s, sc, true, "bat", "a plain-text secret in this bat command holds %% or \", so cmd would not read it from an environment variable as it reads the literal: move it to a Secret by hand")
		return
	}
	env = append(env, secrets...)
	m := c.marker(s.Line, s.Col, convert.Approximated, "bat", "bat runs cmd.exe in %s: needs Windows nodes (nodeSelector kubernetes.io/os: windows)", tools.Windows)
	st := pipeline.Step{Name: "bat", Comments: append(append(c.stepHead(s, "bat"), m), markers...), Image: tools.Windows,
		Command: []string{"cmd.exe", "/S", "/C"}, Args: []string{script}, Env: env}
	c.durableOptions(s, &st)
	ch.step(sc, st)
}

func (c *conv) pwsh(ch *chain, s *model.Step, sc scope) {
	v := arg(s, "script", 0)
	if v == nil {
		c.manual(ch, s, sc, true, s.Name, "%s without a script: %s", s.Name, oneLine(s.Raw))
		return
	}
	script, env, markers, why := c.pwshScript(v, sc, s.Line, s.Name)
	if why != "" {
		c.manual(ch, s, sc, true, s.Name, "this %s command can't be built: %s", s.Name, why)
		return
	}
	m := c.marker(s.Line, s.Col, convert.Approximated, "powershell", "%s runs in PowerShell on Linux (%s); Windows-only cmdlets need Windows nodes", s.Name, PowerShellImage)
	head := append(c.stepHead(s, s.Name), m)
	if slices.ContainsFunc(sc.nodeSelector, func(b pipeline.Binding) bool { return b.Name == "kubernetes.io/os" && b.Value == "windows" }) {
		// The launcher is sh and the image Linux: a Windows node can't start the pod.
		head = append(head, c.marker(s.Line, s.Col, convert.Manual, "powershell-windows", "this %s step is sh running pwsh in a Linux image, but its task is pinned to Windows nodes (kubernetes.io/os: windows), where the pod can't start: run the step in a task on Linux nodes or port it", s.Name))
	}
	st := pipeline.Step{Name: s.Name, Comments: append(head, markers...), Image: PowerShellImage, Script: psLauncher(script), Env: env}
	c.durableOptions(s, &st)
	ch.step(sc, st)
}

// withEnv parses withEnv(['A=1', "B=${x}"]).
func (c *conv) withEnv(ch *chain, s *model.Step, sc scope) scope {
	l := arg(s, "overrides", 0)
	if l == nil || l.Kind != model.List {
		ch.comment(c.marker(s.Line, s.Col, convert.Manual, "with-env", "withEnv %s is not a literal list; its body runs without it", oneLine(s.Raw)))
		return sc
	}
	var env []pipeline.Env
	for i := range l.List {
		item := &l.List[i]
		if nsc, ok := c.withEnvTool(item, sc); ok {
			sc = nsc
			continue
		}
		text, ok := lit(item)
		if !ok && item.Kind == model.GString {
			text, ok = c.envValue(item, sc, s.Line)
		}
		k, val, found := strings.Cut(text, "=")
		if !ok || !found {
			ch.comment(c.marker(s.Line, s.Col, convert.Manual, "with-env", "withEnv entry %s is not converted", oneLine(item.Raw)))
			continue
		}
		if strings.Contains(k, "+") {
			ch.comment(c.marker(s.Line, s.Col, convert.Manual, "with-env", "%s prepends to %s; set the full value in the step (the image's PATH is not known here)", text, k[:strings.IndexByte(k, '+')]))
			continue
		}
		if lv, isLit := lit(item); isLit {
			_, val, _ = strings.Cut(strings.ReplaceAll(lv, "$(", "$$("), "=")
		}
		env = append(env, pipeline.Env{Name: k, Value: val})
	}
	return sc.withEnv(env...)
}

// withCredentials binds credentials to env (secretKeyRef) or, for files, a Secret workspace.
func (c *conv) withCredentials(ch *chain, s *model.Step, sc scope) scope {
	l := arg(s, "bindings", 0)
	if l == nil || l.Kind != model.List {
		ch.comment(c.marker(s.Line, s.Col, convert.Manual, "credentials", "withCredentials %s is not a literal list", oneLine(s.Raw)))
		return sc
	}
	var env []pipeline.Env
	for i := range l.List {
		b := &l.List[i]
		var kind string
		var args []model.Arg
		switch {
		case b.Kind == model.CallVal && b.Call != nil:
			kind, args = b.Call.Name, b.Call.Args
		case b.Kind == model.Map:
			cls, _ := lit(model.ArgNamed(b.Map, "$class"))
			kind, args = map[string]string{"StringBinding": "string", "UsernamePasswordMultiBinding": "usernamePassword", "FileBinding": "file", "UsernamePasswordBinding": "usernameColonPassword"}[cls], b.Map
		}
		get := func(n string) string { v, _ := lit(model.ArgNamed(args, n)); return v }
		id := get("credentialsId")
		secret, dynamic, examples, ok := c.secretName(model.ArgNamed(args, "credentialsId"), sc)
		if dynamic && (kind == "string" || kind == "usernamePassword" || kind == "usernameColonPassword") {
			id = strings.TrimSpace(model.ArgNamed(args, "credentialsId").Raw)
		} else if id == "" || !ok {
			ch.comment(c.marker(b.Line, b.Col, convert.Manual, "credentials", "credential binding %s has no credentialsId we can name a Secret after (a literal, or one built from params)", oneLine(b.Raw)))
			continue
		}
		switch kind {
		case "string":
			env = append(env, pipeline.Env{Name: get("variable"), SecretName: secret, SecretKey: "secret"})
			c.secretFinding(b.Line, b.Col, "secret text (key secret)", id, secret, dynamic, examples, "kubectl create secret generic %s --from-literal=secret=<value>")
		case "usernamePassword", "usernameColonPassword":
			u, p := get("usernameVariable"), get("passwordVariable")
			if kind == "usernameColonPassword" {
				v := get("variable")
				u, p = v+"_TKN_USER", v+"_TKN_PASSWORD"
				env = append(env, pipeline.Env{Name: u, SecretName: secret, SecretKey: "username"},
					pipeline.Env{Name: p, SecretName: secret, SecretKey: "password"},
					pipeline.Env{Name: v, Value: "$(" + u + "):$(" + p + ")"})
			} else {
				if u != "" {
					env = append(env, pipeline.Env{Name: u, SecretName: secret, SecretKey: "username"})
				}
				if p != "" {
					env = append(env, pipeline.Env{Name: p, SecretName: secret, SecretKey: "password"})
				}
			}
			c.secretFinding(b.Line, b.Col, "username/password (basic-auth)", id, secret, dynamic, examples,
				"kubectl create secret generic %s --type=kubernetes.io/basic-auth --from-literal=username=<user> --from-literal=password=<password>")
		case "file", "sshUserPrivateKey":
			ws := c.secretWorkspace(secret)
			sc.workspaces = append(sc.workspaces, ws)
			if kind == "file" {
				env = append(env, pipeline.Env{Name: get("variable"), Value: "$(workspaces." + ws + ".path)/file"})
				c.find(b.Line, b.Col, convert.Manual, "credentials", "secret file %q → Secret %s mounted as workspace %s", id, secret, ws).Action =
					fmt.Sprintf("kubectl create secret generic %s --from-file=file=<path>", secret)
			} else {
				kv := get("keyFileVariable")
				env = append(env, pipeline.Env{Name: kv, Value: "$(workspaces." + ws + ".path)/ssh-privatekey"})
				// ssh refuses a key others can read, and fsGroup makes the mounted one group-readable.
				sc.prelude = append(append([]string(nil), sc.prelude...), fmt.Sprintf(`(umask 077 && cp "$%[1]s" /tmp/%[1]s.key) && %[1]s=/tmp/%[1]s.key`, kv))
				if u := get("usernameVariable"); u != "" {
					env = append(env, pipeline.Env{Name: u, SecretName: secret, SecretKey: "username"})
				}
				c.find(b.Line, b.Col, convert.Manual, "credentials", "SSH key %q → ssh-auth Secret %s mounted as workspace %s", id, secret, ws).Action =
					fmt.Sprintf("kubectl create secret generic %s --type=kubernetes.io/ssh-auth --from-file=ssh-privatekey=<key file> --from-literal=username=<user>", secret)
			}
		default:
			ch.comment(c.marker(b.Line, b.Col, convert.Manual, "credentials", "credential binding %s is not converted", oneLine(b.Raw)))
		}
	}
	return sc.withEnv(env...)
}

// secretWorkspace declares a Secret-backed Pipeline workspace; steps in scope mount it.
func (c *conv) secretWorkspace(secret string) string {
	ws := "cred-" + secret
	if len(ws) > 63 {
		ws = strings.TrimRight(ws[:63], "-")
	}
	if !c.secretWS[ws] {
		c.secretWS[ws] = true
		c.p.Workspaces = append(c.p.Workspaces, pipeline.Workspace{Name: ws, Description: "Secret " + secret, Secret: secret})
	}
	return ws
}

func (c *conv) checkoutStep(ch *chain, s *model.Step, sc scope) {
	a := arg(s, "scm", 0)
	if a != nil && strings.TrimSpace(a.Raw) == "scm" {
		if !c.checkout {
			c.checkout = true
			c.checkoutFrom = c.from(s.Line, "checkout scm")
		}
		c.find(s.Line, s.Col, convert.Converted, "checkout", "checkout scm → the fetch-source git-clone task")
		if sc.dir != "" {
			ch.comment(c.marker(s.Line, s.Col, convert.Approximated, "checkout", "checkout scm inside dir(%q): the source is cloned at the workspace root", sc.dir))
		}
		return
	}
	url := findNamedLiteral(s, "url")
	branch := findNamedLiteral(s, "name")
	if url == "" {
		c.manual(ch, s, sc, true, "checkout", "checkout %s is not a literal git checkout; %s", oneLine(s.Raw), original(s))
		return
	}
	c.gitClone(ch, s, sc, url, branch)
}

func (c *conv) gitStep(ch *chain, s *model.Step, sc scope) {
	url, ok := litArg(s, "url", 0)
	if !ok {
		c.manual(ch, s, sc, true, "git", "git %s has no literal url; %s", oneLine(s.Raw), original(s))
		return
	}
	branch, _ := litArg(s, "branch", -1)
	if branch == "" {
		branch = "master"
	}
	c.gitClone(ch, s, sc, url, branch)
}

// gitClone: at the workspace root a git step is taken to be the repository itself (PaC clones
// it); inside dir() it clones another repository with the git CLI.
func (c *conv) gitClone(ch *chain, s *model.Step, sc scope, url, branch string) {
	branch = strings.TrimPrefix(strings.TrimPrefix(branch, "*/"), "refs/heads/")
	if sc.dir == "" && (c.rootGit == "" || c.rootGit == url) {
		c.checkout, c.rootGit = true, url
		c.find(s.Line, s.Col, convert.Approximated, "git", "git %s at the workspace root is taken as this repository: fetch-source clones it at the PaC revision (branch %q is not forced)", url, branch)
		return
	}
	if sc.dir == "" {
		// Another repository at the root: Jenkins fetches it into the workspace's repository and
		// checks it out over the files there, untracked ones staying.
		m := c.marker(s.Line, s.Col, convert.Approximated, "git", "git %s replaces the checkout of %s at the workspace root, with the git CLI; a private repository needs credentials (a basic-auth or ssh-directory Secret)", url, c.rootGit)
		ch.step(sc, pipeline.Step{Name: "git-checkout", Comments: append(c.stepHead(s, s.Name), m), Image: GitImage,
			Env: []pipeline.Env{{Name: "GIT_URL", Value: url}, {Name: "GIT_BRANCH", Value: branch}},
			Script: "git -c safe.directory='*' init -q .\n" +
				"git -c safe.directory='*' fetch -q --depth 1 \"$GIT_URL\" \"$GIT_BRANCH\"\n" +
				"git -c safe.directory='*' checkout -q -f FETCH_HEAD\n"})
		return
	}
	env := []pipeline.Env{{Name: "GIT_URL", Value: url}}
	script := `git clone "$GIT_URL" .` + "\n"
	if branch != "" {
		env = append(env, pipeline.Env{Name: "GIT_BRANCH", Value: branch})
		script = `git clone --branch "$GIT_BRANCH" "$GIT_URL" .` + "\n"
	}
	m := c.marker(s.Line, s.Col, convert.Approximated, "git", "git clone of %s with the git CLI; a private repository needs credentials (a basic-auth or ssh-directory Secret)", url)
	ch.step(sc, pipeline.Step{Name: "git-clone", Comments: append(c.stepHead(s, s.Name), m), Image: GitImage, Script: script, Env: env})
}

func (c *conv) writeFile(ch *chain, s *model.Step, sc scope) {
	file, ok1 := litArg(s, "file", 0)
	tv := arg(s, "text", 1)
	var text string
	ok2 := false
	if tv != nil {
		text, ok2 = c.envValue(tv, sc, s.Line)
	}
	if !ok1 || !ok2 {
		c.manual(ch, s, sc, true, "write-file", "writeFile %s has run-time content; %s", oneLine(s.Raw), original(s))
		return
	}
	ch.step(sc, pipeline.Step{Name: "write-file", Comments: c.stepHead(s, "writeFile"),
		Env:    []pipeline.Env{{Name: "TKN_FILE_TEXT", Value: text}},
		Script: "printf '%s' \"$TKN_FILE_TEXT\" > " + shellQuote(file) + "\n"})
}

// wrapper converts a block step whose body we can still convert, marking what it did.
func (c *conv) wrapper(ch *chain, s *model.Step, sc scope) {
	switch s.Name {
	case "podTemplate":
		c.podTemplate(s, &sc)
	case "timestamps", "ansiColor", "wrap", "ws", "node":
		c.find(s.Line, s.Col, convert.Approximated, "wrapper", "%s: its body is converted; the wrapper itself has no Tekton form", oneLine(s.Raw))
	case "stage":
		n, _ := litArg(s, "name", 0)
		if len(s.Body) > 0 && ch.cur != nil {
			ch.comment(c.from(s.Line, "stage("+quoteGroovy(n)+") nested in steps"))
		}
	default:
		ch.comment(c.marker(s.Line, s.Col, convert.Manual, "wrapper", "%s is not converted; the steps inside run without it", oneLine(s.Raw)))
	}
	c.steps(ch, s.Body, sc)
}

// parallelInline: parallel inside steps can't fork a task; its branches run one after another.
func (c *conv) parallelInline(ch *chain, s *model.Step, sc scope) {
	branches := c.branchesOf(s)
	if branches == nil {
		c.manual(ch, s, sc, true, "parallel", "parallel over a computed map; %s", original(s))
		return
	}
	ch.comment(c.marker(s.Line, s.Col, convert.Approximated, "parallel", "parallel branches inside a step list run one after another in this task"))
	for _, b := range branches {
		c.withBinds(b, func() { c.steps(ch, b.body, sc) })
	}
}

type branch struct {
	name string
	line int
	body []*model.Step
	raw  string // source, for branches of a map no parallel runs
	// binds are the Groovy literals when the closure was made (loop variables of an unrolled loop).
	binds map[string]string
}

// withBinds runs fn with the branch's captured literals in scope.
func (c *conv) withBinds(b branch, fn func()) {
	if b.binds == nil {
		fn()
		return
	}
	saved := c.literals
	c.literals = make(map[string]string, len(saved)+len(b.binds))
	for k, v := range saved {
		c.literals[k] = v
	}
	for k, v := range b.binds {
		c.literals[k] = v
	}
	fn()
	c.literals = saved
}

var indexRE = lazyre.New(`^([A-Za-z_]\w*)\s*\[(.+)\]$`)

// groovyKey evaluates a map key written as a string literal, resolving ${var} from known
// literals; anything else is kept as written (it only names the branch).
func (c *conv) groovyKey(k string) string {
	k = strings.TrimSpace(k)
	if v, ok := c.literals[k]; ok && identRE.MatchString(k) {
		return v // branches[name] with name bound to a literal
	}
	if len(k) >= 2 && (k[0] == '\'' || k[0] == '"') && k[len(k)-1] == k[0] {
		k = k[1 : len(k)-1]
	}
	return gstringVar.ReplaceAllStringFunc(k, func(m string) string {
		n := strings.Trim(m, "${}")
		if v, ok := c.literals[n]; ok {
			return v
		}
		return m
	})
}

var gstringVar = lazyre.New(`\$\{?[A-Za-z_]\w*\}?`)

// branchesOf returns the branches of parallel: literal closures, or a map variable filled
// with closures earlier in the file.
func (c *conv) branchesOf(s *model.Step) []branch {
	if b := parallelBranches(s); b != nil {
		return b
	}
	if b := c.collectBranches(s.Positional(0)); b != nil {
		c.find(s.Line, s.Col, convert.Converted, "parallel-collect", "parallel over %s → %d branches, one per item of the literal list", oneLine(s.Positional(0).Raw), len(b))
		return b
	}
	if v := s.Positional(0); v != nil {
		if b, ok := c.branchMaps[strings.TrimSpace(v.Raw)]; ok && len(b) > 0 {
			c.usedMaps[strings.TrimSpace(v.Raw)] = true
			return b
		}
	}
	return nil
}

// parallelBranches reads parallel('a': {...}, b: {...}) or parallel([a: {...}]); nil if computed.
func parallelBranches(s *model.Step) []branch {
	var out []branch
	add := func(args []model.Arg) bool {
		for _, a := range args {
			if a.Name == "failFast" {
				continue
			}
			if a.Value.Kind != model.Closure {
				return false
			}
			out = append(out, branch{name: strings.Trim(a.Name, `'"`), line: a.Value.Line, body: a.Value.Body})
		}
		return true
	}
	named := false
	for _, a := range s.Args {
		if a.Name != "" {
			named = true
		}
	}
	if named {
		if !add(s.Args) {
			return nil
		}
		return out
	}
	if v := s.Positional(0); v != nil && v.Kind == model.Map {
		if !add(v.Map) {
			return nil
		}
		return out
	}
	return nil
}

// properties reads scripted properties([parameters([...]), pipelineTriggers([...]), buildDiscarder(...)]).
func (c *conv) properties(s *model.Step) {
	l := s.Positional(0)
	if l == nil || l.Kind != model.List {
		c.find(s.Line, s.Col, convert.Manual, "properties", "properties %s is not a literal list", oneLine(s.Raw))
		return
	}
	for i := range l.List {
		v := &l.List[i]
		if v.Kind != model.CallVal || v.Call == nil {
			c.find(v.Line, v.Col, convert.Manual, "properties", "job property %s is not converted", oneLine(v.Raw))
			continue
		}
		inner := v.Call.Positional(0)
		var list []*model.Step
		if inner != nil && inner.Kind == model.List {
			for j := range inner.List {
				if inner.List[j].Kind == model.CallVal {
					list = append(list, inner.List[j].Call)
				}
			}
		}
		switch v.Call.Name {
		case "parameters":
			c.parameters(list)
		case "pipelineTriggers":
			c.triggers(list)
		default:
			var sc scope
			c.options([]*model.Step{v.Call}, nil, &sc)
		}
	}
}

// unknown handles a call that is neither a known step nor mapped: a plugin step or a
// shared-library global.
func (c *conv) unknown(ch *chain, s *model.Step, sc scope) {
	lib := "a plugin step or a shared library loaded implicitly by Jenkins"
	if len(c.libs) > 0 {
		lib = "probably from shared library " + strings.Join(c.libs, ", ")
	}
	c.manual(ch, s, sc, true, "unknown-step", "%s is not converted (%s); map it with --mapping; %s", s.Path(), lib, original(s))
	// A plugin block step's body still runs once; a closure passed to a method on an object
	// (list.each, map.combinations) may run any number of times, so it stays in the marker.
	if len(s.Body) > 0 && s.Receiver == nil {
		c.steps(ch, s.Body, sc)
	}
}

// batchLine joins a batch script's lines with & for cmd.exe /C, which runs them in order
// whatever each returns and exits with the last one's code, as a .bat file does. Scripts with
// blocks, labels or goto can't be joined.
func batchLine(script string) (string, bool) {
	var lines []string
	for _, l := range strings.Split(script, "\n") {
		l = strings.TrimSpace(l)
		low := strings.ToLower(l)
		switch {
		case l == "", strings.HasPrefix(low, "rem ") || low == "rem", strings.HasPrefix(l, "::"):
			continue
		case strings.HasPrefix(l, ":"), strings.Contains(low, "goto "), strings.HasSuffix(l, "("), strings.HasPrefix(l, ")"):
			return script, false
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, " & "), len(lines) > 0
}

var (
	forInRE  = lazyre.New(`^\s*(?:def\s+|String\s+|final\s+)?([A-Za-z_]\w*)\s+in\s+\[(.*)\]\s*$`)
	listItem = lazyre.New(`^\s*(?:'([^'\\]*)'|"([^"\\$]*)"|(-?\d+))\s*$`)
)

// literalLoop reads "x in ['a', 'b']" (a loop over a literal list of plain strings or numbers).
func literalLoop(cond string) (string, []string, bool) {
	m := forInRE.FindStringSubmatch(cond)
	if m == nil {
		return "", nil, false
	}
	var items []string
	if strings.TrimSpace(m[2]) == "" {
		return m[1], nil, true
	}
	for _, part := range strings.Split(m[2], ",") {
		im := listItem.FindStringSubmatch(part)
		if im == nil {
			return "", nil, false
		}
		items = append(items, im[1]+im[2]+im[3])
	}
	return m[1], items, true
}

// setEnv converts env.NAME = value: the build's environment from here on, in this task and in
// every later one; an environment {} or withEnv of the same name still wins, as in Jenkins.
func (c *conv) setEnv(s *model.Step, n, v string, sc scope) scope {
	if sc.hasEnv(n) && !c.setEnvs[n] {
		c.find(s.Line, s.Col, convert.Approximated, "env", "env.%s = ... has no effect in Jenkins where environment {} or withEnv sets %s; it is dropped", n, n)
		return sc
	}
	c.setEnvs[n] = true
	e := pipeline.Env{Name: n, Value: v}
	c.lateEnv = append(c.lateEnv, e)
	c.find(s.Line, s.Col, convert.Converted, "env", "env.%s set for the steps after it, in this task and the later ones", n)
	return sc.withEnv(e)
}

// sshAgent converts sshagent([ids]) { }: each key's ssh-auth Secret is mounted and every shell
// step inside starts an ssh-agent holding the keys, as the plugin's agent served ssh, git and scp.
func (c *conv) sshAgent(ch *chain, s *model.Step, sc scope) scope {
	var vals []model.Value
	if l := arg(s, "credentials", 0); l != nil && l.Kind == model.List {
		vals = l.List
	} else if l != nil {
		vals = []model.Value{*l}
	}
	var secrets []string
	for i := range vals {
		id, ok := lit(&vals[i])
		secret, _, _, ok2 := c.secretName(&vals[i], sc)
		if !ok || !ok2 {
			ch.comment(c.marker(s.Line, s.Col, convert.Manual, "sshagent", "sshagent credential %s is not a literal id; the steps inside run without that key", oneLine(vals[i].Raw)))
			continue
		}
		secrets = append(secrets, secret)
		c.find(s.Line, s.Col, convert.Manual, "credentials", "SSH key %q of sshagent → ssh-auth Secret %s, loaded into an ssh-agent by each shell step inside (the image needs ssh-agent; known_hosts must list the hosts as on the Jenkins agent)", id, secret).Action =
			fmt.Sprintf("kubectl create secret generic %s --type=kubernetes.io/ssh-auth --from-file=ssh-privatekey=<key file>", secret)
	}
	if len(secrets) == 0 {
		return sc
	}
	lines := []string{`eval "$(ssh-agent -s)" >/dev/null`}
	for _, secret := range secrets {
		ws := c.secretWorkspace(secret)
		sc.workspaces = append(append([]string(nil), sc.workspaces...), ws)
		// ssh-add - reads the key from stdin: no permission check on the group-readable mount.
		lines = append(lines, "ssh-add -q - < $(workspaces."+ws+".path)/ssh-privatekey")
	}
	sc.prelude = append(append([]string(nil), sc.prelude...), lines...)
	return sc
}

// loopItems reads a loop over a list known statically: for (x in [...]) or for (x in list),
// for (String x : list), and [...].each { x -> } or list.each { } (it); the variable and items.
func (c *conv) loopItems(s *model.Step) (string, []string, bool) {
	items := func(src string) ([]string, bool) {
		src = strings.TrimSpace(src)
		if l, ok := c.lists[src]; ok {
			return l, true
		}
		_, it, ok := literalLoop("x in " + src)
		return it, ok
	}
	if s.Name == "each" || s.Name == "forEach" {
		v := "it"
		if len(s.Params) == 1 {
			v = s.Params[0]
		} else if len(s.Params) > 1 {
			return "", nil, false
		}
		it, ok := items(s.Cond)
		return v, it, ok
	}
	m := forEachRE.FindStringSubmatch(s.Cond)
	if m == nil {
		return "", nil, false
	}
	it, ok := items(m[2])
	return m[1], it, ok
}

var forEachRE = lazyre.New(`^\s*(?:def\s+|String\s+|final\s+(?:String\s+)?)?([A-Za-z_]\w*)\s*(?:\bin\b|:)\s*(.+?)\s*$`)

// workspaceDir matches a path under the workspace written with WORKSPACE: ${env.WORKSPACE}/x, $WORKSPACE/x.
var workspaceDir = lazyre.New(`^\$(?:\{(?:env\.)?WORKSPACE\}|WORKSPACE\b)/*(.*)$`)

// DockerCLIImage runs the docker CLI for docker.build and push against the dind sidecar.
const DockerCLIImage = "docker.io/library/docker:27-cli"

// withRegistry converts docker.withRegistry(url, credentialsId) { }: pushes inside go to that
// registry, logged in with the credential's basic-auth Secret, as docker-workflow does.
func (c *conv) withRegistry(ch *chain, s *model.Step, sc scope) scope {
	u, ok := litArg(s, "url", 0)
	if !ok {
		ch.comment(c.marker(s.Line, s.Col, convert.Manual, "docker-registry", "docker.withRegistry %s has no literal URL; images inside are pushed to Docker Hub", oneLine(s.Raw)))
		return sc
	}
	host := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), "/")
	sc.registry = host
	sc.registryEnv = nil
	if v := arg(s, "credentialsId", 1); v != nil {
		secret, _, _, ok := c.secretName(v, sc)
		if !ok {
			ch.comment(c.marker(s.Line, s.Col, convert.Manual, "docker-registry", "docker.withRegistry credential %s is not a literal id; pushes are not logged in", oneLine(v.Raw)))
			return sc
		}
		sc.registryEnv = []pipeline.Env{{Name: "TKN_REGISTRY_USER", SecretName: secret, SecretKey: "username"}, {Name: "TKN_REGISTRY_PASSWORD", SecretName: secret, SecretKey: "password"}}
		id, _ := lit(v)
		c.find(s.Line, s.Col, convert.Manual, "credentials", "registry credential %q of docker.withRegistry → basic-auth Secret %s, used by docker login before builds and pushes inside", id, secret).Action =
			fmt.Sprintf("kubectl create secret generic %s --type=kubernetes.io/basic-auth --from-literal=username=<user> --from-literal=password=<password>", secret)
	}
	return sc
}

// registryLogin is the docker login a step inside withRegistry runs first.
func registryLogin(sc scope) (string, []pipeline.Env) {
	if len(sc.registryEnv) == 0 {
		return "", nil
	}
	env := append([]pipeline.Env{{Name: "TKN_REGISTRY", Value: sc.registry}}, sc.registryEnv...)
	return `printf '%s' "$TKN_REGISTRY_PASSWORD" | docker login -u "$TKN_REGISTRY_USER" --password-stdin "$TKN_REGISTRY"` + "\n", env
}

// dockerBuild converts def img = docker.build("name:tag"[, "args"]): docker build against the
// task's dind sidecar; img.push() then pushes that name.
func (c *conv) dockerBuild(ch *chain, s *model.Step, name string, sc scope) bool {
	v := arg(s, "image", 0)
	img, ok := c.envValue(v, sc, s.Line)
	if !ok || !identRE.MatchString(strings.TrimPrefix(name, "def ")) {
		return false
	}
	args := "."
	if a := arg(s, "args", 1); a != nil {
		if args, ok = lit(a); !ok {
			return false
		}
	}
	login, env := registryLogin(sc)
	env = append([]pipeline.Env{{Name: "TKN_IMAGE", Value: img}}, env...)
	c.dockerImages[strings.TrimPrefix(name, "def ")] = img
	ch.usesDocker(s.Line)
	c.find(s.Line, s.Col, convert.Converted, "docker-build", "docker.build → docker build -t %s %s in the task (its Docker daemon is a dind sidecar)", img, args)
	ch.step(sc, pipeline.Step{Name: "docker-build", Comments: c.stepHead(s, "docker.build"), Env: env, Image: DockerCLIImage,
		Script: login + `docker build -t "$TKN_IMAGE" ` + args + "\n"})
	return true
}

// dockerPush converts img.push([tag]): inside withRegistry the image goes to that registry.
func (c *conv) dockerPush(ch *chain, s *model.Step, img string, sc scope) {
	tag := ""
	if a := arg(s, "tagName", 0); a != nil {
		t, ok := c.envValue(a, sc, s.Line)
		if !ok {
			c.manual(ch, s, sc, true, "docker-push", "push tag %s is computed by Groovy; %s", oneLine(a.Raw), original(s))
			return
		}
		tag = t
	}
	login, env := registryLogin(sc)
	env = append([]pipeline.Env{{Name: "TKN_IMAGE", Value: img}, {Name: "TKN_TAG", Value: tag}, {Name: "TKN_PUSH_REGISTRY", Value: sc.registry}}, env...)
	ch.usesDocker(s.Line)
	ch.step(sc, pipeline.Step{Name: "docker-push", Comments: c.stepHead(s, oneLine(s.Raw)), Env: env, Image: DockerCLIImage, Script: login +
		`src="$TKN_IMAGE"` + "\n" +
		`case "${src##*/}" in *:*) name="${src%:*}"; tag="${src##*:}" ;; *) name="$src"; tag=latest ;; esac` + "\n" +
		`[ -z "$TKN_TAG" ] || tag="$TKN_TAG"` + "\n" +
		`dst="${TKN_PUSH_REGISTRY:+$TKN_PUSH_REGISTRY/}$name:$tag"` + "\n" +
		`[ "$dst" = "$src" ] || docker tag "$src" "$dst"` + "\n" +
		`docker push "$dst"` + "\n"})
}
