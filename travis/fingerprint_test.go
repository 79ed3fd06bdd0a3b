package travis

import (
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

var sourceComment = regexp.MustCompile(`(?m)^# .*$`)

// TestStripSourceComments: the fingerprint's byte scan empties exactly the lines the regexp it replaced did.
func TestStripSourceComments(t *testing.T) {
	for _, s := range []string{
		"", "#", "# ", "# a", "#a\n# b", "x\n# install (.travis.yml:3)\nmake\n", "# a\n\n# b\n", "a # b\n  # c\n",
		"# a\r\nb", "\n# ", "x\n#\n# y", "# é\n# \n",
	} {
		var got, want fpWriter
		got.stripped(s)
		stripped := sourceComment.ReplaceAllString(s, "")
		want.len(len(stripped))
		want.b = append(want.b, stripped...)
		if string(got.b) != string(want.b) {
			t.Errorf("stripped(%q) = %q, want %q", s, got.b, want.b)
		}
	}
}

// jsonFingerprint is the fingerprint before fingerprint.go: the JSON of the task without
// its comments and with its scripts' source comments stripped.
func jsonFingerprint(r rendered) string {
	strip := func(t *pipeline.Task) *pipeline.Task {
		if t == nil {
			return nil
		}
		c := *t
		c.Comments = nil
		c.Steps = append([]pipeline.Step{}, t.Steps...)
		for i := range c.Steps {
			c.Steps[i].Script = sourceComment.ReplaceAllString(c.Steps[i].Script, "")
		}
		return &c
	}
	b, _ := json.Marshal(strip(r.main))
	return string(b)
}

// corpusTasks renders every job of the corpus and golden inputs as group does, per input.
func corpusTasks(t *testing.T) (tasks []*pipeline.Task) {
	for _, per := range corpusTaskSets(t) {
		tasks = append(tasks, per...)
	}
	return tasks
}

func corpusTaskSets(t *testing.T) (sets [][]*pipeline.Task) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	golden, _ := filepath.Glob("testdata/*/.travis.yml")
	for _, f := range append(files, golden...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c, err := build(convert.Source{Path: filepath.Join("repo", ".travis.yml"), Data: data, Kind: convert.KindTravis})
		if err != nil {
			continue // bad inputs are the golden tests' business
		}
		var set []*pipeline.Task
		for _, j := range c.jobs {
			if runsOnKubernetes(j) {
				set = append(set, c.render(j, paramCell, j.mj.Stage, idPlaceholder).main)
			}
		}
		sets = append(sets, set)
	}
	return sets
}

// TestFingerprintAgreesWithJSON: over the jobs of each corpus and golden input, fingerprint
// groups them exactly as the JSON encoding did.
func TestFingerprintAgreesWithJSON(t *testing.T) {
	pairs := 0
	for _, set := range corpusTaskSets(t) {
		var fps, jsons []string
		for _, task := range set {
			fps, jsons = append(fps, fingerprint(rendered{task})), append(jsons, jsonFingerprint(rendered{task}))
		}
		for a := range fps {
			for b := range fps {
				pairs++
				if (fps[a] == fps[b]) != (jsons[a] == jsons[b]) {
					t.Errorf("%s and %s: fingerprints equal %v, JSON equal %v", set[a].Name, set[b].Name, fps[a] == fps[b], jsons[a] == jsons[b])
				}
			}
		}
	}
	if pairs < 1000 {
		t.Errorf("only %d pairs of jobs compared", pairs)
	}
}

// TestFingerprintFields: changing any string, bool or int of a rendered task, at any depth,
// changes its fingerprint, except the task's comments and source comments in scripts.
func TestFingerprintFields(t *testing.T) {
	data, err := os.ReadFile("testdata/implicit-services/.travis.yml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := build(convert.Source{Path: filepath.Join("repo", ".travis.yml"), Data: data, Kind: convert.KindTravis})
	if err != nil {
		t.Fatal(err)
	}
	r := c.render(c.jobs[0], paramCell, c.jobs[0].mj.Stage, idPlaceholder)
	r.main.Retries, r.main.Matrix = 1, &pipeline.Matrix{} // reach every type of the model
	base := fingerprint(r)
	leaves := 0
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), path+"[]")
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if f := v.Type().Field(i); path != "" || f.Name != "Comments" {
					walk(v.Field(i), path+"."+f.Name)
				}
			}
		case reflect.String, reflect.Bool, reflect.Int:
			old := reflect.ValueOf(v.Interface())
			switch v.Kind() {
			case reflect.String:
				v.SetString(v.String() + "x")
			case reflect.Bool:
				v.SetBool(!v.Bool())
			default:
				v.SetInt(v.Int() + 1)
			}
			if fingerprint(r) == base {
				t.Errorf("changing %s leaves the fingerprint as it was", path)
			}
			v.Set(old)
			leaves++
		}
	}
	walk(reflect.ValueOf(r.main), "")
	if fingerprint(r) != base || leaves < 50 {
		t.Fatalf("%d leaves changed; restored fingerprint equal: %v", leaves, fingerprint(r) == base)
	}
}

// reflectEncode is the fingerprint's encoding found by reflection: every exported field
// in order, but the task's Comments, with Step.Script stripped.
func reflectEncode(w *fpWriter, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		w.str(v.String())
	case reflect.Bool:
		w.bool(v.Bool())
	case reflect.Int:
		w.int(int(v.Int()))
	case reflect.Pointer:
		if w.present(!v.IsNil()) {
			reflectEncode(w, v.Elem())
		}
	case reflect.Slice:
		if w.present(!v.IsNil()) {
			w.len(v.Len())
			for i := 0; i < v.Len(); i++ {
				reflectEncode(w, v.Index(i))
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			switch f := t.Field(i); {
			case !f.IsExported(), t == reflect.TypeFor[pipeline.Task]() && f.Name == "Comments":
			case t == reflect.TypeFor[pipeline.Step]() && f.Name == "Script":
				w.stripped(v.Field(i).String())
			default:
				reflectEncode(w, v.Field(i))
			}
		}
	default:
		panic("fingerprint: a " + v.Kind().String() + " field: teach fpWriter and reflectEncode")
	}
}

// fill sets every field of v, at every depth, from r: strings, bools and ints, slices of
// two elements, non-nil pointers.
func fill(v reflect.Value, r *rand.Rand) {
	switch v.Kind() {
	case reflect.String:
		v.SetString([]string{"", "a", "# c\nx\n", "é"}[r.Intn(4)])
	case reflect.Bool:
		v.SetBool(r.Intn(2) == 0)
	case reflect.Int:
		v.SetInt(int64(r.Intn(5) - 2))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), r)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			fill(v.Index(i), r)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), r)
			}
		}
	}
}

// TestFingerprintEncoding: the hand-written writers encode every field of the model, as the
// reflective encoding does, on tasks with every field set and on the corpus's rendered tasks.
func TestFingerprintEncoding(t *testing.T) {
	check := func(task *pipeline.Task) {
		t.Helper()
		var got, want fpWriter
		got.task(task)
		reflectEncode(&want, reflect.ValueOf(task).Elem())
		if string(got.b) != string(want.b) {
			t.Fatalf("fpWriter.task and the reflective encoding differ on %+v", task)
		}
	}
	check(&pipeline.Task{})
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		var task pipeline.Task
		fill(reflect.ValueOf(&task).Elem(), r)
		check(&task)
	}
	for _, task := range corpusTasks(t) {
		check(task)
	}
}
