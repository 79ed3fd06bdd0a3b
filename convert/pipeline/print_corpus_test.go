package pipeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

// TestPrintCorpus converts every Travis and Jenkins input of the shared corpus and of the
// front-ends' golden tests, with the option sets that change what Emit builds, and checks
// that the printer printed every document, byte for byte as yaml.v3 does.
func TestPrintCorpus(t *testing.T) {
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
	var printed, fellBack int
	undo := pipeline.SetPrintCheck(func(ok bool, got, want []byte, err error) {
		if !ok {
			fellBack++
			return
		}
		printed++
		if err != nil {
			t.Errorf("printed a document yaml.v3 refuses (%v):\n%s", err, got)
		} else if !bytes.Equal(got, want) {
			t.Errorf("printed\n%s\nyaml.v3 prints\n%s", got, want)
		}
	})
	defer undo()
	conv := frontends.All()
	for _, in := range inputs {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		// the path a repository holds it at, so detection and output names are as in use
		path := filepath.Join("repo", filepath.Base(in))
		switch filepath.Base(filepath.Dir(in)) {
		case "travis":
			path = filepath.Join("repo", ".travis.yml")
		case "jenkinsfile", "jenkins-declarative":
			path = filepath.Join("repo", "Jenkinsfile")
		case "jenkins-xml":
			path = filepath.Join("repo", "job", "config.xml")
		}
		kind := convert.Detect(path, data)
		c := conv[kind]
		if c == nil || kind == convert.KindTekton {
			continue
		}
		for _, opts := range []convert.Options{
			{To: "v1", Placeholders: true},
			{To: "v1beta1", CatalogRef: "bundles"},
		} {
			c.Convert(convert.Source{Path: path, Data: data, Kind: kind}, opts) // errors are the front-ends' tests' business
		}
	}
	if printed < 1000 || fellBack > 0 {
		t.Errorf("%d documents printed, %d left to yaml.v3 (want all of over 1,000 printed)", printed, fellBack)
	}
	t.Logf("%d inputs, %d documents printed", len(inputs), printed)
}
