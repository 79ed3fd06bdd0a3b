package jenkins

import (
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// scripted converts a scripted pipeline: node/stage/parallel give the task graph, steps map
// as in declarative, and other Groovy becomes markers holding its source.
func (c *conv) scripted(s *model.Script) {
	c.p.Comments = append(c.p.Comments, c.from(1, "scripted pipeline"))
	if s == nil {
		return
	}
	c.block(s.Stmts, nil, scope{}, "", "")
}

// block converts a statement list into tasks; plain steps collect into one task named after
// the enclosing stage. It returns the tail task names.
func (c *conv) block(stmts []*model.Step, after []string, sc scope, name, what string) []string {
	var cur *chain
	headLine := 0
	if what == "" {
		what = "steps outside any stage"
		if name != "" {
			what = "stage(" + quoteGroovy(name) + ")"
		}
	}
	flush := func() {
		if name == "" && cur != nil && cur.cur != nil && len(cur.cur.Steps) == 0 && len(cur.tasks) == 0 {
			// Only markers (Groovy defs, properties): they go on the Pipeline, not on an empty task.
			c.p.Comments = append(c.p.Comments, cur.cur.Comments[min(1, len(cur.cur.Comments)):]...)
			cur = nil
		}
		if cur != nil {
			after = cur.close()
			cur = nil
		}
		headLine = 0
	}
	ensure := func(line int) *chain {
		if cur == nil {
			if headLine == 0 {
				headLine = line
			}
			n := name
			if n == "" {
				n = "build"
			}
			cur = c.newChain(n, []string{c.from(headLine, what)}, after, sc)
			if c.pipelineRetries > 0 {
				cur.retries = c.pipelineRetries
			}
			for _, m := range sc.comments {
				cur.comment(m)
			}
			sc.comments = nil
		}
		return cur
	}
	for _, s := range stmts {
		if f := c.funcs[s.Name]; f != nil && s.Kind == model.Call && s.Receiver == nil && c.structural(f.Body) && !c.recursive(f.Name) {
			// A function holding stages or nodes: its body is inlined here, so each stage becomes
			// a task as it would at top level.
			flush()
			c.funcCall(nil, s, f, sc, func() {
				c.find(s.Line, s.Col, convert.Converted, "inline-stages", "call of %s (line %d) holds stages or nodes: its body is inlined as tasks", f.Name, f.Line)
				after = c.block(f.Body, after, sc, name, what)
			})
			continue
		}
		if s.Kind == model.Call {
			switch s.Path() {
			case "node":
				flush()
				nsc := sc
				if l, ok := c.staticString(arg(s, "label", 0), sc); ok {
					c.label(l, &nsc, s.Line, s.Col, "node")
				}
				after = c.block(s.Body, after, nsc, name, what)
				continue
			case "stage":
				n, ok := c.staticString(arg(s, "name", 0), sc)
				if !ok {
					n = "stage"
					c.find(s.Line, s.Col, convert.Manual, "stage-name", "stage name %s is computed at run time", oneLine(s.Raw))
				}
				flush()
				ssc := sc
				ssc.stage = "stage:" + quoteGroovy(n)
				if len(s.Body) == 0 {
					// Old form: stage 'x' lasts until the next stage call.
					name, headLine, what, sc = n, s.Line, "stage "+quoteGroovy(n), ssc
					continue
				}
				after = c.block(s.Body, after, ssc, n, "stage("+quoteGroovy(n)+")")
				continue
			case "parallel":
				branches := c.branchesOf(s)
				if branches == nil {
					ensure(s.Line)
					c.parallelInline(cur, s, sc)
					continue
				}
				flush()
				var tails []string
				for _, b := range branches {
					bn := b.name
					if name != "" {
						bn = name + "-" + b.name
					}
					before := len(c.p.Tasks)
					c.withBinds(b, func() {
						tails = append(tails, c.block(b.body, after, sc, bn, "parallel branch "+quoteGroovy(b.name))...)
					})
					c.isolate(c.p.Tasks[before:], bn, b.line, 0)
				}
				after = tails
				continue
			case "docker.image.inside", "withDockerContainer", "dir", "withEnv", "withCredentials", "container", "timestamps", "ansiColor", "wrap", "podTemplate", "ws":
				if c.structural(s.Body) {
					flush()
					ch := c.newChain("x", nil, nil, sc)
					ch.scratch = true
					inner := c.blockScope(ch, s, sc)
					after = c.block(s.Body, after, inner, name, what)
					continue
				}
			}
		}
		if s.Kind == model.Try && c.structural(s.Body) {
			flush()
			after = c.block(s.Body, after, sc, name, what)
			for _, ct := range s.Catches {
				c.p.Comments = append(c.p.Comments, c.marker(ct.Line, 0, convert.Manual, "catch", "catch (%s) around stages is not converted; %s", ct.Param, catchText(ct)))
			}
			if len(s.Finally) > 0 {
				c.find(s.Line, s.Col, convert.Converted, "finally", "finally block around stages → a finally task")
				c.post([]model.PostCondition{{Line: s.Line, Condition: "always", Steps: s.Finally}}, sc, nil, s.Line)
			}
			continue
		}
		if s.Kind == model.If && c.structural(s.Body) {
			flush()
			w := &model.When{Line: s.Line, Col: s.Col, Conditions: []model.Condition{{Line: s.Line, Name: "expression", Raw: s.Cond,
				Args: []model.Arg{{Value: model.Value{Kind: model.Closure, Str: s.Cond}}}}}}
			bsc := c.when(w, sc, "if-"+orDefault(name, "block"))
			tails := c.block(s.Body, after, bsc, name, what)
			if len(s.Else) > 0 {
				nw := &model.When{Line: s.Line, Col: s.Col, Conditions: []model.Condition{{Line: s.Line, Name: "not", Children: w.Conditions}}}
				esc := c.when(nw, sc, "else-"+orDefault(name, "block"))
				tails = append(tails, c.block(s.Else, after, esc, name, what)...)
			}
			after = tails
			continue
		}
		if v, items, ok := c.loopItems(s); ok && s.Kind == model.Loop && c.structural(s.Body) {
			// A loop over a known list runs its stages once per item, one after another.
			flush()
			c.find(s.Line, s.Col, convert.Converted, "loop", "loop %s over a literal list → its stages once per item, with %s bound", oneLine(s.Cond), v)
			old, had := c.literals[v]
			for _, it := range items {
				c.literals[v] = it
				after = c.block(s.Body, after, sc, name, what)
			}
			if had {
				c.literals[v] = old
			} else {
				delete(c.literals, v)
			}
			continue
		}
		if s.Kind == model.Loop && c.structural(s.Body) {
			ensure(s.Line)
			c.manual(cur, s, sc, true, "loop", "loop %s builds stages at run time; %s", oneLine(s.Cond), original(s))
			continue
		}
		ensure(s.Line)
		sc = c.step(cur, s, sc)
	}
	flush()
	return after
}

// blockScope applies a wrapper step's scope (image, dir, env, credentials) for its body.
func (c *conv) blockScope(ch *chain, s *model.Step, sc scope) scope {
	switch s.Path() {
	case "docker.image.inside":
		if s.Receiver != nil && s.Receiver.Call != nil {
			if img, ok := litArg(s.Receiver.Call, "id", 0); ok {
				sc.image = img
			}
		}
	case "withDockerContainer":
		if img, ok := litArg(s, "image", 0); ok {
			sc.image = img
		}
	case "dir":
		if d, ok := litArg(s, "path", 0); ok {
			sc.dir = d
		}
	case "withEnv":
		sc = c.withEnv(ch, s, sc)
	case "withCredentials":
		sc = c.withCredentials(ch, s, sc)
	case "container":
		if n, ok := litArg(s, "name", 0); ok && sc.kube[n] != "" {
			sc.image = sc.kube[n]
		}
	case "podTemplate":
		c.podTemplate(s, &sc)
	default:
		c.find(s.Line, s.Col, convert.Approximated, "wrapper", "%s: its body is converted; the wrapper itself has no Tekton form", oneLine(s.Raw))
	}
	for _, m := range ch.tasksComments() {
		sc.comments = append(sc.comments, m)
	}
	return sc
}

// podTemplate reads a scripted pod template's containers (yaml: and containerTemplate entries)
// so container('x') and agentContainer pick their images, as the kubernetes plugin runs them.
func (c *conv) podTemplate(s *model.Step, sc *scope) {
	kube := map[string]string{}
	for k, v := range sc.kube {
		kube[k] = v // a nested podTemplate inherits its parent's containers
	}
	if y, ok := litArg(s, "yaml", -1); ok {
		m, err := podImages(y)
		if err != nil {
			sc.comments = append(sc.comments, c.marker(s.Line, s.Col, convert.Manual, "pod-template", "podTemplate yaml does not parse (%v); pick step images by hand", err))
		}
		for k, v := range m {
			kube[k] = v
		}
	} else if arg(s, "yaml", -1) != nil || arg(s, "yamlFile", -1) != nil {
		sc.comments = append(sc.comments, c.marker(s.Line, s.Col, convert.Manual, "pod-template", "podTemplate yaml is not a literal; pick step images by hand"))
	}
	if cs := arg(s, "containers", -1); cs != nil && cs.Kind == model.List {
		for _, v := range cs.List {
			if v.Kind != model.CallVal || v.Call == nil || v.Call.Name != "containerTemplate" {
				continue
			}
			n, ok1 := litArg(v.Call, "name", -1)
			img, ok2 := litArg(v.Call, "image", -1)
			if ok1 && ok2 {
				kube[n] = img
			}
		}
	}
	sc.kube = kube
	if ac, ok := litArg(s, "agentContainer", -1); ok && kube[ac] != "" {
		sc.image = kube[ac] // steps outside container() run in the agent container
	}
	c.find(s.Line, s.Col, convert.Approximated, "pod-template", "podTemplate: its containers' images become step images; other pod settings (volumes, resources, serviceAccount) need a podTemplate on the PipelineRun")
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
