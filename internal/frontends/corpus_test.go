package frontends

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
)

// expected lists corpus files whose outcome is not "converts to Tekton YAML", with the
// outcome we give; the test fails when the outcome changes, so the list stays true.
var expected = map[string]string{
	// A jenkins-job-builder fixture: several jobs joined by <BLANKLINE>, not a file Jenkins loads.
	"openstack-infra__jenkins-job-builder__tests__yamlparser__fixtures__project_pipeline_template005.xml": "error: second root element <BLANKLINE>: a config.xml holds exactly one job",
	// A folder holds jobs and runs nothing; the report says so.
	"jenkinsci__cloudbees-folder-plugin__src__test__resources__com__cloudbees__hudson__plugins__folder__views__DefaultFolderViewHolderTest__oldData__jobs__d__config.xml": "no output",
}

// TestCorpusRepositories converts each corpus file alone in its own repository, as the
// tool's users do, then converts the written result again: the second run must change nothing.
func TestCorpusRepositories(t *testing.T) {
	conv := All()
	for _, f := range corpustest.Files(t) {
		t.Run(f.Set+"/"+f.Name, func(t *testing.T) {
			repo := t.TempDir()
			dst := f.WriteRepo(t, repo)
			kind := convert.Detect(dst, f.Data)
			if conv[kind] == nil {
				t.Fatalf("not detected as an input kind (%s)", kind)
			}
			if want, ok := expected[f.Name]; ok {
				if got := outcome(t, repo); got != want {
					t.Fatalf("outcome %q, want %q", got, want)
				}
				return
			}
			first := runAll(t, repo, true)
			if len(first) == 0 {
				t.Fatal("no output")
			}
			if again := runAll(t, repo, false); len(again) > 0 {
				var b bytes.Buffer
				for _, c := range again {
					b.WriteString(c.Path + "\n")
				}
				t.Fatalf("second conversion changed:\n%s", b.String())
			}
		})
	}
}

// outcome summarises converting repo as "no output", "error: <message without position>" or "converted".
func outcome(t *testing.T, repo string) string {
	t.Helper()
	e := &convert.Engine{Converters: All(), Options: convert.Options{To: "v1", Placeholders: true}}
	ins, errs := e.Inputs([]string{repo})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got := "no output"
	err := e.Run(ins, func(o *convert.Outcome) error {
		switch {
		case o.Err != nil:
			msg := o.Err.Error()
			if i := strings.Index(msg, ": "); i >= 0 {
				if j := strings.LastIndex(msg[:i], ":"); j >= 0 {
					msg = msg[i+2:]
				}
			}
			got = "error: " + msg
		case len(o.Result.Files) > 0:
			got = "converted"
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// runAll converts every input under repo, fails on any error, optionally writes the changes,
// and returns them.
func runAll(t *testing.T, repo string, write bool) []convert.Change {
	t.Helper()
	e := &convert.Engine{Converters: All(), Options: convert.Options{To: "v1", Placeholders: true}}
	ins, errs := e.Inputs([]string{repo})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var changes []convert.Change
	err := e.Run(ins, func(o *convert.Outcome) error {
		if o.Err != nil {
			t.Errorf("%v", o.Err)
			return nil
		}
		for _, c := range o.Changes {
			changes = append(changes, c)
			if write {
				if err := convert.WriteFile(c.Path, c.New, c.Mode); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return changes
}
