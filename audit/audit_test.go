package audit

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/frontends"
)

var update = flag.Bool("update", false, "rewrite testdata/expected.*")

// TestFleetGolden audits testdata/fleet (one repository per child directory, with a --mapping
// file) and compares every format byte for byte with testdata/expected.*.
func TestFleetGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var mapping map[string]any
	if err := yaml.Unmarshal(data, &mapping); err != nil {
		t.Fatal(err)
	}
	e := &convert.Engine{Converters: frontends.All(), Options: convert.Options{To: "v1", Placeholders: true,
		Mapping: mapping, MappingPath: "mapping.yaml"}}
	wd, _ := os.Getwd()
	if err := os.Chdir("testdata"); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	ins, repos, errs := Inputs(e, []string{"fleet"}, true)
	n := 0
	r, err := Run(e, ins, repos, errs, func() { n++ })
	if err != nil {
		t.Fatal(err)
	}
	if n != len(ins) {
		t.Errorf("progress called %d times for %d inputs", n, len(ins))
	}
	for format, render := range Formats {
		var b bytes.Buffer
		if err := render(&b, r); err != nil {
			t.Fatal(err)
		}
		golden("expected."+map[string]string{"markdown": "md", "json": "json", "csv": "csv"}[format], b.Bytes(), t)
	}
}

// golden compares with a file of the working directory (testdata, during the test).
func golden(path string, got []byte, t *testing.T) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("testdata/%s differs (run with -update):\n%s", path, got)
	}
}

// TestBucket pins the order of the status buckets: the worst class present decides.
func TestBucket(t *testing.T) {
	for _, c := range []struct {
		err     error
		f       File
		markers int
		want    string
	}{
		{nil, File{}, 0, Converted},
		{nil, File{Approximated: 3}, 0, Partial},
		{nil, File{Approximated: 1}, 1, ManualWork},
		{nil, File{Manual: 1, Approximated: 2}, 0, ManualWork},
		{nil, File{Manual: 1, Unsupported: 1}, 0, Unsupported},
		{convert.Errorf("x", 1, 1, "bad"), File{}, 0, Failed},
	} {
		if got := bucket(c.err, c.f, c.markers); got != c.want {
			t.Errorf("bucket(%v, %+v, %d) = %q, want %q", c.err, c.f, c.markers, got, c.want)
		}
	}
}

// TestReadmeExample keeps the worked example in README.md ("Migrating a fleet") true: each of
// its lines is a line of testdata/expected.md.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/expected.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(want), "\n") {
		lines[l] = true
	}
	_, example, ok := strings.Cut(string(readme), "    $ cd audit/testdata && tkn-migrate audit --repos-in --mapping mapping.yaml fleet\n")
	if !ok {
		t.Fatal("README.md has no audit example")
	}
	n := 0
	for _, l := range strings.Split(example, "\n") {
		if l != "" && !strings.HasPrefix(l, "    ") {
			break
		}
		if l = strings.TrimPrefix(l, "    "); l == "" || l == "..." {
			continue
		}
		n++
		if !lines[l] {
			t.Errorf("README.md example line %q is not in testdata/expected.md", l)
		}
	}
	if n < 10 {
		t.Errorf("only %d example lines checked", n)
	}
}
