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
		{Name: "repo-url", Description: "The git repository to build."},
		{Name: "revision", Description: "The commit, branch or tag to check out."},
		{Name: "event-type", Description: "Travis event type: push, pull_request or cron (TRAVIS_EVENT_TYPE).", Default: strp("push")},
		{Name: "branch", Description: "Branch built, the target branch of a pull request, or the tag of a tag build (TRAVIS_BRANCH).", Default: strp("")},
		{Name: "tag", Description: "Tag built by a tag build, else empty (TRAVIS_TAG).", Default: strp("")},
		{Name: "pull-request", Description: "Pull request number, or false (TRAVIS_PULL_REQUEST).", Default: strp("false")},
		{Name: "pull-request-branch", Description: "Head branch of a pull request (TRAVIS_PULL_REQUEST_BRANCH).", Default: strp("")},
		{Name: "repo-slug", Description: "owner/name of the repository (TRAVIS_REPO_SLUG).", Default: strp("")},
	}
}

// runKind is one kind of Travis build request and the Pipelines-as-Code event that carries it.
type runKind struct {
	name   string // PipelineRun name stem
	travis string // TRAVIS_EVENT_TYPE
	tag    bool   // a push of refs/tags/*: Travis's branch is the tag name
	known  cond.Known
	// refs place the attributes left in a condition in PaC's CEL. On push, PaC trims
	// refs/heads/ from target_branch when the expression never says "refs/heads/"
	// (pkg/matcher/cel.go), and the tag guard below always mentions target_branch:
	// so branch names are bare. Tags keep their refs/tags/ prefix.
	refs map[string]cond.Ref
}

var bare = cond.Ref{Var: "target_branch"}

func runKinds(lang string) []runKind {
	attrs := func(kv ...string) map[string]string {
		m := map[string]string{"language": lang}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tagRef := cond.Ref{Var: "target_branch", Prefix: "refs/tags/"}
	return []runKind{
		{name: "push", travis: "push", known: cond.Known{Attrs: attrs("type", "push", "tag", "", "head_branch", ""), Present: map[string]bool{"branch": true}},
			refs: map[string]cond.Ref{"branch": bare}},
		{name: "pull-request", travis: "pull_request", known: cond.Known{Attrs: attrs("type", "pull_request", "tag", ""), Present: map[string]bool{"branch": true, "head_branch": true}},
			refs: map[string]cond.Ref{"branch": bare, "head_branch": {Var: "source_branch"}}},
		{name: "tag", travis: "push", tag: true, known: cond.Known{Attrs: attrs("type", "push", "head_branch", ""), Present: map[string]bool{"branch": true, "tag": true}},
			refs: map[string]cond.Ref{"branch": tagRef, "tag": tagRef}},
	}
}

// runs makes one PipelineRun per kind of build Travis starts (branch push, pull request,
// tag push), each matching exactly the events whose build passes the branch filter and
// the root if:; a kind Travis never builds gets no run.
func (c *conv) runs() []pipeline.Run {
	var out []pipeline.Run
	bf := c.branchFilter()
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
	for _, k := range runKinds(c.lang) {
		r := pipeline.Run{Name: k.name}
		var cel []string
		if k.tag {
			cel = append(cel, `target_branch.startsWith("refs/tags/")`)
		} else if k.travis == "push" {
			cel = append(cel, `!target_branch.startsWith("refs/tags/")`)
		}
		simple := true // annotations alone can say it
		names, filter, ok := bf.forRun(c, k)
		if !ok {
			if k.tag {
				c.tagsNeverBuild(bf)
			}
			continue
		}
		if filter != "" {
			cel = append(cel, filter)
			simple = names != nil
		}
		if rootIf != nil {
			x := cond.Simplify(rootIf, k.known)
			if v, isConst := x.(cond.Const); isConst && !bool(v) {
				c.finding(ifN, convert.Converted, "travis/condition", "if: %s excludes %s builds; no %s PipelineRun", scalarOf(ifN), k.name, k.name)
				continue
			} else if !isConst {
				s, err := cond.CEL(x, k.refs)
				if err != nil {
					msg := sprintf("if: %s is not fully translatable (%v); the %s PipelineRun does not filter on it", scalarOf(ifN), err, k.name)
					c.finding(ifN, convert.Manual, "travis/condition", "%s", msg)
					r.Comments = append(r.Comments, c.marker("manual", msg, ifN.Line))
				} else {
					cel = append(cel, s)
					simple = false
				}
			}
		}
		if bf.node != nil {
			r.Comments = append(r.Comments, sprintf("from %s:%d branches", c.file, bf.node.Line))
		}
		if simple && names != nil {
			// on-target-branch globs: a bare name means refs/heads/<name> (pkg/matcher branchMatch)
			r.Annotations = []pipeline.Binding{{Name: pac + "on-event", Value: "[" + k.travis + "]"},
				{Name: pac + "on-target-branch", Value: "[" + strings.Join(names, ", ") + "]"}}
		} else {
			// on-cel-expression replaces on-event and on-target-branch, so it carries everything
			all := append([]string{`event == "` + k.travis + `"`}, cel...)
			r.Annotations = []pipeline.Binding{{Name: pac + "on-cel-expression", Value: strings.Join(all, " && ")}}
		}
		r.Params = c.runBindings(k)
		out = append(out, r)
	}
	if bf.node != nil {
		c.finding(bf.node, convert.Converted, "travis/branches", "branches became Pipelines-as-Code annotations on the PipelineRuns")
	}
	if cr := c.cronRun(rootIf); cr != nil {
		out = append(out, *cr)
	}
	return out
}

// runBindings are the param values PaC fills from the event ({{ }} are PaC's standard params).
func (c *conv) runBindings(k runKind) []pipeline.Binding {
	branch, tag := "{{ target_branch }}", ""
	if k.tag {
		branch, tag = "{{ git_tag }}", "{{ git_tag }}" // Travis's branch is the tag name on a tag build
	}
	ps := []pipeline.Binding{{Name: "repo-url", Value: "{{ repo_url }}"}, {Name: "revision", Value: "{{ revision }}"}, {Name: "event-type", Value: k.travis}, {Name: "branch", Value: branch}, {Name: "tag", Value: tag}}
	if k.travis == "pull_request" {
		ps = append(ps, pipeline.Binding{Name: "pull-request", Value: "{{ pull_request_number }}"}, pipeline.Binding{Name: "pull-request-branch", Value: "{{ source_branch }}"})
	} else {
		ps = append(ps, pipeline.Binding{Name: "pull-request", Value: "false"}, pipeline.Binding{Name: "pull-request-branch", Value: ""})
	}
	ps = append(ps, pipeline.Binding{Name: "repo-slug", Value: "{{ repo_owner }}/{{ repo_name }}"})
	if c.prSHA {
		sha := "" // Travis sets it on pull requests only
		if k.travis == "pull_request" {
			sha = "{{ revision }}"
		}
		ps = append(ps, pipeline.Binding{Name: "pull-request-sha", Value: sha})
	}
	return ps
}

// branchFilter is branches: as Travis reads it: a list is short for only, exclude is
// except, only wins over except, /.../ entries are Ruby regexes, others exact names.
type branchFilter struct {
	only, except []string
	node         *yaml.Node
}

func (c *conv) branchFilter() branchFilter {
	only, except, n := c.branches()
	return branchFilter{only: only, except: except, node: n}
}

// forRun gives the filter for one kind of run: names for on-target-branch when exact
// names say it all, else a CEL term ("" = no filter); ok is false when Travis never
// builds this kind. gh-pages is never built unless only lists it (Travis docs).
func (bf branchFilter) forRun(c *conv, k runKind) (names []string, filter string, ok bool) {
	ref := k.refs["branch"]
	switch {
	case len(bf.only) > 0:
		var terms []string
		exact := true
		for _, b := range bf.only {
			if k.tag && !isRegex(b) {
				continue // a tag named exactly like a listed branch is not worth a run
			}
			t, err := nameCEL(ref, b)
			if err != nil {
				c.finding(bf.node, convert.Manual, "travis/branches", "branches entry %s: %v; it matches nothing here", b, err)
				continue
			}
			terms = append(terms, t)
			if isRegex(b) || strings.ContainsAny(b, "*?[]{},\\") {
				exact = false
			}
			names = append(names, b)
		}
		if len(terms) == 0 {
			return nil, "", false
		}
		f := terms[0]
		if len(terms) > 1 {
			f = "(" + strings.Join(terms, " || ") + ")"
		}
		if !exact {
			names = nil
		}
		return names, f, true
	case k.tag:
		if len(bf.except) == 0 {
			return []string{"refs/tags/*"}, "", true
		}
	}
	except := bf.except
	if !k.tag {
		except = append(append([]string{}, except...), "gh-pages")
	}
	var terms []string
	for _, b := range except {
		t, err := nameCEL(ref, b)
		if err != nil {
			c.finding(bf.node, convert.Manual, "travis/branches", "branches entry %s: %v; it excludes nothing here", b, err)
			continue
		}
		if isRegex(b) {
			terms = append(terms, "!"+t)
		} else {
			terms = append(terms, strings.Replace(t, " == ", " != ", 1))
		}
	}
	return nil, strings.Join(terms, " && "), true
}

// nameCEL matches one branches: entry against the run's target_branch.
func nameCEL(ref cond.Ref, b string) (string, error) {
	if isRegex(b) {
		return cond.RegexCEL(ref.Var, ref.Prefix, b[1:len(b)-1])
	}
	return ref.Var + " == " + strconv.Quote(ref.Prefix+b), nil
}

// tagsNeverBuild tells the user when a deploy waits for tags the branch filter never lets through.
func (c *conv) tagsNeverBuild(bf branchFilter) {
	for _, n := range c.deployTagNodes() {
		c.finding(n, convert.Converted, "travis/branches", "deploy on tags never ran on Travis: branches.only (line %d) lets no tag build through (add a /regex/ matching the tags); no tag PipelineRun", bf.node.Line)
	}
}

// deployTagNodes are the on.tags: true keys of every deploy (root and jobs.include).
func (c *conv) deployTagNodes() []*yaml.Node {
	var out []*yaml.Node
	scan := func(n *yaml.Node) {
		if n == nil {
			return
		}
		list := []*yaml.Node{n}
		if n.Kind == yaml.SequenceNode {
			list = n.Content
		}
		for _, d := range list {
			if d.Kind != yaml.MappingNode {
				continue
			}
			dm := asMap(d)
			on := dm.get("on")
			if on == nil {
				on = dm.get("true")
			}
			if on == nil || on.Kind != yaml.MappingNode {
				continue
			}
			om := asMap(on)
			if scalarOf(om.get("tags")) == "true" {
				out = append(out, om.keyNode("tags"))
			}
		}
	}
	scan(c.root.get("deploy"))
	for _, m := range c.includes {
		scan(m.get("deploy"))
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
