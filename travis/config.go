package travis

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/travis/matrix"
)

// phases in the order travis-build runs them.
var phaseKeys = []string{"before_install", "install", "before_script", "script", "before_cache",
	"after_success", "after_failure", "before_deploy", "after_deploy", "after_script"}

// jobKeys are accepted at the root and in jobs.include entries.
var jobKeys = set("language", "os", "dist", "arch", "osx_image", "sudo", "group", "vm", "virt", "stack", "env",
	"compiler", "services", "addons", "cache", "deploy", "git", "branches", "branch", "if", "name", "stage",
	"allow_failure", "apt_packages", "workspaces", "source_key", "filter_secrets", "trace",
	// language options that need no conversion of their own (they feed defaults or versions)
	"bundler_args", "gemfiles", "ruby", "rbenv", "node", "npm_args", "go_import_path", "gobuild_args",
	"virtualenv", "composer_args", "sbt_args", "android", "lein", "cabal", "neko", "hxml", "xcode_project",
	"xcode_workspace", "xcode_destination", "xcodebuild_args", "podfile", "r_packages", "r_github_packages",
	"r_binary_packages", "bioc_packages", "r_build_args", "r_check_args", "warnings_are_errors",
	"repos", "use_bioc", "elm_test", "elm_format", "codecov", "coveralls", "with_content_shell")

// langOptions are the language options of jobKeys that travis-build reads and the
// conversion does not carry over (versions, aliases and the arguments in argOptions are).
var langOptions = map[string]bool{"npm_args": true, "virtualenv": true,
	"composer_args": true, "lein": true, "cabal": true, "neko": true, "hxml": true,
	"xcode_project": true, "xcode_workspace": true, "xcode_destination": true, "xcodebuild_args": true,
	"podfile": true, "r_packages": true, "r_github_packages": true, "r_binary_packages": true,
	"bioc_packages": true, "r_build_args": true, "r_check_args": true, "warnings_are_errors": true,
	"repos": true, "use_bioc": true, "elm_test": true, "elm_format": true, "codecov": true,
	"coveralls": true, "with_content_shell": true}

// rootOnly keys are not merged into jobs (travis-yml Matrix#jobs step 4).
var rootOnly = set("jobs", "matrix", "import", "stages", "notifications", "version", "allow_failure", "if", "branches", "branch",
	"conditions", "merge_mode", "env")

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	for _, k := range phaseKeys {
		m[k] = true
	}
	for _, k := range matrix.Keys {
		m[k] = true
	}
	return m
}

// cmd is one command line of a phase: Travis evals each list item on its own.
type cmd struct {
	text      string
	line, col int
}

// phase is a phase key's value; set means the key is present (it then replaces the default).
type phase struct {
	set       bool
	label     string // replaces "key (file:line)" in the script comment
	cmds      []cmd
	line, col int
}

// envVar is one variable of an env entry. Raw is NAME=VALUE as written (Travis exports it raw).
type envVar struct {
	name, value string
	raw         string
	secure      bool
	literal     string // why a plain-text value is a secret (read from a Secret as if secure)
	line, col   int
}

// envEntry is one env.jobs / include env entry (it may set several variables).
type envEntry struct {
	key  string // canonical form used for matrix comparison
	vars []envVar
}

// decoder walks the resolved tree and collects findings for keys it does not convert.
type decoder struct {
	path     string
	findings []convert.Finding
	envs     map[string]envEntry // canonical entry -> parsed vars
}

func (d *decoder) finding(n *yaml.Node, class convert.Class, rule, format string, args ...any) {
	f := convert.Finding{File: d.path, Class: class, Rule: rule, Message: sprintf(format, args...)}
	if n != nil {
		f.Line, f.Col = n.Line, n.Column
	}
	d.findings = append(d.findings, f)
}

// findingAction is a finding with a command or manifest the user applies by hand.
func (d *decoder) findingAction(n *yaml.Node, class convert.Class, rule, msg, action string) {
	d.finding(n, class, rule, "%s", msg)
	d.findings[len(d.findings)-1].Action = action
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) error {
	return convert.Errorf(d.path, n.Line, n.Column, format, args...)
}

// phase reads a phase value: a string, a list of strings, or null (an empty override).
// `true`/`false` are shell commands too (YAML reads them as booleans); numbers are not.
func (d *decoder) phase(key string, k, v *yaml.Node) (phase, error) {
	p := phase{set: true, line: k.Line, col: k.Column}
	isCmd := func(n *yaml.Node) bool {
		return n.Kind == yaml.ScalarNode && (n.Tag == "!!str" || n.Tag == "!!bool")
	}
	switch {
	case isNull(v):
		return p, nil
	case isCmd(v):
		if s := strings.TrimSpace(v.Value); s == "skip" || s == "ignore" {
			return p, nil
		}
		p.cmds = append(p.cmds, cmd{text: v.Value, line: v.Line, col: v.Column})
		return p, nil
	case v.Kind == yaml.SequenceNode:
		for _, e := range v.Content {
			if isNull(e) {
				continue
			}
			if !isCmd(e) {
				return p, d.errorf(e, "%s: each command must be a string, found %s", key, describe(e))
			}
			p.cmds = append(p.cmds, cmd{text: e.Value, line: e.Line, col: e.Column})
		}
		return p, nil
	}
	return p, d.errorf(v, "%s: expected a string or a list of strings, found %s", key, describe(v))
}

// envEntries reads env.jobs-style values: a string, a list of entries, or a map of vars.
func (d *decoder) envEntries(key string, v *yaml.Node) ([]envEntry, error) {
	switch {
	case isNull(v):
		return nil, nil
	case v.Kind == yaml.ScalarNode:
		e, err := d.envEntry(key, v)
		return []envEntry{e}, err
	case v.Kind == yaml.MappingNode:
		e, err := d.envEntry(key, v)
		return []envEntry{e}, err
	}
	var out []envEntry
	for _, n := range v.Content {
		e, err := d.envEntry(key, n)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// envEntry parses one entry: "A=1 B='x y'", {A: 1}, {secure: ...}, or a list of those
// (an include's env: [A=1, B=2] is one entry).
func (d *decoder) envEntry(key string, n *yaml.Node) (envEntry, error) {
	var vars []envVar
	var add func(n *yaml.Node) error
	add = func(n *yaml.Node) error {
		switch n.Kind {
		case yaml.ScalarNode:
			if isNull(n) {
				return nil
			}
			for _, w := range shellWords(n.Value) {
				name, val, _ := strings.Cut(w, "=")
				vars = append(vars, envVar{name: name, value: val, raw: w, line: n.Line, col: n.Column})
			}
		case yaml.MappingNode:
			m := asMap(n)
			for _, k := range m.keys {
				val := m.vals[k.Value]
				if k.Value == "secure" {
					if val.Kind != yaml.ScalarNode {
						return d.errorf(val, "%s: secure must be a string", key)
					}
					vars = append(vars, envVar{secure: true, line: k.Line, col: k.Column})
					continue
				}
				if val.Kind != yaml.ScalarNode {
					return d.errorf(val, "%s: the value of %s must be a scalar, found %s", key, k.Value, describe(val))
				}
				v := val.Value
				if isNull(val) {
					v = ""
				}
				vars = append(vars, envVar{name: k.Value, value: v, raw: k.Value + "=" + v, line: k.Line, col: k.Column})
			}
		case yaml.SequenceNode:
			for _, e := range n.Content {
				if err := add(e); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := add(n); err != nil {
		return envEntry{}, err
	}
	literalSecrets(vars)
	var parts []string
	for _, v := range vars {
		if v.secure {
			parts = append(parts, "secure@"+itoa(v.line)+":"+itoa(v.col))
		} else {
			parts = append(parts, v.raw)
		}
	}
	e := envEntry{key: strings.Join(parts, " "), vars: vars}
	if d.envs == nil {
		d.envs = map[string]envEntry{}
	}
	if _, ok := d.envs[e.key]; !ok {
		d.envs[e.key] = e
	}
	return e, nil
}

// shellWords splits an env line on blanks outside quotes, $(...) and `...`, keeping them
// (Travis exports each NAME=value raw, and its Env::Var::PATTERN keeps such a value whole).
func shellWords(s string) []string {
	var out []string
	var b strings.Builder
	var open []byte // the quotes and parens around s[i], innermost last
	for i := 0; i < len(s); i++ {
		c := s[i]
		b.WriteByte(c)
		top := byte(0)
		if len(open) > 0 {
			top = open[len(open)-1]
		}
		switch {
		case top == '\'':
			if c == '\'' {
				open = open[:len(open)-1]
			}
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == top && (c == '"' || c == '`') || c == ')' && top == '(':
			open = open[:len(open)-1]
		case c == '`' || c == '"' && top != '`':
			open = append(open, c)
		case c == '\'' && top != '"' && top != '`':
			open = append(open, c)
		case c == '$' && i+1 < len(s) && s[i+1] == '(' && top != '`', c == '(' && top == '(':
			if c == '$' {
				i++
				b.WriteByte('(')
			}
			open = append(open, '(')
		case top == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			if w := b.String(); len(w) > 1 {
				out = append(out, w[:len(w)-1])
			}
			b.Reset()
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// envSpec is the root env key split into its parts.
type envSpec struct {
	global []envEntry
	jobs   []envEntry
	node   *yaml.Node // the env.jobs node, for positions
}

func (d *decoder) rootEnv(key, v *yaml.Node) (envSpec, error) {
	var s envSpec
	if isNull(v) {
		return s, nil
	}
	if v.Kind == yaml.MappingNode {
		m := asMap(v)
		if m.has("global") || m.has("jobs") || m.has("matrix") {
			for _, k := range m.keys {
				val := m.vals[k.Value]
				switch k.Value {
				case "global":
					g, err := d.envEntries("env.global", val)
					if err != nil {
						return s, err
					}
					s.global = append(s.global, g...)
				case "jobs", "matrix":
					if s.node != nil {
						// an alias given twice: the later one wins, as for jobs:/matrix: (jobsNode)
						d.finding(s.node, convert.Converted, "travis/jobs-alias", "env.%s (line %d) is replaced by env.%s (line %d), its alias given later", s.node.Value, s.node.Line, k.Value, k.Line)
						s.jobs = nil
					}
					j, err := d.envEntries("env."+k.Value, val)
					if err != nil {
						return s, err
					}
					s.jobs = append(s.jobs, j...)
					s.node = k
				default:
					d.finding(k, convert.Unsupported, "travis/unknown-key", "env.%s is not a Travis key; ignored", k.Value)
				}
			}
			return s, nil
		}
	}
	j, err := d.envEntries("env", v)
	s.jobs, s.node = j, key
	return s, err
}

// canonical renders a value for matrix comparison: scalars as themselves, the rest as YAML.
func canonical(n *yaml.Node) []string {
	if vs, ok := scalars(n); ok {
		return vs
	}
	b, err := yaml.Marshal(n)
	if err != nil {
		return []string{"?"}
	}
	return []string{string(b)}
}

// attrs canonicalises a job mapping for include/exclude/allow_failures matching.
func (d *decoder) attrs(m *mapping, skip map[string]bool) (matrix.Attrs, error) {
	a := matrix.Attrs{}
	for _, k := range m.keys {
		if skip[k.Value] {
			continue
		}
		v := m.vals[k.Value]
		if k.Value == "env" {
			es, err := d.envEntries("env", v)
			if err != nil {
				return nil, err
			}
			var keys []string
			for _, e := range es {
				keys = append(keys, e.key)
			}
			a["env"] = keys
			continue
		}
		a[k.Value] = canonical(v)
	}
	return a, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
