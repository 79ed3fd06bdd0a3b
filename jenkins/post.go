package jenkins

import (
	"fmt"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// statusGuard is the shell test (on $TKN_STATUS) under which a post condition's steps run, and
// the equivalent Tekton when values on the status; ok is false for conditions that need
// build history or results Tekton lacks.
func statusGuard(cond string) (test string, when *pipeline.When, ok bool) {
	switch cond {
	case "always", "cleanup":
		return "", nil, true
	case "success":
		return `case "$TKN_STATUS" in Succeeded|Completed) ;; *) exit 0;; esac`, &pipeline.When{Operator: "in", Values: []string{"Succeeded", "Completed"}}, true
	case "failure":
		return `[ "$TKN_STATUS" = Failed ] || exit 0`, &pipeline.When{Operator: "in", Values: []string{"Failed"}}, true
	case "unsuccessful":
		return `case "$TKN_STATUS" in Succeeded|Completed) exit 0;; esac`, &pipeline.When{Operator: "notin", Values: []string{"Succeeded", "Completed"}}, true
	}
	return "", nil, false
}

var postWhy = map[string]string{
	"changed":    "needs the previous build's result; Tekton keeps no build history",
	"fixed":      "needs the previous build's result; Tekton keeps no build history",
	"regression": "needs the previous build's result; Tekton keeps no build history",
	"unstable":   "Tekton has no UNSTABLE result",
	"notBuilt":   "Tekton has no NOT_BUILT result",
	"aborted":    "Tekton reports a cancelled or timed-out run as Failed/None, not aborted",
}

// post converts pipeline post (tasks == nil) or a stage's post (on the status of its tasks) to
// one finally task. Finally tasks run concurrently, so Jenkins' fixed order of post conditions
// (always, ..., success, failure, ..., cleanup) is kept by putting them in one task, each
// condition's steps guarded by a status test.
func (c *conv) post(pcs []model.PostCondition, sc scope, tasks []string, line int) {
	if len(pcs) == 0 {
		return
	}
	status, what := "$(tasks.status)", "pipeline"
	if tasks != nil {
		if len(tasks) == 0 {
			return
		}
		last := tasks[len(tasks)-1]
		status, what = "$(tasks."+last+".status)", "stage"
		c.find(line, 0, convert.Approximated, "stage-post", "stage post runs in finally, at the end of the pipeline, not right after the stage")
	}
	// A stage of several tasks (parallel branches, nested stages) failed if any failed, and
	// ran if any ran: one task's status can't say so, the step computes it from all of them.
	var statusEnv []pipeline.Env
	if len(tasks) > 1 {
		status = "$TKN_STATUS"
		for i, name := range tasks {
			statusEnv = append(statusEnv, pipeline.Env{Name: fmt.Sprintf("TKN_STATUS_%d", i+1), Value: "$(tasks." + name + ".status)"})
		}
	}
	name := "post"
	if tasks != nil {
		name = tasks[len(tasks)-1] + "-post"
	}
	ch := &chain{c: c, sc: sc, noSplit: true}
	t := &pipeline.Task{Name: c.names.Name(name), Image: c.imageFor(sc),
		Comments: []string{c.from(line, what+" post")}}
	ch.cur = t
	var usable []model.PostCondition
	for _, pc := range ordered(pcs) {
		if _, _, ok := statusGuard(pc.Condition); !ok {
			why := postWhy[pc.Condition]
			if why == "" {
				why = "unknown post condition"
			}
			raw := make([]string, 0, len(pc.Steps))
			for _, s := range pc.Steps {
				raw = append(raw, s.Raw)
			}
			t.Comments = append(t.Comments, c.marker(pc.Line, pc.Col, convert.Manual, "post-"+pc.Condition, "post %s is not converted (%s); its steps: %s", pc.Condition, why, strings.Join(raw, "; ")))
			continue
		}
		usable = append(usable, pc)
	}
	if len(usable) == 0 {
		if len(t.Comments) > 1 {
			// Keep the markers visible on the pipeline head.
			c.p.Comments = append(c.p.Comments, t.Comments[1:]...)
		}
		return
	}
	single := len(usable) == 1 && statusEnv == nil
	if single {
		if _, w, _ := statusGuard(usable[0].Condition); w != nil {
			w.Input = status
			t.When = []pipeline.When{*w}
		}
	}
	if tasks != nil && statusEnv == nil && (!single || len(t.When) == 0) {
		// A stage that never ran (when false, or skipped after a failure) runs no post in Jenkins.
		t.When = append(t.When, pipeline.When{Input: status, Operator: "notin", Values: []string{"None"}})
	}
	for _, pc := range usable {
		test, _, _ := statusGuard(pc.Condition)
		psc := sc
		switch {
		case statusEnv != nil:
			psc = sc.withEnv(statusEnv...)
		case !single && test != "":
			psc = sc.withEnv(pipeline.Env{Name: "TKN_STATUS", Value: status})
		}
		first := len(t.Steps)
		c.steps(ch, pc.Steps, psc)
		t = ch.open()
		for i := first; i < len(t.Steps); i++ {
			st := &t.Steps[i]
			if i == first {
				st.Comments = append([]string{c.from(pc.Line, "post "+pc.Condition)}, st.Comments...)
			}
			if single || test == "" && statusEnv == nil {
				continue
			}
			if st.Script == "" || strings.HasPrefix(st.Script, "#!") {
				st.Comments = append(st.Comments, c.marker(pc.Line, pc.Col, convert.Approximated, "post-guard", "this %s step can't be guarded by a shell test; it runs whatever the status", pc.Condition))
				continue
			}
			if statusEnv != nil {
				test = strings.TrimSpace(stageStatus(len(tasks)) + "\n" + test)
			}
			st.Script = test + "\n" + st.Script
		}
		if !single {
			c.find(pc.Line, pc.Col, convert.Converted, "post", "post %s → steps of finally task %s guarded by the status", pc.Condition, t.Name)
		} else if test != "" {
			c.find(pc.Line, pc.Col, convert.Converted, "post", "post %s → finally task %s with when on %s", pc.Condition, t.Name, status)
		} else {
			c.find(pc.Line, pc.Col, convert.Converted, "post", "post %s → finally task %s", pc.Condition, t.Name)
		}
	}
	if len(t.Steps) == 0 {
		// Nothing runnable (only markers): keep the markers where the post was, without a task.
		if tasks != nil {
			for _, pt := range c.p.Tasks {
				if pt.Name == tasks[len(tasks)-1] {
					pt.Comments = append(pt.Comments, t.Comments[1:]...)
				}
			}
		} else {
			c.p.Comments = append(c.p.Comments, t.Comments[1:]...)
		}
		return
	}
	c.bindTask(t)
	c.p.Finally = append(c.p.Finally, t)
}

var postOrder = []string{"always", "changed", "fixed", "regression", "aborted", "success", "unsuccessful", "unstable", "failure", "notBuilt", "cleanup"}

// ordered sorts post conditions into the order Jenkins runs them.
func ordered(pcs []model.PostCondition) []model.PostCondition {
	rank := map[string]int{}
	for i, n := range postOrder {
		rank[n] = i
	}
	out := append([]model.PostCondition(nil), pcs...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && rank[out[j].Condition] < rank[out[j-1].Condition]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// stageStatus is the shell that sets TKN_STATUS from TKN_STATUS_1..n, the statuses of a
// stage's tasks, and ends the step when none of them ran (Jenkins runs no post then).
func stageStatus(n int) string {
	vars := make([]string, n)
	for i := range vars {
		vars[i] = fmt.Sprintf(`"$TKN_STATUS_%d"`, i+1)
	}
	return `TKN_STATUS=None; for s in ` + strings.Join(vars, " ") + `; do case "$s" in Failed) TKN_STATUS=Failed;; Succeeded|Completed) [ "$TKN_STATUS" = Failed ] || TKN_STATUS=Succeeded;; esac; done
[ "$TKN_STATUS" != None ] || exit 0`
}
