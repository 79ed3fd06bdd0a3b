package convert

import (
	"bytes"
	"testing"
)

// FuzzDetect: kind detection never panics, and calls Tekton only what names a tekton.dev API.
func FuzzDetect(f *testing.F) {
	f.Add("a.yaml", []byte("apiVersion: tekton.dev/v1beta1\nkind: Task\n"))
	f.Add("list.yaml", []byte("apiVersion: v1\nkind: List\nitems:\n  - apiVersion: tekton.dev/v1\n"))
	f.Add(".travis.yml", []byte("language: go\n"))
	f.Add("Jenkinsfile", []byte("pipeline {\n  agent any\n}\n"))
	f.Add("lib.groovy", []byte("node('x') {\n}\n"))
	f.Add("config.xml", []byte("<?xml version='1.1'?>\n<project>\n</project>\n"))
	f.Add("-", []byte("\ufeff<flow-definition plugin=\"x\">"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		k := detect(name, data)
		if k == KindTekton && !bytes.Contains(data, []byte("tekton.dev/")) {
			t.Fatalf("%s detected as Tekton without a tekton.dev API", name)
		}
		if k != detect(name, data) {
			t.Fatal("detection is not deterministic")
		}
		_ = unreadable(name, data, true)
	})
}
