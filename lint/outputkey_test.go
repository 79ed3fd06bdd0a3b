package lint

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// renamed is files with the value of every span replaced by a fresh name of another length,
// equal values alike: the set outputKey lets share a clean verdict with files.
func renamed(files []File, spans [][]validate.Span, salt int) []File {
	fresh := map[string]string{}
	out := make([]File, len(files))
	for i, f := range files {
		var b strings.Builder
		prev := 0
		for _, sp := range spans[i] {
			v := string(f.Data[sp.Off : sp.Off+sp.Len])
			if fresh[v] == "" {
				fresh[v] = fmt.Sprintf("zq%d-renamed-%d%s", salt, len(fresh), strings.Repeat("x", (len(fresh)+salt)%9))
			}
			b.Write(f.Data[prev:sp.Off])
			b.WriteString(fresh[v])
			prev = sp.Off + sp.Len
		}
		b.Write(f.Data[prev:])
		out[i] = File{Path: f.Path, Data: []byte(b.String())}
	}
	return out
}

// spansOf lints files and returns the spans of its parse, whether lint found an error, and
// whether outputKey keys the set by those spans.
func spansOf(files []File) (spans [][]validate.Span, dirty, keyed bool) {
	fs, errs, parsed := run(files, checks)
	dirty = HasErrors(fs) || len(errs) > 0
	spans, ok := parsedSpans(files, parsed)
	if !ok || !anySpan(spans) {
		return nil, dirty, false
	}
	spans = renamable(files, spans)
	return spans, dirty, anySpan(spans)
}

// TestCleanOutputsRenamed: a set and the same set under other names (every value outputKey
// replaces, renamed one-to-one) get the same answer from lint, error or none, on the
// converters' goldens, the converted corpus and every lint golden case (most of which have
// errors); and a clean converted set remembered under its parse's key is found again from the
// renamed set's text alone.
func TestCleanOutputsRenamed(t *testing.T) {
	defer cleanOutputs.Reset()
	sets, names, converted := lintSets(t)
	keyedSets, found, missed, dirtySets := 0, 0, 0, 0
	for _, n := range names {
		files := sets[n]
		spans, dirty, keyed := spansOf(files)
		if !keyed {
			continue
		}
		keyedSets++
		if dirty {
			dirtySets++
		}
		for salt := 1; salt <= 2; salt++ {
			other := renamed(files, spans, salt)
			if _, otherDirty, _ := spansOf(other); otherDirty != dirty {
				t.Errorf("%s: lint finds errors %v, renamed %v", n, dirty, otherDirty)
			}
			if dirty || !converted[n] {
				continue
			}
			cleanOutputs.Reset()
			rememberCleanSet(files, mustParse(t, files))
			otherSpans, _ := parsedSpans(other, mustParse(t, other))
			switch guessed := knownClean(other); {
			case guessed:
				found++
			case reflect.DeepEqual(textSpans(other), otherSpans):
				t.Errorf("%s: the renamed set is not found from its text", n)
			default:
				missed++ // the text-only guess reads the set otherwise (flow style)
			}
		}
	}
	t.Logf("%d keyed sets (%d with errors), %d renamed clean sets found again, %d not guessed", keyedSets, dirtySets, found, missed)
	if keyedSets < 100 || dirtySets < 5 || found < 100 {
		t.Errorf("%d keyed sets, %d with errors, %d found: the key is not exercised", keyedSets, dirtySets, found)
	}
}

func mustParse(t *testing.T, files []File) [][]*yamldoc.Doc {
	t.Helper()
	_, errs, parsed := run(files, checks)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return parsed
}

const (
	requiredParamPipeline = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: build
spec:
  params:
    - name: x
      type: string
  tasks:
    - name: t
      taskSpec:
        steps:
          - name: s
            image: alpine:3.20
            script: echo hi
`
	runOf = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: run
spec:
  pipelineRef:
    name: %s
`
	requiredParamTask = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: %s
spec:
  params:
    - name: p
      type: string
  steps:
    - name: s
      image: alpine:3.20
      script: echo hi
`
	callsBuild = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: pipe
spec:
  tasks:
    - name: t
      taskRef:
        name: build
`
)

// TestOutputKeyNamesThatMatter: sets that differ only in names, where the names decide
// whether lint finds an error, never share a key: a run of the set's Pipeline (which needs a
// param the run does not pass) and a run of a Pipeline elsewhere (two names equal, or not),
// and a Task that a taskRef outside the renamed values names, or not.
func TestOutputKeyNamesThatMatter(t *testing.T) {
	defer cleanOutputs.Reset()
	set := func(files ...string) []File {
		var out []File
		for i, f := range files {
			out = append(out, File{Path: fmt.Sprintf("repo/.tekton/f%d.yaml", i), Data: []byte(f)})
		}
		return out
	}
	for _, c := range []struct{ clean, dirty []File }{
		{set(requiredParamPipeline, fmt.Sprintf(runOf, "other")), set(requiredParamPipeline, fmt.Sprintf(runOf, "build"))},
		{set(fmt.Sprintf(requiredParamTask, "other"), callsBuild), set(fmt.Sprintf(requiredParamTask, "build"), callsBuild)},
	} {
		if fs := plainOutput(c.clean); len(fs) > 0 {
			t.Fatalf("clean set has errors: %v", fs)
		}
		if fs := plainOutput(c.dirty); len(fs) == 0 {
			t.Fatalf("dirty set has no error:\n%s", c.dirty[0].Data)
		}
		cleanOutputs.Reset()
		if outputFindings(c.clean); !knownClean(c.clean) {
			t.Fatalf("clean set not remembered")
		}
		if knownClean(c.dirty) {
			t.Errorf("a set with errors shares the key of a clean one:\n%s%s", c.dirty[0].Data, c.dirty[1].Data)
		}
		if got, want := outputFindings(c.dirty), plainOutput(c.dirty); len(got) != len(want) {
			t.Errorf("Output after the clean set: %v, plain %v", got, want)
		}
	}
}
