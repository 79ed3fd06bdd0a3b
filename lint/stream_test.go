package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// streamed is streamRun on files with the given checks, forced whatever their size.
func streamed(files []File, cs []func(*input)) ([]Finding, []error) {
	fs, errs, _, _ := streamRun(files, cs, false)
	return fs, errs
}

// TestStreamExact: lint holding one document at a time (streamRun) reports exactly what lint
// holding every tree (run) reports, findings in order and errors, with all checks and with the
// error checks alone, whether each document's check stands or every one is checked again, and computes the same spans for the memo of clean outputs, on the
// converters' goldens, every lint golden case, the converted corpus, each corpus file alone
// and each corpus directory as one set (references, Secrets and runs across files).
func TestStreamExact(t *testing.T) {
	sets, names, _ := lintSets(t)
	root := corpusDir(t)
	for _, f := range yamlFiles(t, root) {
		sets[f.Path] = []File{f}
		names = append(names, f.Path)
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "*"))
	for _, d := range dirs {
		if files := yamlFiles(t, d); len(files) > 0 {
			sets[d] = files
			names = append(names, d)
		}
	}
	// More pieces than maxRenamedDocs but fewer documents: the spans come from a second parse.
	task := "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - name: s\n      image: alpine:3\n      script: echo\n"
	sets["empty pieces"] = []File{{Path: "r/task.yaml", Data: []byte(strings.Repeat("# nothing\n---\n", 20) + task)}}
	names = append(names, "empty pieces")
	findings, withSpans, redoneHere := 0, 0, int64(0)
	defer func() { redoAll = false }()
	for _, n := range names {
		files := sets[n]
		for _, cs := range [][]func(*input){checks, errorChecks} {
			want, wantErrs, parsed := run(files, cs)
			redoAll = true // every document checked again against the whole input
			again, againErrs, _, _ := streamRun(files, cs, false)
			redoAll = false
			if !reflect.DeepEqual(again, want) || fmt.Sprint(againErrs) != fmt.Sprint(wantErrs) {
				t.Errorf("%s: checked again\n%s%v\nwhole\n%s%v", n, format(again), againErrs, format(want), wantErrs)
			}
			redone.Store(0)
			got, gotErrs, spans, spansOK := streamRun(files, cs, true)
			redoneHere += redone.Load()
			if !reflect.DeepEqual(got, want) || fmt.Sprint(gotErrs) != fmt.Sprint(wantErrs) {
				t.Errorf("%s: streamed\n%s%v\nwhole\n%s%v", n, format(got), gotErrs, format(want), wantErrs)
			}
			wantSpans, wantOK := parsedSpans(files, parsed)
			if spansOK != wantOK || wantOK && !reflect.DeepEqual(spans, wantSpans) {
				t.Errorf("%s: streamed spans %v %v, whole %v %v", n, spansOK, spans, wantOK, wantSpans)
			}
			if wantOK && anySpan(wantSpans) {
				withSpans++
			}
			findings += len(want)
		}
	}
	t.Logf("%d sets, %d findings, %d with spans, %d documents checked again (what they read changed)", len(names), findings, withSpans, redoneHere)
	if findings < 1000 || withSpans < 100 || redoneHere < 20 {
		t.Errorf("%d findings, %d sets with spans: not exercised", findings, withSpans)
	}
}

// TestRunStreamsLargeSets: Run and Output take streamRun from streamFrom bytes, with the same
// findings as below it.
func TestRunStreamsLargeSets(t *testing.T) {
	cases, _ := filepath.Glob("testdata/TKN*/*")
	for _, c := range cases {
		files := load(t, c)
		if len(files) == 0 {
			continue
		}
		want, wantErrs := Run(files)
		wantOut := plainOutput(files)
		streamFrom = 0
		got, gotErrs := Run(files)
		gotOut := plainOutput(files)
		streamFrom = 1 << 20
		if !reflect.DeepEqual(got, want) || fmt.Sprint(gotErrs) != fmt.Sprint(wantErrs) || !reflect.DeepEqual(gotOut, wantOut) {
			t.Errorf("%s: streamed\n%s%v\n%v\nwhole\n%s%v\n%v", c, format(got), gotErrs, gotOut, format(want), wantErrs, wantOut)
		}
	}
}

// bigPipeline is a v1 Pipeline of n tasks, each an embedded taskSpec of one step, as the
// Jenkinsfile front-end writes a file of n stages; extra is appended to the first task.
func bigPipeline(n int, extra string) []byte {
	var b strings.Builder
	b.WriteString("# a generated Pipeline\napiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: big\nspec:\n  workspaces:\n    - name: source\n  tasks:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    # stage %d\n    - name: s%d\n      workspaces:\n        - name: source\n          workspace: source\n      taskSpec:\n"+
			"        workspaces:\n          - name: source\n        steps:\n          - name: sh\n            image: docker.io/library/buildpack-deps:bookworm\n"+
			"            workingDir: $(workspaces.source.path)\n            script: |\n              echo %d\n", i, i, i)
		if i == 0 {
			b.WriteString(extra)
		}
	}
	b.WriteString("  finally:\n    - name: done\n      taskRef:\n        name: notify\n")
	return []byte(b.String())
}

// TestTooBigExact: parseFile, which walks a big document a piece at a time for yamldoc's
// bounds, returns what yamldoc.Parse returns (documents and error) on documents over and under
// the node limit, too deep in the skeleton or in a piece, with aliases that multiply nodes,
// pieces that do not parse (before and after the limit is crossed), and every corpus file and
// lint case; and it decides without the whole parse for the big generated Pipeline.
func TestTooBigExact(t *testing.T) {
	piecesFrom = 256 << 10 // validate's own size for pieces: the cases here are from 0.9 MB
	defer func() { piecesFrom = 1 << 20 }()
	deep := "      x:" + strings.Repeat(" [", 250) + strings.Repeat("]", 250) + "\n"
	cases := map[string][]byte{
		"over":                 bigPipeline(12000, ""),
		"under":                bigPipeline(3000, ""),
		"deep in a piece":      bigPipeline(3000, deep),
		"deep in the skeleton": []byte(strings.Replace(string(bigPipeline(3000, "")), "  workspaces:\n", "  x:"+strings.Repeat(" [", 250)+strings.Repeat("]", 250)+"\n  workspaces:\n", 1)),
		"sequence aliased":     []byte(strings.Replace(string(bigPipeline(3000, "")), "  tasks:\n", "  tasks: &t\n", 1) + "  again: *t\n"),
		"broken piece":         bigPipeline(12000, "      x: 'open\n"),
		"broken after limit":   []byte(strings.Replace(string(bigPipeline(12000, "")), "echo 11000\n", "echo 11000\n      x: \"open\n", 1)),
		"broken skeleton":      []byte(string(bigPipeline(12000, "")) + "  y: [\n"),
		"crlf":                 []byte(strings.ReplaceAll(string(bigPipeline(12000, "")), "\n", "\r\n")),
		"two documents":        []byte(string(bigPipeline(12000, "")) + "---\nkind: x\n"),
		"anchor multiplied":    []byte(strings.Replace(string(bigPipeline(2500, "")), "spec:\n", "spec: &s\n", 1) + "status:\n  a: *s\n  b: *s\n"),
	}
	root := corpusDir(t)
	for _, f := range yamlFiles(t, root) {
		cases[f.Path] = f.Data
	}
	paths, _ := filepath.Glob("testdata/TKN*/*.yaml")
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		cases[p] = data
	}
	shortcut := 0
	for name, data := range cases {
		want, wantErr := yamldoc.Parse("f.yaml", data)
		var got []*yamldoc.Doc
		gotErr := parseFile("f.yaml", data, func(d *yamldoc.Doc) { got = append(got, d) })
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || len(got) != len(want) {
			t.Errorf("%s: %d documents, %v; yamldoc.Parse %d, %v", name, len(got), gotErr, len(want), wantErr)
		}
		for i := range got {
			if i < len(want) && !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("%s: document %d differs", name, i)
			}
		}
		if _, known := tooBig("f.yaml", data); known {
			shortcut++
		}
	}
	for _, name := range []string{"over", "crlf", "anchor multiplied", "deep in a piece", "deep in the skeleton"} {
		if err, known := tooBig("f.yaml", cases[name]); !known {
			t.Errorf("%s: not decided in pieces (%v)", name, err)
		}
	}
	// A text convert/validate passed is known to parse whole: the walk stops at the bound.
	over := bigPipeline(4000, "")
	defer validate.ForgetVerdicts()
	if e := validate.Documents("f.yaml", over); e != nil || !validate.Passed(over) {
		t.Fatalf("validate: %v", e)
	}
	want, wantErr := yamldoc.Parse("f.yaml", over)
	if err, known := tooBig("f.yaml", over); !known || len(want) != 0 || fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Errorf("validated: %v %v; yamldoc.Parse %d, %v", err, known, len(want), wantErr)
	}
	t.Logf("%d of %d cases decided in pieces", shortcut, len(cases))
	if shortcut < 5 {
		t.Errorf("only %d cases decided in pieces", shortcut)
	}
}

// TestStreamOrder: the reads of other documents that a later document can answer otherwise (a
// run before its Pipeline, a Pipeline before the Task it reads a workspace of, a claim bound by a
// later run, a workspace a later run binds read-only, a pod volume of a later run, a later
// definition nearer the reference, a Pipeline named in another repository) give run's findings
// in every order of the files.
func TestStreamOrder(t *testing.T) {
	repos := t.TempDir()
	for _, r := range []string{"a", "b"} {
		if err := os.MkdirAll(filepath.Join(repos, r, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := []File{
		{Path: filepath.Join(repos, "a", "run.yaml"), Data: []byte(`apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: elsewhere
spec:
  pipelineRef:
    name: q
  workspaces:
    - name: a
      persistentVolumeClaim:
        claimName: one
    - name: b
      volumeClaimTemplate:
        spec: {}
`)},
		{Path: filepath.Join(repos, "b", "pipeline.yaml"), Data: []byte(`apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: q
spec:
  workspaces:
    - name: a
    - name: b
  tasks:
    - name: both
      taskSpec:
        workspaces:
          - name: a
          - name: b
        steps:
          - name: s
            image: alpine:3
            script: "#!/bin/sh\necho"
      workspaces:
        - name: a
          workspace: a
        - name: b
          workspace: b
`)},
		{Path: "r/run.yaml", Data: []byte(`apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: first
spec:
  pipelineRef:
    name: p
  workspaces:
    - name: a
      persistentVolumeClaim:
        claimName: shared
    - name: b
      persistentVolumeClaim:
        claimName: other
    - name: scratch
      emptyDir: {}
`)},
		{Path: "r/pipeline.yaml", Data: []byte(`apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: p
spec:
  workspaces:
    - name: a
    - name: b
    - name: scratch
    - name: conf
  tasks:
    - name: one
      taskRef:
        name: t
      workspaces:
        - name: w
          workspace: a
        - name: x
          workspace: b
        - name: s
          workspace: scratch
    - name: two
      taskRef:
        name: t
      workspaces:
        - name: w
          workspace: a
        - name: s
          workspace: scratch
    - name: three
      taskRef:
        name: t
      workspaces:
        - name: w
          workspace: conf
    - name: four
      taskRef:
        name: t
      workspaces:
        - name: w
          workspace: conf
`)},
		{Path: "r/task.yaml", Data: []byte(`apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  workspaces:
    - name: w
      readOnly: true
    - name: x
      optional: true
    - name: s
      optional: true
  steps:
    - name: s
      image: alpine:3
      script: "#!/bin/sh\necho"
      volumeMounts:
        - name: extra
          mountPath: /extra
`)},
		{Path: "r/sub/task.yaml", Data: []byte(`apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  params:
    - name: needed
  steps:
    - name: s
      image: alpine:3
      script: "#!/bin/sh\necho"
`)},
		{Path: "r/second.yaml", Data: []byte(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: second
spec:
  taskRef:
    name: t
  podTemplate:
    volumes:
      - name: extra
        emptyDir: {}
  workspaces:
    - name: w
      persistentVolumeClaim:
        claimName: shared
    - name: conf
      configMap:
        name: c
`)},
	}
	perms := [][]File{nil}
	for range files {
		var next [][]File
		for _, p := range perms {
			for _, f := range files {
				if !slicesContainsPath(p, f.Path) {
					next = append(next, append(append([]File(nil), p...), f))
				}
			}
		}
		perms = next
	}
	redone.Store(0)
	for _, p := range perms {
		want, wantErrs, _ := run(p, checks)
		got, gotErrs, _, _ := streamRun(p, checks, false)
		if !reflect.DeepEqual(got, want) || fmt.Sprint(gotErrs) != fmt.Sprint(wantErrs) {
			var order []string
			for _, f := range p {
				order = append(order, f.Path)
			}
			t.Errorf("%v: streamed\n%s%v\nwhole\n%s%v", order, format(got), gotErrs, format(want), wantErrs)
		}
	}
	t.Logf("%d orders, %d documents checked again", len(perms), redone.Load())
}

func slicesContainsPath(files []File, path string) bool {
	for _, f := range files {
		if f.Path == path {
			return true
		}
	}
	return false
}
