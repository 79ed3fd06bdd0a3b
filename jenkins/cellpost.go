package jenkins

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// cellPost converts the post inside matrix {}: Jenkins gives it to every generated cell stage
// (pipeline-model-definition RuntimeASTTransformer.transformMatrixStage), so it runs once per
// cell, right after that cell's stages, on the cell's agent, with the cell's own result. A
// finally task can only see the matrix task's aggregate status, so the post becomes the last
// steps of the cell's task: the stage steps continue on error (a later one skips itself after a
// failure, as Jenkins stops the cell), the post steps read their exit codes, and a last step
// fails the cell if any of them failed.
func (c *conv) cellPost(ch *chain, pcs []model.PostCondition, sc scope, line, col int) {
	if ch.cur == nil || len(ch.tasks) > 0 {
		// A cell split around a catalog Task has no single pod whose steps the post could read.
		var raw []string
		for _, pc := range pcs {
			for _, x := range pc.Steps {
				raw = append(raw, pc.Condition+": "+strings.TrimSpace(x.Raw))
			}
		}
		ch.comment(c.marker(line, col, convert.Manual, "matrix-post", "matrix post is not converted (the cell runs in several tasks): %s", strings.Join(raw, "; ")))
		return
	}
	t := ch.cur
	names := pipeline.NewNamer()
	var codes []string
	for i := range t.Steps {
		st := &t.Steps[i]
		st.Name = names.Name(st.Name)
		if st.OnError == "continue" {
			continue // catchError/warnError: its failure never failed the cell
		}
		if len(codes) > 0 {
			if guardable(*st) {
				st.Script = failedBefore(codes) + " && exit 0\n" + st.Script
			} else {
				st.Comments = append(st.Comments, c.marker(line, col, convert.Approximated, "matrix-post", "this step can't test the earlier steps' exit codes: it runs even after one of them failed"))
			}
		}
		st.OnError = "continue"
		codes = append(codes, exitCodePath(st.Name))
	}
	status := "TKN_STATUS=Succeeded; " + failedBefore(codes) + " && TKN_STATUS=Failed"
	for _, pc := range ordered(pcs) {
		test, _, ok := statusGuard(pc.Condition)
		if !ok {
			why := postWhy[pc.Condition]
			if why == "" {
				why = "unknown post condition"
			}
			raw := make([]string, 0, len(pc.Steps))
			for _, s := range pc.Steps {
				raw = append(raw, strings.TrimSpace(s.Raw))
			}
			ch.comment(c.marker(pc.Line, pc.Col, convert.Manual, "post-"+pc.Condition, "matrix post %s is not converted (%s); its steps: %s", pc.Condition, why, strings.Join(raw, "; ")))
			continue
		}
		first := len(t.Steps)
		c.steps(ch, pc.Steps, sc)
		for i := first; i < len(t.Steps); i++ {
			st := &t.Steps[i]
			st.Name = names.Name(st.Name)
			if i == first {
				st.Comments = append([]string{c.from(pc.Line, "matrix post "+pc.Condition+" (runs in every cell)")}, st.Comments...)
			}
			// An error in one post block is recorded and the rest still run (PMD ModelInterpreter).
			st.OnError = "continue"
			codes = append(codes, exitCodePath(st.Name))
			if test == "" {
				continue
			}
			if !guardable(*st) {
				st.Comments = append(st.Comments, c.marker(pc.Line, pc.Col, convert.Approximated, "post-guard", "this %s step can't be guarded by a shell test; it runs whatever the cell's status", pc.Condition))
				continue
			}
			st.Script = status + "\n" + test + "\n" + st.Script
		}
		c.find(pc.Line, pc.Col, convert.Converted, "matrix-post", "matrix post %s → steps at the end of every cell of task %s, on the cell's own status", pc.Condition, t.Name)
	}
	res := pipeline.Step{Name: names.Name("cell-result"), Comments: []string{"the cell fails if a stage or post step failed, as its Jenkins stage did"},
		Script: failedBefore(codes) + " && exit 1\nexit 0\n"}
	t.Steps = append(t.Steps, res)
}

// guardable reports whether a shell line can be put in front of the step's script.
func guardable(st pipeline.Step) bool {
	return st.Script != "" && !strings.HasPrefix(st.Script, "#!")
}

func exitCodePath(step string) string { return "$(steps.step-" + step + ".exitCode.path)" }

// failedBefore is a shell test (a subshell, so exit ends only the test) that is true when any
// of the exit code files holds a nonzero code.
func failedBefore(codes []string) string {
	return "( for f in " + strings.Join(codes, " ") + `; do read -r x < "$f"; [ "$x" = 0 ] || exit 0; done; exit 1 )`
}
