package model

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestModelGolden dumps the model of each testdata/model/*.groovy and compares it with its .golden file.
func TestModelGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/model/*.groovy")
	if len(files) == 0 {
		t.Fatal("no inputs")
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(name, src)
			if err != nil {
				t.Fatal(err)
			}
			got := Dump(f)
			gp := strings.TrimSuffix(path, ".groovy") + ".golden"
			if *update {
				if err := os.WriteFile(gp, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gp)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if string(want) != got {
				t.Errorf("%s differs (run with -update to accept):\n--- want\n%s\n--- got\n%s", gp, want, got)
			}
		})
	}
}
