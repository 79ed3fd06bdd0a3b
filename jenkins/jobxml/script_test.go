package jobxml

import (
	"os"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// Without placeholders a job whose script lives in its repository keeps the checkout and the
// runs, the marker heads the Pipeline, and no failing step is written.
func TestScriptJobWithoutPlaceholders(t *testing.T) {
	data, err := os.ReadFile("testdata/flow-scm/config.xml")
	if err != nil {
		t.Fatal(err)
	}
	job, err := Convert("flow-scm/config.xml", data, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := job.Pipeline
	if p == nil || p.Checkout == nil || len(p.Tasks) != 0 {
		t.Fatalf("want the checkout alone, got %+v", p)
	}
	const marker = "tkn-migrate: manual: the pipeline script is ci/Jenkinsfile in https://git.example/svc.git; convert it with `tkn-migrate convert ci/Jenkinsfile` in that repository and replace this task with its tasks (config.xml:40)"
	if !contains(p.Comments, marker) {
		t.Errorf("pipeline comments %q lack %q", p.Comments, marker)
	}
	files, err := pipeline.Emit(".", p, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Errorf("got %d files, want pipeline.yaml and push.yaml", len(files))
	}
	for _, f := range files {
		if err := validate.Documents(f.Path, f.Data); err != nil {
			t.Error(err)
		}
		if strings.Contains(string(f.Data), "exit 1") {
			t.Errorf("%s has a failing step without placeholders", f.Path)
		}
	}
}

// A non-git script job without placeholders runs nothing: no Pipeline, only findings.
func TestScriptJobNothingToRun(t *testing.T) {
	data, err := os.ReadFile("testdata/flow-scm-hg/config.xml")
	if err != nil {
		t.Fatal(err)
	}
	job, err := Convert("flow-scm-hg/config.xml", data, convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if job.Pipeline != nil {
		t.Errorf("want no pipeline, got %+v", job.Pipeline)
	}
	var rules []string
	for _, f := range job.Findings {
		rules = append(rules, f.Rule)
	}
	if got, want := strings.Join(rules, " "), "jenkins-xml/scm-script jenkins-xml/scm jenkins-xml/disabled"; got != want {
		t.Errorf("rules %q, want %q", got, want)
	}
}
