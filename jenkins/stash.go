package jenkins

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
	"github.com/tkn-migrate/tkn-migrate/jenkins/ownws"
)

// stashDir holds what branches working in their own copy of the workspace stash, by name.
const stashDir = ".tkn-stash"

// stashSpec is one stash step: which files it saves.
type stashSpec struct {
	includes, excludes string
}

// stash converts stash/unstash. Tasks share the source workspace, so both are no-ops there;
// a stash in a parallel branch, which works in its own copy, is saved by stashInCopy, and an
// unstash of such a stash restores the saved files.
func (c *conv) stash(ch *chain, s *model.Step, sc scope) {
	n, _ := litArg(s, "name", 0)
	if s.Name == "stash" {
		inc, _ := litArg(s, "includes", -1)
		exc, _ := litArg(s, "excludes", -1)
		c.stashes[n] = stashSpec{includes: inc, excludes: exc}
	} else if c.stashed[n] {
		ch.step(sc, pipeline.Step{Name: "unstash", Comments: c.stepHead(s, "unstash "+quoteGroovy(n)),
			Env:    []pipeline.Env{{Name: "TKN_STASH", Value: "$(workspaces.source.path)/" + stashDir + "/" + pipeline.Sanitize(n)}},
			Script: "cp -a \"$TKN_STASH/.\" .\n"})
		c.find(s.Line, s.Col, convert.Converted, "stash", "unstash %q → copies the files a parallel branch saved in %s/%s", n, stashDir, pipeline.Sanitize(n))
		return
	}
	c.find(s.Line, s.Col, convert.Converted, "stash", "%s %q: every task shares the source workspace, so files are already there", s.Name, n)
	ch.comment(c.from(s.Line, s.Name+" "+quoteGroovy(n)+": no-op, the workspace is shared"))
}

// saveStash makes the last task of a branch that works in its own copy save a stash to the
// shared workspace (.tkn-stash/<name>, a subPath of its own, so branches don't collide), as
// Jenkins keeps stashes on the controller for later stages.
func (c *conv) saveStash(tasks []*pipeline.Task, name string, line int) bool {
	last := tasks[len(tasks)-1]
	if last.Ref != nil {
		return false
	}
	spec := c.stashes[name]
	ws := pipeline.Sanitize("stash-" + name)
	last.Workspaces = append(last.Workspaces, pipeline.Binding{Name: ws, Value: pipeline.SourceWorkspace, SubPath: stashDir + "/" + pipeline.Sanitize(name)})
	inc := spec.includes
	if inc == "" {
		inc = "**"
	}
	filter := "grep -Ex " + shellQuote(antRegexes(inc))
	if spec.excludes != "" {
		filter += " | grep -vEx " + shellQuote(antRegexes(spec.excludes))
	}
	last.Steps = append(last.Steps, pipeline.Step{Name: "stash", Comments: []string{c.from(line, "stash "+quoteGroovy(name)+": saved for later stages, as this branch works in its own copy of the workspace")},
		Env: []pipeline.Env{{Name: "TKN_STASH", Value: "$(workspaces." + ws + ".path)"}},
		Script: "find . \\( -path ./" + ownws.Dir + " -o -path ./" + stashDir + " \\) -prune -o -type f -print | sed 's|^\\./||' | " + filter +
			" | while IFS= read -r f; do mkdir -p \"$TKN_STASH/$(dirname \"$f\")\" && cp -p \"$f\" \"$TKN_STASH/$f\"; done\n"})
	c.stashed[name] = true
	return true
}

// antRegexes is the alternation of a comma-separated list of Ant patterns.
func antRegexes(list string) string {
	var out []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, antRegex(p))
		}
	}
	return strings.Join(out, "|")
}
