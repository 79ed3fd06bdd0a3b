package jenkins

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

// corpusRoot is ../shared/corpus from the module root (this package is one level down).
const corpusRoot = "../../shared/corpus"

func corpusFiles(t *testing.T, set string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(corpusRoot, set))
	if err != nil {
		t.Skip("corpus not present")
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && !strings.HasSuffix(e.Name(), ".json") {
			out = append(out, filepath.Join(corpusRoot, set, e.Name()))
		}
	}
	return out
}

// convertFile runs the Converter as the CLI does, with the file placed as a Jenkinsfile.
func convertFile(t *testing.T, path string, kind convert.Kind) (convert.Result, []byte, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Converter{}.Convert(convert.Source{Path: path, Data: data, Kind: kind}, convert.Options{Placeholders: true})
	return res, data, err
}

func TestCorpusDeclarative(t *testing.T) {
	for _, set := range []string{"jenkins-declarative", "jenkinsfile"} {
		files := corpusFiles(t, set)
		var ok, empty, failed, scriptedErr int
		for _, f := range files {
			res, data, err := convertFile(t, f, convert.KindJenkinsfile)
			declarative := strings.Contains(string(data), "pipeline {") || strings.Contains(string(data), "pipeline{")
			if err != nil {
				var pe *convert.PosError
				if !errors.As(err, &pe) || pe.Line == 0 {
					t.Errorf("%s: error without position: %v", f, err)
				}
				if declarative {
					t.Errorf("%s: declarative file fails: %v", f, err)
					failed++
				} else {
					t.Logf("%s: %v", filepath.Base(f), err)
					scriptedErr++
				}
				continue
			}
			if len(res.Files) == 0 {
				if len(res.Findings) == 0 {
					t.Errorf("%s: no output and no findings", f)
				}
				empty++
				continue
			}
			bad := false
			for _, o := range res.Files {
				if err := validate.Documents(o.Path, o.Data); err != nil {
					t.Errorf("%s: %v", filepath.Base(f), err)
					bad = true
				}
			}
			if bad {
				failed++
			} else {
				ok++
			}
		}
		t.Logf("%s: %d files: %d valid output, %d no output (findings say why), %d scripted parse errors, %d failures", set, len(files), ok, empty, scriptedErr, failed)
	}
}

// TestCorpusXML converts every job config.xml through the Converter (inline pipeline scripts
// included): valid output, findings that say why there is none, or a positioned error.
func TestCorpusXML(t *testing.T) {
	files := corpusFiles(t, "jenkins-xml")
	var ok, none, errs int
	for _, f := range files {
		res, _, err := convertFile(t, f, convert.KindJenkinsXML)
		if err != nil {
			var pe *convert.PosError
			if !errors.As(err, &pe) || pe.Line == 0 {
				t.Errorf("%s: error without position: %v", f, err)
			}
			errs++
			continue
		}
		if len(res.Files) == 0 {
			if len(res.Findings) == 0 {
				t.Errorf("%s: no output and no findings", f)
			}
			none++
			continue
		}
		for _, o := range res.Files {
			if err := validate.Documents(o.Path, o.Data); err != nil {
				t.Errorf("%s: %v", filepath.Base(f), err)
			}
		}
		ok++
	}
	t.Logf("jenkins-xml: %d files: %d valid output, %d findings only, %d positioned errors", len(files), ok, none, errs)
}
