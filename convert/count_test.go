package convert

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// tektonDocRE is what CountTektonDocs counted before it became a byte scan, after a leading BOM.
var tektonDocRE = regexp.MustCompile(`(?m)(?:^|\A\x{FEFF})apiVersion:\s*["']?(triggers\.)?tekton\.dev/`)

func TestCountTektonDocsMatchesRegexp(t *testing.T) {
	cases := []string{
		"",
		"apiVersion: tekton.dev/v1\n",
		"apiVersion: tekton.dev/v1",
		"apiVersion:tekton.dev/v1\n---\napiVersion: \"triggers.tekton.dev/v1beta1\"\n",
		"apiVersion: 'tekton.dev/v1beta1'\n",
		"apiVersion:\n  tekton.dev/v1\n",
		"apiVersion:\n\napiVersion: tekton.dev/v1\n",
		"  apiVersion: tekton.dev/v1\n",
		"apiVersion: v1\nkind: ConfigMap\n",
		"apiVersion: triggers.tekton.dev\n",
		"apiVersion: \"\"tekton.dev/v1\n",
		"apiVersion: triggers.triggers.tekton.dev/v1\n",
		"x: 1\r\napiVersion:\t\f tekton.dev/v1\r\n",
		"# apiVersion: tekton.dev/v1\n",
		"\ufeffapiVersion: tekton.dev/v1\n---\napiVersion: tekton.dev/v1\n",
		"x: 1\n\ufeffapiVersion: tekton.dev/v1\n",
	}
	// And every YAML file of the test data and corpus this checkout can see.
	for _, dir := range []string{"testdata", "upgrade/testdata", "../../shared/corpus"} {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && IsYAML(p) {
				if b, err := os.ReadFile(p); err == nil {
					cases = append(cases, string(b))
				}
			}
			return nil
		})
	}
	cases = append(cases, "- taskRef:\n  - - taskSpec: {}\n  taskRef:x\n\ttaskRef:\n# taskRef:\n", "taskSpec:")
	for _, c := range cases {
		if got, want := CountTektonDocs([]byte(c)), len(tektonDocRE.FindAllIndex([]byte(c), -1)); got != want {
			t.Errorf("CountTektonDocs(%.60q) = %d, the regexp counts %d", c, got, want)
		}
		if got, want := hasTektonDoc([]byte(c)), tektonDocRE.Match([]byte(c)); got != want {
			t.Errorf("hasTektonDoc(%.60q) = %v, the regexp says %v", c, got, want)
		}
		if got, want := CountTaskLines([]byte(c)), len(taskLineRE.FindAllIndex([]byte(c), -1)); got != want {
			t.Errorf("CountTaskLines(%.60q) = %d, the regexp counts %d", c, got, want)
		}
	}
}

// taskLineRE is what caps counted before CountTaskLines.
var taskLineRE = regexp.MustCompile(`(?m)^[ -]*(taskRef|taskSpec):`)

func benchData() []byte {
	b, _ := os.ReadFile("../../shared/corpus/tekton-v1beta1/tektoncd__catalog__task__buildpacks__0.1__buildpacks.yaml")
	return b
}

func BenchmarkCountTektonDocs(b *testing.B) {
	data := benchData()
	for i := 0; i < b.N; i++ {
		CountTektonDocs(data)
	}
}

func BenchmarkCountTektonDocsRegexp(b *testing.B) {
	data := benchData()
	for i := 0; i < b.N; i++ {
		tektonDocRE.FindAllIndex(data, -1)
	}
}
