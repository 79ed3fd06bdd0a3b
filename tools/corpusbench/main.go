// Command corpusbench measures batch conversion speed and memory (DESIGN.md section 6).
//
// It builds a tree of N repositories from the shared corpus (every repo-<i>/ holds its own
// .git, so copies of one file don't collide as duplicates of one repository), then runs
// phases, each in a fresh process so peak memory is its own:
//   - floor: read every file and, for YAML, parse and print it with kyaml (no conversion),
//     on as many workers as the conversion uses;
//   - convert: the tkn-migrate engine over the tree, as `convert --check` would run it
//     (the report, and lint of the converted output on the workers);
//   - lint (mixed mode): `tkn-migrate lint` over every YAML file of the tree, as one input set;
//   - audit (with -audit): `tkn-migrate audit --repos-in` over the same tree.
//
// Modes pick the files: mixed (every corpus set), upgrade (old Tekton), current (Tekton v1
// files, the upgrade's own output), travis, jenkinsfile, configxml.
//
// With -unique every copy ends with a comment of its own, so validation's memo of
// distinct documents only helps where the converted output is still identical.
//
// Usage: go run ./tools/corpusbench -n 1000,5000,10000 -mode mixed,upgrade [-corpus ../shared/corpus] [-audit] [-unique]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/tkn-migrate/tkn-migrate/audit"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/report"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
	"github.com/tkn-migrate/tkn-migrate/internal/gcpace"
	"github.com/tkn-migrate/tkn-migrate/lint"
)

// modes maps a mode to the corpus sets it draws from.
var modes = map[string][]string{
	"mixed":       {"tekton-v1alpha1", "tekton-v1beta1", "travis", "jenkinsfile", "jenkins-declarative", "jenkins-xml"},
	"upgrade":     {"tekton-v1alpha1", "tekton-v1beta1"},
	"current":     {"tekton-v1alpha1", "tekton-v1beta1"}, // converted to v1 first
	"travis":      {"travis"},
	"jenkinsfile": {"jenkinsfile", "jenkins-declarative"},
	"configxml":   {"jenkins-xml"},
}

// unique makes every copy's bytes its own (see -unique).
var unique bool

// traceFile is where the convert phase writes its execution trace (see -trace).
var traceFile string

// scaleRounds is how many 1-core/2-core pairs of the convert phase to run (see -scale).
var scaleRounds int

// memProfile is where the convert phase writes its heap profile (see -memprofile).
var memProfile string

var modeOrder = []string{"mixed", "upgrade", "current", "travis", "jenkinsfile", "configxml"}

func main() {
	ns := flag.String("n", "1000", "comma-separated numbers of files in the generated tree")
	modeList := flag.String("mode", "mixed", "comma-separated modes: "+strings.Join(modeOrder, ", ")+", or all")
	corpus := flag.String("corpus", "../shared/corpus", "corpus to draw files from")
	phase := flag.String("phase", "", "internal: run one phase on -tree and print its numbers")
	tree := flag.String("tree", "", "internal: the generated tree")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the convert phase to `FILE`")
	flag.StringVar(&traceFile, "trace", "", "write an execution trace of the convert phase to `FILE` (go tool trace)")
	flag.StringVar(&memProfile, "memprofile", "", "write a heap profile of the convert phase, taken at its end, to `FILE`")
	withAudit := flag.Bool("audit", false, "also time the audit of the tree (one repository per directory)")
	withLint := flag.Bool("lint", true, "in mixed mode, also time lint over the tree's YAML files")
	flag.IntVar(&scaleRounds, "scale", 0, "after the phases, run the convert phase this many times on 1 and on 2 cores, in alternating order, and print the median wall-clock speed-up")
	flag.BoolVar(&unique, "unique", false, "end every copy with a comment of its own, so no two files are byte-identical")
	flag.Parse()
	if *phase != "" {
		if err := runPhase(*phase, *tree, *cpuProfile); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	var sizes []int
	for _, s := range strings.Split(*ns, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v <= 0 {
			fmt.Fprintf(os.Stderr, "corpusbench: -n %q: want positive numbers\n", s)
			os.Exit(2)
		}
		sizes = append(sizes, v)
	}
	ms := strings.Split(*modeList, ",")
	if *modeList == "all" {
		ms = modeOrder
	}
	fmt.Printf("GOMAXPROCS %d; times are wall clock, RSS is each phase's VmHWM\n", runtime.GOMAXPROCS(0))
	fmt.Printf("%-11s %6s %-8s %9s %9s %9s %9s %7s %8s %s\n", "mode", "files", "phase", "seconds", "files/s", "CPU s", "RSS MiB", "errors", "vs floor", "CPU vs floor")
	for _, m := range ms {
		if _, ok := modes[m]; !ok {
			fmt.Fprintf(os.Stderr, "corpusbench: unknown mode %q\n", m)
			os.Exit(2)
		}
		for _, n := range sizes {
			phases := []string{"floor", "convert"}
			if m == "mixed" && *withLint {
				phases = append(phases, "lint")
			}
			if *withAudit {
				phases = append(phases, "audit")
			}
			if err := bench(m, n, *corpus, *cpuProfile, phases); err != nil {
				fmt.Fprintln(os.Stderr, "corpusbench:", err)
				os.Exit(1)
			}
		}
	}
}

// result is what one phase process prints.
type result struct {
	Seconds float64
	CPU     float64 // user+system seconds: steadier than wall time on a shared machine
	RSSKiB  int
	Errors  int
	First   []string // the first few error messages
}

func bench(mode string, n int, corpus, cpuProfile string, phases []string) error {
	dir, err := os.MkdirTemp("", "corpusbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := generate(mode, corpus, dir, n); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var floor, floorCPU float64
	for _, ph := range phases {
		r, err := runChild(self, dir, ph, cpuProfile, "")
		if err != nil {
			return err
		}
		ratio, cpuRatio := "", ""
		if ph == "floor" {
			floor, floorCPU = r.Seconds, r.CPU
		} else if floor > 0 && floorCPU > 0 {
			ratio, cpuRatio = fmt.Sprintf("%.2fx", r.Seconds/floor), fmt.Sprintf("%.2fx", r.CPU/floorCPU)
		}
		fmt.Printf("%-11s %6d %-8s %9.3f %9.0f %9.3f %9.1f %7d %8s %s\n", mode, n, ph, r.Seconds, float64(n)/r.Seconds, r.CPU, float64(r.RSSKiB)/1024, r.Errors, ratio, cpuRatio)
		for _, e := range r.First {
			fmt.Printf("    error: %s\n", e)
		}
		if ph == "convert" && traceFile != "" {
			if err := idleReport(os.Stdout, traceFile, runtime.GOMAXPROCS(0)); err != nil {
				return fmt.Errorf("reading the trace: %w", err)
			}
		}
	}
	if scaleRounds > 0 {
		return scale(self, dir, mode, n)
	}
	return nil
}

// runChild runs one phase in a fresh process, with GOMAXPROCS set to procs unless empty.
func runChild(self, dir, ph, cpuProfile, procs string) (result, error) {
	cmd := exec.Command(self, "-phase", ph, "-tree", dir, "-cpuprofile", cpuProfile, "-memprofile", memProfile, "-trace", traceFile)
	cmd.Stderr = os.Stderr
	if procs != "" {
		cmd.Env = append(os.Environ(), "GOMAXPROCS="+procs)
	}
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("phase %s: %w", ph, err)
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return result{}, fmt.Errorf("phase %s printed %q", ph, out)
	}
	return r, nil
}

// scale runs the convert phase on one and on two cores in pairs, swapping which goes first each
// round so a drift in the machine's speed falls on both, and prints each pair's wall-clock and
// CPU ratios and their medians: single runs here vary by ±30%, a median of pairs much less.
func scale(self, dir, mode string, n int) error {
	var walls, cpus []float64
	for i := range scaleRounds {
		order := []string{"1", "2"}
		if i%2 == 1 {
			order = []string{"2", "1"}
		}
		got := map[string]result{}
		for _, p := range order {
			r, err := runChild(self, dir, "convert", "", p)
			if err != nil {
				return err
			}
			got[p] = r
		}
		one, two := got["1"], got["2"]
		walls = append(walls, one.Seconds/two.Seconds)
		cpus = append(cpus, two.CPU/one.CPU)
		fmt.Printf("%-11s %6d scale    1 core %.3f s (CPU %.3f), 2 cores %.3f s (CPU %.3f): %.2fx\n", mode, n, one.Seconds, one.CPU, two.Seconds, two.CPU, walls[i])
	}
	fmt.Printf("%-11s %6d scale    median of %d pairs: 2 cores %.2fx as fast as 1 (range %.2f–%.2f), using %.2fx its CPU\n",
		mode, n, scaleRounds, median(walls), slices.Min(walls), slices.Max(walls), median(cpus))
	return nil
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

type src struct {
	name string // the file name inside its repository
	data []byte
}

// generate copies corpus files round-robin into repo-<i>/ directories, named as users name
// them, each directory a repository of its own.
func generate(mode, corpus, dir string, n int) error {
	srcs, err := sources(mode, corpus)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		s := srcs[i%len(srcs)]
		repo := filepath.Join(dir, "repo-"+strconv.Itoa(i))
		dst := filepath.Join(repo, s.name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
			return err
		}
		data := s.data
		if unique {
			data = append(append([]byte{}, data...), copyComment(s.name, i)...)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// copyComment is a last line naming copy i, in the comment syntax of the file.
func copyComment(name string, i int) string {
	switch {
	case convert.IsYAML(name):
		return "\n# corpusbench copy " + strconv.Itoa(i) + "\n"
	case strings.HasSuffix(name, ".xml"):
		return "\n<!-- corpusbench copy " + strconv.Itoa(i) + " -->\n"
	}
	return "\n// corpusbench copy " + strconv.Itoa(i) + "\n"
}

// sources reads the corpus files of a mode; for "current" it converts them to v1 first.
func sources(mode, corpus string) ([]src, error) {
	names := map[string]func(string) string{
		"travis":              func(string) string { return ".travis.yml" },
		"jenkinsfile":         func(string) string { return "Jenkinsfile" },
		"jenkins-declarative": func(string) string { return "Jenkinsfile" },
		"jenkins-xml":         func(string) string { return "config.xml" },
	}
	var srcs []src
	for _, set := range modes[mode] {
		entries, err := os.ReadDir(filepath.Join(corpus, set))
		if err != nil {
			return nil, fmt.Errorf("corpus: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(corpus, set, e.Name()))
			if err != nil {
				return nil, err
			}
			name := e.Name()
			if f := names[set]; f != nil {
				name = f(name)
			}
			srcs = append(srcs, src{name, data})
		}
	}
	if mode == "current" {
		return current(srcs)
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("no files for mode %s under %s", mode, corpus)
	}
	return srcs, nil
}

// current upgrades each old Tekton file in its own repository and keeps the v1 outputs
// that validate, so the tree holds files that are already current.
func current(old []src) ([]src, error) {
	dir, err := os.MkdirTemp("", "corpusbench-current-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	for i, s := range old {
		repo := filepath.Join(dir, "repo-"+strconv.Itoa(i))
		if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(repo, s.name), s.data, 0o644); err != nil {
			return nil, err
		}
	}
	e := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", Placeholders: true}}
	ins, _ := e.Inputs([]string{dir})
	var out []src
	err = e.Run(ins, func(o *convert.Outcome) error {
		if o.Err == nil {
			for _, f := range o.Result.Files {
				out = append(out, src{filepath.Base(f.Path), f.Data})
			}
		}
		return nil
	})
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("no old Tekton file converted")
	}
	return out, err
}

func runPhase(phase, tree, cpuProfile string) error {
	if cpuProfile != "" && phase == "convert" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if traceFile != "" && phase == "convert" {
		f, err := os.Create(traceFile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			return err
		}
		defer trace.Stop()
	}
	if phase != "floor" {
		gcpace.Start() // as tkn-migrate's main does
	}
	start := time.Now()
	var errs []error
	var err error
	switch phase {
	case "floor":
		errs = floor(tree)
	case "convert":
		errs, err = convertTree(tree)
	case "lint":
		err = lintTree(tree)
	case "audit":
		err = auditTree(tree)
	default:
		err = fmt.Errorf("unknown phase %q", phase)
	}
	if err != nil {
		return err
	}
	r := result{Seconds: time.Since(start).Seconds(), CPU: cpuSeconds(), RSSKiB: peakRSSKiB(), Errors: len(errs)}
	for _, e := range errs {
		if len(r.First) == 3 {
			break
		}
		msg := e.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i] + " ..."
		}
		r.First = append(r.First, msg)
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// writeHeap writes a heap profile of what is still reachable (the report, caches, leaks).
func writeHeap(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.WriteHeapProfile(f)
}

// treeFiles lists the tree's files outside .git, in walk order.
func treeFiles(tree string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(tree, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		paths = append(paths, path)
		return nil
	})
	return paths, err
}

// floor reads every file and parses and prints the YAML ones with kyaml, on GOMAXPROCS
// workers as the engine uses; its errors are the YAML it could not parse.
func floor(tree string) []error {
	paths, err := treeFiles(tree)
	if err != nil {
		return []error{err}
	}
	jobs := make(chan string)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range jobs {
				data, err := os.ReadFile(path)
				if err == nil && convert.IsYAML(path) {
					var out bytes.Buffer
					err = kio.Pipeline{
						Inputs:  []kio.Reader{&kio.ByteReader{Reader: bytes.NewReader(data), PreserveSeqIndent: true}},
						Outputs: []kio.Writer{kio.ByteWriter{Writer: &out}},
					}.Execute()
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s: %w", path, err))
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}

// convertTree converts the tree as `tkn-migrate convert --check` does: the output is linted
// on the workers, every outcome goes into the report, nothing is written.
func convertTree(tree string) ([]error, error) {
	e := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", Placeholders: true}, Prepare: lint.Output}
	ins, errs := e.Inputs([]string{tree})
	rep := report.Build(nil)
	defer rep.Close()
	err := e.Run(ins, func(o *convert.Outcome) error {
		rep.Add(o)
		if o.Err != nil {
			errs = append(errs, o.Err)
		}
		return nil
	})
	if err == nil && memProfile != "" {
		err = writeHeap(memProfile) // while the report is still held
	}
	runtime.KeepAlive(rep)
	return errs, err
}

// lintTree lints the tree's YAML files as `tkn-migrate lint` does: each file as it is read,
// its bytes read again only for documents lint checks again.
func lintTree(tree string) error {
	l := lint.NewLinter()
	var read []string
	paths, err := treeFiles(tree)
	for _, path := range paths {
		if !convert.IsYAML(path) {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		l.Add(lint.File{Path: path, Data: data})
		read = append(read, path)
	}
	l.Finish(func(i int) ([]byte, error) { return os.ReadFile(read[i]) })
	return err
}

// auditTree audits the tree as `tkn-migrate audit --repos-in TREE --format json` does.
func auditTree(tree string) error {
	e := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", Placeholders: true}}
	ins, repos, errs := audit.Inputs(e, []string{tree}, true)
	r, err := audit.Run(e, ins, repos, errs, nil)
	if err != nil {
		return err
	}
	return audit.JSON(io.Discard, r)
}

// cpuSeconds is the user and system time this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// peakRSSKiB reads the process's high-water resident set size from /proc.
func peakRSSKiB() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				v, _ := strconv.Atoi(f[1])
				return v
			}
		}
	}
	return 0
}
