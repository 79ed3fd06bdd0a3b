package simulate

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

var (
	update    = flag.Bool("update", false, "rewrite golden files")
	corpusSet = flag.String("corpus-set", "", "simulate only this corpus set (no golden comparison)")
)

// corpusEvents are the events every converted corpus file is simulated for: a push to
// the default branch and a pull request into it. The corpus does not record each
// repository's default branch, so both conventional names are tried.
var corpusEvents = []Event{
	{Type: "push", Branch: "main", TargetBranch: "main", DefaultBranch: "main"},
	{Type: "pull_request", Branch: "feature", TargetBranch: "main", DefaultBranch: "main"},
	{Type: "push", Branch: "master", TargetBranch: "master", DefaultBranch: "master"},
	{Type: "pull_request", Branch: "feature", TargetBranch: "master", DefaultBranch: "master"},
}

// TestCorpus converts every corpus file with the converters, in its own repository (the
// old Tekton sets: every file of one source repository together, at its path there, so
// references across files resolve), and simulates what it emits for a push to the
// default branch and a pull request. For Travis and Jenkins the tasks that run are
// checked against the source's own semantics for the event (sourcesem_test.go). The
// outcome of each is recorded in testdata/corpus.golden, so any change shows; no
// simulation may end on an error from Tekton's controller code.
func TestCorpus(t *testing.T) {
	corpus := corpustest.Dir(t)
	// Tekton's scheduling code allocates freely; collecting less often saves a fifth of the time.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	units := corpusUnits(t, corpus)
	// Each unit is simulated in its own parallel subtest; outcomes land in input order.
	outcomes := make([][]string, len(units))
	tallies := make([]tally, len(units))
	t.Run("files", func(t *testing.T) {
		for i, u := range units {
			t.Run(u.set+"/"+u.name, func(t *testing.T) {
				t.Parallel()
				files := convertInRepo(t, u.files)
				events := corpusEvents
				if !isPaC(files) {
					// Without Pipelines-as-Code every event runs every PipelineRun alike.
					events = []Event{{Type: "push", Branch: "main", TargetBranch: "main"}}
				}
				for _, ev := range events {
					exp, compared := sourceExpectation(t, u, ev)
					if compared && ev.Type == "push" && exp.decided && !exp.builds {
						// The source builds no push here: this is not the branch it builds, so a
						// run-less push is no NoPipelineRunMatched error (the comparison checks it).
						ev.DefaultBranch = ""
					}
					rep := Simulate(files, Options{Event: ev})
					absent := absentRefs(u.files, rep)
					out := corpusOutcome(files, rep, absent)
					if compared {
						sum, problems := compareSource(exp, rep, &tallies[i])
						out += "; source: " + sum
						for _, p := range problems {
							t.Errorf("%s %s: %s", ev.Type, ev.TargetBranch, p)
						}
					}
					for i, e := range rep.Errors {
						if absent[i] == "" {
							t.Errorf("%s %s: %s", ev.Type, ev.TargetBranch, e.Error())
						}
					}
					outcomes[i] = append(outcomes[i], fmt.Sprintf("%s %s\t%s", ev.Type, ev.TargetBranch, out))
				}
			})
		}
	})
	var lines []string
	counts := map[string]int{}
	var total tally
	for i, u := range units {
		total.add(tallies[i])
		for _, o := range outcomes[i] {
			ev, out, _ := strings.Cut(o, "\t")
			kind, _, _ := strings.Cut(strings.SplitN(out, ":", 2)[0], ";")
			counts[fmt.Sprintf("%s %s %s", u.set, ev, kind)]++
			lines = append(lines, fmt.Sprintf("%s/%s %s: %s", u.set, u.name, ev, out))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		t.Logf("%-40s %d", k, counts[k])
	}
	t.Logf("source semantics: %s", total)
	if *corpusSet != "" {
		return
	}
	golden(t, filepath.Join("testdata", "corpus.golden"), strings.Join(lines, "\n")+"\n")
}

// unit is what one simulation reads: a corpus file placed as a repository holds it, or
// every old-Tekton file of one source repository.
type unit struct {
	set, name string
	files     []File // paths in the repository
}

// corpusUnits reads the corpus sets; SOURCES.tsv gives each old-Tekton file its
// repository and path.
func corpusUnits(t *testing.T, corpus string) []unit {
	t.Helper()
	origin := map[string][2]string{} // local_file -> repo, path
	tsv, err := os.ReadFile(filepath.Join(corpus, "SOURCES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(tsv), "\n")[1:] {
		if f := strings.Split(line, "\t"); len(f) >= 5 {
			origin[f[4]] = [2]string{f[1], f[2]}
		}
	}
	var units []unit
	byRepo := map[[2]string]int{} // set and repository -> index in units
	for _, f := range corpustest.Files(t) {
		if *corpusSet != "" && f.Set != *corpusSet {
			continue
		}
		o, ok := origin[f.Set+"/"+f.Name]
		if !strings.HasPrefix(f.Set, "tekton-") || !ok {
			units = append(units, unit{f.Set, f.Name, []File{{Path: f.Place, Data: f.Data}}})
			continue
		}
		i, seen := byRepo[[2]string{f.Set, o[0]}]
		if !seen {
			i = len(units)
			byRepo[[2]string{f.Set, o[0]}] = i
			units = append(units, unit{set: f.Set, name: strings.ReplaceAll(o[0], "/", "__")})
		}
		units[i].files = append(units[i].files, File{Path: o[1], Data: f.Data})
	}
	return units
}

// notFound is how Tekton's message names a Task or Pipeline the cluster does not hold.
var notFound = regexp.MustCompile(`(tasks|pipelines)\.tekton\.dev "([^"]+)" not found`)

// absentRefs finds, by error index, the CouldntGetTask/CouldntGetPipeline errors about a
// Task or Pipeline that no file of the repository the corpus holds defines (the corpus
// keeps some files of a repository, not all): the controller is right to fail, and
// the output is not at fault.
func absentRefs(src []File, rep *Report) map[int]string {
	defined := map[string]bool{}
	for _, f := range src {
		ds, _ := yamldoc.Parse(f.Path, f.Data)
		for _, d := range ds {
			if n := yamldoc.Get(d.Root, "metadata", "name"); n != nil {
				defined[strings.ToLower(d.Kind)+"s/"+n.Value] = true
			}
		}
	}
	out := map[int]string{}
	for i, e := range rep.Errors {
		m := notFound.FindStringSubmatch(e.Message)
		if m == nil || (e.Reason != "CouldntGetTask" && e.Reason != "CouldntGetPipeline") || defined[m[1]+"/"+m[2]] {
			continue
		}
		out[i] = fmt.Sprintf("%s %s is in none of the repository's files the corpus holds", strings.TrimSuffix(m[1], "s"), m[2])
	}
	return out
}

// corpusOutcome summarises one simulation on one line: "ok" with the tasks that would
// run, "no run" when nothing starts (and why), or "error" with each error's reason
// (absent says which are about a file the corpus lacks).
func corpusOutcome(files []File, rep *Report, absent map[int]string) string {
	if len(files) == 0 {
		return "no output"
	}
	if len(rep.Errors) > 0 {
		var reasons []string
		for i, e := range rep.Errors {
			if absent[i] != "" {
				reasons = append(reasons, "incomplete corpus: "+absent[i])
			} else {
				reasons = append(reasons, "error: "+e.Reason)
			}
		}
		return strings.Join(reasons, ", ")
	}
	if len(rep.Runs) == 0 {
		if !rep.PaC {
			return "no run: no PipelineRun document in the repository"
		}
		return "no run"
	}
	var runs []string
	for _, r := range rep.Runs {
		var ran []string
		for _, t := range r.Tasks {
			if t.State == WouldRun {
				ran = append(ran, t.Name)
			}
		}
		runs = append(runs, fmt.Sprintf("%s %s [%s]", r.Name, r.Reason, strings.Join(ran, " ")))
	}
	out := "ok: " + strings.Join(runs, "; ")
	for _, u := range rep.Unresolved {
		out += "; unresolvable offline: " + filepath.Base(u.File) + ":" + fmt.Sprint(u.Line)
	}
	return out
}

// convertInRepo converts files placed in a fresh repository and returns the Tekton
// files the conversion leaves there (converted in place or new), paths relative.
func convertInRepo(t *testing.T, in []File) []File {
	t.Helper()
	repo := t.TempDir()
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range in {
		dst := filepath.Join(repo, f.Path)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := &convert.Engine{Converters: frontends.All(), Options: corpusOptions, Workers: 1}
	ins, errs := e.Inputs([]string{repo})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var files []File
	err := e.Run(ins, func(o *convert.Outcome) error {
		for _, f := range o.Result.Files {
			rel, err := filepath.Rel(repo, f.Path)
			if err != nil {
				return err
			}
			if convert.IsYAML(rel) {
				files = append(files, File{Path: rel, Data: f.Data})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// corpusOptions are the conversion options of the corpus test.
var corpusOptions = convert.Options{To: "v1", Placeholders: true}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update to accept):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines that differ, for readable failures.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
