package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/tkn-migrate/tkn-migrate/internal/startgc"
	"github.com/tkn-migrate/tkn-migrate/simulate/cli"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script")

func TestMain(m *testing.M) {
	startgc.Done() // main() does it in the binary; the tests never call main()
	testscript.Main(m, map[string]func(){
		"tkn-migrate":          func() { os.Exit(Main()) },
		"tkn-migrate-simulate": func() { os.Exit(cli.Main()) },
	})
}

// TestScripts runs the CLI contract tests: each testdata/script/*.txtar is a shell-like script
// with the files it needs, and compares stdout, stderr and exit codes byte for byte.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			// The shipped Tekton manifests, for scripts that run their steps (tekton.txtar).
			return os.CopyFS(filepath.Join(env.WorkDir, "tekton"), os.DirFS("../../tekton"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"stepscript": cmdStepScript},
	})
}
