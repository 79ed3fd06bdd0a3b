package travis

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/travis/cond"
	"github.com/tkn-migrate/tkn-migrate/travis/matrix"
)

// job is one expanded Travis job with its effective configuration.
type job struct {
	mj        matrix.Job
	root, inc *mapping // inc is the jobs.include entry, or nil
	pos       *yaml.Node

	langName  string
	lang      *language
	version   string // value of the language's version key ("" = default)
	os, arch  string
	dist      string
	compiler  string
	name      string
	env       []envVar // env.global then the job's own entry
	jobEnv    string   // canonical job env entry (matrix param)
	phases    map[string]phase
	conds     []jobCond       // stage and job if: left after static evaluation
	defaulted map[string]bool // phases filled from the language default
	task      string          // the pipeline task that runs it, once named
}

// get returns a job key: the include's value, else the root's (shared keys only).
func (j *job) get(key string) *yaml.Node {
	if j.inc != nil && j.inc.has(key) {
		return j.inc.get(key)
	}
	if rootOnly[key] {
		return nil
	}
	return j.root.get(key)
}

// keyNode is where a key was written, for positions.
func (j *job) keyNode(key string) *yaml.Node {
	if j.inc != nil && j.inc.has(key) {
		return j.inc.keyNode(key)
	}
	if j.root.has(key) {
		return j.root.keyNode(key)
	}
	return j.pos
}

// attr returns a single-valued key: the expanded matrix value first.
func (j *job) attr(key string) string {
	if v := j.mj.Attrs[key]; len(v) > 0 && key != "env" {
		return v[0]
	}
	if n := j.get(key); n != nil {
		if vs, ok := scalars(n); ok && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// commandsText is every command of the job, for spotting TRAVIS_* and helper use.
func (j *job) commandsText() string {
	n := 0 // its length, so it is built in one allocation
	for _, k := range phaseKeys {
		for _, c := range j.phases[k].cmds {
			n += len(c.text) + 1
		}
	}
	for _, e := range j.env {
		n += len(e.raw) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for _, k := range phaseKeys {
		for _, c := range j.phases[k].cmds {
			b.WriteString(c.text)
			b.WriteByte('\n')
		}
	}
	for _, e := range j.env {
		b.WriteString(e.raw)
		b.WriteByte('\n')
	}
	return b.String()
}

// jobCond is a condition that depends on the build request.
type jobCond struct {
	expr cond.Expr
	node *yaml.Node
	what string
}
