package convert

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestWalkMatchesSerialWalk: Inputs and Walk over generated trees (nested repositories, .git
// as a directory, a file and a symlink, skipped directories, an -o DIR, symlinks in and out of
// the tree, FIFOs, unreadable files and directories, directories of more files than a batch)
// give exactly the inputs and errors, in the same order, of a serial filepath.WalkDir that
// looks each directory's repository up on disk, at several GOMAXPROCS and worker counts.
func TestWalkMatchesSerialWalk(t *testing.T) {
	walkMatchesSerial(t)
}

// TestWalkMatchesSerialWalkUnprivileged is TestWalkMatchesSerialWalk where the permission
// bits hold (as root, in a copy of the test binary run as nobody).
func TestWalkMatchesSerialWalkUnprivileged(t *testing.T) {
	if unprivileged(t) {
		walkMatchesSerial(t)
	}
}

func walkMatchesSerial(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for seed := int64(1); seed <= 4; seed++ {
		base := t.TempDir()
		t.Cleanup(func() { chmodAll(base) }) // before TempDir's removal
		tree := filepath.Join(base, "tree")
		g := &walkGen{rnd: rand.New(rand.NewSource(seed)), outside: filepath.Join(base, "outside.yaml")}
		write(t, g.outside, walkContents[0].data)
		if seed != 2 {
			mkdir(t, filepath.Join(base, ".git")) // the repository above the walked tree
		}
		g.dir(t, tree, 0)
		first := g.firstSub
		if err := os.Symlink(tree, filepath.Join(base, "tree.yaml")); err != nil { // a root that is a symlink
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(tree, first), filepath.Join(base, "lnk")); err != nil {
			t.Fatal(err)
		}
		// dots/lnk/.. is dots/real to the kernel, and dots to filepath.Abs and to the paths the
		// walk builds: repositories must be looked up, not read off the listing.
		mkdir(t, filepath.Join(base, "dots", "real", ".git"))
		write(t, filepath.Join(base, "dots", "real", "task.yaml"), walkContents[0].data)
		write(t, filepath.Join(base, "dots", "task.yaml"), walkContents[0].data)
		mkdir(t, filepath.Join(base, "dots", "real", "inner"))
		symlink(t, "real/inner", filepath.Join(base, "dots", "lnk"))
		write(t, filepath.Join(base, "-"), walkContents[0].data)                   // walked from ".", its path is "-"
		write(t, filepath.Join(base, "vendor", "task.yaml"), walkContents[0].data) // a root named as a skipped directory
		t.Chdir(base)
		roots := []string{
			tree, "tree", ".", "tree/" + first, "./tree//" + first + "/",
			"tree/" + first + "/..", // ".." after a directory
			"lnk/..",                // ".." after a symlink: the kernel reads tree, filepath.Abs names base
			"dots/lnk/..",
			"tree.yaml", "missing", "vendor", // a symlink to the tree; no such directory
			filepath.Join(tree, "out"), // the skipped -o DIR itself
		}
		engines := []Engine{
			{},
			{Workers: 1},
			{Workers: 5, Skip: []string{filepath.Join(tree, "out")}},
			{Skip: []string{"tree/out", "nowhere"}, From: KindTekton},
		}
		for _, procs := range []int{1, 2, 3, 8} {
			runtime.GOMAXPROCS(procs)
			for _, root := range roots {
				for i := range engines {
					e := &engines[i]
					ins, errs := e.Inputs([]string{root})
					var wantIns []Input
					var wantErrs []error
					if _, err := os.Stat(root); err != nil {
						wantErrs = []error{err}
					} else {
						wantIns, wantErrs = serialInputs(e, root)
					}
					where := fmt.Sprintf("seed %d, GOMAXPROCS %d, root %q, engine %d", seed, procs, root, i)
					if !reflect.DeepEqual(ins, wantIns) {
						t.Errorf("%s: inputs\n%s\nwant\n%s", where, showInputs(ins), showInputs(wantIns))
					}
					if !reflect.DeepEqual(errs, wantErrs) {
						t.Errorf("%s: errors\n%s\nwant\n%s", where, showErrors(errs), showErrors(wantErrs))
					}
				}
				var got []string
				err := Walk(root, func(path string) { got = append(got, path) })
				want, wantErr := serialWalk(root)
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(err, wantErr) {
					t.Errorf("seed %d, GOMAXPROCS %d, Walk(%q): %q, %v\nwant %q, %v", seed, procs, root, got, err, want, wantErr)
				}
			}
		}
		if t.Failed() {
			return
		}
	}
}

// serialInputs is the walk of Inputs as it was before it ran on the workers: one
// filepath.WalkDir, each file told apart when met, each directory's repository looked up.
func serialInputs(e *Engine, root string) ([]Input, []error) {
	var ins []Input
	var errs, walkErrs []error
	skip := map[string]bool{}
	for _, d := range e.Skip {
		if abs, err := filepath.Abs(d); err == nil {
			skip[abs] = true
		}
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			walkErrs = append(walkErrs, err)
			return nil
		}
		if d.IsDir() {
			if path != root && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			if abs, err := filepath.Abs(path); err == nil && skip[abs] {
				return filepath.SkipDir
			}
			return nil
		}
		switch typ := d.Type(); {
		case typ.IsRegular():
			kind, err := e.detectFile(path)
			switch {
			case err != nil:
				errs = append(errs, err)
			case kind != KindUnknown:
				ins = append(ins, Input{Path: path, Kind: kind, Scope: repoRoot(filepath.Dir(path))})
			}
		case typ&fs.ModeSymlink != 0:
			if !candidate(path) {
				break
			}
			if target, ok := e.walkedTarget(root, path, skip); ok {
				errs = append(errs, &Skipped{PosError: PosError{Path: path, Msg: "skipped: a symlink to " + target + ", which this walk converts"}})
			} else {
				errs = append(errs, &Skipped{PosError: PosError{Path: path, Msg: "skipped: a symlink out of the walked tree (a walk does not follow symlinks; name its target to convert it)"}, Unchecked: true})
			}
		default:
			errs = append(errs, Errorf(path, 0, 0, "%s is not a regular file; skipped", modeName(typ)))
		}
		return nil
	})
	if err := errors.Join(append(walkErrs, err)...); err != nil {
		errs = append(errs, err)
	}
	return ins, errs
}

// serialWalk is Walk as a serial filepath.WalkDir.
func serialWalk(root string) ([]string, error) {
	var files []string
	var errs []error
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			errs = append(errs, err)
		case d.IsDir() && path != root && skipDirs[d.Name()]:
			return filepath.SkipDir
		case d.Type().IsRegular():
			files = append(files, path)
		}
		return nil
	})
	return files, errors.Join(append(errs, err)...)
}

// walkContents are the files a generated tree draws from: inputs of every kind, files that are
// not inputs, files that fail, and names detection reads that the candidates do not cover.
var walkContents = []struct{ name, data string }{
	{"task.yaml", "apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: t\n"},
	{"cm.yaml", "apiVersion: v1\nkind: ConfigMap\n"},
	{"list.yml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: tekton.dev/v1beta1\n  kind: Task\n"},
	{"Task.YAML", "apiVersion: tekton.dev/v1beta1\nkind: Task\n"},
	{".travis.yml", "language: go\n"},
	{".travis.YML", "language: go\n"},
	{"Jenkinsfile", "pipeline {}\n"},
	{"jenkinsfile", "node {}\n"},
	{"JenkinsfileX", "node {}\n"},
	{"build.jenkinsfile", "node {}\n"},
	{"ci.groovy", "pipeline {\n}\n"},
	{"lib.groovy", "def x() {}\n"},
	{"config.xml", "<?xml version='1.1'?>\n<project>\n</project>\n"},
	{"config.xml", "<?xml version='1.1'?>\n<!DOCTYPE project>\n<project>\n</project>\n"},
	{"JOB.XML", "<flow-definition>\n</flow-definition>\n"},
	{"pom.xml", "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n</project>\n"},
	{"Kustomization", "patches:\n- target:\n    kind: Task\n"},
	{"kustomization.yaml", "patches:\n- target:\n    kind: Pipeline\n"},
	{"utf16.yaml", "\xff\xfea\x00"},
	{"utf16.txt", "\xff\xfea\x00"},
	{"README.md", "apiVersion: tekton.dev/v1beta1\nkind: Task\n"},
	{"notes", "pipeline {\n}\n"},
	{"-", "apiVersion: tekton.dev/v1beta1\nkind: Task\n"},
	{"empty.yaml", ""},
}

// walkGen builds a random tree of directories, files and special entries.
type walkGen struct {
	rnd      *rand.Rand
	outside  string // a file outside the walked tree
	firstSub string // a subdirectory of the tree's root
}

var walkDirNames = []string{"a", "b", "repo", "sub", ".tekton", "vendor", "node_modules", "out", "ci", "z"}

func (g *walkGen) dir(t *testing.T, dir string, depth int) {
	mkdir(t, dir)
	used := map[string]bool{}
	name := func(n string) string {
		if used[n] {
			return ""
		}
		used[n] = true
		return filepath.Join(dir, n)
	}
	if depth > 0 || g.rnd.Intn(2) == 0 {
		switch g.rnd.Intn(5) {
		case 0:
			mkdir(t, name(".git"))
			write(t, filepath.Join(dir, ".git", "task.yaml"), walkContents[0].data) // never read
		case 1:
			write(t, name(".git"), "gitdir: /elsewhere\n") // a worktree or submodule
		case 2:
			symlink(t, "/nowhere", name(".git"))
		}
	}
	for n := g.rnd.Intn(6); n > 0; n-- {
		c := walkContents[g.rnd.Intn(len(walkContents))]
		if p := name(c.name); p != "" {
			write(t, p, c.data)
		}
	}
	if depth == 1 && g.rnd.Intn(3) == 0 { // more files than one job tells apart
		for i := 0; i < 2*walkBatch+5; i++ {
			c := walkContents[g.rnd.Intn(len(walkContents))]
			write(t, name(fmt.Sprintf("%03d-%s", i, c.name)), c.data)
		}
	}
	switch g.rnd.Intn(8) {
	case 0:
		symlink(t, walkContents[0].name, name("link.yaml")) // to a file the walk may or may not convert
	case 1:
		symlink(t, g.outside, name("out-link.yaml"))
	case 2:
		symlink(t, "nothing-here", name("dangling.yaml"))
	case 3:
		symlink(t, "..", name("up"))
		symlink(t, ".", name("self.yml"))
	case 4:
		if p := name("pipe.yaml"); p != "" {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}
		if p := name("fifo"); p != "" {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	case 5:
		if p := name("locked.yaml"); p != "" {
			write(t, p, walkContents[0].data)
			chmod(t, p, 0)
		}
		if p := name("locked.txt"); p != "" {
			write(t, p, "x")
			chmod(t, p, 0)
		}
	}
	if depth >= 4 {
		return
	}
	subs := g.rnd.Intn(4)
	if depth == 0 {
		subs += 3
	}
	for ; subs > 0; subs-- {
		p := name(walkDirNames[g.rnd.Intn(len(walkDirNames))])
		if p == "" {
			continue
		}
		if depth == 0 && g.firstSub == "" && !skipDirs[filepath.Base(p)] {
			g.firstSub = filepath.Base(p)
		}
		g.dir(t, p, depth+1)
		if depth > 0 && g.rnd.Intn(6) == 0 {
			chmod(t, p, []fs.FileMode{0, 0o111, 0o555 &^ 0o111}[g.rnd.Intn(3)]) // unreadable, not listable, not searchable
		}
	}
	if depth == 0 {
		if g.firstSub == "" {
			g.firstSub = "a"
			g.dir(t, name("a"), 1)
		}
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, p string) {
	t.Helper()
	if p == "" {
		return
	}
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, p string, mode fs.FileMode) {
	t.Helper()
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

// chmodAll makes every directory under dir usable again, so it can be removed.
func chmodAll(dir string) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if d != nil && d.IsDir() {
			os.Chmod(path, 0o755)
			if err != nil { // listed only now
				chmodAll(path)
			}
		}
		return nil
	})
}

func showInputs(ins []Input) string {
	var b strings.Builder
	for _, in := range ins {
		fmt.Fprintf(&b, "  %s %s scope=%q\n", in.Path, in.Kind, in.Scope)
	}
	return b.String()
}

func showErrors(errs []error) string {
	var b strings.Builder
	for _, err := range errs {
		fmt.Fprintf(&b, "  %T %v\n", err, err)
	}
	return b.String()
}

// TestPeekMatchesOS: peek, which makes its own system calls, reads the same bytes and fails
// with the same errors as reading through os.Open.
func TestPeekMatchesOS(t *testing.T) {
	if !unprivileged(t) {
		return
	}
	dir := t.TempDir()
	files := map[string]string{"empty": "", "short": "apiVersion: v1\n", "exact": strings.Repeat("x", 16), "long": strings.Repeat("abc\n", 9)}
	for name, data := range files {
		write(t, filepath.Join(dir, name), data)
	}
	write(t, filepath.Join(dir, "locked"), "x")
	chmod(t, filepath.Join(dir, "locked"), 0)
	mkdir(t, filepath.Join(dir, "sub"))
	symlink(t, "short", filepath.Join(dir, "link"))
	symlink(t, "none", filepath.Join(dir, "dangling"))
	for _, name := range []string{"empty", "short", "exact", "long", "locked", "sub", "link", "dangling", "missing"} {
		for _, size := range []int{16, peekSize} {
			path := filepath.Join(dir, name)
			got, err := peek(path, make([]byte, size))
			want, wantErr := osPeek(path, make([]byte, size))
			if string(got) != string(want) || (got == nil) != (want == nil) || !reflect.DeepEqual(err, wantErr) {
				t.Errorf("%s, %d bytes: %q, %v; want %q, %v", name, size, got, err, want, wantErr)
			}
		}
	}
}

// osPeek is peek through os.Open.
func osPeek(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n := 0
	for n < len(buf) {
		m, err := f.Read(buf[n:])
		n += m
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return buf[:n], nil
}
