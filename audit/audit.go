// Package audit summarises a fleet of repositories for migration planning: per repository and
// source file a status bucket and the Jenkins step inventory, fleet totals, the manual work
// grouped by kind and the unknown Jenkins steps to map next. It reads conversion outcomes and
// writes nothing but the report.
package audit

import (
	"sort"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// SchemaVersion changes only when a JSON field changes meaning or disappears.
const SchemaVersion = 1

// Status buckets, from best to worst; a repository takes the worst of its files.
const (
	Converted   = "converted"           // nothing left to do by hand
	Partial     = "partially converted" // approximations to review
	ManualWork  = "manual work"         // a person must act (Secrets, schedules, steps)
	Unsupported = "unsupported"         // constructs Tekton can't express
	Failed      = "failed"              // the file did not convert
)

// Buckets lists the status buckets in report order.
var Buckets = []string{Converted, Partial, ManualWork, Unsupported, Failed}

func rank(status string) int {
	for i, b := range Buckets {
		if b == status {
			return i
		}
	}
	return -1
}

// Step classes of the Jenkins inventory.
const (
	StepKnown   = "known"   // the converter translates it
	StepMapped  = "mapped"  // the --mapping file translates it
	StepUnknown = "unknown" // a plugin or shared-library call nothing translates yet
)

// Report is the whole audit.
type Report struct {
	SchemaVersion int          `json:"schemaVersion"`
	Tool          string       `json:"tool"`
	Repositories  []Repository `json:"repositories"`
	Totals        Totals       `json:"totals"`
	Manual        Manual       `json:"manual"`
	UnknownSteps  []StepCount  `json:"unknownSteps"` // most frequent first, across the fleet
}

// Repository is one unit of the fleet.
type Repository struct {
	Path   string `json:"path"`
	Status string `json:"status"`
	Files  []File `json:"files"`
}

// File is one source file of a repository.
type File struct {
	Path         string       `json:"path"`
	Kind         convert.Kind `json:"kind"`
	Status       string       `json:"status"`
	Error        string       `json:"error,omitempty"`
	Changes      int          `json:"changes"` // output files that are new or differ
	Approximated int          `json:"approximated"`
	Manual       int          `json:"manual"`
	Unsupported  int          `json:"unsupported"`
	Steps        []StepCount  `json:"steps,omitempty"` // Jenkins only
}

// StepCount is how often a Jenkins step or library call occurs, and how it is handled.
type StepCount struct {
	Name         string `json:"name"`
	Class        string `json:"class"`
	Count        int    `json:"count"`
	Repositories int    `json:"repositories,omitempty"` // in UnknownSteps: how many repositories call it
}

// Totals counts repositories and files per bucket.
type Totals struct {
	Repositories int            `json:"repositories"`
	Files        int            `json:"files"`
	RepoStatus   map[string]int `json:"repositoryStatus"`
	FileStatus   map[string]int `json:"fileStatus"`
	Steps        map[string]int `json:"steps"` // Jenkins step calls per class
}

// Collector builds a Report from outcomes streamed in input order.
type Collector struct {
	r      Report
	repo   map[string]int // repository path → index in r.Repositories
	man    manualSet
	unkRep map[string]map[string]bool // unknown step → repositories calling it
}

// NewCollector starts an empty audit.
func NewCollector() *Collector {
	return &Collector{
		r:    Report{SchemaVersion: SchemaVersion, Tool: "tkn-migrate audit", Repositories: []Repository{}, UnknownSteps: []StepCount{}},
		repo: map[string]int{}, man: newManualSet(), unkRep: map[string]map[string]bool{},
	}
}

// Add records one input's outcome under repository repo, naming the file relPath in it.
func (c *Collector) Add(repo, relPath string, o *convert.Outcome) {
	if _, ok := c.repo[repo]; !ok {
		c.repo[repo] = len(c.r.Repositories)
		c.r.Repositories = append(c.r.Repositories, Repository{Path: repo, Status: Converted, Files: []File{}})
	}
	f := File{Path: relPath, Kind: o.Source.Kind, Changes: len(o.Changes)}
	for _, fd := range o.Result.Findings {
		switch fd.Class {
		case convert.Approximated:
			f.Approximated++
		case convert.Manual:
			f.Manual++
		case convert.Unsupported:
			f.Unsupported++
		}
	}
	markers := 0
	if o.Err == nil {
		for _, out := range o.Result.Files {
			markers += convert.CountMarkers(out.Data)
		}
		c.man.add(repo, o)
	}
	f.Status = bucket(o.Err, f, markers)
	if o.Err != nil {
		f.Error = o.Err.Error()
	}
	if o.Err == nil && (o.Source.Kind == convert.KindJenkinsfile || o.Source.Kind == convert.KindJenkinsXML) {
		f.Steps = inventory(o)
		for _, s := range f.Steps {
			if s.Class == StepUnknown {
				if c.unkRep[s.Name] == nil {
					c.unkRep[s.Name] = map[string]bool{}
				}
				c.unkRep[s.Name][repo] = true
			}
		}
	}
	r := &c.r.Repositories[c.repo[repo]]
	r.Files = append(r.Files, f)
	if rank(f.Status) > rank(r.Status) {
		r.Status = f.Status
	}
}

// bucket reads a file's status from its findings: the worst class present decides, and
// manual markers left in the output (from this run or an earlier one) count as manual work.
func bucket(err error, f File, markers int) string {
	switch {
	case err != nil:
		return Failed
	case f.Unsupported > 0:
		return Unsupported
	case f.Manual > 0 || markers > 0:
		return ManualWork
	case f.Approximated > 0:
		return Partial
	}
	return Converted
}

// Report finishes the audit: a step name unknown anywhere in the fleet is unknown everywhere
// (a call the converter never reached carries no finding of its own), and totals are counted.
func (c *Collector) Report() *Report {
	r := &c.r
	t := Totals{RepoStatus: map[string]int{}, FileStatus: map[string]int{}, Steps: map[string]int{}}
	for _, b := range Buckets {
		t.RepoStatus[b], t.FileStatus[b] = 0, 0
	}
	for _, cl := range []string{StepKnown, StepMapped, StepUnknown} {
		t.Steps[cl] = 0
	}
	unknown := map[string]int{}
	for i := range r.Repositories {
		repo := &r.Repositories[i]
		t.Repositories++
		t.RepoStatus[repo.Status]++
		for j := range repo.Files {
			f := &repo.Files[j]
			t.Files++
			t.FileStatus[f.Status]++
			f.Steps = reclassify(f.Steps, c.unkRep, repo.Path)
			for _, s := range f.Steps {
				t.Steps[s.Class] += s.Count
				if s.Class == StepUnknown {
					unknown[s.Name] += s.Count
				}
			}
		}
	}
	r.Totals = t
	r.UnknownSteps = []StepCount{}
	for name, n := range unknown {
		r.UnknownSteps = append(r.UnknownSteps, StepCount{Name: name, Class: StepUnknown, Count: n, Repositories: len(c.unkRep[name])})
	}
	sort.Slice(r.UnknownSteps, func(i, j int) bool {
		a, b := r.UnknownSteps[i], r.UnknownSteps[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Name < b.Name
	})
	r.Manual = c.man.list()
	return r
}

// reclassify turns known calls of fleet-wide unknown steps into unknown ones and merges rows.
func reclassify(steps []StepCount, unk map[string]map[string]bool, repo string) []StepCount {
	if len(steps) == 0 {
		return steps
	}
	merged := map[[2]string]int{}
	for _, s := range steps {
		if s.Class == StepKnown && unk[s.Name] != nil {
			s.Class = StepUnknown
			unk[s.Name][repo] = true
		}
		merged[[2]string{s.Name, s.Class}] += s.Count
	}
	return stepList(merged)
}

func stepList(m map[[2]string]int) []StepCount {
	out := make([]StepCount, 0, len(m))
	for k, n := range m {
		out = append(out, StepCount{Name: k[0], Class: k[1], Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Class < out[j].Class
	})
	return out
}
