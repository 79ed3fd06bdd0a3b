package simulate

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

var (
	update    = flag.Bool("update", false, "rewrite golden files")
	corpusSet = flag.String("corpus-set", "", "simulate only this corpus set (no golden comparison)")
)

// placement names a corpus file the way a user's repository holds it.
var placement = map[string]func(base string) string{
	"tekton-v1alpha1":     func(b string) string { return b },
	"tekton-v1beta1":      func(b string) string { return b },
	"travis":              func(string) string { return ".travis.yml" },
	"jenkinsfile":         func(string) string { return "Jenkinsfile" },
	"jenkins-declarative": func(string) string { return "Jenkinsfile" },
	"jenkins-xml":         func(string) string { return filepath.Join("job", "config.xml") },
}

// corpusEvents are the events every converted corpus file is simulated for: a push to
// the default branch and a pull request into it. The corpus does not record each
// repository's default branch, so both conventional names are tried.
var corpusEvents = []Event{
	{Type: "push", Branch: "main", TargetBranch: "main", DefaultBranch: "main"},
	{Type: "pull_request", Branch: "feature", TargetBranch: "main", DefaultBranch: "main"},
	{Type: "push", Branch: "master", TargetBranch: "master", DefaultBranch: "master"},
	{Type: "pull_request", Branch: "feature", TargetBranch: "master", DefaultBranch: "master"},
}

// TestCorpus converts every corpus file with the converters, in its own repository, and
// simulates what it emits for a push to the default branch and a pull request. The
// outcome of each is recorded in testdata/corpus.golden, so any change shows; no
// simulation may end on an error from Tekton's controller code.
func TestCorpus(t *testing.T) {
	corpus, err := filepath.Abs(filepath.Join("..", "..", "shared", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("shared corpus not present:", corpus)
	}
	// Tekton's scheduling code allocates freely; collecting less often saves a fifth of the time.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	type input struct {
		set, name string
		data      []byte
	}
	var inputs []input
	for _, set := range slices.Sorted(maps.Keys(placement)) {
		if *corpusSet != "" && set != *corpusSet {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(corpus, set))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(corpus, set, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			inputs = append(inputs, input{set, e.Name(), data})
		}
	}
	// Each file is simulated in its own parallel subtest; outcomes land in input order.
	outcomes := make([][]string, len(inputs))
	t.Run("files", func(t *testing.T) {
		for i, in := range inputs {
			t.Run(in.set+"/"+in.name, func(t *testing.T) {
				t.Parallel()
				files := convertInRepo(t, placement[in.set](in.name), in.data)
				events := corpusEvents
				if !isPaC(files) {
					// Without Pipelines-as-Code every event runs every PipelineRun alike.
					events = []Event{{Type: "push", Branch: "main", TargetBranch: "main"}}
				}
				for _, ev := range events {
					outcomes[i] = append(outcomes[i], fmt.Sprintf("%s %s\t%s", ev.Type, ev.TargetBranch, corpusOutcome(files, ev)))
				}
			})
		}
	})
	var lines []string
	counts := map[string]int{}
	for i, in := range inputs {
		for _, o := range outcomes[i] {
			ev, out, _ := strings.Cut(o, "\t")
			counts[fmt.Sprintf("%s %s %s", in.set, ev, strings.SplitN(out, ":", 2)[0])]++
			lines = append(lines, fmt.Sprintf("%s/%s %s: %s", in.set, in.name, ev, out))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		t.Logf("%-40s %d", k, counts[k])
	}
	if *corpusSet != "" {
		return
	}
	golden(t, filepath.Join("testdata", "corpus.golden"), strings.Join(lines, "\n")+"\n")
}

// corpusOutcome summarises one simulation on one line: "ok" with the tasks that would
// run, "no run" when PaC starts nothing, or "error" with each error's reason.
func corpusOutcome(files []File, ev Event) string {
	if len(files) == 0 {
		return "no output"
	}
	rep := Simulate(files, Options{Event: ev})
	if len(rep.Errors) > 0 {
		var reasons []string
		for _, e := range rep.Errors {
			reasons = append(reasons, e.Reason)
		}
		return "error: " + strings.Join(reasons, ", ")
	}
	if len(rep.Runs) == 0 {
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
	return "ok: " + strings.Join(runs, "; ")
}

// convertInRepo converts data placed at place in a fresh repository and returns the
// Tekton files the conversion leaves there (converted in place or new), paths relative.
func convertInRepo(t *testing.T, place string, data []byte) []File {
	t.Helper()
	repo := t.TempDir()
	dst := filepath.Join(repo, place)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	e := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", Placeholders: true}, Workers: 1}
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
