package jenkins

import (
	"strconv"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/ownws"
)

// isolate gives the tasks of one parallel branch their own copy of the workspace (ownws).
func (c *conv) isolate(tasks []*pipeline.Task, dir string, line, col int) {
	if sub := ownws.Branch(tasks, dir); sub != "" {
		c.find(line, col, convert.Approximated, "own-workspace", "parallel branch %s works in its own copy of the workspace (%s), as concurrent Jenkins nodes get their own (@2); files it writes are not seen by later stages", dir, sub)
		c.stashInCopy(tasks, dir, true)
	}
}

var stashFrom = lazyre.New(`^from \S+:(\d+) stash '(.*)': no-op, the workspace is shared$`)

// stashInCopy: a stash in a branch that works in its own copy no longer reaches later stages
// through the shared workspace: a branch saves it at its end (saveStash); matrix cells, which
// would all save under one name at once, get a manual marker instead.
func (c *conv) stashInCopy(tasks []*pipeline.Task, dir string, branch bool) {
	for _, t := range tasks {
		for i, cm := range t.Comments {
			if m := stashFrom.FindStringSubmatch(cm); m != nil {
				line, _ := strconv.Atoi(m[1])
				c.dropFinding(line, "jenkins/stash", convert.Converted) // no longer true
				if branch && c.saveStash(tasks, unquoteGroovy(m[2]), line) {
					t.Comments[i] = c.from(line, "stash '"+m[2]+"': saved at the end of the branch (see its last step)")
					c.find(line, 0, convert.Approximated, "stash", "stash %q in parallel branch %s → saved to %s at the end of the branch (the branch works in its own copy of the workspace); later unstash restores it", m[2], dir, stashDir)
					continue
				}
				t.Comments[i] = c.marker(line, 0, convert.Manual, "stash", "stash %q in parallel branch %s: the branch works in its own copy of the workspace, so a later unstash does not see these files; copy them to a shared location (e.g. a workspace of their own) by hand", m[2], dir)
			}
		}
	}
}

// isolateCells gives every cell of a matrix task its own copy of the workspace (ownws).
func (c *conv) isolateCells(t *pipeline.Task, axes []pipeline.Param, line, col int) {
	names := make([]string, len(axes))
	for i, a := range axes {
		names[i] = a.Name
	}
	if ownws.Cells(t, names) {
		c.find(line, col, convert.Approximated, "own-workspace", "every cell of matrix task %s works in its own copy of the workspace (%s/%s/<axis values>), as concurrent Jenkins nodes get their own (@2); files a cell writes are not seen by later stages", t.Name, ownws.Dir, t.Name)
		c.stashInCopy([]*pipeline.Task{t}, t.Name, false)
	}
}

// isolateFinally: finally tasks all start together, so when there are several (stage posts,
// which Jenkins ran one at a time, and the pipeline post) each gets its own copy of the workspace:
// none writes where another works (a root writer's `git clean -dfx` would remove the copies).
func (c *conv) isolateFinally() {
	fs := c.p.Finally
	for i := 0; i < len(fs) && len(fs) > 1; i++ {
		if sub := ownws.Branch(fs[i:i+1], fs[i].Name); sub != "" {
			c.find(sourceLine(fs[i]), 0, convert.Approximated, "own-workspace", "finally task %s runs beside the other post tasks, so it works in its own copy of the workspace (%s); files it writes are not seen by them", fs[i].Name, sub)
		}
	}
}

var fromLine = lazyre.New(`^from \S+:(\d+) `)

// sourceLine is the line a task's head comment names.
func sourceLine(t *pipeline.Task) int {
	for _, cm := range t.Comments {
		if m := fromLine.FindStringSubmatch(cm); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return 1
}

// dropFinding removes the findings of a rule and class at a line that a later pass overrules.
func (c *conv) dropFinding(line int, rule string, class convert.Class) {
	out := c.findings[:0]
	for _, f := range c.findings {
		if !(f.Line == line && f.Rule == rule && f.Class == class) {
			out = append(out, f)
		}
	}
	c.findings = out
}

// unquoteGroovy undoes quoteGroovy's escaping of a single-quoted name.
func unquoteGroovy(s string) string { return strings.ReplaceAll(s, `\'`, "'") }
