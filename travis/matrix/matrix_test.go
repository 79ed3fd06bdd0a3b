package matrix

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// show renders jobs compactly: attrs in key order, then stage and allow-failure.
func show(jobs []Job) string {
	var out []string
	for _, j := range jobs {
		var parts []string
		for _, k := range append(append([]string{}, Keys...), "name") {
			if v, ok := j.Attrs[k]; ok {
				parts = append(parts, k+"="+strings.Join(v, ","))
			}
		}
		s := strings.Join(parts, " ") + " @" + j.Stage
		if j.AllowFailure {
			s += " !af"
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

func a(kv ...string) Attrs {
	m := Attrs{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = append(m[kv[i]], kv[i+1])
	}
	return m
}

func TestExpand(t *testing.T) {
	cases := []struct {
		name string
		in   Input
		want string
	}{
		{"product, first key slowest", Input{Axes: []Axis{{Key: "rvm", Values: []string{"a", "b"}}, {Key: "env", Values: []string{"X=1", "Y=1"}}}},
			"rvm=a env=X=1 @test\nrvm=a env=Y=1 @test\nrvm=b env=X=1 @test\nrvm=b env=Y=1 @test"},
		{"keys sort by Travis order, not input order", Input{Axes: []Axis{{Key: "os", Values: []string{"linux", "osx"}}, {Key: "go", Values: []string{"1", "2"}}}},
			"os=linux go=1 @test\nos=linux go=2 @test\nos=osx go=1 @test\nos=osx go=2 @test"},
		{"no keys: one default job", Input{}, " @test"},
		{"lone single-valued root job dropped when includes exist", Input{Axes: []Axis{{Key: "python", Values: []string{"3.7"}}},
			Include: []Entry{{Attrs: a("env", "A=1")}, {Attrs: a("python", "2.7")}}},
			"python=3.7 env=A=1 @test\npython=2.7 @test"},
		{"multi-valued root kept beside includes; includes inherit first values", Input{Axes: []Axis{{Key: "php", Values: []string{"7.1", "7.2"}}, {Key: "env", Values: []string{"DB=a", "DB=b"}}},
			Include: []Entry{{Attrs: a("name", "lint")}}},
			"php=7.1 env=DB=a @test\nphp=7.1 env=DB=b @test\nphp=7.2 env=DB=a @test\nphp=7.2 env=DB=b @test\nphp=7.1 env=DB=a name=lint @test"},
		{"exclude needs every key equal; env exact", Input{Axes: []Axis{{Key: "php", Values: []string{"7.1", "7.2"}}, {Key: "env", Values: []string{"DB=a", "DB=b"}}},
			Exclude: []Entry{{Attrs: a("php", "7.1", "env", "DB=a")}, {Attrs: a("env", "DB=b ")}}},
			"php=7.1 env=DB=b @test\nphp=7.2 env=DB=a @test\nphp=7.2 env=DB=b @test"},
		{"exclude also hits includes", Input{Axes: []Axis{{Key: "go", Values: []string{"1", "2"}}},
			Include: []Entry{{Attrs: a("go", "3")}}, Exclude: []Entry{{Attrs: a("go", "3")}}},
			"go=1 @test\ngo=2 @test"},
		{"exclude by stage uses test for jobs without one", Input{Axes: []Axis{{Key: "go", Values: []string{"1", "2"}}},
			Include: []Entry{{Attrs: a("go", "3"), Stage: "deploy"}}, Exclude: []Entry{{Attrs: a("go", "1"), Stage: "test"}, {Attrs: a("go", "3"), Stage: "test"}}},
			"go=2 @test\ngo=3 @deploy"},
		{"exclude with a false if: does not apply", Input{Axes: []Axis{{Key: "go", Values: []string{"1", "2"}}},
			Exclude: []Entry{{Attrs: a("go", "1"), If: func(Job) bool { return false }}}},
			"go=1 @test\ngo=2 @test"},
		{"allow_failures match and reorder after required jobs", Input{Axes: []Axis{{Key: "node_js", Values: []string{"8", "10", "12"}}},
			AllowFailures: []Entry{{Attrs: a("node_js", "8")}}},
			"node_js=10 @test\nnode_js=12 @test\nnode_js=8 @test !af"},
		{"allow_failures by env and include allow_failure", Input{Axes: []Axis{{Key: "env", Values: []string{"A=1", "A=2"}}},
			Include: []Entry{{Attrs: a("env", "N=1"), AllowFailure: true}}, AllowFailures: []Entry{{Attrs: a("env", "A=1")}}},
			"env=A=2 @test\nenv=A=1 @test !af\nenv=N=1 @test !af"},
		{"allow_failures key absent from job does not match", Input{Axes: []Axis{{Key: "go", Values: []string{"1"}}},
			Include: []Entry{{Attrs: a("go", "2")}}, AllowFailures: []Entry{{Attrs: a("go", "2", "os", "osx")}}},
			"go=2 @test"},
		{"stages: inherit previous, listed order first", Input{Axes: []Axis{{Key: "go", Values: []string{"1"}}},
			Include: []Entry{{Attrs: a("name", "lint"), Stage: "lint"}, {Attrs: a("name", "unit")}, {Attrs: a("name", "pub"), Stage: "Deploy"}, {Attrs: a("name", "x"), Stage: "test"}},
			Stages:  []string{"test", "lint", "deploy"}},
			"go=1 name=x @test\ngo=1 name=lint @lint\ngo=1 name=unit @lint\ngo=1 name=pub @Deploy"},
		{"duplicates dropped", Input{Axes: []Axis{{Key: "go", Values: []string{"1", "1"}}}}, "go=1 @test"},
		{"base keys reach every job and allow_failures match them", Input{Base: a("dist", "trusty"), Axes: []Axis{{Key: "go", Values: []string{"1", "2"}}},
			Include: []Entry{{Attrs: a("go", "3", "dist", "xenial")}}, AllowFailures: []Entry{{Attrs: a("dist", "xenial")}}},
			"go=1 @test\ngo=2 @test\ngo=3 @test !af"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			jobs, err := Expand(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := show(jobs); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestLimit(t *testing.T) {
	vals := make([]string, 300)
	for i := range vals {
		vals[i] = fmt.Sprint(i)
	}
	_, err := Expand(Input{Axes: []Axis{{Key: "env", Values: vals, Line: 4, Col: 1}}, Limit: 256})
	tl, ok := err.(*TooLarge)
	if !ok || tl.Jobs != 300 || tl.Line != 4 {
		t.Fatalf("got %v", err)
	}
	// Excludes can bring a large product under the limit.
	var ex []Entry
	for _, v := range vals[:50] {
		ex = append(ex, Entry{Attrs: a("env", v)})
	}
	jobs, err := Expand(Input{Axes: []Axis{{Key: "env", Values: vals}}, Exclude: ex, Limit: 256})
	if err != nil || len(jobs) != 250 {
		t.Fatalf("got %d jobs, %v", len(jobs), err)
	}
}

// TestJobKey: key tells jobs apart exactly as fmt's "%q=%q;" of each attribute (in key
// order) and "stage=%q;af=%v", which it replaced, did.
func TestJobKey(t *testing.T) {
	fmtKey := func(j Job) string {
		keys := make([]string, 0, len(j.Attrs))
		for k := range j.Attrs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var b strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&b, "%q=%q;", k, j.Attrs[k])
		}
		fmt.Fprintf(&b, "stage=%q;af=%v", strings.ToLower(j.Stage), j.AllowFailure)
		return b.String()
	}
	jobs := []Job{
		{},
		{Attrs: Attrs{"os": nil}},
		{Attrs: Attrs{"os": {}}},
		{Attrs: Attrs{"os": {""}}},
		{Attrs: Attrs{"os": {"", ""}}},
		{Attrs: Attrs{"env": {"A=1 B=\"x y\"", "é\t\x00"}, "os": nil, "go": {}}, Stage: "Test", AllowFailure: true},
		{Attrs: Attrs{"env": {"A=1 B=\"x y\"", "é\t\x00"}, "os": nil, "go": {}}, Stage: "test", AllowFailure: true},
		{Attrs: Attrs{"env": {"A=1 B=\"x y\"", "é\t\x00"}, "go": {}}, Stage: "test", AllowFailure: true},
		{Attrs: Attrs{"rvm": {"2.7"}, "name": {"a\\b", "\u2028"}}, Stage: "deploy `x`"},
		{Attrs: Attrs{"rvm": {"2.7", "name"}}, Stage: "deploy `x`"},
		{Attrs: Attrs{"a": {"b"}, "c": {"d"}}},
		{Attrs: Attrs{"a": {"b", "c"}, "d": nil}},
		{Attrs: Attrs{"a": {"b\";c=\"d"}}},
	}
	for _, a := range jobs {
		for _, b := range jobs {
			if (a.key() == b.key()) != (fmtKey(a) == fmtKey(b)) {
				t.Errorf("%+v and %+v: keys equal %v, fmt keys equal %v", a, b, a.key() == b.key(), fmtKey(a) == fmtKey(b))
			}
		}
	}
}
