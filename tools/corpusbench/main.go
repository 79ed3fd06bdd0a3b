// Command corpusbench measures batch conversion speed and memory (DESIGN.md section 6).
//
// It builds a tree of N repositories from the shared corpus, then runs two phases, each in
// a fresh process so peak memory is its own:
//   - floor: read every file and, for YAML, parse and print it with kyaml (no conversion);
//   - convert: the tkn-migrate engine over the tree, as `convert --check` would run it;
//   - lint: `tkn-migrate lint` over every YAML file of the tree, as one input set.
//   - audit (with -audit): `tkn-migrate audit --repos-in` over the same tree.
//
// Usage: go run ./tools/corpusbench -n 2000 [-corpus ../shared/corpus] [-audit]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/tkn-migrate/tkn-migrate/audit"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
	"github.com/tkn-migrate/tkn-migrate/lint"
)

func main() {
	n := flag.Int("n", 1000, "number of files in the generated tree")
	corpus := flag.String("corpus", "../shared/corpus", "corpus to draw files from")
	phase := flag.String("phase", "", "internal: run one phase on -tree and print its numbers")
	tree := flag.String("tree", "", "internal: the generated tree")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the convert phase to `FILE`")
	withAudit := flag.Bool("audit", false, "also time the audit of the tree (one repository per directory)")
	flag.Parse()
	if *phase != "" {
		if err := runPhase(*phase, *tree, *cpuProfile); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	phases := []string{"floor", "convert", "lint"}
	if *withAudit {
		phases = append(phases, "audit")
	}
	if err := bench(*n, *corpus, *cpuProfile, phases); err != nil {
		fmt.Fprintln(os.Stderr, "corpusbench:", err)
		os.Exit(1)
	}
}

func bench(n int, corpus, cpuProfile string, phases []string) error {
	dir, err := os.MkdirTemp("", "corpusbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	count, err := generate(corpus, dir, n)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	results := map[string][2]float64{}
	for _, ph := range phases {
		out, err := exec.Command(self, "-phase", ph, "-tree", dir, "-cpuprofile", cpuProfile).Output()
		if err != nil {
			return fmt.Errorf("phase %s: %w", ph, err)
		}
		var secs, kib float64
		if _, err := fmt.Sscan(string(out), &secs, &kib); err != nil {
			return fmt.Errorf("phase %s printed %q", ph, out)
		}
		results[ph] = [2]float64{secs, kib}
	}
	f, c := results["floor"], results["convert"]
	fmt.Printf("files: %d\n", count)
	fmt.Printf("floor (kyaml parse+print): %.3fs  %.0f files/s  peak RSS %.1f MiB\n", f[0], float64(count)/f[0], f[1]/1024)
	fmt.Printf("convert:                   %.3fs  %.0f files/s  peak RSS %.1f MiB\n", c[0], float64(count)/c[0], c[1]/1024)
	fmt.Printf("ratio convert/floor: %.2fx\n", c[0]/f[0])
	l := results["lint"]
	fmt.Printf("lint (YAML files):         %.3fs  peak RSS %.1f MiB  ratio lint/convert: %.2fx\n", l[0], l[1]/1024, l[0]/c[0])
	if a, ok := results["audit"]; ok {
		fmt.Printf("audit:                     %.3fs  %.0f files/s  peak RSS %.1f MiB\n", a[0], float64(count)/a[0], a[1]/1024)
		fmt.Printf("ratio audit/convert: %.2fx\n", a[0]/c[0])
	}
	return nil
}

// generate copies corpus files round-robin into repo-<i>/ directories, named as users name them.
func generate(corpus, dir string, n int) (int, error) {
	type src struct{ path, name string }
	var srcs []src
	sets := map[string]func(string) string{
		"tekton-v1alpha1":     func(b string) string { return b },
		"tekton-v1beta1":      func(b string) string { return b },
		"travis":              func(string) string { return ".travis.yml" },
		"jenkinsfile":         func(string) string { return "Jenkinsfile" },
		"jenkins-declarative": func(string) string { return "Jenkinsfile" },
		"jenkins-xml":         func(string) string { return "config.xml" },
	}
	for set, name := range sets {
		entries, err := os.ReadDir(filepath.Join(corpus, set))
		if err != nil {
			return 0, fmt.Errorf("corpus: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			srcs = append(srcs, src{filepath.Join(corpus, set, e.Name()), name(e.Name())})
		}
	}
	if len(srcs) == 0 {
		return 0, fmt.Errorf("no files under %s", corpus)
	}
	for i := 0; i < n; i++ {
		s := srcs[i%len(srcs)]
		data, err := os.ReadFile(s.path)
		if err != nil {
			return 0, err
		}
		dst := filepath.Join(dir, "repo-"+strconv.Itoa(i), s.name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return 0, err
		}
	}
	return n, nil
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
	start := time.Now()
	var err error
	switch phase {
	case "floor":
		err = floor(tree)
	case "convert":
		err = convertTree(tree)
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
	fmt.Printf("%f %d\n", time.Since(start).Seconds(), peakRSSKiB())
	return nil
}

func floor(tree string) error {
	return filepath.WalkDir(tree, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		var out bytes.Buffer
		// Parse errors are part of the floor's work too; the corpus holds some odd YAML.
		_ = kio.Pipeline{
			Inputs:  []kio.Reader{&kio.ByteReader{Reader: bytes.NewReader(data), PreserveSeqIndent: true}},
			Outputs: []kio.Writer{kio.ByteWriter{Writer: &out}},
		}.Execute()
		return nil
	})
}

func convertTree(tree string) error {
	e := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", Placeholders: true}}
	ins, _ := e.Inputs([]string{tree})
	return e.Run(ins, func(*convert.Outcome) error { return nil })
}

func lintTree(tree string) error {
	var files []lint.File
	err := filepath.WalkDir(tree, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !convert.IsYAML(path) {
			return err
		}
		data, err := os.ReadFile(path)
		files = append(files, lint.File{Path: path, Data: data})
		return err
	})
	lint.Run(files)
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
