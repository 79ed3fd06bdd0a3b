package lint

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/internal/peakheap"
)

// upgradeOutput is the upgrade's output for convert/upgrade's BenchmarkUpgradeBigFile input of
// n groups: a Task, the Pipeline that runs it and a PipelineRun, each group distinct.
func upgradeOutput(b *testing.B, n int) []byte {
	group, err := os.ReadFile("testdata/bench-group.yaml")
	if err != nil {
		b.Fatal(err)
	}
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strings.ReplaceAll(string(group), "NNN", fmt.Sprint(i))
	}
	return []byte(strings.Join(parts, "---\n"))
}

const benchRun = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: big-push
spec:
  pipelineRef:
    name: big
  workspaces:
    - name: source
      volumeClaimTemplate:
        spec:
          accessModes:
            - ReadWriteOnce
          resources:
            requests:
              storage: 1Gi
`

// BenchmarkOutputLarge lints big converted outputs as convert --check does (validated first, then
// Output, the memo of clean sets emptied before each op): the upgrade of one file of 4,800 documents, and a Pipeline
// of 16,000 tasks (as a Jenkinsfile of 16,000 stages gives, over yamldoc's node limit) with its
// run. peak-heap-B/in-B is the highest heap seen over the heap before, per byte linted.
func BenchmarkOutputLarge(b *testing.B) {
	for _, c := range []struct {
		name  string
		files func() []convert.File
	}{
		{"upgrade-1200", func() []convert.File { return []convert.File{{Path: "r/big.yaml", Data: upgradeOutput(b, 400)}} }},
		{"upgrade-4800", func() []convert.File { return []convert.File{{Path: "r/big.yaml", Data: upgradeOutput(b, 1600)}} }},
		{"pipeline-16000", func() []convert.File {
			return []convert.File{{Path: "r/.tekton/pipeline.yaml", Data: bigPipeline(16000, "")}, {Path: "r/.tekton/push.yaml", Data: []byte(benchRun)}}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			files := c.files()
			n := 0
			for _, f := range files {
				n += len(f.Data)
			}
			defer validate.ForgetVerdicts()
			for _, f := range files { // as the engine validates before it lints
				if e := validate.Documents(f.Path, f.Data); e != nil {
					b.Fatal(e)
				}
			}
			b.ReportAllocs()
			b.SetBytes(int64(n))
			runtime.GC()
			base := peakheap.Bytes()
			peak := peakheap.Sample()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cleanOutputs.Reset() // each op lints, and remembers the set as the command does
				Output(&convert.Outcome{Result: convert.Result{Files: files}})
			}
			b.ReportMetric(float64(peak()-base)/float64(n), "peak-heap-B/in-B")
		})
	}
}
