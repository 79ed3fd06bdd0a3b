package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/jenkins"
)

// FuzzMapping: no --mapping file makes loading or the Jenkins front-end that reads it panic;
// a bad file is a positioned error naming it.
func FuzzMapping(f *testing.F) {
	seeds, _ := filepath.Glob("../../jenkins/testdata/*/mapping.yaml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("steps:\n  deployApp:\n    task: kubernetes-actions\n    params:\n      script: kubectl apply -f $(params.manifest)\n"))
	f.Add([]byte("steps: [1, 2]\n"))
	f.Add([]byte("? [a]\n: b\n"))
	jf := []byte("@Library('lib') _\npipeline {\n  agent any\n  stages {\n    stage('d') {\n      steps {\n        deployApp manifest: 'k8s.yaml'\n        sh 'make'\n      }\n    }\n  }\n}\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "mapping.yaml")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := loadMapping(p)
		if err != nil {
			if !strings.Contains(err.Error(), p) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		opts := convert.Options{Mapping: m, MappingPath: p, Placeholders: true}
		if _, err := (jenkins.Converter{}).Convert(convert.Source{Path: "Jenkinsfile", Data: jf, Kind: convert.KindJenkinsfile}, opts); err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatal(err)
		}
	})
}
