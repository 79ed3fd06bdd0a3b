package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Dump renders the model as indented text, for golden tests and debugging.
func Dump(f *File) string {
	d := &dumper{}
	d.line(0, "file %s %s", f.Path, f.Kind)
	d.comments(1, f.Comments)
	for _, l := range f.Libraries {
		d.line(1, "library %q ref=%q from=%s @%d:%d", l.Name, l.Ref, l.From, l.Line, l.Col)
	}
	if p := f.Pipeline; p != nil {
		d.line(1, "pipeline @%d", p.Line)
		d.comments(2, p.Comments)
		d.agent(2, p.Agent)
		d.env(2, p.Environment)
		d.list(2, "options", p.Options)
		d.list(2, "parameters", p.Parameters)
		d.list(2, "triggers", p.Triggers)
		d.list(2, "tools", p.Tools)
		for _, s := range p.Stages {
			d.stage(2, "stage", s)
		}
		d.post(2, p.Post)
		d.list(2, "other", p.Other)
	}
	if f.Script != nil && len(f.Script.Stmts) > 0 {
		d.line(1, "script")
		d.steps(2, f.Script.Stmts)
	}
	d.comments(1, f.Tail)
	return d.b.String()
}

type dumper struct{ b strings.Builder }

func (d *dumper) line(depth int, format string, args ...any) {
	d.b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

func (d *dumper) comments(depth int, cs []string) {
	for _, c := range cs {
		d.line(depth, "# %q", c)
	}
}

func (d *dumper) agent(depth int, a *Agent) {
	if a == nil {
		return
	}
	extra := ""
	if a.Label != "" {
		extra += fmt.Sprintf(" label=%q", a.Label)
	}
	if a.Image != "" {
		extra += fmt.Sprintf(" image=%q", a.Image)
	}
	d.line(depth, "agent %s%s @%d", a.Kind, extra, a.Line)
	for _, p := range a.Params {
		d.line(depth+1, "%s = %s", p.Name, val(p.Value))
	}
}

func (d *dumper) env(depth int, env []EnvEntry) {
	for _, e := range env {
		d.line(depth, "env %s = %s @%d", e.Name, val(e.Value), e.Line)
	}
}

func (d *dumper) list(depth int, what string, steps []*Step) {
	if len(steps) == 0 {
		return
	}
	d.line(depth, "%s", what)
	d.steps(depth+1, steps)
}

func (d *dumper) stage(depth int, what string, s *Stage) {
	ff := ""
	if s.FailFast {
		ff = " failFast"
	}
	d.line(depth, "%s %q @%d%s", what, s.Name, s.Line, ff)
	d.comments(depth+1, s.Comments)
	d.agent(depth+1, s.Agent)
	d.env(depth+1, s.Environment)
	d.when(depth+1, s.When)
	d.list(depth+1, "options", s.Options)
	d.list(depth+1, "tools", s.Tools)
	if s.Input != nil {
		d.list(depth+1, "input", []*Step{s.Input})
	}
	d.list(depth+1, "steps", s.Steps)
	for _, p := range s.Parallel {
		d.stage(depth+1, "parallel", p)
	}
	for _, c := range s.Stages {
		d.stage(depth+1, "stage", c)
	}
	if m := s.Matrix; m != nil {
		d.line(depth+1, "matrix @%d", m.Line)
		for _, a := range m.Axes {
			d.line(depth+2, "axis %s %q", a.Name, a.Values)
		}
		for _, ex := range m.Excludes {
			var parts []string
			for _, c := range ex {
				op := "in"
				if c.Not {
					op = "notIn"
				}
				parts = append(parts, fmt.Sprintf("%s %s %q", c.Name, op, c.Values))
			}
			d.line(depth+2, "exclude %s", strings.Join(parts, " && "))
		}
		d.agent(depth+2, m.Agent)
		d.env(depth+2, m.Environment)
		d.when(depth+2, m.When)
		d.list(depth+2, "options", m.Options)
		d.list(depth+2, "tools", m.Tools)
		for _, c := range m.Stages {
			d.stage(depth+2, "stage", c)
		}
		d.post(depth+2, m.Post)
		d.list(depth+2, "other", m.Other)
	}
	d.post(depth+1, s.Post)
	d.list(depth+1, "other", s.Other)
}

func (d *dumper) when(depth int, w *When) {
	if w == nil {
		return
	}
	d.line(depth, "when beforeAgent=%v beforeInput=%v beforeOptions=%v", w.BeforeAgent, w.BeforeInput, w.BeforeOptions)
	d.conds(depth+1, w.Conditions)
}

func (d *dumper) conds(depth int, cs []Condition) {
	for _, c := range cs {
		d.line(depth, "%s%s @%d", c.Name, args(c.Args), c.Line)
		d.conds(depth+1, c.Children)
	}
}

func (d *dumper) post(depth int, post []PostCondition) {
	for _, p := range post {
		d.line(depth, "post %s @%d", p.Condition, p.Line)
		d.steps(depth+1, p.Steps)
	}
}

func (d *dumper) steps(depth int, steps []*Step) {
	for _, s := range steps {
		d.step(depth, s)
	}
}

func (d *dumper) step(depth int, s *Step) {
	d.comments(depth, s.Comments)
	at := fmt.Sprintf("@%d:%d-%d", s.Line, s.Col, s.EndLine)
	for _, c := range s.Trailing {
		at += fmt.Sprintf(" %q", c)
	}
	switch s.Kind {
	case Call:
		params := ""
		if len(s.Params) > 0 {
			params = " {" + strings.Join(s.Params, ", ") + " ->}"
		}
		name := s.Name
		if s.Receiver != nil {
			name = recv(*s.Receiver) + "." + name
		}
		d.line(depth, "%s%s%s %s", name, args(s.Args), params, at)
	case If:
		d.line(depth, "if (%s) %s", s.Cond, at)
	case Loop:
		if s.Receiver != nil {
			params := ""
			if len(s.Params) > 0 {
				params = " " + strings.Join(s.Params, ", ") + " ->"
			}
			d.line(depth, "loop %s.%s {%s} %s", s.Cond, s.Name, params, at)
		} else {
			d.line(depth, "%s (%s) %s", s.Name, s.Cond, at)
		}
	case Try:
		d.line(depth, "try %s", at)
	case Assign:
		v := "<none>"
		if s.Value != nil {
			v = val(*s.Value)
		}
		d.line(depth, "assign %s %s %s %s", s.Target, s.Op, v, at)
		return
	case Func:
		d.line(depth, "func %s(%s) %s", s.Name, strings.Join(s.Params, ", "), at)
	case Opaque:
		d.line(depth, "opaque %s %q", at, s.Raw)
		return
	}
	d.steps(depth+1, s.Body)
	d.comments(depth+1, s.Tail)
	if s.Kind == If && len(s.Else) > 0 {
		d.line(depth, "else")
		d.steps(depth+1, s.Else)
	}
	for _, c := range s.Catches {
		d.line(depth, "catch (%s) @%d", c.Param, c.Line)
		d.steps(depth+1, c.Body)
	}
	if s.Kind == Try && len(s.Finally) > 0 {
		d.line(depth, "finally")
		d.steps(depth+1, s.Finally)
	}
}

func args(as []Arg) string {
	if len(as) == 0 {
		return ""
	}
	var parts []string
	for _, a := range as {
		if a.Name != "" {
			parts = append(parts, a.Name+": "+val(a.Value))
		} else {
			parts = append(parts, val(a.Value))
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// val renders a value with its kind, so goldens show what the model understood.
func val(v Value) string {
	switch v.Kind {
	case String:
		return "str" + strconv.Quote(v.Str)
	case GString:
		var parts []string
		for _, p := range v.Parts {
			if p.Expr != "" {
				parts = append(parts, "${"+p.Expr+"}")
			} else {
				parts = append(parts, strconv.Quote(p.Lit))
			}
		}
		return "gstr(" + strings.Join(parts, " ") + ")"
	case Number:
		return "num " + v.Str
	case Bool:
		return v.Str
	case Null:
		return "null"
	case List:
		var parts []string
		for _, e := range v.List {
			parts = append(parts, val(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case Map:
		if len(v.Map) == 0 {
			return "[:]"
		}
		return "[" + strings.TrimSuffix(strings.TrimPrefix(args(v.Map), "("), ")") + "]"
	case Closure:
		var b strings.Builder
		b.WriteString("{")
		if len(v.Params) > 0 {
			b.WriteString(strings.Join(v.Params, ", ") + " ->")
		}
		for i, s := range v.Body {
			if i > 0 {
				b.WriteString(";")
			}
			b.WriteString(" " + oneLine(s))
		}
		b.WriteString(" }")
		return b.String()
	case CallVal:
		return "call " + oneLine(v.Call)
	}
	return "expr(" + v.Raw + ")"
}

// oneLine renders a step inside a value (closures, call arguments) on one line.
func oneLine(s *Step) string {
	switch s.Kind {
	case Call:
		out := s.Name + args(s.Args)
		if s.Receiver != nil {
			out = recv(*s.Receiver) + "." + out
		}
		if s.Body != nil {
			var parts []string
			for _, c := range s.Body {
				parts = append(parts, oneLine(c))
			}
			out += " { " + strings.Join(parts, "; ") + " }"
		}
		return out
	case Assign:
		if s.Value != nil {
			return s.Target + " " + s.Op + " " + val(*s.Value)
		}
		return s.Target
	}
	return s.Kind.String() + " " + strconv.Quote(s.Raw)
}

// recv renders a call receiver: a nested call with its arguments, or the expression text.
func recv(v Value) string {
	if v.Kind == CallVal {
		return oneLine(v.Call)
	}
	return v.Path()
}
