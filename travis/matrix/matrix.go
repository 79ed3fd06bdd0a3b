// Package matrix expands a Travis build matrix exactly as travis-yml does
// (lib/travis/yml/matrix.rb and configs/*.rb): the product of the expansion keys,
// then include, exclude, dedupe, stages, allow_failures and reordering.
package matrix

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Keys is Travis's expansion order (schema.json "expand"); env is appended last.
// The first key varies slowest.
var Keys = []string{"os", "arch", "compiler", "osx_image", "jdk", "crystal", "dotnet", "mono",
	"solution", "d", "dart", "dart_task", "elixir", "otp_release", "elm", "node_js", "go", "hhvm",
	"php", "ghc", "haxe", "julia", "matlab", "nix", "perl", "perl6", "python", "r", "rvm", "gemfile",
	"xcode_scheme", "xcode_sdk", "rust", "scala", "smalltalk", "smalltalk_config", "smalltalk_vm", "env"}

// Attrs are the matrix-relevant attributes of a job: each key maps to its values
// (a scalar is a one-element list). "env" holds the job's own env entries, without env.global.
type Attrs map[string][]string

// Axis is one root expansion key with its values and source position.
type Axis struct {
	Key       string
	Values    []string
	Line, Col int
}

// Entry is a jobs.include / exclude / allow_failures entry.
type Entry struct {
	Attrs Attrs
	// Stage is the include's stage: key ("" when unset).
	Stage string
	// AllowFailure is an include's own allow_failure: true.
	AllowFailure bool
	// If, when set, decides whether an exclude/allow_failures entry applies to a job.
	If        func(Job) bool
	Line, Col int
}

// Job is one expanded job.
type Job struct {
	Attrs Attrs
	// Include is the index of the jobs.include entry, or -1 for a job expanded from the root.
	Include      int
	Stage        string
	AllowFailure bool
}

// Input is everything expansion needs.
type Input struct {
	// Base holds the root's shared (non-expansion) keys; every job starts from it.
	Base          Attrs
	Axes          []Axis // root expansion keys in Keys order, only those set and supported
	Include       []Entry
	Exclude       []Entry
	AllowFailures []Entry
	Stages        []string // names from the root stages: list (already filtered by their if:)
	Limit         int      // refuse more jobs than this (0: no limit)
	// Excluded, when set, learns each job an exclude entry removes, and the first entry that does.
	Excluded func(j Job, by Entry)
}

// TooLarge is returned when the matrix has more jobs than Input.Limit.
type TooLarge struct {
	Jobs, Limit int
	Line, Col   int
}

func (e *TooLarge) Error() string {
	return fmt.Sprintf("the build matrix expands to %d jobs; more than %d is refused as broken or hostile input (Travis runs at most 200 jobs per build)", e.Jobs, e.Limit)
}

// Expand returns the jobs Travis would run, in Travis's order.
func Expand(in Input) ([]Job, error) {
	if err := checkSize(in); err != nil {
		return nil, err
	}
	// 1. the product, first key slowest.
	jobs := []Job{{Attrs: in.Base.clone(), Include: -1}}
	allSingle := true
	for _, ax := range in.Axes {
		if len(ax.Values) == 0 {
			continue
		}
		if len(ax.Values) > 1 {
			allSingle = false
		}
		var next []Job
		for _, j := range jobs {
			for _, v := range ax.Values {
				a := j.Attrs.clone()
				a[ax.Key] = []string{v}
				next = append(next, Job{Attrs: a, Include: -1})
			}
		}
		jobs = next
	}
	// 2. includes; a lone single-valued root job is dropped when includes exist.
	if len(in.Include) > 0 && len(jobs) == 1 && allSingle {
		jobs = nil
	}
	for i, e := range in.Include {
		a := in.Base.clone()
		for k, v := range e.Attrs {
			a[k] = v
		}
		// 5. included jobs take the first value of every root expansion key they leave unset.
		for _, ax := range in.Axes {
			if _, ok := a[ax.Key]; !ok && len(ax.Values) > 0 {
				a[ax.Key] = []string{ax.Values[0]}
			}
		}
		jobs = append(jobs, Job{Attrs: a, Include: i, Stage: e.Stage, AllowFailure: e.AllowFailure})
	}
	// 3. no jobs at all: one default job.
	if len(jobs) == 0 {
		jobs = []Job{{Attrs: in.Base.clone(), Include: -1}}
	}
	// 7. exclude.
	var kept []Job
	for _, j := range jobs {
		if i := slices.IndexFunc(in.Exclude, func(e Entry) bool { return matches(e, j, true) }); i >= 0 {
			if in.Excluded != nil {
				in.Excluded(j, in.Exclude[i])
			}
			continue
		}
		kept = append(kept, j)
	}
	jobs = dedupe(kept)
	if in.Limit > 0 && len(jobs) > in.Limit {
		line, col := 0, 0
		if len(in.Axes) > 0 {
			line, col = in.Axes[0].Line, in.Axes[0].Col
		}
		return nil, &TooLarge{Jobs: len(jobs), Limit: in.Limit, Line: line, Col: col}
	}
	assignStages(jobs, in.Stages)
	// allow_failures.
	for i := range jobs {
		if matchesAny(in.AllowFailures, jobs[i], false) {
			jobs[i].AllowFailure = true
		}
	}
	return reorder(jobs, in.Stages), nil
}

// checkSize refuses a matrix before building it, so a 10,000-entry list costs nothing.
func checkSize(in Input) error {
	if in.Limit <= 0 {
		return nil
	}
	n, biggest := 1, -1
	for i, ax := range in.Axes {
		if len(ax.Values) == 0 {
			continue
		}
		n *= len(ax.Values)
		if biggest < 0 || len(ax.Values) > len(in.Axes[biggest].Values) {
			biggest = i
		}
		if n > in.Limit*16 {
			break // an upper bound is enough to refuse
		}
	}
	if n == 1 && len(in.Include) > 0 {
		n = 0 // the lone root job is dropped
	}
	total := n + len(in.Include)
	if total <= in.Limit+len(in.Exclude) {
		return nil // excludes may still bring it under the limit; Expand checks exactly
	}
	e := &TooLarge{Jobs: total, Limit: in.Limit}
	if len(in.Include) > in.Limit || biggest < 0 {
		if len(in.Include) > 0 {
			e.Line, e.Col = in.Include[in.Limit].Line, in.Include[in.Limit].Col
		}
	} else {
		e.Line, e.Col = in.Axes[biggest].Line, in.Axes[biggest].Col
	}
	if n > in.Limit*16 {
		e.Jobs = n
	}
	return e
}

func (a Attrs) clone() Attrs {
	c := make(Attrs, len(a))
	for k, v := range a {
		c[k] = v
	}
	return c
}

// matchesAny reports whether some entry matches j: every key of the entry equals
// the job's value. Exclude compares stage against "test" when the job has none.
func matchesAny(entries []Entry, j Job, exclude bool) bool {
	for _, e := range entries {
		if matches(e, j, exclude) {
			return true
		}
	}
	return false
}

func matches(e Entry, j Job, exclude bool) bool {
	if len(e.Attrs) == 0 && e.Stage == "" {
		return false
	}
	for k, want := range e.Attrs {
		if !equal(want, j.Attrs[k]) {
			return false
		}
	}
	if e.Stage != "" {
		st := j.Stage
		if st == "" && exclude {
			st = "test"
		}
		if !strings.EqualFold(st, e.Stage) {
			return false
		}
	}
	if e.If != nil && !e.If(j) {
		return false
	}
	return true
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// dedupe drops jobs whose attributes, stage and origin config repeat an earlier job.
// Two includes with the same attrs but different scripts are different jobs, so the
// include index is part of the identity only when it carries its own keys (the caller
// encodes those into Attrs under "config").
func dedupe(jobs []Job) []Job {
	seen := map[string]bool{}
	var out []Job
	for _, j := range jobs {
		k := j.key()
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, j)
	}
	return out
}

// key identifies a job for dedupe: its attributes in key order, its stage (any case) and
// allow_failure, each string length-prefixed (fmt's %q of each took most of the expansion).
func (j Job) key() string {
	keys := make([]string, 0, len(j.Attrs))
	for k := range j.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, k := range keys {
		str(k)
		b = binary.AppendUvarint(b, uint64(len(j.Attrs[k])))
		for _, v := range j.Attrs[k] {
			str(v)
		}
	}
	str(strings.ToLower(j.Stage))
	b = strconv.AppendBool(b, j.AllowFailure)
	return string(b)
}

// assignStages gives each job without a stage the previous job's stage; the first defaults to "test".
func assignStages(jobs []Job, stages []string) {
	prev := "test"
	for _, s := range stages {
		if strings.EqualFold(s, "test") {
			prev = s
			break
		}
	}
	for i := range jobs {
		if jobs[i].Stage == "" {
			jobs[i].Stage = prev
		}
		prev = jobs[i].Stage
	}
}

// StageOrder lists stage names: the stages: entries first, then names that appear
// only on jobs, by first appearance; compared case-insensitively; empty stages dropped.
func StageOrder(jobs []Job, stages []string) []string {
	var order []string
	idx := map[string]bool{}
	for _, s := range stages {
		if !idx[strings.ToLower(s)] {
			idx[strings.ToLower(s)] = true
			order = append(order, s)
		}
	}
	for _, j := range jobs {
		if !idx[strings.ToLower(j.Stage)] {
			idx[strings.ToLower(j.Stage)] = true
			order = append(order, j.Stage)
		}
	}
	used := map[string]bool{}
	for _, j := range jobs {
		used[strings.ToLower(j.Stage)] = true
	}
	var out []string
	for _, s := range order {
		if used[strings.ToLower(s)] {
			out = append(out, s)
		}
	}
	return out
}

// reorder sorts by stage index, then required before allowed-failure jobs, then original order.
func reorder(jobs []Job, stages []string) []Job {
	order := StageOrder(jobs, stages)
	rank := map[string]int{}
	for i, s := range order {
		rank[strings.ToLower(s)] = i
	}
	sort.SliceStable(jobs, func(a, b int) bool {
		ra, rb := rank[strings.ToLower(jobs[a].Stage)], rank[strings.ToLower(jobs[b].Stage)]
		if ra != rb {
			return ra < rb
		}
		return !jobs[a].AllowFailure && jobs[b].AllowFailure
	})
	return jobs
}
