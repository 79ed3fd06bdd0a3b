// Package consolidate finds the converted Pipelines of a fleet that are identical up to
// param values (repository URL, image, language version) and makes them one shared Pipeline:
// each repository keeps only its PipelineRuns, which reference the shared Pipeline through a
// resolver and pass their own values as params. This is the "microservice factory" case.
package consolidate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Options say where the shared Pipelines go and how runs reference them.
type Options struct {
	Dir string // shared Pipelines are written under it, one file each
	// Ref is cluster, git or bundles; Location is the namespace (cluster), the repository URL
	// holding Dir, with an optional @revision (git), or the image repository (bundles).
	Ref      string
	Location string
}

// DefaultNamespace is where the cluster resolver looks for shared Pipelines by default.
const DefaultNamespace = "tekton-shared"

// Summary is what the consolidation did.
type Summary struct {
	Repositories int      // repositories whose conversion produced a Pipeline
	Pipelines    int      // Pipelines left: shared ones plus those kept in their repository
	Shared       []Shared // in name order
}

// Shared is one shared Pipeline and the repositories that use it.
type Shared struct {
	Name   string
	Path   string
	Params []string // the params that carry each repository's own values
	Repos  []string
}

// String is the line the report prints.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s → %d %s", s.Repositories, plural(s.Repositories, "repository", "repositories"),
		s.Pipelines, plural(s.Pipelines, "pipeline", "pipelines"))
	for _, sh := range s.Shared {
		fmt.Fprintf(&b, "\n  %s shared by %s", sh.Path, strings.Join(sh.Repos, ", "))
		if len(sh.Params) > 0 {
			fmt.Fprintf(&b, " (params %s)", strings.Join(sh.Params, ", "))
		}
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// candidate is one repository's converted Pipeline.
type candidate struct {
	o      *convert.Outcome
	file   int // index of the Pipeline's file in o.Result.Files
	repo   string
	name   string
	root   *yaml.Node // the Pipeline document's mapping
	shape  string     // the Pipeline with every param-able value blanked
	values []string   // those values, in walk order
	holes  []string   // a param name for each
}

// Run consolidates the outcomes in place: merged Pipelines leave their repositories, their
// runs are rewritten, and the shared Pipelines come back as new outcomes under opts.Dir.
func Run(outcomes []*convert.Outcome, opts Options) ([]*convert.Outcome, Summary, error) {
	var cands []*candidate
	repos := map[string]bool{}
	for _, o := range outcomes {
		if o.Err != nil {
			continue
		}
		for i, f := range o.Result.Files {
			if f.Path == o.Source.Path {
				continue // an upgrade in place (or an earlier run's output) is not a conversion to share
			}
			c := parseCandidate(o, i, f)
			if c == nil {
				continue
			}
			cands = append(cands, c)
			repos[c.repo] = true
		}
	}
	groups := map[string][]*candidate{}
	var keys []string
	for _, c := range cands {
		if _, ok := groups[c.shape]; !ok {
			keys = append(keys, c.shape)
		}
		groups[c.shape] = append(groups[c.shape], c)
	}
	sum := Summary{Repositories: len(repos), Pipelines: len(cands)}
	var shared []*convert.Outcome
	for _, k := range keys {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		out, sh, err := merge(g, opts)
		if err != nil {
			return nil, Summary{}, err
		}
		if out == nil {
			continue // the merged Pipeline would not validate: the repositories keep their own
		}
		shared = append(shared, out)
		sum.Shared = append(sum.Shared, sh)
		sum.Pipelines -= len(g) - 1
	}
	sort.Slice(sum.Shared, func(i, j int) bool { return sum.Shared[i].Name < sum.Shared[j].Name })
	sort.Slice(shared, func(i, j int) bool { return shared[i].Source.Path < shared[j].Source.Path })
	return shared, sum, nil
}

// parseCandidate reads an output file holding exactly one Pipeline whose tasks need nothing
// else from the repository (no Task referenced by plain name), or returns nil.
func parseCandidate(o *convert.Outcome, i int, f convert.File) *candidate {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(f.Data))
	if err := dec.Decode(&doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	var extra yaml.Node
	if dec.Decode(&extra) == nil {
		return nil // several documents
	}
	root := doc.Content[0]
	if yamldoc.Str(root, "apiVersion") != "tekton.dev/v1" || yamldoc.Str(root, "kind") != "Pipeline" {
		return nil
	}
	c := &candidate{o: o, file: i, name: yamldoc.Str(yamldoc.Get(root, "metadata"), "name"), root: root}
	c.repo = o.Source.Scope
	if c.repo == "" {
		c.repo = filepath.Dir(filepath.Dir(f.Path)) // the directory holding .tekton/
	}
	set := map[*yaml.Node]bool{}
	for _, h := range holes(root) {
		set[h.node] = true
		c.values = append(c.values, h.node.Value)
		c.holes = append(c.holes, h.name)
	}
	var b strings.Builder
	if !walk(&b, root, "", set) {
		return nil
	}
	c.shape = b.String()
	return c
}

// walk writes n's shape: its structure, values and tkn-migrate comments, except metadata.name,
// other comments, and the values in hole (written as <param>). It reports false for a Pipeline that references a
// Task by plain name, which the shared Pipeline could not carry along.
func walk(b *strings.Builder, n *yaml.Node, at string, hole map[*yaml.Node]bool) bool {
	// Markers must match too: the shared Pipeline keeps one member's comments, and no
	// member's "needs a human" may go missing with the others'.
	for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		for _, l := range strings.Split(c, "\n") {
			if strings.Contains(l, "tkn-migrate: ") {
				fmt.Fprintf(b, "#%q;", sourceLine.ReplaceAllString(strings.TrimSpace(l), "($1:N)"))
			}
		}
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if hole[n] {
			b.WriteString("<param>;")
			return true
		}
		fmt.Fprintf(b, "%q;", sourceLine.ReplaceAllString(n.Value, "($1:N)"))
	case yaml.SequenceNode:
		b.WriteString("[")
		for _, e := range n.Content {
			if !walk(b, e, at+"[]", hole) {
				return false
			}
		}
		b.WriteString("]")
	case yaml.MappingNode:
		if (at == ".spec.tasks[].taskRef" || at == ".spec.finally[].taskRef") && yamldoc.Get(n, "resolver") == nil {
			return false
		}
		b.WriteString("{")
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			if at == "" && k == "metadata" {
				// only the name may differ
				for j := 0; j+1 < len(v.Content); j += 2 {
					if v.Content[j].Value != "name" {
						fmt.Fprintf(b, "%q:", v.Content[j].Value)
						if !walk(b, v.Content[j+1], ".metadata."+v.Content[j].Value, hole) {
							return false
						}
					}
				}
				continue
			}
			fmt.Fprintf(b, "%q:", k)
			if !walk(b, v, at+"."+k, hole) {
				return false
			}
		}
		b.WriteString("}")
	default:
		return false // aliases and the like: our emitter writes none
	}
	return true
}

// hole is a value a param can carry: a step image, a step env value, or a PipelineTask param
// value (Tekton substitutes params there), named after where it sits.
type hole struct {
	node *yaml.Node
	name string
}

// holes lists the param-able literal values of a Pipeline in document order. Values holding a
// $(...) reference stay: a run's param can't carry a reference to a task result.
func holes(root *yaml.Node) []hole {
	var out []hole
	add := func(n *yaml.Node, name string) {
		if n != nil && n.Kind == yaml.ScalarNode && !strings.Contains(n.Value, "$(") {
			out = append(out, hole{n, paramName(name)})
		}
	}
	spec := yamldoc.Get(root, "spec")
	for _, list := range []string{"tasks", "finally"} {
		for _, t := range yamldoc.Items(yamldoc.Get(spec, list)) {
			tn := yamldoc.Str(t, "name")
			for _, p := range yamldoc.Items(yamldoc.Get(t, "params")) {
				add(yamldoc.Get(p, "value"), tn+"-"+yamldoc.Str(p, "name"))
			}
			for _, st := range yamldoc.Items(yamldoc.Get(yamldoc.Get(t, "taskSpec"), "steps")) {
				sn := yamldoc.Str(st, "name")
				add(yamldoc.Get(st, "image"), tn+"-"+sn+"-image")
				for _, e := range yamldoc.Items(yamldoc.Get(st, "env")) {
					add(yamldoc.Get(e, "value"), tn+"-"+sn+"-"+strings.ToLower(yamldoc.Str(e, "name")))
				}
			}
		}
	}
	return out
}

// sourceLine is a reference to a source line, as in a script's "# script (.travis.yml:4)":
// repositories whose files differ only in layout still share a Pipeline.
var sourceLine = lazyre.New(`\(([^():\s]+):\d+\)`)

var notParamChar = lazyre.New(`[^a-zA-Z0-9_.-]+`)

// paramName makes a valid Tekton param name (letters, digits, _ . -; not starting with a digit).
func paramName(s string) string {
	s = strings.Trim(notParamChar.ReplaceAllString(s, "-"), "-")
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		s = "p-" + s
	}
	return s
}

// merge makes one shared Pipeline of a group with the same shape. Values equal in every member
// stay literal; each differing one becomes a param that the members' runs pass.
func merge(g []*candidate, opts Options) (*convert.Outcome, Shared, error) {
	sort.Slice(g, func(i, j int) bool { return g[i].repo < g[j].repo })
	first := g[0]
	var differ []int
	for i := range first.values {
		for _, c := range g[1:] {
			if c.values[i] != first.values[i] {
				differ = append(differ, i)
				break
			}
		}
	}
	shared := deepCopy(first.root)
	nodes := holes(shared)
	var params []string
	used := map[string]bool{}
	for _, pn := range yamldoc.Items(yamldoc.Get(yamldoc.Get(shared, "spec"), "params")) {
		used[yamldoc.Str(pn, "name")] = true
	}
	for _, i := range differ {
		p := nodes[i].name
		for n := 2; used[p]; n++ {
			p = fmt.Sprintf("%s-%d", nodes[i].name, n)
		}
		used[p] = true
		params = append(params, p)
		nodes[i].node.Value = "$(params." + p + ")"
		nodes[i].node.Style = 0
	}
	for _, p := range params {
		addParam(shared, p)
	}
	sum := sha256.New()
	var body bytes.Buffer
	enc := yaml.NewEncoder(&body)
	enc.SetIndent(2)
	setName(shared, "")
	if err := enc.Encode(shared); err != nil {
		return nil, Shared{}, err
	}
	sum.Write(body.Bytes())
	name := "pipeline-" + hex.EncodeToString(sum.Sum(nil))[:8]
	setName(shared, name)
	var repos []string
	for _, c := range g {
		repos = append(repos, filepath.ToSlash(c.repo))
	}
	out := bytes.Buffer{}
	fmt.Fprintf(&out, "# Shared by %d repositories (tkn-migrate convert --consolidate): %s.\n", len(g), strings.Join(displayRepos(g), ", "))
	fmt.Fprintf(&out, "# Comments name the sources in %s; the others convert to the same Pipeline up to params.\n", displayRepos(g)[0])
	enc = yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(shared); err != nil {
		return nil, Shared{}, err
	}
	file := filepath.Join(opts.Dir, name+".yaml")
	if err := validate.Documents(file, out.Bytes()); err != nil {
		return nil, Shared{}, nil
	}
	ref, err := pipelineRef(opts, name, file, hex.EncodeToString(sum.Sum(nil))[:12])
	if err != nil {
		return nil, Shared{}, err
	}
	// Rewrite the members' runs first; only when all of them validate is anything changed.
	rewritten := map[*candidate][]convert.File{}
	for _, c := range g {
		vals := map[string]string{}
		for k, i := range differ {
			vals[params[k]] = c.values[i]
		}
		files, err := rewriteRuns(c, ref, params, vals)
		if err != nil {
			return nil, Shared{}, nil
		}
		rewritten[c] = files
	}
	for _, c := range g {
		c.o.Result.Files = rewritten[c]
		if c.o.Changes, err = convert.Changes(c.o.Source, c.o.Result.Files); err != nil {
			return nil, Shared{}, err
		}
	}
	// The source is the directory: the file is new output, compared with what is on disk.
	o := &convert.Outcome{Source: convert.Source{Path: opts.Dir, Kind: convert.KindTekton}, Result: convert.Result{Files: []convert.File{{Path: file, Data: out.Bytes()}}}}
	if o.Changes, err = convert.Changes(o.Source, o.Result.Files); err != nil {
		return nil, Shared{}, err
	}
	return o, Shared{Name: name, Path: filepath.ToSlash(file), Params: params, Repos: displayRepos(g)}, nil
}

func displayRepos(g []*candidate) []string {
	var out []string
	for _, c := range g {
		out = append(out, filepath.ToSlash(filepath.Base(c.repo)))
	}
	return out
}

// rewriteRuns drops the member's Pipeline file and points every PipelineRun that ran it at
// the shared one, passing the member's values.
func rewriteRuns(c *candidate, ref catalog.Ref, params []string, vals map[string]string) ([]convert.File, error) {
	var files []convert.File
	for i, f := range c.o.Result.Files {
		if i == c.file {
			continue
		}
		var docs []*yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader(f.Data))
		changed := false
		for {
			var d yaml.Node
			if err := dec.Decode(&d); err != nil {
				break
			}
			root := d.Content[0]
			if yamldoc.Str(root, "kind") == "PipelineRun" && yamldoc.Str(yamldoc.Get(yamldoc.Get(root, "spec"), "pipelineRef"), "name") == c.name {
				setRef(root, ref)
				for _, p := range params {
					addRunParam(root, p, vals[p])
				}
				changed = true
			}
			docs = append(docs, &d)
		}
		if !changed {
			files = append(files, f)
			continue
		}
		var out bytes.Buffer
		for j, d := range docs {
			if j > 0 {
				out.WriteString("---\n")
			}
			enc := yaml.NewEncoder(&out)
			enc.SetIndent(2)
			if err := enc.Encode(d); err != nil {
				return nil, err
			}
		}
		if err := validate.Documents(f.Path, out.Bytes()); err != nil {
			return nil, err
		}
		files = append(files, convert.File{Path: f.Path, Data: out.Bytes()})
	}
	return files, nil
}

// pipelineRef is the resolver reference runs use for the shared Pipeline.
func pipelineRef(opts Options, name, file, digest string) (catalog.Ref, error) {
	switch opts.Ref {
	case "", "cluster":
		ns := opts.Location
		if ns == "" {
			ns = DefaultNamespace
		}
		return catalog.ClusterRef("pipeline", name, ns), nil
	case "git":
		url, rev, _ := strings.Cut(opts.Location, "@")
		if url == "" {
			return catalog.Ref{}, fmt.Errorf("--shared-ref git needs --shared-location URL[@REVISION] of the repository holding %s", opts.Dir)
		}
		if rev == "" {
			rev = "main"
		}
		return catalog.Ref{Resolver: "git", Params: []catalog.Param{{Name: "url", Value: url}, {Name: "revision", Value: rev},
			{Name: "pathInRepo", Value: path.Clean(filepath.ToSlash(file))}}}, nil
	case "bundles":
		if opts.Location == "" {
			return catalog.Ref{}, fmt.Errorf("--shared-ref bundles needs --shared-location, the image repository to push the bundles to")
		}
		// The tag is the content digest: a changed Pipeline is a new bundle, never a moved tag.
		return catalog.BundleRef(strings.TrimSuffix(opts.Location, "/")+"/"+name+":"+digest, name, "pipeline"), nil
	}
	return catalog.Ref{}, fmt.Errorf("--shared-ref must be cluster, git or bundles, not %q", opts.Ref)
}
