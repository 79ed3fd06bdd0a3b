package upgrade

import (
	"fmt"

	"go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// conditionsToWhen replaces pipeline task conditions with a check task that writes a
// result and a when expression on it. A failed Condition used to skip the guarded task
// and everything after it, so the when is copied onto every dependent too.
type conditionsToWhen struct{ s *docState }

func (f conditionsToWhen) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	if f.s.kind == "Condition" {
		f.conditionTask(rn.YNode())
		return rn, nil
	}
	for _, ps := range pipelineSpecs(f.s.kind, rn.YNode()) {
		f.pipeline(ps)
	}
	return rn, nil
}

func (f conditionsToWhen) pipeline(ps *yaml.Node) {
	s := f.s
	tasks := get(ps, "tasks")
	var checks []*yaml.Node
	guards := map[string][]*yaml.Node{} // guarded task → its when entries
	var guarded []string
	for _, pt := range items(tasks) {
		ck := keyNode(pt, "conditions")
		if ck == nil {
			continue
		}
		tname := str(pt, "name")
		conds := items(del(pt, "conditions"))
		for i, c := range conds {
			cname := str(c, "conditionRef")
			check := "check-" + tname
			if len(conds) > 1 {
				check = fmt.Sprintf("check-%s-%d", tname, i+1)
			}
			if e := s.idx.lookup("Condition", cname); e != nil {
				checks = append(checks, f.checkTask(check, c, get(e.node, "spec")))
			} else {
				// Still guarded: by the Task converting the Condition's file emits, or the run fails to resolve it.
				ct := f.checkRef(check, c, cname)
				s.markerAt(path(ct, "taskRef", "name"), keyNode(c, "conditionRef"), "condition-missing", "condition %s is not in the input: check task %s runs Task %s, which converting the Condition's file emits; until that Task is applied the run fails instead of running %s unguarded", cname, check, conditionTaskName(cname), tname)
				checks = append(checks, ct)
			}
			w := mapping("input", "$(tasks."+check+".results.passed)", "operator", "in", "values", strSeq("true"))
			guards[tname] = append(guards[tname], w)
		}
		if len(guards[tname]) > 0 {
			guarded = append(guarded, tname)
			wl := ensureSeq(pt, "when", "taskRef", "taskSpec", "params", "workspaces", "resources")
			wl.Content = append(wl.Content, guards[tname]...)
			s.note(ck, convert.Converted, "condition-when", "conditions of task %s became check tasks and when expressions", tname)
		}
	}
	if len(checks) == 0 {
		return
	}
	// Dependents (by runAfter, from or result use) of a guarded task get its when too.
	deps := dependents(ps)
	for _, g := range guarded {
		for _, d := range closure(deps, g) {
			pt := byName(tasks, d)
			if pt == nil {
				continue
			}
			wl := ensureSeq(pt, "when", "taskRef", "taskSpec", "params", "workspaces", "resources")
			for _, w := range guards[g] {
				wl.Content = append(wl.Content, clone(w))
			}
			s.note(keyNode(pt, "name"), convert.Approximated, "condition-dependents", "task %s depends on %s, which a Condition guarded: the when is copied so it is skipped too, as a failed Condition skipped dependents", d, g)
		}
	}
	tasks.Content = append(checks, tasks.Content...)
}

// conditionTaskName is the Task a Condition becomes, by convention, so that Pipelines converted
// apart from it still reference it.
func conditionTaskName(cond string) string { return dnsLabel("condition-" + cond) }

// conditionTask turns a Condition document into the check Task its Pipelines reference.
func (f conditionsToWhen) conditionTask(r *yaml.Node) {
	md := get(r, "metadata")
	name := str(md, "name")
	pt := f.checkTask("x", mapping(), get(r, "spec"))
	get(r, "kind").Value = "Task"
	set(md, "name", scalar(conditionTaskName(name)))
	set(r, "spec", get(pt, "taskSpec"))
	f.s.kind = "Task"
	f.s.note(keyNode(r, "kind"), convert.Converted, "condition-task", "Condition %s became Task %s: its check writes result passed, which Pipelines converted apart from it guard their tasks with", name, conditionTaskName(name))
}

// checkRef is a check task running the Task a Condition not in the input becomes.
func (f conditionsToWhen) checkRef(name string, use *yaml.Node, cond string) *yaml.Node {
	return withUse(mapping("name", name, "taskRef", mapping("name", conditionTaskName(cond))), use)
}

// withUse gives a check task the params and resources its conditions entry passed.
func withUse(pt, use *yaml.Node) *yaml.Node {
	if p := get(use, "params"); p != nil {
		pt.Content = append(pt.Content, scalar("params"), clone(p))
	}
	if r := get(use, "resources"); r != nil {
		pt.Content = append(pt.Content, scalar("resources"), mapping("inputs", clone(r)))
	}
	return pt
}

// checkTask builds a pipeline task running the Condition's check container and
// writing "true" or "false" to result passed.
func (f conditionsToWhen) checkTask(name string, use, cond *yaml.Node) *yaml.Node {
	check := clone(get(cond, "check"))
	if check == nil {
		check = mapping("image", "docker.io/library/busybox:1.36", "script", "exit 1")
	}
	del(check, "name")
	check.Content = append([]*yaml.Node{scalar("name"), scalar("check")}, check.Content...)
	set(check, "onError", scalar("continue"))
	walkValues(check, func(n *yaml.Node) {
		n.Value = fixCondVars(alphaVars.Replace(n.Value))
	})
	sc := scalar(`#!/bin/sh
if [ "$(cat $(steps.step-check.exitCode.path))" = 0 ]; then
  printf true > $(results.passed.path)
else
  printf false > $(results.passed.path)
fi
`)
	sc.Style = yaml.LiteralStyle
	record := mapping("name", "record", "image", "docker.io/library/busybox:1.36", "script", sc)
	ts := mapping()
	if p := get(cond, "params"); p != nil {
		ts.Content = append(ts.Content, scalar("params"), clone(p))
	}
	if r := get(cond, "resources"); r != nil {
		ts.Content = append(ts.Content, scalar("resources"), mapping("inputs", clone(r)))
	}
	ts.Content = append(ts.Content,
		scalar("results"), seq(mapping("name", "passed", "description", "whether the former Condition's check passed")),
		scalar("steps"), seq(check, record))
	return withUse(mapping("name", name, "taskSpec", ts), use)
}

// condVar matches the Condition variable form $(resources.R.KEY).
var condVar = lazyre.New(`\$\(resources\.([A-Za-z0-9_-]+)\.`)

func fixCondVars(v string) string {
	return condVar.ReplaceAllStringFunc(v, func(m string) string {
		r := condVar.FindStringSubmatch(m)[1]
		if r == "inputs" || r == "outputs" {
			return m
		}
		return "$(resources.inputs." + r + "."
	})
}

var taskRefVar = lazyre.New(`\$\(tasks\.([A-Za-z0-9_-]+)\.`)

// dependents maps each pipeline task to the tasks that run after it.
func dependents(ps *yaml.Node) map[string][]string {
	out := map[string][]string{}
	for _, pt := range items(get(ps, "tasks")) {
		name := str(pt, "name")
		seen := map[string]bool{}
		add := func(x string) {
			if x != name && !seen[x] {
				seen[x] = true
				out[x] = append(out[x], name)
			}
		}
		for _, a := range items(get(pt, "runAfter")) {
			add(a.Value)
		}
		for _, dir := range []string{"inputs", "outputs"} {
			for _, b := range items(path(pt, "resources", dir)) {
				for _, x := range items(get(b, "from")) {
					add(x.Value)
				}
			}
		}
		walkValues(pt, func(n *yaml.Node) {
			for _, m := range taskRefVar.FindAllStringSubmatch(n.Value, -1) {
				add(m[1])
			}
		})
	}
	return out
}

// closure lists every task reachable from start, in discovery order.
func closure(deps map[string][]string, start string) []string {
	var out []string
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, d := range deps[x] {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
				queue = append(queue, d)
			}
		}
	}
	return out
}
