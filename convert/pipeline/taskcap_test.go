package pipeline_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/corpustest"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

// frontendInputs is every Travis and Jenkins input of the shared corpus and of the front-ends'
// golden tests, at the path a repository holds it at, so detection and output names are as in use.
func frontendInputs(t *testing.T) []convert.Source {
	var inputs []string
	for _, pattern := range []string{
		"../../../shared/corpus/travis/*", "../../../shared/corpus/jenkinsfile/*",
		"../../../shared/corpus/jenkins-declarative/*", "../../../shared/corpus/jenkins-xml/*",
		"../../travis/testdata/*/.travis.yml", "../../jenkins/testdata/*/Jenkinsfile*",
		"../../jenkins/testdata/*/config.xml", "../../jenkins/testdata/*/*/config.xml",
	} {
		m, _ := filepath.Glob(pattern)
		inputs = append(inputs, m...)
	}
	var srcs []convert.Source
	for _, in := range inputs {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("repo", filepath.Base(in))
		if place, ok := corpustest.Placement[filepath.Base(filepath.Dir(in))]; ok {
			path = filepath.Join("repo", place(filepath.Base(in)))
		}
		if kind := convert.Detect(path, data); kind != convert.KindTekton && kind != convert.KindUnknown {
			srcs = append(srcs, convert.Source{Path: path, Data: data, Kind: kind})
		}
	}
	return srcs
}

// TestTaskCapCountsAsPrinted: the task count a front-end refuses by before printing is the
// count of taskRef and taskSpec lines that the engine's cap reads in the printed output, so an
// input is refused early exactly when the cap would refuse it after printing, with the same number.
func TestTaskCapCountsAsPrinted(t *testing.T) {
	conv := frontends.All()
	checked := 0
	for _, src := range frontendInputs(t) {
		c := conv[src.Kind]
		for _, opts := range []convert.Options{{To: "v1", Placeholders: true}, {To: "v1beta1", CatalogRef: "bundles"}} {
			res, err := c.Convert(src, opts)
			if err != nil {
				continue // errors are the front-ends' tests' business
			}
			printed := 0
			for _, f := range res.Files {
				printed += convert.CountTaskLines(f.Data)
			}
			if printed == 0 {
				continue
			}
			checked++
			opts.MaxTasks = printed
			if _, err := c.Convert(src, opts); err != nil {
				t.Errorf("%s: at the cap of %d printed tasks: %v", src.Path, printed, err)
			}
			if printed == 1 {
				continue // a cap of 0 is no cap
			}
			opts.MaxTasks = printed - 1
			_, err = c.Convert(src, opts)
			if tm := (*convert.TooManyTasks)(nil); !errors.As(err, &tm) || tm.N != printed {
				t.Errorf("%s: over the cap with %d printed tasks: got %v, want TooManyTasks{%d}", src.Path, printed, err, printed)
			}
		}
	}
	if checked < 200 {
		t.Errorf("only %d conversions had tasks", checked)
	}
	t.Logf("%d conversions checked", checked)
}
