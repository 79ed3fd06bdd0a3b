package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// heavy are packages whose init every command paid for and none needs, by why they are out;
// a trailing / names a tree. An import that links one again fails here.
var heavy = map[string]string{
	"sigs.k8s.io/kustomize/kyaml/fn/framework":             "links kube-openapi's validation; krmfn has the ResourceList types",
	"k8s.io/kube-openapi/pkg/validation/strfmt":            "its init compiles ~20 regexps",
	"github.com/tektoncd/pipeline/pkg/reconciler/taskrun/": "Tekton's controller code lives in tkn-migrate-simulate",
	"k8s.io/client-go/kubernetes/":                         "the typed clients come with simulate's controller code",
	"github.com/spf13/cobra/doc":                           "links go-md2man and blackfriday (0.5 ms of init); internal/cmddoc writes the pages",
	"github.com/russross/blackfriday/v2":                   "its init compiles regexps and builds an entity table",
}

// linked lists the packages this binary links: import path, directory and Go files.
func linked(t *testing.T) [][]string {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .GoFiles \" \"}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs [][]string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkgs = append(pkgs, strings.Split(l, "\t"))
	}
	return pkgs
}

func TestHeavyPackagesNotLinked(t *testing.T) {
	for _, p := range linked(t) {
		for h, why := range heavy {
			if p[0] == h || p[0] == strings.TrimSuffix(h, "/") || strings.HasSuffix(h, "/") && strings.HasPrefix(p[0], h) {
				t.Errorf("tkn-migrate links %s (%s)", p[0], why)
			}
		}
	}
}

// Package-level regexps compile at init for every command; lazyre.New compiles on first use.
func TestNoRegexpCompiledAtInit(t *testing.T) {
	const module = "github.com/tkn-migrate/tkn-migrate/"
	fset := token.NewFileSet()
	for _, p := range linked(t) {
		if !strings.HasPrefix(p[0], module) || len(p) < 3 || p[2] == "" {
			continue
		}
		for _, name := range strings.Fields(p[2]) {
			f, err := parser.ParseFile(fset, filepath.Join(p[1], name), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
					ast.Inspect(gd, func(n ast.Node) bool {
						if _, ok := n.(*ast.FuncLit); ok {
							return false // runs when called, not at init
						}
						if s, ok := n.(*ast.SelectorExpr); ok && s.Sel.Name == "MustCompile" {
							if x, ok := s.X.(*ast.Ident); ok && x.Name == "regexp" {
								t.Errorf("%s: a package-level regexp.MustCompile compiles at init: use lazyre.New", fset.Position(s.Pos()))
							}
						}
						return true
					})
				}
			}
		}
	}
}

// initAllocs caps what each of our packages allocates at init, which every command pays for
// before it runs: package-level state is static data, small lookup maps, or built on first
// use (sync.OnceValue, lazyre). travis (152 with Go 1.26: its languages table) and jenkins/groovy (82) hold tables
// built at init today; their caps leave an eighth for other Go versions and should only come down.
var initAllocs = map[string]int{
	"": 64, // any other package
	"github.com/tkn-migrate/tkn-migrate/travis":         171,
	"github.com/tkn-migrate/tkn-migrate/jenkins/groovy": 92,
}

// TestInitAllocations reads GODEBUG=inittrace=1 of this test binary, whose copies of the
// packages tkn-migrate links initialise as tkn-migrate's do.
func TestInitAllocations(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation changes what init allocates")
	}
	const module = "github.com/tkn-migrate/tkn-migrate/"
	inBinary := map[string]bool{}
	for _, p := range linked(t) {
		inBinary[p[0]] = true
	}
	seen := 0
	for _, f := range initTrace(t) {
		if !strings.HasPrefix(f[1], module) || !inBinary[f[1]] {
			continue
		}
		seen++
		allocs, err := strconv.Atoi(f[9])
		if err != nil {
			t.Fatalf("%q: %v", f, err)
		}
		limit, ok := initAllocs[f[1]]
		if !ok {
			limit = initAllocs[""]
		}
		if allocs > limit {
			t.Errorf("%s allocates %d times at init (%s bytes), more than %d: build its tables on first use (sync.OnceValue)", f[1], allocs, f[7], limit)
		}
	}
	if seen == 0 {
		t.Fatal("no init trace of our packages")
	}
}

// initTrace is GODEBUG=inittrace=1 of this test binary, one line's fields per package:
// init PKG @T ms, C ms clock, B bytes, A allocs.
func initTrace(t *testing.T) [][]string {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	if d := os.Getenv("GODEBUG"); d != "" {
		cmd.Env = append(os.Environ(), "GODEBUG="+d+",inittrace=1")
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var inits [][]string
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 11 && f[0] == "init" && f[10] == "allocs" {
			inits = append(inits, f)
		}
	}
	return inits
}

// memprofoff must run before the initialisers that allocate, which it can only while it
// imports nothing but runtime (Go runs a package's imports first).
func TestMemProfOffRunsFirst(t *testing.T) {
	const early = "github.com/tkn-migrate/tkn-migrate/internal/memprofoff"
	out, err := exec.Command("go", "list", "-f", "{{join .Imports \" \"}}", early).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if imports := strings.TrimSpace(string(out)); imports != "runtime" {
		t.Errorf("memprofoff imports %q: only runtime keeps it among the first packages initialised", imports)
	}
	before := 0
	for _, f := range initTrace(t) {
		if f[1] == early {
			if before > 64<<10 {
				t.Errorf("the packages initialised before memprofoff allocate %d bytes, more than 64 KB", before)
			}
			return
		}
		b, err := strconv.Atoi(f[7])
		if err != nil {
			t.Fatalf("%q: %v", f, err)
		}
		before += b
	}
	t.Fatal("memprofoff is not initialised in tkn-migrate")
}
