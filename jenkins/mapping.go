package jenkins

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// Mapping is the --mapping file: step or shared-library call name → Tekton replacement.
// See MAPPING.md for the format.
type Mapping struct {
	Steps map[string]*MapEntry `yaml:"steps"`
	// Labels maps agent labels (node('x'), agent { label 'x' }) to an image and a nodeSelector.
	Labels map[string]*LabelEntry `yaml:"labels"`
}

// MapEntry replaces one call: either a step template (Image + Script) or a catalog Task.
type MapEntry struct {
	// Step template: the script runs as written; call arguments reach it only through Env.
	Image  string            `yaml:"image"`
	Script string            `yaml:"script"`
	Env    map[string]string `yaml:"env"`
	// Catalog Task (catalog.Lookup name) with param and workspace bindings.
	Task       string            `yaml:"task"`
	Params     map[string]string `yaml:"params"`
	Workspaces map[string]string `yaml:"workspaces"`
	// Note is added to the report for every use.
	Note string `yaml:"note"`
}

// LoadMapping decodes opts.Mapping (the YAML the CLI read from opts.MappingPath).
func LoadMapping(opts convert.Options) (*Mapping, error) {
	if opts.Mapping == nil && opts.MappingPath != "" {
		data, err := os.ReadFile(opts.MappingPath)
		if err != nil {
			return nil, err
		}
		if err := yaml.Unmarshal(data, &opts.Mapping); err != nil {
			return nil, convert.Errorf(opts.MappingPath, 0, 0, "mapping: %v", err)
		}
	}
	if opts.Mapping == nil {
		return nil, nil
	}
	data, err := yaml.Marshal(opts.Mapping)
	if err != nil {
		return nil, err
	}
	var m Mapping
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, convert.Errorf(opts.MappingPath, 0, 0, "mapping: %v", err)
	}
	names := make([]string, 0, len(m.Steps))
	for n := range m.Steps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		e := m.Steps[n]
		if e == nil {
			return nil, convert.Errorf(opts.MappingPath, 0, 0, "mapping: step %s has no replacement", n)
		}
		switch {
		case e.Task != "" && (e.Image != "" || e.Script != ""):
			return nil, convert.Errorf(opts.MappingPath, 0, 0, "mapping: step %s sets both task and image/script", n)
		case e.Task != "":
			if _, ok := catalog.Lookup(e.Task); !ok {
				return nil, convert.Errorf(opts.MappingPath, 0, 0, "mapping: step %s: no catalog task %q (see tkn-migrate catalog list)", n, e.Task)
			}
		case e.Image == "" || e.Script == "":
			return nil, convert.Errorf(opts.MappingPath, 0, 0, "mapping: step %s needs either task, or image and script", n)
		}
		for w, v := range e.Workspaces {
			if v != pipeline.SourceWorkspace && !strings.HasPrefix(v, "secret:") {
				return nil, convert.Errorf(opts.MappingPath, 0, 0, "mapping: step %s: workspace %s must be bound to source or secret:<name>, not %q", n, w, v)
			}
		}
	}
	for l, e := range m.Labels {
		if e == nil || e.Image == "" && len(e.NodeSelector) == 0 {
			return nil, convert.Errorf(opts.MappingPath, 0, 0, "mapping: label %s needs an image or a nodeSelector", l)
		}
	}
	return &m, nil
}

func (m *Mapping) lookup(name string) (*MapEntry, bool) {
	if m == nil {
		return nil, false
	}
	e, ok := m.Steps[name]
	return e, ok
}

var argRef = lazyre.New(`\{\{\s*args\.([A-Za-z0-9_]+)\s*\}\}`)

// bindArgs fills {{ args.NAME }} / {{ args.N }} from the call's literal (or param-backed) arguments.
func (c *conv) bindArgs(tmpl string, s *model.Step, sc scope) string {
	return argRef.ReplaceAllStringFunc(tmpl, func(m string) string {
		key := argRef.FindStringSubmatch(m)[1]
		var v *model.Value
		if i, err := strconv.Atoi(key); err == nil {
			v = s.Positional(i)
		} else {
			v = s.Arg(key)
			if v == nil {
				// buildPlugin(name: 'x') and buildPlugin([name: 'x']) are the same call.
				if p := s.Positional(0); p != nil && p.Kind == model.Map {
					v = model.ArgNamed(p.Map, key)
				}
			}
		}
		if v == nil {
			return ""
		}
		if out, ok := c.envValue(v, sc, s.Line); ok {
			return out
		}
		if v.Kind == model.List || v.Kind == model.Map {
			return strings.TrimSpace(v.Raw)
		}
		c.find(s.Line, s.Col, convert.Manual, "mapping-arg", "argument %s of %s is computed at run time; its value is left empty", key, s.Path())
		return ""
	})
}

// mapped replaces a call with its --mapping entry.
func (c *conv) mapped(ch *chain, s *model.Step, sc scope, e *MapEntry) {
	note, class := "", convert.Converted
	if e.Note != "" {
		// The mapping's author left something to check: it shows wherever findings are listed.
		note, class = ": "+e.Note, convert.Approximated
	}
	c.find(s.Line, s.Col, class, "mapping", "%s → %s from %s%s", s.Path(), mappingTarget(e), c.opts.MappingPath, note)
	if !c.checkout {
		// A scripted pipeline clones only when asked, and library steps (buildPlugin, ...) ask themselves.
		c.checkout = true
		c.checkoutFrom = c.from(s.Line, s.Path()+": a library step, taken to check out the source as library build steps do")
		c.find(s.Line, s.Col, convert.Approximated, "checkout", "%s is a library step: fetch-source clones the repository for it, as library build steps check out themselves; remove the clone if it does not", s.Path())
	}
	head := c.stepHead(s, s.Path()+" (mapped by "+c.opts.MappingPath+")")
	if e.Task == "" {
		keys := make([]string, 0, len(e.Env))
		for k := range e.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var env []pipeline.Env
		for _, k := range keys {
			env = append(env, pipeline.Env{Name: k, Value: c.bindArgs(e.Env[k], s, sc)})
		}
		ch.step(sc, pipeline.Step{Name: pipeline.Sanitize(s.Path()), Comments: head, Image: e.Image, Script: e.Script, Env: env})
		if len(s.Body) > 0 {
			c.steps(ch, s.Body, sc)
		}
		return
	}
	if ch.noSplit {
		c.manual(ch, s, sc, true, "mapping", "%s maps to catalog Task %s, which can't run inside a post block's task", s.Path(), e.Task)
		return
	}
	ct := catalog.MustLookup(e.Task)
	ref := ct.Ref(c.opts.CatalogRef)
	t := &pipeline.Task{Name: pipeline.Sanitize(s.Path()), Comments: head, Ref: &ref}
	keys := make([]string, 0, len(e.Params))
	for k := range e.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := ct.Param(k); !ok {
			c.find(s.Line, s.Col, convert.Manual, "mapping", "catalog Task %s has no param %s (mapping for %s)", e.Task, k, s.Path())
			continue
		}
		t.Params = append(t.Params, pipeline.Binding{Name: k, Value: c.bindArgs(e.Params[k], s, sc)})
	}
	for _, p := range ct.Params {
		if p.Required() && e.Params[p.Name] == "" {
			c.find(s.Line, s.Col, convert.Manual, "mapping", "catalog Task %s needs param %s; the mapping for %s does not set it", e.Task, p.Name, s.Path())
		}
	}
	for _, w := range ct.Workspaces {
		bind := e.Workspaces[w.Name]
		if bind == "" && !w.Optional {
			bind = pipeline.SourceWorkspace
		}
		if strings.HasPrefix(bind, "secret:") {
			bind = c.secretWorkspace(strings.TrimPrefix(bind, "secret:"))
		}
		if bind != "" {
			t.Workspaces = append(t.Workspaces, pipeline.Binding{Name: w.Name, Value: bind})
		}
	}
	ch.ref(t)
}

func mappingTarget(e *MapEntry) string {
	if e.Task != "" {
		return "catalog Task " + e.Task
	}
	return fmt.Sprintf("step template (image %s)", e.Image)
}
