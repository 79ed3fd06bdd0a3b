//go:build unix

package main

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// BenchmarkVersion is a user's start-up: tkn-migrate built as `go install` builds it, one
// `version` process per op. Page faults are reported too: on a VM each costs microseconds,
// and init's allocations and the binary pages it touches are most of them.
func BenchmarkVersion(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "tkn-migrate")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	var faults, cpu int64
	for b.Loop() {
		cmd := exec.Command(bin, "version")
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		faults += ru.Minflt
		cpu += ru.Utime.Nano() + ru.Stime.Nano()
	}
	b.ReportMetric(float64(faults)/float64(b.N), "minflt/op")
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
}
