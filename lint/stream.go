package lint

import (
	"reflect"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// streamFrom is the size of an input set from which lint holds one document's tree at a time
// (streamRun) rather than every tree at once (run): yaml.v3 takes about 12 bytes per byte of
// text, so a generated file of thousands of documents, or a tree of thousands of files, is
// otherwise linted with a few hundred MB live. Below it run parses each file once.
var streamFrom = 1 << 20

func size(files []File) int {
	n := 0
	for _, f := range files {
		n += len(f.Data)
	}
	return n
}

// streamRun is run, reading each document twice and holding one tree at a time. The first
// pass keeps what checks read across documents, in compact form where it can (signatures,
// Pipelines' task graphs without their nodes, Task specs' workspace declarations, what runs
// bind and use; Secrets and ServiceAccounts whole); the second checks each document (with
// the TriggerTemplate runs it stamps out) alone against that, and TKN201-TKN203, whose
// findings sit on Secrets and ServiceAccounts, run last on those kept.
//
// The findings are run's, in run's order: each check reads of other documents only what the
// first pass keeps (see indexShared, runSummary, compactGraph, workspacesOnly); a document's
// findings sit in its own file at its own nodes, which no other document's share, so the
// positions reportOnce and checkTekton consult are those of the unit's own findings; and the
// sort is run's with ties broken as run emits them, check by check in document order
// (TestStreamExact). spans are parsedSpans' on the documents parsed, when wantSpans.
func streamRun(files []File, checks []func(*input), wantSpans bool) (findings []Finding, errs []error, spans [][]validate.Span, spansOK bool) {
	shared := newInput()
	shared.defs = newDefs()
	shared.runSum = newRunSummary()
	lines := make([][]int, len(files)) // each file's documents' first lines
	for i, f := range files {
		shared.order[f.Path] = i
		err := parseFile(f.Path, f.Data, func(d *yamldoc.Doc) {
			lines[i] = append(lines[i], d.Root.Line)
			shared.share(d)
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	type tagged struct {
		f          Finding
		check, seq int
	}
	var all []tagged
	emit := func(in *input, check int) {
		for _, f := range in.findings {
			all = append(all, tagged{f, check, len(all)})
		}
		in.findings = in.findings[:0]
	}
	spansOK = wantSpans
	if wantSpans {
		spans = make([][]validate.Span, len(files))
	}
	for i, f := range files {
		if len(lines[i]) == 0 {
			continue // nothing to check (a file yamldoc refuses whole is not parsed again)
		}
		spansOK = spansOK && len(lines[i]) <= maxRenamedDocs
		texts := docTextsAt(f.Data, lines[i])
		j := 0
		parseFile(f.Path, f.Data, func(d *yamldoc.Doc) {
			in := shared.unit()
			if texts != nil {
				in.texts[d] = texts[j]
			}
			j++
			in.add(d)
			for _, e := range in.docs {
				if isRun(e) {
					in.runs = append(in.runs, e)
				}
				if p := graph.FromDoc(e); p != nil {
					in.graphs = append(in.graphs, p)
				}
			}
			for c, check := range checks {
				if !sameFunc(check, checkCredentials) {
					check(in)
					emit(in, c)
				}
			}
			if spansOK {
				if hasAlias(d.Root) {
					spansOK = false
				} else {
					spans[i] = append(spans[i], validate.ParsedSpans(d.Root, f.Data)...)
				}
			}
		})
	}
	for c, check := range checks {
		if sameFunc(check, checkCredentials) {
			check(shared)
			emit(shared, c)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.f.File != b.f.File {
			return shared.order[a.f.File] < shared.order[b.f.File]
		}
		if a.f.Line != b.f.Line {
			return a.f.Line < b.f.Line
		}
		if a.f.Col != b.f.Col {
			return a.f.Col < b.f.Col
		}
		if a.f.Rule != b.f.Rule {
			return a.f.Rule < b.f.Rule
		}
		if a.check != b.check {
			return a.check < b.check
		}
		return a.seq < b.seq
	})
	for _, t := range all {
		findings = append(findings, t.f)
	}
	if !spansOK {
		spans = nil
	}
	return suppressed(files, findings), errs, spans, spansOK
}

func sameFunc(a, b func(*input)) bool {
	return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer()
}

// share records what checks read of d from other documents (its TriggerTemplate's runs
// included), keeping no tree but those of Secrets and ServiceAccounts.
func (in *input) share(d *yamldoc.Doc) {
	unit := in.unit()
	unit.add(d)
	for _, e := range unit.docs {
		p := in.indexShared(e)
		if p != nil && e.Kind == "Pipeline" {
			in.pipelines[e.Name] = compactGraph(p)
		}
		if tekton(e) && (e.Kind == "Task" || e.Kind == "ClusterTask") {
			in.tasks[e.Name] = workspacesOnly(in.tasks[e.Name])
		}
		if isRun(e) {
			in.runSum.add(e)
		}
		in.defs.add(e)
	}
}

// unit is an input for one document and the runs it stamps out, reading the shared indexes of in.
func (in *input) unit() *input {
	u := newInput()
	u.order, u.pipelines, u.tasks, u.sas, u.secretNames, u.podVolumes = in.order, in.pipelines, in.tasks, in.sas, in.secretNames, in.podVolumes
	u.defs, u.runSum = in.defs, in.runSum
	return u
}

// compactGraph is p without the nodes of its tasks: runs of other documents read a Pipeline's
// task names, lines and workspace uses (checkAffinity, checkEmptyDir), never its nodes.
func compactGraph(p *graph.Pipeline) *graph.Pipeline {
	c := &graph.Pipeline{File: p.File, Line: p.Line, Kind: p.Kind, Name: p.Name, Workspaces: p.Workspaces}
	strip := func(ts []*graph.Task) []*graph.Task {
		out := make([]*graph.Task, len(ts))
		for i, t := range ts {
			ct := *t
			ct.Node = nil
			out[i] = &ct
		}
		return out
	}
	c.Tasks, c.Finally = strip(p.Tasks), strip(p.Finally)
	return c
}

// workspacesOnly is a Task spec with only its workspaces, all readOnly reads of a Task
// another document refers to.
func workspacesOnly(spec *yaml.Node) *yaml.Node {
	ws := yamldoc.Get(spec, "workspaces")
	if ws == nil {
		return nil
	}
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "workspaces"}, ws}}
}
