package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// migration is a Travis conversion with its real emitted Pipeline and PipelineRun,
// an upgraded Tekton file, and a file that failed.
func migration(t *testing.T) *Report {
	t.Helper()
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "markdown", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	return New(Options{Draw: true}, []*convert.Outcome{
		{
			Source: convert.Source{Path: "repo/.travis.yml", Kind: convert.KindTravis},
			Result: convert.Result{
				Files: []convert.File{
					{Path: "repo/.tekton/pipeline.yaml", Data: read("pipeline.yaml")},
					{Path: "repo/.tekton/push.yaml", Data: read("push.yaml")},
				},
				Findings: []convert.Finding{
					{File: "repo/.travis.yml", Line: 1, Class: convert.Converted, Rule: "travis/language", Message: "go"},
					{File: "repo/.travis.yml", Line: 5, Class: convert.Manual, Rule: "travis/secure-env", Message: "create the Secret travis-secure-env holding TOKEN",
						Action: "kubectl create secret generic travis-secure-env --from-literal=TOKEN=<value>"},
					{File: "repo/.travis.yml", Line: 30, Class: convert.Manual, Rule: "travis/secure-env", Message: "create the Secret travis-secure-env holding TOKEN",
						Action: "kubectl create secret generic travis-secure-env --from-literal=TOKEN=<value>"},
					{File: "repo/.travis.yml", Line: 12, Class: convert.Manual, Rule: "travis/before_install", Message: "`sudo apt-get` needs a root image | check *this*"},
					{File: "repo/.travis.yml", Line: 20, Col: 3, Class: convert.Unsupported, Rule: "travis/deploy", Message: "provider <s3> is not converted"},
					{File: "repo/.travis.yml", Line: 8, Class: convert.Approximated, Rule: "travis/cache", Message: "cache became an optional workspace"},
				},
			},
			Changes: []convert.Change{{Path: "repo/.tekton/pipeline.yaml", Created: true}, {Path: "repo/.tekton/push.yaml", Created: true}},
		},
		{
			Source:  convert.Source{Path: "ops/old|task.yaml", Kind: convert.KindTekton},
			Result:  convert.Result{Files: []convert.File{{Path: "ops/old|task.yaml", Data: []byte("apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: t\nspec:\n  serviceAccountName: ops\n  taskRef:\n    name: t\n  workspaces:\n    - name: cache\n      persistentVolumeClaim:\n        claimName: ops-cache\n")}}},
			Changes: []convert.Change{{Path: "ops/old|task.yaml"}},
		},
		{Source: convert.Source{Path: "ops/bad.yaml", Kind: convert.KindTekton}, Err: errors.New("ops/bad.yaml:3:4: mapping values are not allowed here")},
	}...)
}

func TestMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, migration(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "markdown/migration.md", buf.Bytes())
	md := buf.String()
	for _, want := range []string{"### Pipelines", "```mermaid\nflowchart TD\n", "### Before you merge", "**Secrets**", "**Storage**", "**Service accounts**", "**Manual items**", "### Residue"} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(md, "<value>") && !strings.Contains(md, "--from-literal=TOKEN=<value>") {
		t.Error("the kubectl command must be verbatim in its code block")
	}
}

func TestMarkdownEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, New(Options{Draw: true})); err != nil {
		t.Fatal(err)
	}
	golden(t, "markdown/empty.md", buf.Bytes())
}

func TestMarkdownEscape(t *testing.T) {
	cases := map[string]string{
		"a`b":      "`` a`b ``",
		"`x":       "`` `x ``",
		"plain":    "`plain`",
		"a``b`":    "``` a``b` ```",
		"one\ntwo": "`one two`",
	}
	for in, want := range cases {
		if got := code(in); got != want {
			t.Errorf("code(%q) = %q, want %q", in, got, want)
		}
	}
	if got := text("<b>*x*</b> | #1"); got != `\<b\>\*x\*\</b\> \| \#1` {
		t.Errorf("text: %q", got)
	}
	if got := cell("`a|b` \\| c"); got != "`a\\|b` \\| c" {
		t.Errorf("cell: %q", got)
	}
}

func TestMarkdownGraphCap(t *testing.T) {
	var outs []*convert.Outcome
	for i := 0; i < MaxGraphs+2; i++ {
		p := fmt.Sprintf("r%d/.tekton/pipeline.yaml", i)
		outs = append(outs, &convert.Outcome{
			Source: convert.Source{Path: p, Kind: convert.KindTekton},
			Result: convert.Result{Files: []convert.File{{Path: p, Data: []byte("apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: a\n      taskRef:\n        name: a\n")}}},
		})
	}
	var buf bytes.Buffer
	if err := Markdown(&buf, New(Options{Draw: true}, outs...)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "```mermaid"); n != MaxGraphs {
		t.Errorf("%d graphs drawn, want %d", n, MaxGraphs)
	}
	if !strings.Contains(buf.String(), "2 more Pipelines not drawn") {
		t.Error("missing the note on undrawn Pipelines")
	}
}
