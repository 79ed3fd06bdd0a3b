package lint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

// agree checks one set of files: every document Tekton's validation rejects must carry
// an error-level finding of lint within its lines. It returns how many Tekton rejected.
func agree(t *testing.T, files []File) (rejected int, findings []Finding) {
	t.Helper()
	findings, errs := Run(files)
	for _, err := range errs {
		t.Errorf("%v", err)
	}
	for _, f := range files {
		err := validate.Documents(f.Path, f.Data)
		if err == nil {
			continue
		}
		var verrs []*validate.Error
		for _, e := range unjoin(err) {
			var ve *validate.Error
			if !errors.As(e, &ve) {
				t.Errorf("%s: %v", f.Path, e)
				continue
			}
			verrs = append(verrs, ve)
		}
		for _, ve := range verrs {
			rejected++
			first, last := docLines(f.Data, ve.Line)
			caught := false
			for _, x := range findings {
				caught = caught || x.File == f.Path && x.Severity == Error && x.Line >= first && x.Line <= last
			}
			if !caught {
				t.Errorf("Tekton rejects, lint passes: %v", ve)
			}
		}
	}
	return rejected, findings
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// docLines is the line range of the YAML document holding line.
func docLines(data []byte, line int) (first, last int) {
	lines := strings.Split(string(data), "\n")
	first, last = 1, len(lines)
	for i, l := range lines {
		if strings.HasPrefix(l, "---") {
			if i+1 < line {
				first = i + 2
			} else if i+1 > line {
				return first, i
			}
		}
	}
	return first, last
}

// TestAgreeWithTektonOnInputs: on the corpus's Tekton inputs that Tekton 1.x still reads
// (v1beta1, the catalog, StepActions), nothing Tekton rejects passes lint.
func TestAgreeWithTektonOnInputs(t *testing.T) {
	root := corpusDir(t)
	for _, set := range []string{"tekton-v1beta1", "catalog", "stepaction"} {
		var files []File
		filepath.Walk(filepath.Join(root, set), func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && convert.IsYAML(path) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, File{Path: path, Data: data})
			}
			return nil
		})
		n, _ := agree(t, files)
		t.Logf("%s: %d files, %d documents Tekton rejects, each caught by lint", set, len(files), n)
	}
}

// converterBugs are lint errors in converter output that are converter bugs, reported to
// their owners; the test fails when one is fixed, so the list stays true.
var converterBugs = map[string]int{}

// TestCorpusConvertedOutput converts every corpus input alone in its repository, in
// memory, and lints the output: Tekton accepts it, so lint must report no error either
// (an error there is a converter bug), and lint must never pass what Tekton rejects.
func TestCorpusConvertedOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("converts the whole corpus")
	}
	corpus := corpusDir(t)
	root := t.TempDir()
	sets, _ := os.ReadDir(corpus)
	for _, set := range sets {
		if !set.IsDir() {
			continue
		}
		entries, _ := os.ReadDir(filepath.Join(corpus, set.Name()))
		for _, e := range entries {
			if e.IsDir() || strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(corpus, set.Name(), e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			repo := filepath.Join(root, set.Name(), e.Name())
			place := e.Name()
			switch set.Name() {
			case "travis":
				place = ".travis.yml"
			case "jenkinsfile", "jenkins-declarative":
				place = "Jenkinsfile"
			case "jenkins-xml":
				place = filepath.Join("job", "config.xml")
			}
			for _, dir := range []string{filepath.Join(repo, ".git"), filepath.Dir(filepath.Join(repo, place))} {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(repo, place), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	e := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", Placeholders: true}, Workers: 2}
	ins, errs := e.Inputs([]string{root})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var outs [][]File
	err := e.Run(ins, func(o *convert.Outcome) error {
		var set []File
		for _, f := range o.Result.Files {
			if convert.IsYAML(f.Path) {
				set = append(set, File{Path: f.Path, Data: f.Data})
			}
		}
		if len(set) > 0 {
			outs = append(outs, set)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	sample := map[string]string{} // a finding of each rule, for the log
	known := map[string]int{}
	files, rejected := 0, 0
	for _, set := range outs {
		files += len(set)
		n, fs := agree(t, set)
		rejected += n
		for _, f := range fs {
			counts[f.Rule]++
			if sample[f.Rule] == "" {
				rel, _ := filepath.Rel(root, f.File)
				sample[f.Rule] = fmt.Sprintf("%s:%d: %s", rel, f.Line, f.Message)
			}
			if f.Severity == Error {
				rel, _ := filepath.Rel(root, f.File)
				if k := filepath.Base(f.File) + " " + f.Rule; converterBugs[k] > 0 {
					known[k]++
					continue
				}
				t.Errorf("converter output has a lint error: %s:%d:%d: %s %s: %s", rel, f.Line, f.Col, f.Rule, f.Name, f.Message)
			}
		}
	}
	var rules []string
	for r, n := range counts {
		rules = append(rules, r+"="+strconv.Itoa(n))
		t.Logf("e.g. %s", sample[r])
	}
	sort.Strings(rules)
	for k, n := range converterBugs {
		if known[k] != n {
			t.Errorf("known converter bug %s: %d findings, want %d (fixed? update converterBugs)", k, known[k], n)
		}
	}
	t.Logf("%d inputs, %d output files, %d rejected by Tekton; findings %s", len(ins), files, rejected, strings.Join(rules, " "))
}
