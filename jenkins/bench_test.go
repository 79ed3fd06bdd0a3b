package jenkins

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

func benchFiles(b *testing.B) map[string][]byte {
	out := map[string][]byte{}
	for _, set := range []string{"jenkinsfile", "jenkins-declarative"} {
		entries, err := os.ReadDir(filepath.Join(corpusRoot, set))
		if err != nil {
			b.Skip("corpus not present")
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			data, _ := os.ReadFile(filepath.Join(corpusRoot, set, e.Name()))
			out[e.Name()] = data
		}
	}
	return out
}

// BenchmarkConvertCorpus converts every corpus Jenkinsfile (parse, convert, emit) per iteration.
func BenchmarkConvertCorpus(b *testing.B) {
	files := benchFiles(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for name, data := range files {
			if _, err := (Converter{}).Convert(convert.Source{Path: name, Data: data, Kind: convert.KindJenkinsfile}, convert.Options{Placeholders: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseCorpus is the floor: parsing alone, no conversion.
func BenchmarkParseCorpus(b *testing.B) {
	files := benchFiles(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for name, data := range files {
			if _, err := model.Parse(name, data); err != nil {
				b.Fatal(err)
			}
		}
	}
}
