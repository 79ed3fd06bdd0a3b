package jenkins

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/peakheap"
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

// largeDeclarative is a declarative Jenkinsfile of n sequential stages.
func largeDeclarative(n int) []byte {
	var b strings.Builder
	b.WriteString("pipeline {\n  agent any\n  stages {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    stage('s%d') {\n      steps {\n        sh 'echo %d'\n      }\n    }\n", i, i)
	}
	b.WriteString("  }\n}\n")
	return []byte(b.String())
}

// BenchmarkLargeJenkinsfile converts one Jenkinsfile of many stages as the engine does (limits
// raised), validation included; peak-heap-B/in-B is the highest heap seen, over the heap before, per input byte (the
// allocations, B/op, are mostly Tekton's validation compiling a regexp per field).
func BenchmarkLargeJenkinsfile(b *testing.B) {
	for _, n := range []int{400, 1000, 5000, 16000} {
		data := largeDeclarative(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := b.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "Jenkinsfile"), data, 0o644); err != nil {
				b.Fatal(err)
			}
			e := &convert.Engine{Converters: map[convert.Kind]convert.Converter{convert.KindJenkinsfile: Converter{}},
				Options: convert.Options{To: "v1", Placeholders: true}, MaxTasks: 1 << 20, MaxDocs: 1 << 20}
			ins, errs := e.Inputs([]string{dir})
			if len(errs) > 0 || len(ins) != 1 {
				b.Fatal(ins, errs)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			runtime.GC()
			base := peakheap.Bytes()
			peak := peakheap.Sample()
			for i := 0; i < b.N; i++ {
				if err := e.Run(ins, func(o *convert.Outcome) error { return o.Err }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak()-base)/float64(len(data)), "peak-heap-B/in-B")
		})
	}
}

// BenchmarkLargeJenkinsfileLive is the highest live heap (what a collection leaves, over the
// heap before, per input byte) of each phase of converting 16,000 stages, under GOGC=5 so
// that collections come often: parse (the model), convert (conversion and printing) and run
// (the engine, validation included). The peak BenchmarkLargeJenkinsfile reports is about
// twice this under GOGC=100.
func BenchmarkLargeJenkinsfileLive(b *testing.B) {
	data := largeDeclarative(16000)
	opts := convert.Options{To: "v1", Placeholders: true}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Jenkinsfile"), data, 0o644); err != nil {
		b.Fatal(err)
	}
	e := &convert.Engine{Converters: map[convert.Kind]convert.Converter{convert.KindJenkinsfile: Converter{}},
		Options: opts, MaxTasks: 1 << 20, MaxDocs: 1 << 20}
	ins, errs := e.Inputs([]string{dir})
	if len(errs) > 0 || len(ins) != 1 {
		b.Fatal(ins, errs)
	}
	phases := []struct {
		name string
		run  func() error
	}{
		{"parse", func() error { _, err := model.Parse("Jenkinsfile", data); return err }},
		{"convert", func() error {
			_, err := Converter{}.Convert(convert.Source{Path: "Jenkinsfile", Data: data, Kind: convert.KindJenkinsfile}, opts)
			return err
		}},
		{"run", func() error { return e.Run(ins, func(o *convert.Outcome) error { return o.Err }) }},
	}
	for _, ph := range phases {
		b.Run(ph.name, func(b *testing.B) {
			defer debug.SetGCPercent(debug.SetGCPercent(5))
			var most uint64
			for i := 0; i < b.N; i++ {
				runtime.GC()
				base := peakheap.Live()
				peak := peakheap.SampleOf(peakheap.Live)
				if err := ph.run(); err != nil {
					b.Fatal(err)
				}
				p := peak()
				most = max(most, p-min(base, p))
			}
			b.ReportMetric(float64(most)/float64(len(data)), "live-B/in-B")
		})
	}
}
