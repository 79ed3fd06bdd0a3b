package jenkins

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

// TestDropPrintedExact: printing that drops each task once printed gives the files and
// findings of printing the Pipeline kept whole, on every corpus and golden Jenkinsfile; a
// Pipeline whose tasks were dropped fails Emit with ErrDropped, and printFresh, what emit then
// does, prints the same files again.
func TestDropPrintedExact(t *testing.T) {
	inputs := append(corpusFiles(t, "jenkinsfile"), corpusFiles(t, "jenkins-declarative")...)
	golden, _ := filepath.Glob("testdata/*/Jenkinsfile")
	inputs = append(inputs, golden...)
	inputs = append(inputs, "big") // many stages, more than one printing buffer
	mapping, err := LoadMapping(convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	compared, reprinted := 0, 0
	for _, path := range inputs {
		var data []byte
		if path == "big" {
			data = largeDeclarative(3000)
		} else if data, err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
		src := convert.Source{Path: filepath.Join("repo", "Jenkinsfile"), Data: data, Kind: convert.KindJenkinsfile}
		for _, opts := range []convert.Options{{To: "v1", Placeholders: true}, {To: "v1beta1", CatalogRef: "bundles"}} {
			fresh := func() (*pipeline.Pipeline, error) {
				p, _, err := Pipeline(src.Path, data, opts, mapping)
				return p, err
			}
			p, findings, err := Pipeline(src.Path, data, opts, mapping)
			if err != nil {
				continue // the conversion's own tests' business
			}
			whole, werr := emit(src, "repo", p, findings, opts, nil)
			p, findings, _ = Pipeline(src.Path, data, opts, mapping)
			dropped, derr := emit(src, "repo", p, findings, opts, fresh)
			if !reflect.DeepEqual(whole, dropped) || (werr == nil) != (derr == nil) {
				t.Errorf("%s %s: printing with drops differs from printing whole (%v, %v)", path, opts.To, werr, derr)
				continue
			}
			compared++
			if werr != nil || p == nil || len(p.Tasks) == 0 || p.Tasks[0] != nil {
				continue
			}
			// p's tasks are dropped now: printing it again needs them
			if _, err := pipeline.Emit("repo", p, opts); !errors.Is(err, pipeline.ErrDropped) {
				t.Errorf("%s: Emit of a dropped Pipeline: %v, want ErrDropped", path, err)
			}
			again, err := printFresh(src, "repo", opts, fresh)
			if err != nil || !reflect.DeepEqual(again, whole.Files) {
				t.Errorf("%s %s: printing a fresh conversion after ErrDropped differs (%v)", path, opts.To, err)
			}
			reprinted++
		}
	}
	if compared < 200 || reprinted < 100 {
		t.Errorf("compared %d conversions, %d reprinted after ErrDropped", compared, reprinted)
	}
	t.Logf("compared %d conversions, %d reprinted after ErrDropped", compared, reprinted)
}
