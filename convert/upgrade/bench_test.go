package upgrade

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tkn-migrate/tkn-migrate/convert"
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
			base := heapObjects()
			var peak atomic.Uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { // sample the heap while the benchmark runs
				defer close(done)
				tick := time.NewTicker(time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					if v := heapObjects(); v > peak.Load() {
						peak.Store(v)
					}
				}
			}()
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				styleMemo.Reset()
				renderMemo.Reset()
				strictMemo.Reset()
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
			close(stop)
			<-done
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*3*n), "ns/doc")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*3*n), "cpu-ns/doc")
			b.ReportMetric(float64(peak.Load()-min(base, peak.Load()))/float64(len(data)), "peak-heap/input")
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

// heapObjects is the heap's object bytes, live and not yet swept: what RSS follows.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
