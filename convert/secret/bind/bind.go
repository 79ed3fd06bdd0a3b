// Package bind keeps the plain-text secrets of a source's commands out of the Tekton the
// front-ends generate: each moves from the step script to an env var read from a Secret.
package bind

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/secret"
)

// reuse lets Pipeline reuse what it found for an env entry or a comment it met before
// in the same Pipeline; a test turns it off to compare with the plain path.
var reuse = true

// Pipeline binds every env entry of p whose value, copied from src, is a plain-text secret to
// a Secret instead, and moves every plain-text secret that a step script copied from src into an env
// var of that step, bound by valueFrom.secretKeyRef to key value of a Secret named after the
// var; one value is one var and one Secret. It returns a manual secret-literal finding per
// secret, at its first place in src, naming the var, the Secret and the kubectl command that
// creates it, never the value. Text the converter generated itself is left alone.
func Pipeline(p *pipeline.Pipeline, src convert.Source) []convert.Finding {
	taken, given := names(p), map[string]bool{}
	if !reuse {
		taken("") // read now
	}
	byValue, reported := map[string]string{}, map[string]bool{}
	// varFor names the env var of a secret from src: one value, one var ("": not from src).
	varFor := func(h secret.Hit, value string) string {
		if !bytes.Contains(src.Data, []byte(value)) {
			return "" // not from the source
		}
		if v, ok := byValue[value]; ok {
			return v
		}
		v := unique(h.Var, func(n string) bool { return taken(n) || given[n] })
		byValue[value], given[v] = v, true
		return v
	}
	var findings []convert.Finding
	envs := envBinder(p, src, &findings, varFor, reported)
	for _, t := range append(append([]*pipeline.Task{}, p.Tasks...), p.Finally...) {
		t.Env = envs(t.Env)
		for i := range t.Sidecars {
			t.Sidecars[i].Env = envs(t.Sidecars[i].Env)
		}
		for i := range t.Steps {
			s := &t.Steps[i]
			s.Env = envs(s.Env)
			if s.Ref != nil || s.Script == "" {
				continue
			}
			script, moved := secret.Move(s.Script, varFor)
			if len(moved) == 0 {
				continue
			}
			s.Script = script
			bound := map[string]bool{}
			for _, m := range moved {
				if bound[m.Var] {
					continue
				}
				bound[m.Var] = true
				s.Env = append(s.Env, pipeline.Env{Name: m.Var, SecretName: secretName(p, m.Var), SecretKey: "value",
					Comment: "a plain-text secret of the source's command (create the Secret by hand)"})
				// One finding per secret, and one more where a step fails loud on it.
				ex := exact(moved, m.Var)
				if key := m.Var + "/" + strconv.FormatBool(ex); !reported[key] {
					reported[key] = true
					findings = append(findings, finding(p, t, src, m, ex))
				}
			}
		}
	}
	findings = append(findings, redactComments(p, src, byValue)...)
	sort.SliceStable(findings, func(i, j int) bool {
		return findings[i].Line < findings[j].Line || findings[i].Line == findings[j].Line && findings[i].Col < findings[j].Col
	})
	return findings
}

// envBinder returns what binds, in place, each env entry whose literal value from src is a
// plain-text secret (a Jenkins withEnv, say) to key value of a Secret named after the var. In a
// value glued to references ($(params.x)S3cret), each secret plain part from src moves alone: an
// entry before it binds var varFor names from the Secret, and the value reads $(VAR) there,
// which Kubernetes expands from that earlier entry, so the value is as it was.
func envBinder(p *pipeline.Pipeline, src convert.Source, findings *[]convert.Finding, varFor func(secret.Hit, string) string, reported map[string]bool) func([]pipeline.Env) []pipeline.Env {
	byValue, given := map[string]string{}, map[string]bool{}
	plain := map[[2]string]bool{} // name and value of entries found not to be a secret from src
	return func(env []pipeline.Env) []pipeline.Env {
		var out []pipeline.Env
		for i := range env {
			e := &env[i]
			if e.SecretName != "" || reuse && plain[[2]string{e.Name, e.Value}] {
				out = append(out, *e)
				continue
			}
			why, ok := "", bytes.Contains(src.Data, []byte(e.Value))
			if ok {
				why, ok = secret.Literal(e.Name, e.Value)
			}
			if !ok {
				var parts []pipeline.Env
				e.Value, parts = gluedEnv(p, src, *e, findings, varFor, reported)
				if len(parts) == 0 {
					plain[[2]string{e.Name, e.Value}] = true
				}
				out = append(append(out, parts...), *e)
				continue
			}
			sec, seen := byValue[e.Value]
			if !seen {
				sec = secretName(p, e.Name)
				for n := 2; given[sec]; n++ {
					sec = secretName(p, e.Name+"-"+strconv.Itoa(n))
				}
				byValue[e.Value], given[sec] = sec, true
				line, col := convert.LineCol(src.Data, bytes.Index(src.Data, []byte(e.Value)))
				*findings = append(*findings, convert.Finding{File: src.Path, Line: line, Col: col, Class: convert.Manual, Rule: "secret-literal",
					Message: fmt.Sprintf("env %s is a plain-text secret (%s): it is not copied; the step reads it from key value of Secret %s; create the Secret, remove the value from %s and revoke it",
						e.Name, why, sec, baseName(src.Path)),
					Action: fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", sec, e.Name)})
			}
			out = append(out, pipeline.Env{Name: e.Name, SecretName: sec, SecretKey: "value", Comment: e.Comment})
		}
		return out
	}
}

// gluedEnv is e's value with each secret plain part from src that secret.Glued finds read as
// $(VAR), and the entries that bind those vars, with a finding per var.
func gluedEnv(p *pipeline.Pipeline, src convert.Source, e pipeline.Env, findings *[]convert.Finding, varFor func(secret.Hit, string) string, reported map[string]bool) (string, []pipeline.Env) {
	var b strings.Builder
	var parts []pipeline.Env
	last := 0
	for _, h := range secret.Glued(e.Name, e.Value) {
		value := e.Value[h.Start:h.End]
		v := varFor(h, value)
		if v == "" {
			continue
		}
		b.WriteString(e.Value[last:h.Start] + "$(" + v + ")")
		last = h.End
		sec := secretName(p, v)
		if !slices.ContainsFunc(parts, func(x pipeline.Env) bool { return x.Name == v }) {
			parts = append(parts, pipeline.Env{Name: v, SecretName: sec, SecretKey: "value",
				Comment: "a plain-text secret of the source's env value " + e.Name + " (create the Secret by hand)"})
		}
		if key := v + "/true"; !reported[key] {
			reported[key] = true
			line, col := convert.LineCol(src.Data, bytes.Index(src.Data, []byte(value)))
			*findings = append(*findings, convert.Finding{File: src.Path, Line: line, Col: col, Class: convert.Manual, Rule: "secret-literal",
				Message: fmt.Sprintf("env %s holds a plain-text secret glued to references (its plain part: %s): that part is not copied; the value reads $(%s) there, bound from key value of Secret %s in an entry before it; create the Secret, remove the value from %s and revoke it",
					e.Name, h.What, v, sec, baseName(src.Path)),
				Action: fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", sec, v)})
		}
	}
	if len(parts) == 0 {
		return e.Value, nil
	}
	return b.String() + e.Value[last:], parts
}

// redactComments masks the secrets in every comment of p (a comment never runs, so the output
// runs the same), with a finding for each secret from src that no script move reported.
func redactComments(p *pipeline.Pipeline, src convert.Source, reported map[string]string) []convert.Finding {
	var findings []convert.Finding
	done := map[string]string{} // a comment met again: its values are reported or not from src
	redact := func(c *string) {
		if r, ok := done[*c]; ok && reuse {
			*c = r
			return
		}
		orig := *c
		defer func() { done[orig] = *c }()
		for _, h := range secret.Scan(*c) {
			value := (*c)[h.Start:h.End]
			if _, ok := reported[value]; ok || !bytes.Contains(src.Data, []byte(value)) {
				continue
			}
			reported[value] = ""
			line, col := convert.LineCol(src.Data, bytes.Index(src.Data, []byte(value)))
			findings = append(findings, convert.Finding{File: src.Path, Line: line, Col: col, Class: convert.Manual, Rule: "secret-literal",
				Message: fmt.Sprintf("%s in plain text: the output's comments show it redacted; put it in a Secret, remove it from %s and revoke it", h.What, baseName(src.Path))})
		}
		*c = secret.Redact(*c)
	}
	all := func(cs []string) {
		for i := range cs {
			redact(&cs[i])
		}
	}
	envs := func(env []pipeline.Env) {
		for i := range env {
			redact(&env[i].Comment)
		}
	}
	all(p.Comments)
	if p.Checkout != nil {
		all(p.Checkout.Comments)
	}
	for _, t := range append(append([]*pipeline.Task{}, p.Tasks...), p.Finally...) {
		all(t.Comments)
		envs(t.Env)
		for i := range t.Steps {
			all(t.Steps[i].Comments)
			envs(t.Steps[i].Env)
		}
		for i := range t.Sidecars {
			all(t.Sidecars[i].Comments)
			envs(t.Sidecars[i].Env)
		}
	}
	for i := range p.Runs {
		all(p.Runs[i].Comments)
	}
	return findings
}

// exact reports whether every use of v in a script reads exactly as its literal did.
func exact(moved []secret.Moved, v string) bool {
	for _, m := range moved {
		if m.Var == v && !m.Exact {
			return false
		}
	}
	return true
}

func finding(p *pipeline.Pipeline, t *pipeline.Task, src convert.Source, m secret.Moved, exact bool) convert.Finding {
	line, col := convert.LineCol(src.Data, bytes.Index(src.Data, []byte(m.Value)))
	sec := secretName(p, m.Var)
	msg := fmt.Sprintf("%s in plain text in a command: it is not copied; the step reads it from $%s, bound from key value of Secret %s; create the Secret, remove the value from %s and revoke it",
		m.What, m.Var, sec, baseName(src.Path))
	if !exact {
		msg = fmt.Sprintf("%s in plain text in a command: it is not copied; the step reads $%s (key value of Secret %s) in its place, but sh may not read that reference there as it read the literal, so the step of task %s fails loud: check the command and remove the exit; create the Secret, remove the value from %s and revoke it",
			m.What, m.Var, sec, pipeline.Sanitize(t.Name), baseName(src.Path))
	}
	return convert.Finding{File: src.Path, Line: line, Col: col, Class: convert.Manual, Rule: "secret-literal", Message: msg,
		Action: fmt.Sprintf("kubectl create secret generic %s --from-literal=value=<%s>", sec, m.Var)}
}

func baseName(path string) string { return path[strings.LastIndexAny(path, `/\`)+1:] }

// secretName is the Secret for var v: named after the pipeline too, so two sources converted
// into one namespace never share a Secret by accident.
func secretName(p *pipeline.Pipeline, v string) string { return pipeline.Sanitize(p.Name + "-" + v) }

// names are the env var names p already uses, in env entries or anywhere in a script. They are
// read when first asked for: Pipeline renames no env entry and rewrites no script or env list
// before it names its first var.
func names(p *pipeline.Pipeline) func(string) bool {
	all, read := "", false
	return func(name string) bool {
		if !read {
			var text strings.Builder
			for _, t := range append(append([]*pipeline.Task{}, p.Tasks...), p.Finally...) {
				for _, e := range t.Env {
					text.WriteString(e.Name + "\n")
				}
				for _, s := range t.Steps {
					text.WriteString(s.Script + "\n")
					for _, e := range s.Env {
						text.WriteString(e.Name + "\n")
					}
				}
			}
			all, read = text.String(), true
		}
		return strings.Contains(all, name)
	}
}

// unique is v, or v_2, v_3... when p already uses that name (or this pass gave it out).
func unique(v string, taken func(string) bool) string {
	name := v
	for n := 2; taken(name); n++ {
		name = v + "_" + strconv.Itoa(n)
	}
	return name
}
