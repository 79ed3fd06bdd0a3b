package jenkins

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestDump prints the conversion of $JENKINS_DUMP (a debugging aid; skipped otherwise).
func TestDump(t *testing.T) {
	path := os.Getenv("JENKINS_DUMP")
	if path == "" {
		t.Skip("set JENKINS_DUMP=file (or a glob)")
	}
	files, _ := filepath.Glob(path)
	for _, f := range files {
		dump(t, f)
	}
}

func dump(t *testing.T, path string) {
	res, _, err := convertFile(t, path, convert.KindJenkinsfile)
	if err != nil {
		fmt.Printf("=== %s: %v\n", path, err)
		return
	}
	for _, f := range res.Files {
		fmt.Printf("=== %s\n%s", f.Path, f.Data)
	}
	for _, f := range res.Findings {
		fmt.Printf("%s:%d: %s %s: %s\n", f.File, f.Line, f.Class, f.Rule, f.Message)
		if f.Action != "" {
			fmt.Printf("\t%s\n", f.Action)
		}
	}
}
