package lint

import (
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func errorsOf(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Severity == Error {
			out = append(out, f)
		}
	}
	return out
}

// TestErrorChecksExact: running only errorChecks finds exactly the errors, in order, that all
// checks find, on every lint golden case (each rule's positive and negative), the converters'
// goldens and the converted corpus; and the skipped checks do find warnings there.
func TestErrorChecksExact(t *testing.T) {
	sets, names, _ := lintSets(t)
	errs, skipped := 0, 0
	for _, n := range names {
		all, allErrs, _ := run(sets[n], checks)
		some, someErrs, _ := run(sets[n], errorChecks)
		if got, want := errorsOf(some), errorsOf(all); !reflect.DeepEqual(got, want) || fmt.Sprint(someErrs) != fmt.Sprint(allErrs) {
			t.Errorf("%s: errorChecks find\n%s%v\nall checks\n%s%v", n, format(got), someErrs, format(want), allErrs)
		}
		errs += len(errorsOf(all))
		skipped += len(all) - len(some)
	}
	t.Logf("%d sets, %d errors, %d findings of the other checks", len(names), errs, skipped)
	if errs < 50 || skipped < 100 {
		t.Errorf("%d errors, %d findings skipped: not exercised", errs, skipped)
	}
}

// lintSets are the file sets the exactness tests lint: the converters' goldens, each lint golden
// case (a file or a directory), and unless -short the converted corpus, with their names in
// order; converted tells the converters' sets.
func lintSets(t *testing.T) (sets map[string][]File, names []string, converted map[string]bool) {
	sets, names = sortedOutputs(t)
	cases, _ := filepath.Glob("testdata/TKN*/*")
	sort.Strings(cases)
	for _, c := range cases {
		if files := load(t, c); len(files) > 0 {
			sets[c] = files
			names = append(names, c)
		}
	}
	converted = map[string]bool{}
	for _, n := range names {
		converted[n] = !strings.HasPrefix(n, "testdata/TKN")
	}
	if !testing.Short() {
		_, outs := convertCorpus(t)
		for _, o := range outs {
			sets[o[0].Path] = o
			names = append(names, o[0].Path)
			converted[o[0].Path] = true
		}
	}
	return sets, names, converted
}
