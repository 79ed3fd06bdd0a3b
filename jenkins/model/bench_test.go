package model

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// BenchmarkParse parses every corpus Jenkinsfile (lexer, parser and model) per iteration.
func BenchmarkParse(b *testing.B) {
	files := corpusFiles(b)
	srcs := make([][]byte, len(files))
	total := 0
	for i, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		srcs[i] = src
		total += len(src)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			if _, err := Parse(files[j], src); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/model/*.groovy")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := Parse("fuzz", src)
		if err != nil {
			var pe *convert.PosError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not positioned: %v", err)
			}
			return
		}
		_ = Dump(m)
		if m.Kind == Declarative && m.Pipeline == nil {
			t.Fatal("declarative without pipeline")
		}
	})
}
