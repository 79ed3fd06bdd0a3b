package travis

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/travis/cond"
)

const pac = "pipelinesascode.tekton.dev/"

func strp(s string) *string { return &s }

// runParams carry the build request into the Pipeline; TRAVIS_* env is built from them.
func runParams() []pipeline.Param {
	return []pipeline.Param{
		{Name: "event-type", Description: "Travis event type: push or pull_request (TRAVIS_EVENT_TYPE).", Default: strp("push")},
		{Name: "branch", Description: "Branch built, or the target branch of a pull request (TRAVIS_BRANCH).", Default: strp("")},
		{Name: "pull-request", Description: "Pull request number, or false (TRAVIS_PULL_REQUEST).", Default: strp("false")},
		{Name: "pull-request-branch", Description: "Head branch of a pull request (TRAVIS_PULL_REQUEST_BRANCH).", Default: strp("")},
		{Name: "repo-slug", Description: "owner/name of the repository (TRAVIS_REPO_SLUG).", Default: strp("")},
	}
}

// runs makes one PipelineRun per event Travis builds, with the branch filter and the
// root if: as Pipelines-as-Code annotations.
func (c *conv) runs() []pipeline.Run {
	type ev struct{ name, travis string }
	var out []pipeline.Run
	only, except, bnode := c.branches()
	var rootIf cond.Expr
	ifN := c.root.get("if")
	if ifN != nil {
		x, err := cond.Parse(scalarOf(ifN))
		if err != nil {
			c.finding(ifN, convert.Manual, "travis/condition", "if: %v; Travis rejects every build", err)
			x = cond.Const(false)
		}
		rootIf = x
	}
	for _, e := range []ev{{"push", "push"}, {"pull-request", "pull_request"}} {
		r := pipeline.Run{Name: e.name}
		var cel []string
		var comments []string
		if rootIf != nil {
			x := cond.Simplify(rootIf, cond.Known{Attrs: map[string]string{"type": e.travis, "language": c.lang}})
			if v, ok := x.(cond.Const); ok && !bool(v) {
				c.finding(ifN, convert.Converted, "travis/condition", "if: %s excludes %s builds; no %s PipelineRun", scalarOf(ifN), e.travis, e.name)
				continue
			}
			if _, ok := x.(cond.Const); !ok {
				s, err := cond.CEL(x)
				if err != nil {
					msg := sprintf("if: %s is not fully translatable (%v); the PipelineRun does not filter on it", scalarOf(ifN), err)
					c.finding(ifN, convert.Manual, "travis/condition", "%s", msg)
					comments = append(comments, c.marker("manual", msg, ifN.Line))
				} else {
					cel = append(cel, s)
				}
			}
		}
		var branchCEL string
		targets := only
		if len(only) > 0 || len(except) > 0 {
			if needsCEL(only) || len(only) == 0 {
				branchCEL = branchesCEL(only, except)
			}
			comments = append(comments, sprintf("from %s:%d branches", c.file, bnode.Line))
		}
		r.Params = []pipeline.Binding{{Name: "event-type", Value: e.travis}, {Name: "branch", Value: "{{ target_branch }}"}}
		if e.travis == "push" {
			r.Params = append(r.Params, pipeline.Binding{Name: "pull-request", Value: "false"}, pipeline.Binding{Name: "pull-request-branch", Value: ""})
		} else {
			r.Params = append(r.Params, pipeline.Binding{Name: "pull-request", Value: "{{ pull_request_number }}"}, pipeline.Binding{Name: "pull-request-branch", Value: "{{ source_branch }}"})
		}
		r.Params = append(r.Params, pipeline.Binding{Name: "repo-slug", Value: "{{ repo_owner }}/{{ repo_name }}"})
		if c.prSHA {
			sha := "" // Travis sets it on pull requests only
			if e.travis != "push" {
				sha = "{{ revision }}"
			}
			r.Params = append(r.Params, pipeline.Binding{Name: "pull-request-sha", Value: sha})
		}
		if branchCEL != "" {
			cel = append(cel, branchCEL)
		}
		if len(cel) > 0 {
			// on-cel-expression replaces on-event and on-target-branch, so it carries everything
			all := append([]string{`event == "` + e.travis + `"`}, cel...)
			r.Annotations = []pipeline.Binding{{Name: pac + "on-cel-expression", Value: strings.Join(all, " && ")}}
		} else {
			r.Annotations = []pipeline.Binding{{Name: pac + "on-event", Value: "[" + e.travis + "]"}}
			if len(targets) > 0 {
				r.Annotations = append(r.Annotations, pipeline.Binding{Name: pac + "on-target-branch", Value: "[" + strings.Join(targets, ", ") + "]"})
			}
		}
		r.Comments = comments
		out = append(out, r)
	}
	if bnode != nil {
		c.finding(bnode, convert.Converted, "travis/branches", "branches became Pipelines-as-Code annotations on the PipelineRuns")
	}
	return out
}

// branches reads branches:/branch: (a list is short for only; exclude is except).
func (c *conv) branches() (only, except []string, key *yaml.Node) {
	n := c.root.get("branches")
	key = c.root.kpos["branches"]
	if n == nil {
		n, key = c.root.get("branch"), c.root.kpos["branch"]
	}
	if n == nil || isNull(n) {
		return nil, nil, nil
	}
	if vs, ok := scalars(n); ok {
		return vs, nil, key
	}
	if n.Kind == yaml.MappingNode {
		m := asMap(n)
		only, _ = scalars(m.get("only"))
		except, _ = scalars(m.get("except"))
		if except == nil {
			except, _ = scalars(m.get("exclude"))
		}
		if len(only) > 0 {
			except = nil // only wins when both are given
		}
	}
	return only, except, key
}

func isRegex(b string) bool {
	return len(b) >= 2 && strings.HasPrefix(b, "/") && strings.HasSuffix(b, "/")
}

func needsCEL(bs []string) bool {
	for _, b := range bs {
		if isRegex(b) || strings.ContainsAny(b, ",[]") {
			return true
		}
	}
	return false
}

// branchesCEL matches Travis's branch filter; /.../ entries are regexes, others exact names.
func branchesCEL(only, except []string) string {
	term := func(b string) string {
		if isRegex(b) {
			return cond.RefRegexCEL("target_branch", b[1:len(b)-1])
		}
		return "target_branch in [" + strconv.Quote(b) + ", " + strconv.Quote("refs/heads/"+b) + ", " + strconv.Quote("refs/tags/"+b) + "]"
	}
	var parts []string
	list := only
	if len(only) == 0 {
		list = except
	}
	for _, b := range list {
		parts = append(parts, term(b))
	}
	s := "(" + strings.Join(parts, " || ") + ")"
	if len(only) == 0 {
		s = "!" + s
	}
	return s
}
