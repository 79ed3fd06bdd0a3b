package model

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/jenkins/groovy"
)

// directive is one statement inside a declarative block, seen as name args { body }.
type directive struct {
	stmt groovy.Stmt
	name string
	call *groovy.Call // nil for a bare name or an assignment
	args []groovy.Arg
	body *groovy.Closure
	sp   groovy.Span
}

// directives splits a declarative block into its statements.
func directives(cl *groovy.Closure) []directive {
	if cl == nil {
		return nil
	}
	var out []directive
	for _, s := range cl.Body {
		out = append(out, directiveOf(s))
	}
	return out
}

// directiveOf reads one statement of a declarative block.
func directiveOf(s groovy.Stmt) directive {
	d := directive{stmt: s, sp: groovy.SpanOf(s)}
	if e, ok := s.(*groovy.ExprStmt); ok {
		switch x := e.X.(type) {
		case *groovy.Call:
			d.call, d.name, d.args, d.body = x, callName(x), plainArgs(x), closureArg(x)
		case *groovy.Ident:
			d.name = x.Name
		}
	}
	return d
}

// other keeps an unknown directive verbatim.
func (b *builder) other(d directive) *Step { return b.step(d.stmt, false) }

func (b *builder) pipeline(c *groovy.Call, s groovy.Stmt) *Pipeline {
	sp := groovy.SpanOf(c)
	p := &Pipeline{Line: int(sp.Line), Col: int(sp.Col), Comments: b.comments(s)}
	for _, d := range directives(closureArg(c)) {
		switch d.name {
		case "agent":
			p.Agent = b.agent(d)
		case "environment":
			var bad []*Step
			p.Environment, bad = b.environment(d)
			p.Other = append(p.Other, bad...)
		case "options":
			p.Options = b.entries(d)
		case "parameters":
			p.Parameters = b.entries(d)
		case "triggers":
			p.Triggers = b.entries(d)
		case "tools":
			p.Tools = b.entries(d)
		case "libraries":
			for _, l := range directives(d.body) {
				if l.name == "lib" && len(l.args) > 0 {
					if v := b.value(l.args[0].Value, false); v.Kind == String || v.Kind == GString {
						b.addLib(v.Str, v.Line, v.Col, "directive")
					}
				}
			}
		case "stages":
			p.Stages = b.stages(d)
		case "post":
			p.Post = b.post(d)
		default:
			if st := b.other(d); st != nil {
				p.Other = append(p.Other, st)
			}
		}
	}
	return p
}

// entries converts the calls inside options/parameters/triggers/tools blocks.
func (b *builder) entries(d directive) []*Step {
	if d.body == nil {
		return nil
	}
	out := b.steps(d.body.Body, false)
	if out == nil {
		out = []*Step{}
	}
	return out
}

// environment reads environment {}: its NAME = value entries, and as bad every other statement
// (Jenkins refuses the block), kept verbatim as a step named environment for a finding.
func (b *builder) environment(d directive) (out []EnvEntry, bad []*Step) {
	if d.body == nil {
		return nil, nil
	}
	for _, s := range d.body.Body {
		if e, ok := s.(*groovy.ExprStmt); ok {
			if bin, ok := e.X.(*groovy.Binary); ok && bin.Op == "=" {
				sp := groovy.SpanOf(s)
				out = append(out, EnvEntry{Line: int(sp.Line), Col: int(sp.Col), Name: strings.TrimSpace(b.text(bin.X)), Value: b.value(bin.Y, false)})
				continue
			}
		}
		if st := b.step(s, false); st != nil {
			st.Name = "environment"
			bad = append(bad, st)
		}
	}
	return out, bad
}

func (b *builder) stages(d directive) []*Stage {
	if d.body == nil {
		return nil
	}
	var out []*Stage
	body := d.body.Body
	for i, s := range body {
		if t, ok := s.(*groovy.Taken); ok {
			out = append(out, b.takenStage(t))
		} else if x := directiveOf(s); x.name == "stage" {
			out = append(out, b.stage(x))
		}
		b.done(body, i)
	}
	return out
}

// takenStage is the stage take built for t; an unknown or repeated t is an empty stage (and
// Parse builds from the whole tree, as resolved then falls short of the stages taken).
func (b *builder) takenStage(t *groovy.Taken) *Stage {
	if int(t.N) >= len(b.taken) || b.taken[t.N] == nil {
		return &Stage{}
	}
	st := b.taken[t.N]
	b.taken[t.N] = nil
	b.resolved++
	return st
}

func (b *builder) stage(d directive) *Stage {
	st := &Stage{Line: int(d.sp.Line), Col: int(d.sp.Col), Comments: b.comments(d.stmt)}
	if len(d.args) > 0 {
		v := b.value(d.args[0].Value, false)
		st.Name = v.Str
		if v.Kind != String && v.Kind != GString {
			st.Name = v.Raw
		}
	}
	for _, x := range directives(d.body) {
		switch x.name {
		case "agent":
			st.Agent = b.agent(x)
		case "environment":
			var bad []*Step
			st.Environment, bad = b.environment(x)
			st.Other = append(st.Other, bad...)
		case "when":
			st.When = b.when(x)
		case "options":
			st.Options = b.entries(x)
			for _, o := range st.Options {
				if o.Name == "parallelsAlwaysFailFast" {
					st.FailFast = true
				}
			}
		case "tools":
			st.Tools = b.entries(x)
		case "input":
			st.Input = b.input(x)
		case "steps":
			st.Steps = b.entries(x)
		case "parallel":
			st.Parallel = b.stages(x)
		case "stages":
			st.Stages = b.stages(x)
		case "matrix":
			st.Matrix = b.matrix(x)
		case "post":
			st.Post = b.post(x)
		case "failFast":
			if len(x.args) > 0 {
				if v := b.value(x.args[0].Value, false); v.Kind == Bool && v.Str == "true" {
					st.FailFast = true
				}
			}
		default:
			if s := b.other(x); s != nil {
				st.Other = append(st.Other, s)
			}
		}
	}
	return st
}

func (b *builder) matrix(d directive) *Matrix {
	m := &Matrix{Line: int(d.sp.Line), Col: int(d.sp.Col)}
	for _, x := range directives(d.body) {
		switch x.name {
		case "axes":
			for _, a := range directives(x.body) {
				if a.name == "axis" {
					ax := b.axis(a)
					m.Axes = append(m.Axes, Axis{Line: ax.Line, Col: ax.Col, Name: ax.Name, Values: ax.Values})
				}
			}
		case "excludes":
			for _, e := range directives(x.body) {
				if e.name != "exclude" {
					continue
				}
				conds := []AxisCond{}
				for _, a := range directives(e.body) {
					if a.name == "axis" {
						conds = append(conds, b.axis(a))
					}
				}
				m.Excludes = append(m.Excludes, conds)
			}
		case "agent":
			m.Agent = b.agent(x)
		case "environment":
			var bad []*Step
			m.Environment, bad = b.environment(x)
			m.Other = append(m.Other, bad...)
		case "when":
			m.When = b.when(x)
		case "options":
			m.Options = b.entries(x)
		case "tools":
			m.Tools = b.entries(x)
		case "input":
			m.Input = b.input(x)
		case "stages":
			m.Stages = b.stages(x)
		case "post":
			m.Post = b.post(x)
		default:
			if s := b.other(x); s != nil {
				m.Other = append(m.Other, s)
			}
		}
	}
	return m
}

// axis reads axis { name 'X'; values 'a', 'b' } (or notValues inside exclude).
func (b *builder) axis(d directive) AxisCond {
	a := AxisCond{Line: int(d.sp.Line), Col: int(d.sp.Col)}
	for _, x := range directives(d.body) {
		switch x.name {
		case "name":
			if len(x.args) > 0 {
				a.Name = b.value(x.args[0].Value, false).Str
			}
		case "values", "notValues":
			a.Not = x.name == "notValues"
			for _, arg := range x.args {
				v := b.value(arg.Value, false)
				if v.Kind == List {
					for _, e := range v.List {
						a.Values = append(a.Values, literalText(e))
					}
					continue
				}
				a.Values = append(a.Values, literalText(v))
			}
		}
	}
	return a
}

// literalText is a scalar's text: the string value (a GString as written between its quotes),
// or the source for anything else.
func literalText(v Value) string {
	switch v.Kind {
	case String, Number, Bool, GString:
		return v.Str
	}
	return strings.TrimSpace(v.Raw)
}

func (b *builder) post(d directive) []PostCondition {
	var out []PostCondition
	for _, x := range directives(d.body) {
		if x.name == "" {
			continue
		}
		pc := PostCondition{Line: int(x.sp.Line), Col: int(x.sp.Col), Condition: x.name, Steps: []*Step{}}
		if x.body != nil {
			pc.Steps = b.steps(x.body.Body, false)
		}
		out = append(out, pc)
	}
	return out
}

// input turns input { message 'x'; ok 'y'; parameters { ... } } into an input step with named args.
func (b *builder) input(d directive) *Step {
	st := &Step{Kind: Call, Name: "input", Line: int(d.sp.Line), Col: int(d.sp.Col), EndLine: b.line(max(d.sp.End-1, d.sp.Off)), Raw: b.g.SpanText(d.sp), Comments: b.comments(d.stmt)}
	if d.body == nil {
		// input message: 'x' written as a step call
		for _, a := range d.args {
			st.Args = append(st.Args, Arg{Name: a.Name, Value: b.value(a.Value, false)})
		}
		return st
	}
	for _, x := range directives(d.body) {
		switch {
		case x.name == "parameters":
			sp := x.sp
			v := Value{Kind: List, Line: int(sp.Line), Col: int(sp.Col), Raw: b.g.SpanText(sp), List: []Value{}}
			for _, p := range b.entries(x) {
				v.List = append(v.List, Value{Kind: CallVal, Line: p.Line, Col: p.Col, Raw: p.Raw, Call: p})
			}
			st.Args = append(st.Args, Arg{Name: "parameters", Value: v})
		case x.name != "":
			st.Args = append(st.Args, Arg{Name: x.name, Value: b.directiveValue(x, 0)})
		}
	}
	return st
}

func (b *builder) agent(d directive) *Agent {
	a := &Agent{Line: int(d.sp.Line), Col: int(d.sp.Col), Raw: b.g.SpanText(d.sp)}
	switch {
	case d.body != nil:
		// agent { label 'x' } / { docker { image 'x' } } / { kubernetes { yaml '...' } }
		for _, x := range directives(d.body) {
			if x.name == "" {
				continue
			}
			a.Kind = x.name
			for _, arg := range x.args {
				v := b.value(arg.Value, false)
				if arg.Name != "" {
					a.Params = append(a.Params, Arg{Name: arg.Name, Value: v})
					continue
				}
				switch x.name {
				case "docker":
					a.Params = append(a.Params, Arg{Name: "image", Value: v})
				case "label":
					a.Params = append(a.Params, Arg{Name: "label", Value: v})
				case "dockerfile":
					a.Params = append(a.Params, Arg{Name: "dockerfile", Value: v})
				default:
					a.Params = append(a.Params, Arg{Value: v})
				}
			}
			for _, s := range directives(x.body) {
				if s.name != "" {
					a.Params = append(a.Params, Arg{Name: s.name, Value: b.directiveValue(s, 0)})
				}
			}
			break
		}
	case len(d.args) > 0:
		arg := d.args[0]
		v := b.value(arg.Value, false)
		if arg.Name != "" {
			// old map form: agent label: 'x' / agent docker: 'image'
			a.Kind = arg.Name
			for _, o := range d.args {
				a.Params = append(a.Params, Arg{Name: o.Name, Value: b.value(o.Value, false)})
			}
			if a.Kind == "docker" {
				a.Params[0].Name = "image"
			}
		} else {
			a.Kind = strings.TrimSpace(v.Raw)
			if v.Kind == String {
				a.Kind = v.Str
			}
		}
	}
	if v := a.Param("label"); v != nil {
		a.Label = literalText(*v)
	}
	if v := a.Param("image"); v != nil {
		a.Image = literalText(*v)
	}
	return a
}

// directiveValue is the value of a setting line inside a block: image 'x' gives 'x'; a bare
// flag gives true; named args give a map; several positional args give a list; a nested
// block (containerTemplate { name 'x' }) gives a map of its settings.
func (b *builder) directiveValue(d directive, depth int) Value {
	sp := d.sp
	raw := b.g.SpanText(sp)
	switch {
	case d.body != nil && depth < MaxSettingDepth:
		m := Value{Kind: Map, Line: int(sp.Line), Col: int(sp.Col), Raw: raw, Map: []Arg{}}
		for _, a := range d.args {
			m.Map = append(m.Map, Arg{Name: a.Name, Value: b.value(a.Value, false)})
		}
		for _, x := range directives(d.body) {
			if x.name != "" {
				m.Map = append(m.Map, Arg{Name: x.name, Value: b.directiveValue(x, depth+1)})
			}
		}
		return m
	case len(d.args) == 0:
		return Value{Kind: Bool, Str: "true", Line: int(sp.Line), Col: int(sp.Col), Raw: raw}
	case len(d.args) == 1 && d.args[0].Name == "":
		return b.value(d.args[0].Value, false)
	}
	named := d.args[0].Name != ""
	v := Value{Kind: List, Line: int(sp.Line), Col: int(sp.Col), Raw: raw, List: []Value{}}
	if named {
		v = Value{Kind: Map, Line: int(sp.Line), Col: int(sp.Col), Raw: raw, Map: []Arg{}}
	}
	for _, a := range d.args {
		if named {
			v.Map = append(v.Map, Arg{Name: a.Name, Value: b.value(a.Value, false)})
		} else {
			v.List = append(v.List, b.value(a.Value, false))
		}
	}
	return v
}

// MaxSettingDepth bounds nested setting blocks read as maps (agent { kubernetes { containerTemplate { ... } } }).
const MaxSettingDepth = 8

// when reads when { [beforeAgent true] conditions... }.
func (b *builder) when(d directive) *When {
	w := &When{Line: int(d.sp.Line), Col: int(d.sp.Col)}
	for _, x := range directives(d.body) {
		switch x.name {
		case "beforeAgent", "beforeInput", "beforeOptions":
			on := len(x.args) > 0 && b.value(x.args[0].Value, false).Str == "true"
			switch x.name {
			case "beforeAgent":
				w.BeforeAgent = on
			case "beforeInput":
				w.BeforeInput = on
			default:
				w.BeforeOptions = on
			}
		default:
			w.Conditions = append(w.Conditions, b.condition(x))
		}
	}
	return w
}

func (b *builder) condition(d directive) Condition {
	c := Condition{Line: int(d.sp.Line), Col: int(d.sp.Col), Name: d.name, Raw: b.g.SpanText(d.sp)}
	for _, a := range d.args {
		c.Args = append(c.Args, Arg{Name: a.Name, Value: b.value(a.Value, false)})
	}
	switch d.name {
	case "allOf", "anyOf", "not":
		for _, x := range directives(d.body) {
			c.Children = append(c.Children, b.condition(x))
		}
	default:
		if d.body != nil {
			// expression { ... }: the closure is the argument
			c.Args = append(c.Args, Arg{Value: b.value(d.body, false)})
		}
	}
	if c.Name == "" {
		c.Name = strings.TrimSpace(c.Raw)
	}
	return c
}
