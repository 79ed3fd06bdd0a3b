package audit

import (
	"bytes"
	"flag"
	"os"
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
