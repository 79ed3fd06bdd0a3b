package main

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// idleReport reads an execution trace through `go tool trace -d=parsed` (golang.org/x/exp/trace
// does not read this Go's trace format) and prints where fewer goroutines ran than there were
// Ps: the walk (before the engine's first worker starts) and the run (from then to the end).
func idleReport(w io.Writer, traceFile string, procs int) error {
	cmd := exec.Command("go", "tool", "trace", "-d=parsed", traceFile)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	s := newIdleStats(procs)
	if err := s.read(out); err != nil {
		return err
	}
	if err := cmd.Wait(); err != nil {
		return err
	}
	s.print(w)
	return nil
}

var (
	eventRE      = regexp.MustCompile(`^M=-?\d+ P=-?\d+ G=(-?\d+) (\w+) Time=(\d+)(.*)$`)
	transitionRE = regexp.MustCompile(`GoID=(\d+) (\w+)->(\w+)`)
	gcLabelRE    = regexp.MustCompile(`Label="GC[^"]*" Resource=Goroutine\((\d+)\)`)
)

// workerFunc is the engine's worker goroutine, whose first start ends the walk.
const workerFunc = "convert.(*Engine).Run.func1"

// idleStats accumulates, per phase, the time spent with each number of goroutines running.
type idleStats struct {
	procs      int
	running    map[int]bool // goroutines running or in a syscall (holding a P)
	runnable   map[int]bool
	gcWorker   map[int]bool
	last       int64
	start      int64
	workers    bool             // a worker has started: the run phase
	spans      [2][]int64       // [phase][goroutines running, capped at procs] → ns
	waitRunQ   [2]int64         // ns × idle Ps while some goroutine was runnable
	gc         map[string]int64 // ns in STW, in the mark phase, of GC workers running, in assists
	cycles     int
	mark, stw  bool
	assistFrom map[int]int64
}

func newIdleStats(procs int) *idleStats {
	s := &idleStats{procs: procs, running: map[int]bool{}, runnable: map[int]bool{}, gcWorker: map[int]bool{},
		gc: map[string]int64{}, assistFrom: map[int]int64{}}
	for i := range s.spans {
		s.spans[i] = make([]int64, procs+1)
	}
	return s
}

// read takes events in file order; the parsed dump is ordered by time within a generation,
// which is close enough for shares of a second-long phase.
func (s *idleStats) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	// The stack printed under a goroutine's creation is its start function.
	var created, inStack bool
	var stack []string
	flush := func() {
		for _, f := range stack {
			if created && strings.HasSuffix(f, workerFunc) {
				s.workers = true
			}
		}
		created, inStack, stack = false, false, nil
	}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "TransitionStack=") || strings.HasPrefix(line, "Stack=") {
			inStack = strings.HasPrefix(line, "Transition")
			continue
		}
		if strings.HasPrefix(line, "\t") {
			if inStack && !strings.HasPrefix(line, "\t\t") {
				stack = append(stack, strings.Fields(line)[0])
			}
			continue
		}
		m := eventRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		flush()
		t, _ := strconv.ParseInt(m[3], 10, 64)
		g, _ := strconv.Atoi(m[1])
		s.advance(t)
		rest := m[4]
		switch m[2] {
		case "StateTransition":
			if tm := transitionRE.FindStringSubmatch(rest); tm != nil {
				id, _ := strconv.Atoi(tm[1])
				s.transition(id, tm[3])
				created = tm[2] == "NotExist"
			}
		case "Label":
			if lm := gcLabelRE.FindStringSubmatch(rest); lm != nil {
				id, _ := strconv.Atoi(lm[1])
				s.gcWorker[id] = true
			}
		case "RangeBegin", "RangeActive", "RangeEnd":
			on := m[2] != "RangeEnd"
			switch {
			case strings.Contains(rest, `"GC concurrent mark phase"`):
				if on && !s.mark {
					s.cycles++
				}
				s.mark = on
			case strings.Contains(rest, `"stop-the-world`):
				s.stw = on
			case strings.Contains(rest, `"GC mark assist"`):
				if on {
					s.assistFrom[g] = t
				} else if from, ok := s.assistFrom[g]; ok {
					s.gc["mark assist (goroutine time)"] += t - from
					delete(s.assistFrom, g)
				}
			}
		}
	}
	flush()
	return sc.Err()
}

func (s *idleStats) transition(g int, to string) {
	delete(s.running, g)
	delete(s.runnable, g)
	switch to {
	case "Running", "Syscall":
		s.running[g] = true
	case "Runnable":
		s.runnable[g] = true
	}
}

// advance charges the time since the last event to the state that held during it.
func (s *idleStats) advance(t int64) {
	if s.start == 0 {
		s.start, s.last = t, t
	}
	dt := t - s.last
	if dt <= 0 {
		return
	}
	s.last = t
	phase := 0
	if s.workers {
		phase = 1
	}
	n := min(len(s.running), s.procs)
	s.spans[phase][n] += dt
	if n < s.procs && len(s.runnable) > 0 {
		s.waitRunQ[phase] += dt * int64(s.procs-n)
	}
	switch {
	case s.stw:
		s.gc["stop-the-world (wall)"] += dt
	case s.mark:
		s.gc["mark phase (wall)"] += dt
	}
	for g := range s.running {
		if s.gcWorker[g] {
			s.gc["GC workers running (goroutine time)"] += dt
		}
	}
}

func (s *idleStats) print(w io.Writer) {
	for phase, name := range []string{"walk", "run"} {
		var total, idle int64
		for n, dt := range s.spans[phase] {
			total += dt
			idle += dt * int64(s.procs-n)
		}
		if total == 0 {
			continue
		}
		share := func(ns int64) float64 { return 100 * float64(ns) / float64(total*int64(s.procs)) }
		fmt.Fprintf(w, "    trace %-4s %7.3f s: idle P %5.1f%% (of which a goroutine was runnable %4.1f%%); running",
			name, float64(total)/1e9, share(idle), share(s.waitRunQ[phase]))
		for n, dt := range s.spans[phase] {
			fmt.Fprintf(w, " %d: %4.1f%%", n, 100*float64(dt)/float64(total))
		}
		fmt.Fprintln(w)
	}
	keys := make([]string, 0, len(s.gc))
	for k := range s.gc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "    trace GC: %d cycles", s.cycles)
	for _, k := range keys {
		fmt.Fprintf(w, "; %s %.1f ms", k, float64(s.gc[k])/1e6)
	}
	fmt.Fprintln(w)
}
