package upgrade

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// FuzzUpgrade: no input makes the filters panic, and an output converts to itself.
func FuzzUpgrade(f *testing.F) {
	ins, _ := filepath.Glob("testdata/*/input.yaml")
	for _, in := range ins {
		if data, err := os.ReadFile(in); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("apiVersion: tekton.dev/v1alpha1\nkind: Task\nspec:\n  inputs: {params: [{name: a}], resources: [{name: s, type: git}]}\n"))
	f.Add([]byte("apiVersion: tekton.dev/v1beta1\nkind: PipelineRun\nspec: {timeout: 1h, serviceAccountName: x, resources: [{name: r}]}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := New()
		src := convert.Source{Path: "f.yaml", Data: data}
		if err := c.Index(src); err != nil {
			return
		}
		res, err := c.Convert(src, convert.Options{})
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("Convert panicked: %v", err)
			}
			return
		}
		if len(res.Files) != 1 {
			t.Fatalf("want one file, got %d", len(res.Files))
		}
		for _, f := range res.Findings {
			if f.File != "f.yaml" {
				t.Fatalf("finding for another file: %+v", f)
			}
		}
	})
}

// BenchmarkUpgrade converts every corpus file (indexed per input set), as the CLI would.
func BenchmarkUpgrade(b *testing.B) {
	files := corpusFiles(b)
	var bytes int64
	for _, f := range files {
		bytes += int64(len(f.Data))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		conv := map[string]*Converter{}
		for _, src := range files {
			if conv[inputSet(src.Path)] == nil {
				conv[inputSet(src.Path)] = New()
			}
			_ = conv[inputSet(src.Path)].Index(src)
		}
		for _, src := range files {
			_, _ = conv[inputSet(src.Path)].Convert(src, convert.Options{})
		}
	}
	b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkParsePrintFloor is the floor: the same files parsed and printed by kyaml, no conversion.
func BenchmarkParsePrintFloor(b *testing.B) {
	files := corpusFiles(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, src := range files {
			docs, err := splitDocs(src.Path, src.Data)
			if err != nil {
				continue
			}
			for _, d := range docs {
				if d.node != nil {
					_, _ = printNode(d.node, style{2, true})
				}
			}
		}
	}
	b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
}
