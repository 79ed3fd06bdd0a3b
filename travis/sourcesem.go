package travis

import (
	"maps"
	"regexp"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/travis/cond"
)

// Request is a build request as Travis's request service sees it, for deciding from the
// .travis.yml alone what Travis builds (tests compare that with what the output runs).
type Request struct {
	Name  string            // what branches: filters: the pushed branch, a pull request's base, or the tag
	Tag   bool              // a tag push
	Attrs map[string]string // the request as conditions read it: type, branch, tag, head_branch
}

// SourceJob is one Travis job: whether Travis runs it for a request, and the task the
// converter runs it in.
type SourceJob struct {
	Line    int
	Task    string // "" when no task runs it (Why says why)
	Runs    bool
	Decided bool   // false: its if: reads request data the Request does not fix
	Guarded bool   // an if: the job step checks at run time: the task starts, then ends early
	Why     string // why it has no task, or why it is undecided
}

// Decide says whether Travis builds req (decided false when the root if: reads request
// data req does not fix) and, if so, which jobs run.
func Decide(src convert.Source, opts convert.Options, req Request) (builds, decided bool, jobs []SourceJob, err error) {
	c, err := build(src)
	if err != nil {
		return false, false, nil, err
	}
	c.opts = opts
	all := append([]*job(nil), c.jobs...)
	if _, err := c.pipeline(); err != nil {
		return false, false, nil, err
	}
	if builds, decided = c.builds(req); !builds || !decided {
		return builds, decided, nil, nil
	}
	dropped := map[*job]bool{}
	for _, j := range c.dropped {
		dropped[j] = true
	}
	for _, j := range all {
		sj := SourceJob{Line: j.pos.Line, Task: j.task, Runs: true, Decided: true}
		switch {
		case dropped[j]:
			sj.Why = "runs on " + j.os + ", which has no Kubernetes equivalent"
		case j.task == "":
			sj.Runs, sj.Why = false, "its stage's if: is always false"
		}
		known := c.known(j)
		attrs := maps.Clone(known.Attrs)
		maps.Copy(attrs, req.Attrs)
		for _, jc := range j.conds {
			if _, err := cond.Whens(jc.expr); err != nil {
				sj.Guarded = true
			}
			switch v, ok := cond.Simplify(jc.expr, cond.Known{Attrs: attrs, Env: known.Env}).(cond.Const); {
			case !ok:
				sj.Decided, sj.Why = false, jc.what+" if: "+scalarOf(jc.node)+" reads what the request does not fix"
			case !bool(v):
				sj.Runs = false
			}
		}
		jobs = append(jobs, sj)
	}
	return true, true, jobs, nil
}

// builds decides whether Travis creates a build for req: the branch filter (docs: a list
// is only, /.../ a Ruby regex, gh-pages only when listed, tags filtered by their name),
// then the root if: (travis/cond). decided is false when the if: reads request data
// req does not fix.
func (c *conv) builds(req Request) (builds, decided bool) {
	only, except, _ := c.branches()
	match := func(list []string) bool {
		for _, b := range list {
			if isRegex(b) {
				re, err := regexp.Compile(b[1 : len(b)-1])
				if err == nil && re.MatchString(req.Name) {
					return true
				}
			} else if b == req.Name {
				return true
			}
		}
		return false
	}
	switch {
	case len(only) > 0:
		if !match(only) {
			return false, true
		}
	case match(except), req.Name == "gh-pages" && !req.Tag:
		return false, true
	}
	n := c.root.get("if")
	if n == nil {
		return true, true
	}
	x, err := cond.Parse(scalarOf(n))
	if err != nil {
		return false, true // Travis rejects the request
	}
	attrs := map[string]string{"language": c.lang}
	maps.Copy(attrs, req.Attrs)
	v, ok := cond.Simplify(x, cond.Known{Attrs: attrs}).(cond.Const)
	return bool(v), ok
}
