package travis

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestTravisScansExact: travisVarMatches finds what the regexp TRAVIS_[A-Z_]+ finds, and a
// name (each shim's among them) is found by usesWord from prefixWords exactly when uses finds it, on every corpus and golden .travis.yml
// and on texts built from pieces that sit TRAVIS_ beside word bytes, digits and lower case.
func TestTravisScansExact(t *testing.T) {
	re := regexp.MustCompile(`TRAVIS_[A-Z_]+`)
	var texts []string
	for _, dir := range []string{"testdata", "../../shared/corpus/travis"} {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(filepath.Base(p), "travis") {
				if b, err := os.ReadFile(p); err == nil {
					texts = append(texts, string(b))
				}
			}
			return nil
		})
	}
	pieces := []string{"TRAVIS_", "TRAVIS_TAG", "TRAVIS_PULL_REQUEST", "_SHA", "x", "1", "$", "{", "}", " ", "\n", "_", "TRAVIS",
		"TRAVIS_BUILD_STAGE_NAME", "T", "a_TRAVIS_JOB_ID", "TRAVIS_TRAVIS_", "é", "TRAVIS_1", "TRAVIS_x", "\"$TRAVIS_DIST\"",
		"travis_", "travis_retry", "travis_wait", "_fold", "travis_time_start", "travis_time_finish", "atravis_fold", "travis_travis_"}
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for j, n := 0, 1+i%6; j < n; j++ {
			b.WriteString(pieces[(i*7+j*13+j*j*i)%len(pieces)])
		}
		texts = append(texts, b.String())
	}
	names := map[string]bool{"TRAVIS_TAG": true, "TRAVIS_PULL_REQUEST": true, "TRAVIS_PULL_REQUEST_SHA": true, "TRAVIS_X": true}
	for _, sh := range shims {
		names[sh.name] = true
	}
	for _, text := range texts {
		for _, m := range re.FindAllString(text, -1) {
			names[m], names[strings.TrimRight(m, "_")] = true, true
			names[strings.ToLower(m)] = true
		}
	}
	found := 0
	for _, text := range texts {
		if got, want := travisVarMatches(text), re.FindAllString(text, -1); !reflect.DeepEqual(got, want) {
			t.Fatalf("travisVarMatches(%q) = %q, want %q", text, got, want)
		}
		upper, lower := prefixWords(text, "TRAVIS_"), prefixWords(text, "travis_")
		for name := range names {
			words, prefix := lower, "travis_"
			if strings.HasPrefix(name, "TRAVIS_") {
				words, prefix = upper, "TRAVIS_"
			}
			got, want := usesWord(words, prefix, text, name), uses(text, name)
			if got != want {
				t.Fatalf("usesWord(%s) in %q = %v, uses says %v", name, text, got, want)
			}
			if got {
				found++
			}
		}
	}
	if len(texts) < 3030 || found < 500 {
		t.Fatalf("%d texts, %d names found in them: too few to show anything", len(texts), found)
	}
}
