package upgrade

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/internal/peakheap"
)

// bigFile is one old Tekton file of n groups of a Task with a git input, a Pipeline that
// runs it and a PipelineRun that binds the resource: every document distinct, so no memo
// helps, and each Pipeline resolves its Task in the same file.
func bigFile(n int) []byte {
	const group = `apiVersion: tekton.dev/v1beta1
kind: Task
metadata:
  name: build-%[1]d
spec:
  params:
    - name: flags
      default: -v
  resources:
    inputs:
      - name: source
        type: git
  steps:
    - name: build
      image: golang:1.22
      workingDir: $(resources.inputs.source.path)
      script: go build $(params.flags) ./...
---
apiVersion: tekton.dev/v1beta1
kind: Pipeline
metadata:
  name: ci-%[1]d
spec:
  resources:
    - name: repo
      type: git
  tasks:
    - name: build
      taskRef:
        name: build-%[1]d
      resources:
        inputs:
          - name: source
            resource: repo
---
apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata:
  name: ci-run-%[1]d
spec:
  pipelineRef:
    name: ci-%[1]d
  resources:
    - name: repo
      resourceSpec:
        type: git
        params:
          - name: url
            value: https://example.com/repo-%[1]d.git
`
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(group, i)
	}
	return []byte(strings.Join(parts, "---\n"))
}

// BenchmarkUpgradeBigFile indexes and converts one file of 3n documents. Linear cost means
// ns/doc and B/op per input byte stay flat as n grows; cpu-ns/doc is the process's CPU
// time per document (steadier than wall time on a shared machine); peak-heap/input is the
// most heap in use during an op (sampled every millisecond), above the heap before the
// first op, over the input's size.
func BenchmarkUpgradeBigFile(b *testing.B) {
	for _, n := range []int{100, 400, 1600} {
		b.Run(fmt.Sprint(3*n), func(b *testing.B) {
			data := bigFile(n)
			src := convert.Source{Path: "big.yaml", Data: data, Kind: convert.KindTekton}
			runtime.GC()
			base := peakheap.Bytes()
			peak := peakheap.Sample()
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				forgetMemos()
				c := New()
				if err := c.Index(src); err != nil {
					b.Fatal(err)
				}
				if _, err := c.Convert(src, convert.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*3*n), "ns/doc")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*3*n), "cpu-ns/doc")
			top := peak()
			b.ReportMetric(float64(top-min(base, top))/float64(len(data)), "peak-heap/input")
		})
	}
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEngineBigFile converts one file of many old documents as the engine does (limits
// raised), validation included; peak-heap-B/in-B is the highest heap seen, over the heap
// before, per input byte, as BenchmarkLargeJenkinsfile reports it for a Jenkinsfile. The
// memos start empty at every size. It is cold, process costs included, only as the first
// benchmark of its process: run one size per process (-bench 'EngineBigFile$/^3000$').
// 4,000 documents is the example (550 KB there; 1.2 MB here, longer documents).
func BenchmarkEngineBigFile(b *testing.B) {
	for _, docs := range engineBigFileDocs {
		b.Run(fmt.Sprint(docs), func(b *testing.B) { runEngineBigFile(b, docs, false) })
	}
}

// BenchmarkEngineBigFileWarm is BenchmarkEngineBigFile after a three-document file has paid,
// before the heap is read, what a process pays once whatever its input: encoding/json's
// cache of Tekton's types (0.55 MB with its sync.Map), regexps compiled on first use (0.04 MB)
// and the catalog read on first use. warmup-B is what that left live, 0.6-0.7 MB; a heap
// profile showed the same 0.61 MB (within 2 KB) left after files of 3 and of 3,000 documents,
// memos emptied. The memos are emptied after it, so what they hold of the big file counts.
func BenchmarkEngineBigFileWarm(b *testing.B) {
	for _, docs := range engineBigFileDocs {
		b.Run(fmt.Sprint(docs), func(b *testing.B) { runEngineBigFile(b, docs, true) })
	}
}

// engineBigFileDocs are the files' sizes in documents.
var engineBigFileDocs = []int{1200, 3000, 4000, 4800, 12000}

func runEngineBigFile(b *testing.B, docs int, warm bool) {
	dir := b.TempDir()
	// The benchmark keeps no copy of the file: the engine reads its own.
	size := writeFile(b, filepath.Join(dir, "big.yaml"), bigFileDocs(docs))
	e := &convert.Engine{Converters: map[convert.Kind]convert.Converter{convert.KindTekton: New()},
		Options: convert.Options{To: "v1"}, MaxTasks: 1 << 20, MaxDocs: 1 << 20}
	if warm {
		runtime.GC()
		before := peakheap.Live()
		wdir := b.TempDir()
		// Other names and script: nothing the big file could find in a memo.
		writeFile(b, filepath.Join(wdir, "warm.yaml"), []byte(strings.NewReplacer("-0", "-warm", "./...", "./warm/...").Replace(string(bigFile(1)))))
		runEngine(b, e, engineInputs(b, e, wdir))
		forgetMemos()
		runtime.GC()
		b.ReportMetric(float64(peakheap.Live())-float64(before), "warmup-B")
	}
	ins := engineInputs(b, e, dir)
	forgetMemos()
	b.ReportAllocs()
	b.SetBytes(int64(size))
	runtime.GC()
	base := peakheap.Bytes()
	peak := peakheap.Sample()
	for i := 0; i < b.N; i++ {
		runEngine(b, e, ins)
	}
	b.ReportMetric(float64(peak()-base)/float64(size), "peak-heap-B/in-B")
}

// bigFileDocs is the first docs documents of bigFile.
func bigFileDocs(docs int) []byte {
	data := bigFile((docs + 2) / 3)
	for i, at := 0, 0; ; i++ {
		k := bytes.Index(data[at:], []byte("\n---\n"))
		if k < 0 {
			return data
		}
		at += k + 1
		if i+1 == docs {
			return data[:at]
		}
	}
}

// writeFile writes data to path and returns its size.
func writeFile(b *testing.B, path string, data []byte) int {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return len(data)
}

func engineInputs(b *testing.B, e *convert.Engine, dir string) []convert.Input {
	ins, errs := e.Inputs([]string{dir})
	if len(errs) > 0 || len(ins) != 1 {
		b.Fatal(ins, errs)
	}
	return ins
}

func runEngine(b *testing.B, e *convert.Engine, ins []convert.Input) {
	if err := e.Run(ins, func(o *convert.Outcome) error { return o.Err }); err != nil {
		b.Fatal(err)
	}
}

// forgetMemos empties the memos of the upgrade and of validation: a cold start for them.
func forgetMemos() {
	styleMemo.Reset()
	renderMemo.Reset()
	strictMemo.Reset()
	validate.ForgetVerdicts()
}
