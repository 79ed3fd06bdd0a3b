package convert_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

// fuzzNames are the file names an engine fuzz input is written as, one per front-end.
var fuzzNames = []string{"pipeline.yaml", ".travis.yml", "Jenkinsfile", "config.xml"}

// FuzzEngine runs the whole engine path on one file: read, convert, validate, changes, and
// the -w write into a temporary directory. No input panics; what is written is what the
// changes said, and every written file passes Tekton's validation.
func FuzzEngine(f *testing.F) {
	f.Add(uint8(0), []byte("apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine\n      script: echo\n"))
	f.Add(uint8(1), []byte("language: go\nscript: go test ./...\n"))
	f.Add(uint8(2), []byte("pipeline {\n  agent any\n  stages {\n    stage('b') {\n      steps { sh 'make' }\n    }\n  }\n}\n"))
	f.Add(uint8(3), []byte("<?xml version='1.1'?>\n<project>\n  <builders><hudson.tasks.Shell><command>make</command></hudson.tasks.Shell></builders>\n</project>\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, fuzzNames[int(which)%len(fuzzNames)])
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		e := &convert.Engine{Converters: frontends.All(), Workers: 1}
		ins, _ := e.Inputs([]string{dir})
		err := e.Run(ins, func(o *convert.Outcome) error {
			if o.Err != nil {
				if strings.Contains(o.Err.Error(), "internal error") {
					t.Fatalf("panic: %v", o.Err)
				}
				return nil
			}
			for _, c := range o.Changes {
				if err := convert.WriteChange(c, false); err != nil {
					t.Fatalf("write: %v", err)
				}
				got, err := os.ReadFile(c.Path)
				if err != nil || !bytes.Equal(got, c.New) {
					t.Fatalf("%s holds other bytes than the change", c.Path)
				}
				if err := validate.Documents(c.Path, got); err != nil {
					t.Fatalf("written file fails validation: %v", err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
