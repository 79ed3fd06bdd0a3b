package jenkins

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// TestDecideStages: each stage of the when golden, decided as Jenkins does for a push to main
// and a pull request into it, with the tasks the converter made for it.
func TestDecideStages(t *testing.T) {
	data, err := os.ReadFile("testdata/when/Jenkinsfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"BRANCH_NAME": "main"}, `line:11 [main-only] runs=true
line:15 [release-branches] runs=false
line:19 [tagged] runs=false
line:23 [any-tag] runs=false
line:27 [mode] runs=true
line:31 [deploy] undecided
line:35 [pr-to-main] runs=false
line:39 [combined] runs=false
line:51 [never] runs=false
line:55 [has-makefile] undecided
line:59 [docs-changed] undecided
`},
		{map[string]string{"BRANCH_NAME": "PR-1", "CHANGE_ID": "1", "CHANGE_TARGET": "main", "CHANGE_BRANCH": "feature"}, `line:11 [main-only] runs=false
line:15 [release-branches] runs=false
line:19 [tagged] runs=false
line:23 [any-tag] runs=false
line:27 [mode] runs=true
line:31 [deploy] undecided
line:35 [pr-to-main] runs=true
line:39 [combined] undecided
line:51 [never] runs=false
line:55 [has-makefile] undecided
line:59 [docs-changed] undecided
`},
	} {
		stages, ok, err := DecideStages("Jenkinsfile", data, convert.Options{Placeholders: true}, c.env)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		var b strings.Builder
		for _, s := range stages {
			state := fmt.Sprintf("runs=%v", s.Runs)
			if !s.Decided {
				state = "undecided"
			}
			fmt.Fprintf(&b, "%s %v %s\n", s.Key, s.Tasks, state)
		}
		if b.String() != c.want {
			t.Errorf("%v:\n%s\nwant:\n%s", c.env, b.String(), c.want)
		}
	}
}
