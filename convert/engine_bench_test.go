package convert_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

// BenchmarkEngineScale converts one old Tekton file of n documents through the whole engine
// path: linear cost means ns/doc, and B/op divided by n, stay flat as n grows.
func BenchmarkEngineScale(b *testing.B) {
	const doc = "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t%d\nspec:\n  params:\n    - name: p\n      default: x\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: echo $(params.p)\n"
	for _, n := range []int{100, 400, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			docs := make([]string, n)
			for i := range docs {
				docs[i] = fmt.Sprintf(doc, i)
			}
			data := strings.Join(docs, "---\n")
			p := filepath.Join(b.TempDir(), "tasks.yaml")
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e := &convert.Engine{Converters: frontends.All(), Workers: 1}
				ins, _ := e.Inputs([]string{p})
				if err := e.Run(ins, func(o *convert.Outcome) error { return o.Err }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/doc")
		})
	}
}

// BenchmarkInputsWalk walks a tree of 1,000 repositories of one Tekton file each, as a fleet
// run starts: reading and telling the kinds runs on GOMAXPROCS workers (-cpu 1,2 compares).
func BenchmarkInputsWalk(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < 1000; i++ {
		repo := filepath.Join(dir, fmt.Sprintf("repo-%d", i))
		if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
			b.Fatal(err)
		}
		data := fmt.Sprintf("apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t%d\n", i)
		if err := os.WriteFile(filepath.Join(repo, "task.yaml"), []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ins, errs := (&convert.Engine{}).Inputs([]string{dir})
		if len(ins) != 1000 || len(errs) > 0 {
			b.Fatal(len(ins), errs)
		}
	}
}
