package lint

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
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
		files := yamlFiles(t, filepath.Join(root, set))
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
	root, outs := convertCorpus(t)
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
	t.Logf("%d outcomes, %d output files, %d rejected by Tekton; findings %s", len(outs), files, rejected, strings.Join(rules, " "))
}

var mutantSeed = flag.Uint64("mutant-seed", 13, "seed of TestMutantsAgree's mutations")

// TestMutantsAgree breaks the converters' golden output at seeded random places (a key
// renamed, a key dropped, a value emptied or renamed, a list made a string) and checks,
// for each mutant Tekton's validation rejects, that lint reports an error in that document.
func TestMutantsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("lints hundreds of mutants")
	}
	sets, names := sortedOutputs(t)
	rng := rand.New(rand.NewPCG(*mutantSeed, *mutantSeed))
	mutants, rejected := 0, 0
	for _, name := range names {
		set := sets[name]
		for i, f := range set {
			for range 2 {
				data, ok := mutate(rng, f.Data)
				if !ok {
					continue
				}
				mutants++
				mutated := append([]File(nil), set...)
				mutated[i] = File{Path: f.Path, Data: data}
				before := t.Failed()
				n, _ := agree(t, mutated)
				rejected += n
				if t.Failed() && !before {
					t.Logf("mutant of %s:\n%s", f.Path, data)
					return
				}
			}
		}
	}
	t.Logf("%d mutants, %d documents rejected by Tekton, each caught by lint", mutants, rejected)
	if rejected == 0 {
		t.Error("no mutant was rejected: the mutations test nothing")
	}
}

// mutate changes one node of one Tekton document in a YAML stream.
func mutate(rng *rand.Rand, data []byte) ([]byte, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			break
		}
		docs = append(docs, &n)
	}
	var tekton []*yaml.Node
	for _, d := range docs {
		if d.Kind == yaml.DocumentNode && len(d.Content) > 0 && strings.Contains(yamldoc.Str(d.Content[0], "apiVersion"), "tekton.dev/") {
			tekton = append(tekton, d)
		}
	}
	if len(tekton) == 0 {
		return nil, false
	}
	doc := tekton[rng.IntN(len(tekton))]
	var maps []*yaml.Node
	yamldoc.Walk(yamldoc.Get(doc.Content[0], "spec"), func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
			maps = append(maps, n)
		}
	})
	if len(maps) == 0 {
		return nil, false
	}
	m := maps[rng.IntN(len(maps))]
	k := 2 * rng.IntN(len(m.Content)/2)
	switch v := m.Content[k+1]; rng.IntN(4) {
	case 0:
		m.Content[k].Value += "x"
	case 1:
		m.Content = append(m.Content[:k:k], m.Content[k+2:]...)
	case 2:
		if v.Kind != yaml.ScalarNode {
			return nil, false
		}
		v.Value = []string{"", "Bad_Name", "-1"}[rng.IntN(3)]
		v.Tag, v.Style = "!!str", yaml.DoubleQuotedStyle
	case 3:
		if v.Kind != yaml.SequenceNode {
			return nil, false
		}
		*v = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "x"}
	}
	var b bytes.Buffer
	for i, d := range docs {
		if i > 0 {
			b.WriteString("---\n")
		}
		out, err := yaml.Marshal(d)
		if err != nil {
			return nil, false
		}
		b.Write(out)
	}
	return b.Bytes(), true
}

// convertCorpus converts every corpus input alone in its repository under a temporary root,
// as convert's users do, and returns the root and each outcome's YAML output.
func convertCorpus(t *testing.T) (string, [][]File) {
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
	return root, outs
}

// yamlFiles reads every YAML file under dir.
func yamlFiles(t *testing.T, dir string) []File {
	var files []File
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && convert.IsYAML(path) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, File{Path: path, Data: data})
		}
		return nil
	})
	return files
}
