package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
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
