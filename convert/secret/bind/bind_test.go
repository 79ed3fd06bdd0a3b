package bind_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/secret/bind"
	"github.com/tkn-migrate/tkn-migrate/jenkins"
	"github.com/tkn-migrate/tkn-migrate/travis"
)

// repeated holds a secret env entry in several steps, and steps of one line whose comments
// (the source text, with a secret) are the same: what Pipeline reuses.
const repeated = `pipeline {
  agent any
  stages {
    stage('a') { steps { withEnv(['API_TOKEN=Zq8Lm2pX7vRt9Kw']) { sh 'make a' }; withEnv(['API_TOKEN=Zq8Lm2pX7vRt9Kw']) { sh 'make b' } } }
    stage('b') { steps { withEnv(['API_TOKEN=Zq8Lm2pX7vRt9Kw', 'X=1']) { sh 'make c' } } }
    stage('c') { steps { deployTo(url: 'https://bob:Pw9xQz7Lm@example.com/x'); deployTo(url: 'https://bob:Pw9xQz7Lm@example.com/x') } }
  }
}
`

// TestReuseExact: Pipeline's output with reuse is the plain path's, for every Travis and
// Jenkins input of the tests and the corpus.
func TestReuseExact(t *testing.T) {
	type input struct {
		path string
		data []byte
		conv convert.Converter
	}
	inputs := []input{{"r/Jenkinsfile", []byte(repeated), jenkins.Converter{}}}
	for _, dir := range []string{"../../../travis/testdata", "../../../jenkins/testdata", "../../../../shared/corpus"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			var conv convert.Converter
			switch base := filepath.Base(path); {
			case base == ".travis.yml" || strings.HasSuffix(base, ".travis.yml"):
				conv = travis.Converter{}
			case base == "Jenkinsfile" || strings.HasSuffix(base, "__Jenkinsfile"):
				conv = jenkins.Converter{}
			default:
				return nil
			}
			data, err := os.ReadFile(path)
			inputs = append(inputs, input{path, data, conv})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	secrets := 0
	for _, in := range inputs {
		run := func(reuse bool) (convert.Result, error) {
			bind.Reuse(reuse)
			defer bind.Reuse(true)
			return in.conv.Convert(convert.Source{Path: in.path, Data: in.data}, convert.Options{Placeholders: true})
		}
		got, gotErr := run(true)
		want, wantErr := run(false)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErr, wantErr) {
			t.Errorf("%s: with reuse %v %v, plain %v %v", in.path, got, gotErr, want, wantErr)
		}
		for _, f := range got.Findings {
			if f.Rule == "secret-literal" {
				secrets++
			}
		}
	}
	if len(inputs) < 100 || secrets < 10 {
		t.Fatalf("%d inputs, %d secret findings: the inputs miss the secrets", len(inputs), secrets)
	}
}
