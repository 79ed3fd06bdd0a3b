package travis

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestDecide: the jobs of the stages-if golden, decided as Travis does for a push to master
// and a pull request into it, with the task each runs in.
func TestDecide(t *testing.T) {
	data, err := os.ReadFile("testdata/stages-if/.travis.yml")
	if err != nil {
		t.Fatal(err)
	}
	src := convert.Source{Path: ".travis.yml", Data: data, Kind: convert.KindTravis}
	for _, c := range []struct {
		req  Request
		want string
	}{
		{Request{Name: "master", Attrs: map[string]string{"type": "push", "branch": "master", "tag": "", "head_branch": ""}}, `builds=true decided=true
line 9 task "test" runs=true decided=true guarded=false 
line 13 task "deploy" runs=true decided=true guarded=false 
line 15 task "tags-only" runs=false decided=true guarded=true 
line 10 task "lint" runs=true decided=true guarded=false 
`},
		{Request{Name: "master", Attrs: map[string]string{"type": "pull_request", "branch": "master", "tag": "", "head_branch": "feature"}}, `builds=true decided=true
line 9 task "test" runs=true decided=true guarded=false 
line 13 task "deploy" runs=false decided=true guarded=false 
line 15 task "tags-only" runs=false decided=true guarded=true 
line 10 task "lint" runs=true decided=true guarded=false 
`},
		// Travis builds gh-pages only when branches: lists it.
		{Request{Name: "gh-pages", Attrs: map[string]string{"type": "push", "branch": "gh-pages", "tag": "", "head_branch": ""}}, `builds=false decided=true
`},
	} {
		builds, decided, jobs, err := Decide(src, convert.Options{Placeholders: true}, c.req)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "builds=%v decided=%v\n", builds, decided)
		for _, j := range jobs {
			fmt.Fprintf(&b, "line %d task %q runs=%v decided=%v guarded=%v %s\n", j.Line, j.Task, j.Runs, j.Decided, j.Guarded, j.Why)
		}
		if b.String() != c.want {
			t.Errorf("%v:\n%s\nwant:\n%s", c.req.Attrs["type"], b.String(), c.want)
		}
	}
}
