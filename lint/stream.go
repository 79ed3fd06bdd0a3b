package lint

import (
	"reflect"
	"sort"
	"sync/atomic"

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

// streamRun is run holding one document's tree at a time. Each document is checked (with the
// TriggerTemplate runs it stamps out) as it is parsed, against what the documents before it
// declare, and what it read of them is noted (see lookup and the reads below it); once every
// file is read, a document whose reads give another answer against the whole input is parsed
// and checked again. What is kept of other documents is compact where it can be (signatures,
// Pipelines' task graphs without their nodes, Task specs' workspace declarations, what runs
// bind and use; Secrets and ServiceAccounts whole), and TKN201-TKN203, whose findings sit on
// Secrets and ServiceAccounts, run last on those kept.
//
// The findings are run's, in run's order: a check reads of other documents only through those
// reads and indexes; a document's findings sit in its own file at its own nodes, which no other
// document's share, so the positions reportOnce and checkTekton consult are those of the
// document's own findings; a file whose documents convert/validate cuts otherwise than yaml.v3
// (docTexts nil) is checked again without texts, as run does; and the sort is run's with ties
// broken as run emits them, check by check in document order (TestStreamExact). spans are
// parsedSpans' on the documents parsed, when wantSpans.
func streamRun(files []File, checks []func(*input), wantSpans bool) (findings []Finding, errs []error, spans [][]validate.Span, spansOK bool) {
	l := newLinter(checks, wantSpans)
	for _, f := range files {
		l.Add(f)
	}
	findings, errs = l.Finish(func(i int) ([]byte, error) { return files[i].Data, nil })
	return findings, errs, l.spans, l.spansOK
}

// Linter lints files given one at a time, as they are read, holding neither their trees nor
// their bytes (Finish asks again for the bytes of a file with a document to check again, see
// streamRun): Run on a tree of any size without every file in memory.
type Linter struct {
	checks    []func(*input)
	shared    *input
	paths     []string
	units     [][]unit // by file, by document
	redoSpans []bool   // a file whose spans come from a second parse
	ignores   map[string]map[int][]string
	errs      []error
	spans     [][]validate.Span
	spansOK   bool
	seq       int
}

type tagged struct {
	f          Finding
	check, seq int
}

// unit is what is kept of one document checked.
type unit struct {
	found []tagged
	held  []func() bool
	line  int  // the document's first line
	redo  bool // check again against the whole input
}

// NewLinter is a Linter running every check.
func NewLinter() *Linter { return newLinter(checks, false) }

func newLinter(checks []func(*input), wantSpans bool) *Linter {
	l := &Linter{checks: checks, shared: newInput(), ignores: map[string]map[int][]string{}, spansOK: wantSpans}
	l.shared.defs = newDefs()
	l.shared.runSum = newRunSummary()
	return l
}

// check runs the checks but TKN201-TKN203 on one document's unit.
func (l *Linter) check(in *input, d *yamldoc.Doc, text []byte, held *[]func() bool) []tagged {
	in.held = held
	if text != nil {
		in.texts[d] = text
	}
	var found []tagged
	for c, ch := range l.checks {
		if sameFunc(ch, checkCredentials) {
			continue
		}
		ch(in)
		for _, f := range in.findings {
			found = append(found, tagged{f, c, l.seq})
			l.seq++
		}
		in.findings = in.findings[:0]
	}
	return found
}

func (l *Linter) addSpans(i int, d *yamldoc.Doc, data []byte) {
	if hasAlias(d.Root) {
		l.spansOK = false
	} else {
		l.spans[i] = append(l.spans[i], validate.ParsedSpans(d.Root, data)...)
	}
}

// Add parses and checks the documents of f, the next file.
func (l *Linter) Add(f File) {
	i := len(l.paths)
	l.paths = append(l.paths, f.Path)
	l.shared.order[f.Path] = i
	l.units = append(l.units, nil)
	l.spans = append(l.spans, nil)
	addIgnores(l.ignores, f)
	cut := newTextCut(f.Data)
	// Spans are used only for a file of maxRenamedDocs documents or fewer: taken as the
	// documents come when its pieces say it may be one, else in a second parse if it is.
	eager := cut == nil || len(cut.chunks) <= maxRenamedDocs
	err := parseFile(f.Path, f.Data, func(d *yamldoc.Doc) {
		in := l.shared.share(d)
		var text []byte
		if cut != nil {
			text = cut.next(d.Root.Line)
		}
		var held []func() bool
		found := l.check(in, d, text, &held)
		l.units[i] = append(l.units[i], unit{found: found, held: held, line: d.Root.Line})
		if l.spansOK && eager && len(l.units[i]) <= maxRenamedDocs {
			l.addSpans(i, d, f.Data)
		}
	})
	if err != nil {
		l.errs = append(l.errs, err)
	}
	l.spansOK = l.spansOK && len(l.units[i]) <= maxRenamedDocs
	l.redoSpans = append(l.redoSpans, l.spansOK && !eager && len(l.units[i]) > 0)
	for j := range l.units[i] {
		l.units[i][j].redo = cut != nil && cut.failed // run checks these without texts
	}
}

// Finish checks again the documents whose reads of others changed, reading their files' bytes
// again with data (by the order they were added; they must be the bytes given to Add), runs
// TKN201-TKN203, and returns the findings and errors Run returns on those files.
func (l *Linter) Finish(data func(i int) ([]byte, error)) (findings []Finding, errs []error) {
	units := l.units
	redo := make([]bool, len(units))
	for i := range units {
		for j := range units[i] {
			u := &units[i][j]
			for _, h := range u.held {
				u.redo = u.redo || !h()
			}
			u.held = nil
			u.redo = u.redo || redoAll
			if u.redo {
				redone.Add(1)
				u.found = nil
				redo[i] = true
			}
		}
	}
	errs = l.errs
	for i, path := range l.paths {
		if !redo[i] && !l.redoSpans[i] {
			continue
		}
		b, err := data(i)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		lines := make([]int, len(units[i]))
		for j, u := range units[i] {
			lines[j] = u.line
		}
		texts := docTextsAt(b, lines)
		j := 0
		parseFile(path, b, func(d *yamldoc.Doc) {
			if j >= len(units[i]) {
				return // not the bytes first given
			}
			if units[i][j].redo {
				var text []byte
				if texts != nil {
					text = texts[j]
				}
				units[i][j].found = l.check(l.shared.local(d), d, text, nil)
			}
			if l.redoSpans[i] && l.spansOK {
				l.addSpans(i, d, b)
			}
			j++
		})
	}
	var all []tagged
	for i := range units {
		for _, u := range units[i] {
			all = append(all, u.found...)
		}
	}
	for c, ch := range l.checks {
		if sameFunc(ch, checkCredentials) {
			ch(l.shared)
			for _, f := range l.shared.findings {
				all = append(all, tagged{f, c, l.seq})
				l.seq++
			}
		}
	}
	order := l.shared.order
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.f.File != b.f.File {
			return order[a.f.File] < order[b.f.File]
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
	if !l.spansOK {
		l.spans = nil
	}
	return redacted(dropIgnored(l.ignores, findings), errs)
}

// redone counts the documents checked again; redoAll checks every one again (tests).
var (
	redone  atomic.Int64
	redoAll = false
)

func sameFunc(a, b func(*input)) bool {
	return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer()
}

// share records what checks read of d from other documents (its TriggerTemplate's runs
// included), keeping no tree but those of Secrets and ServiceAccounts, and returns d's unit.
func (in *input) share(d *yamldoc.Doc) *input {
	u := in.unit()
	u.add(d)
	for _, e := range u.docs {
		if p := in.indexShared(e); p != nil {
			u.graphs = append(u.graphs, p)
			if e.Kind == "Pipeline" {
				in.pipelines[e.Name] = compactGraph(p)
			}
		}
		if tekton(e) && (e.Kind == "Task" || e.Kind == "ClusterTask") {
			in.tasks[e.Name] = workspacesOnly(in.tasks[e.Name])
		}
		if isRun(e) {
			in.runSum.add(e)
			u.runs = append(u.runs, e)
		}
		in.defs.add(e)
	}
	return u
}

// local is d's unit against the indexes as they are.
func (in *input) local(d *yamldoc.Doc) *input {
	u := in.unit()
	u.add(d)
	for _, e := range u.docs {
		if isRun(e) {
			u.runs = append(u.runs, e)
		}
		if p := graph.FromDoc(e); p != nil {
			u.graphs = append(u.graphs, p)
		}
	}
	return u
}

// unit is an input for one document and the runs it stamps out, reading the shared indexes of in.
// (in.runs, in.graphs: those of the unit, as index gives them.)
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

// The reads of what other documents declare. Each notes, while a document is checked as the
// input streams past (in.held non-nil), how to tell later that the input as a whole gives the
// same answer; the closures hold the shared indexes, not the document.

func (in *input) hold(f func() bool) { *in.held = append(*in.held, f) }

// lookup is the definition kind/name a reference from file from resolves to.
func (in *input) lookup(kind, name, from string) *sig {
	x := in.defs
	s := x.lookup(kind, name, from)
	if in.held != nil {
		in.hold(func() bool { return x.lookup(kind, name, from) == s })
	}
	return s
}

// podVolume reports a volume some run's podTemplate adds.
func (in *input) podVolume(name string) bool { return heldLookup(in, in.podVolumes, name) }

// pipeline is the Pipeline document of that name.
func (in *input) pipeline(name string) *graph.Pipeline { return heldLookup(in, in.pipelines, name) }

// task is the spec of the Task or ClusterTask of that name.
func (in *input) task(name string) *yaml.Node { return heldLookup(in, in.tasks, name) }

// heldLookup is m[name], noted while a document is checked so that Finish checks it again if
// the whole input gives another answer.
func heldLookup[V comparable](in *input, m map[string]V, name string) V {
	v := m[name]
	if in.held != nil {
		in.hold(func() bool { return m[name] == v })
	}
	return v
}

// claimRuns are the runs binding the PersistentVolumeClaim claim (a list only ever appended to).
func (in *input) claimRuns(claim string) []string {
	s := in.runSummary()
	runs := s.claims[claim]
	if in.held != nil {
		in.hold(func() bool { return len(s.claims[claim]) == len(runs) })
	}
	return runs
}

// readOnlyWorkspace reports a Pipeline workspace some run binds to a read-only volume.
func (in *input) readOnlyWorkspace(name string) bool {
	s := in.runSummary()
	v := s.readOnlyWs[name]
	if in.held != nil {
		in.hold(func() bool { return s.readOnlyWs[name] == v })
	}
	return v
}
