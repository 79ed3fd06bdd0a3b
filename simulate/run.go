package simulate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	"github.com/tektoncd/pipeline/pkg/reconciler/pipelinerun/resources"
	corev1 "k8s.io/api/core/v1"
	"knative.dev/pkg/apis"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/pacmatch"
)

// PaC annotations that make a PipelineRun one Pipelines-as-Code starts on events.
var pacKeys = []string{
	"pipelinesascode.tekton.dev/on-event", "pipelinesascode.tekton.dev/on-cel-expression",
	"pipelinesascode.tekton.dev/on-comment", "pipelinesascode.tekton.dev/on-label",
}

// Facts are the placeholder values of the simulated forge event ({{ revision }}, ...).
var Facts = pacmatch.Facts{SHA: "<revision>", RepoURL: "https://github.com/<owner>/<repo>", Owner: "<owner>", Repo: "<repo>", Sender: "<sender>"}

// Simulate reads files, lets Pipelines-as-Code choose and expand the runs the event
// starts (every PipelineRun when the files are not a PaC layout), and runs each.
func Simulate(files []File, opts Options) *Report {
	rep := &Report{Event: opts.Event}
	ev, facts, err := pacEvent(opts.Event)
	if err != nil {
		rep.Errors = append(rep.Errors, Error{Reason: "InvalidEvent", Message: err.Error()})
		return rep
	}
	if rep.PaC = isPaC(files); rep.PaC {
		expanded := make([]File, len(files))
		for i, f := range files {
			text, err := pacmatch.Expand(string(f.Data), ev, facts)
			if err != nil {
				rep.Errors = append(rep.Errors, Error{Pos: Pos{File: f.Path}, Reason: "PipelinesAsCode", Message: err.Error()})
				return rep
			}
			expanded[i] = File{Path: f.Path, Data: []byte(text)}
		}
		files = expanded
	}
	in, errs := read(files)
	for _, err := range errs {
		rep.Errors = append(rep.Errors, inputError(err))
	}
	runs := in.runs()
	if rep.PaC {
		if runs, err = selectPaC(rep, runs, ev, opts.Event); err != nil {
			return rep
		}
	}
	var sas []string
	for _, d := range in.runs() {
		pr := d.obj.(*v1.PipelineRun)
		sas = append(sas, pr.Spec.TaskRunTemplate.ServiceAccountName)
		for _, s := range pr.Spec.TaskRunSpecs {
			sas = append(sas, s.ServiceAccountName)
		}
	}
	for _, d := range runs {
		rep.Runs = append(rep.Runs, simulateRun(in, d, sas, opts, rep))
	}
	return rep
}

// pacEvent is the event as PaC's providers hand it over, and its placeholder values.
func pacEvent(e Event) (pacmatch.Event, pacmatch.Facts, error) {
	f := Facts
	switch e.Type {
	case "push":
		return pacmatch.Push(e.Branch), f, nil
	case "tag":
		if e.Tag == "" {
			return pacmatch.Event{}, f, errors.New("a tag event needs --tag")
		}
		return pacmatch.Tag(e.Tag), f, nil
	case "pull_request":
		f.PullRequest = 1
		return pacmatch.PullRequest(e.TargetBranch, e.Branch), f, nil
	case "incoming":
		return pacmatch.Incoming(e.Branch, e.PipelineRun), f, nil
	}
	return pacmatch.Event{}, f, fmt.Errorf("unknown event %q (want push, pull_request, tag or incoming)", e.Type)
}

// isPaC reports whether any PipelineRun of files carries a PaC trigger annotation.
func isPaC(files []File) bool {
	for _, f := range files {
		ds, _ := yamldoc.Parse(f.Path, f.Data)
		for _, d := range ds {
			if d.Kind != "PipelineRun" {
				continue
			}
			for _, k := range pacKeys {
				if yamldoc.Get(d.Root, "metadata", "annotations", k) != nil {
					return true
				}
			}
		}
	}
	return false
}

// selectPaC keeps the runs PaC's matcher starts for ev. A push to the default branch
// that starts nothing is an error: the migrated CI would silently stop building.
func selectPaC(rep *Report, runs []*doc, ev pacmatch.Event, e Event) ([]*doc, error) {
	prs := make([]*v1.PipelineRun, len(runs))
	for i, d := range runs {
		prs[i] = d.obj.(*v1.PipelineRun)
	}
	names, err := pacmatch.Match(prs, ev)
	if err != nil {
		pos := Pos{}
		if len(runs) > 0 {
			pos = runs[0].pos(nil)
		}
		rep.Errors = append(rep.Errors, Error{Pos: pos, Reason: "PipelinesAsCode", Message: err.Error()})
		return nil, err
	}
	var out []*doc
	for i, d := range runs {
		name := prs[i].GenerateName
		if name == "" {
			name = prs[i].Name
		}
		if slices.Contains(names, name) {
			out = append(out, d)
		} else {
			rep.NotSelected = append(rep.NotSelected, name)
		}
	}
	if len(out) == 0 && e.Type == "push" && e.Branch == e.DefaultBranch && slices.ContainsFunc(prs, forPush) {
		rep.Errors = append(rep.Errors, Error{Pos: runs[0].pos(nil), Reason: "NoPipelineRunMatched",
			Message: fmt.Sprintf("Pipelines-as-Code starts no PipelineRun for a push to the default branch %s, though runs are meant for pushes: no run's on-event/on-target-branch or on-cel-expression matches it", e.Branch)})
	}
	return out, nil
}

// forPush reports whether pr is meant to start on pushes: its on-event names push, or
// an on-cel-expression decides. Runs only for pull requests or the incoming webhook
// (a Jenkins job nobody triggers by pushing) make a push that starts nothing no error.
func forPush(pr *v1.PipelineRun) bool {
	a := pr.GetAnnotations()
	return strings.Contains(a["pipelinesascode.tekton.dev/on-event"], "push") || a["pipelinesascode.tekton.dev/on-cel-expression"] != ""
}

// inputError positions an input error.
func inputError(err error) Error {
	var pe *convert.PosError
	var ve *validate.Error
	switch {
	case errors.As(err, &ve):
		return Error{Pos: Pos{File: ve.Path, Line: ve.Line, Col: ve.Col}, Reason: "InvalidDocument", Message: ve.Err.Error()}
	case errors.As(err, &pe):
		return Error{Pos: Pos{File: pe.Path, Line: pe.Line, Col: pe.Col}, Reason: "InvalidInput", Message: pe.Msg}
	}
	return Error{Reason: "InvalidInput", Message: err.Error()}
}

// simulateRun runs one PipelineRun document in a fresh simulated cluster.
func simulateRun(in *inputs, d *doc, sas []string, opts Options, rep *Report) Run {
	pr := d.obj.(*v1.PipelineRun).DeepCopy()
	for _, k := range sortedKeys(opts.Params) {
		p := v1.Param{Name: k, Value: *v1.NewStructuredValues(opts.Params[k])}
		if i := slices.IndexFunc(pr.Spec.Params, func(q v1.Param) bool { return q.Name == k }); i >= 0 {
			pr.Spec.Params[i] = p
		} else {
			pr.Spec.Params = append(pr.Spec.Params, p)
		}
	}
	s := &sim{
		tekton: newTektonClient(in.objects()), kube: newKubeClient(sas),
		given: opts.Results, origin: map[string]string{}, fail: opts.Fail, runDoc: d, pipelineDoc: d,
		taskRuns: map[string]*v1.TaskRun{}, pods: map[string]*corev1.Pod{}, wave: map[string]int{},
	}
	run := Run{Pos: d.pos(nil), Name: runName(pr)}
	if pr.Spec.PipelineRef != nil && pr.Spec.PipelineRef.Name != "" {
		run.Pipeline = pr.Spec.PipelineRef.Name
		s.pipelineDoc = in.pipeline(run.Pipeline)
	}
	ps, state, err := s.guarded(pr)
	if err != nil {
		e := Error{Pos: run.Pos, Reason: "Failed", Message: err.Error()}
		var ce *controllerError
		if errors.As(err, &ce) {
			e.Reason = ce.reason
			if ce.task != "" {
				e.Pos = s.taskPos(ce.task)
			}
			if ce.offline {
				pr.Status.SetCondition(&apis.Condition{Type: apis.ConditionSucceeded, Status: corev1.ConditionUnknown, Reason: ce.reason, Message: ce.msg})
			} else {
				pr.Status.MarkFailed(ce.reason, "%s", ce.msg)
			}
		}
		if ce != nil && ce.offline {
			rep.Unresolved = append(rep.Unresolved, e)
		} else {
			rep.Errors = append(rep.Errors, e)
		}
	}
	rep.Errors = append(rep.Errors, s.errs...)
	rep.Unresolved = append(rep.Unresolved, s.unresolved...)
	if c := pr.Status.GetCondition(apis.ConditionSucceeded); c != nil {
		run.Status, run.Reason, run.Message = string(c.Status), c.Reason, c.Message
	} else {
		run.Status = string(corev1.ConditionUnknown)
	}
	run.Tasks = s.describe(pr, ps, state)
	redactRun(&run, pr, ps)
	return run
}

// guarded runs pr, turning a panic inside Tekton's code into an error about the run,
// so one odd document does not end a batch.
func (s *sim) guarded(pr *v1.PipelineRun) (ps *v1.PipelineSpec, state resources.PipelineRunState, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the controller code panicked: %v", r)
		}
	}()
	return s.runPipelineRun(context.Background(), pr)
}

// describe turns the final state into report rows, in the order the tasks started.
func (s *sim) describe(pr *v1.PipelineRun, ps *v1.PipelineSpec, state resources.PipelineRunState) []Task {
	finally := map[string]bool{}
	if ps != nil {
		for _, t := range ps.Finally {
			finally[t.Name] = true
		}
	}
	skipped := map[string]v1.SkippedTask{}
	for _, st := range pr.Status.SkippedTasks {
		skipped[st.Name] = st
	}
	var out []Task
	for _, rpt := range state {
		pt := rpt.PipelineTask
		t := Task{Name: pt.Name, Finally: finally[pt.Name], Wave: s.wave[pt.Name], Params: params(pt.Params)}
		switch {
		case len(rpt.TaskRuns) > 0:
			t.State = WouldRun
			for _, tr := range rpt.TaskRuns {
				t.TaskRuns = append(t.TaskRuns, tr.Name)
				if c := tr.Status.GetCondition(apis.ConditionSucceeded); c != nil && c.IsFalse() {
					t.State, t.Reason = Failed, c.Reason+": "+firstLine(c.Message)
					if c.Reason == v1.TaskRunReasonFailureIgnored.String() {
						t.State = Ignored
					}
				}
			}
			if pt.IsMatrixed() {
				for _, cell := range pt.Matrix.FanOut() {
					t.Matrix = append(t.Matrix, params(cell))
				}
			}
			for _, r := range rpt.TaskRuns[0].Status.Results {
				t.Results = append(t.Results, Result{Name: r.Name, Value: value(v1.ParamValue(r.Value)), Origin: s.origin[pt.Name+"."+r.Name]})
			}
			if pod := s.pods[rpt.TaskRuns[0].Name]; pod != nil {
				t.ServiceAccount, t.NodeSelector = pod.Spec.ServiceAccountName, pod.Spec.NodeSelector
			}
		case skipped[pt.Name].Name != "":
			st := skipped[pt.Name]
			t.State, t.Reason = Skipped, string(st.Reason)
			if st.Reason == v1.WhenExpressionsSkip {
				for _, w := range st.WhenExpressions {
					t.Reason += fmt.Sprintf("; %s", when(w))
				}
			}
		default:
			t.State, t.Reason = Skipped, "not started: the run stopped"
		}
		if t.ServiceAccount == "" {
			spec := pr.GetTaskRunSpec(pt.Name)
			t.ServiceAccount = spec.ServiceAccountName
			if spec.PodTemplate != nil {
				t.NodeSelector = spec.PodTemplate.NodeSelector
			}
		}
		t.Workspaces = workspaces(pr, pt)
		out = append(out, t)
	}
	// Start order: by wave, tasks that never started last; ties keep the Pipeline's order.
	sort.SliceStable(out, func(i, j int) bool {
		wi, wj := out[i].Wave, out[j].Wave
		if wi == 0 || wj == 0 {
			return wi != 0 && wj == 0
		}
		return wi < wj
	})
	return out
}

func params(ps v1.Params) []Param {
	var out []Param
	for _, p := range ps {
		out = append(out, Param{Name: p.Name, Value: value(p.Value)})
	}
	return out
}

func value(v v1.ParamValue) string {
	if v.Type == v1.ParamTypeString {
		return v.StringVal
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// when renders a when expression the way it was evaluated.
func when(w v1.WhenExpression) string {
	if w.CEL != "" {
		return "cel: " + w.CEL
	}
	return fmt.Sprintf("%q %s %q", w.Input, w.Operator, w.Values)
}

// workspaces describes each workspace of pt and the PipelineRun binding behind it.
func workspaces(pr *v1.PipelineRun, pt *v1.PipelineTask) []Workspace {
	var out []Workspace
	for _, ws := range pt.Workspaces {
		pw := ws.Workspace
		if pw == "" {
			pw = ws.Name
		}
		i := slices.IndexFunc(pr.Spec.Workspaces, func(b v1.WorkspaceBinding) bool { return b.Name == pw })
		vol := "not bound"
		if i >= 0 {
			vol = volume(pr.Spec.Workspaces[i])
			if sub := combinedSubPath(pr.Spec.Workspaces[i].SubPath, ws.SubPath); sub != "" {
				vol += ", subPath " + sub
			}
		}
		out = append(out, Workspace{Name: ws.Name, Volume: pw + ": " + vol})
	}
	return out
}

func volume(b v1.WorkspaceBinding) string {
	switch {
	case b.VolumeClaimTemplate != nil:
		var req []string
		for _, m := range b.VolumeClaimTemplate.Spec.AccessModes {
			req = append(req, string(m))
		}
		if q, ok := b.VolumeClaimTemplate.Spec.Resources.Requests[corev1.ResourceStorage]; ok {
			req = append(req, q.String())
		}
		return "volumeClaimTemplate (new PVC per run: " + strings.Join(req, " ") + ")"
	case b.PersistentVolumeClaim != nil:
		return "PVC " + b.PersistentVolumeClaim.ClaimName
	case b.EmptyDir != nil:
		return "emptyDir"
	case b.Secret != nil:
		return "Secret " + b.Secret.SecretName
	case b.ConfigMap != nil:
		return "ConfigMap " + b.ConfigMap.Name
	case b.Projected != nil:
		return "projected"
	case b.CSI != nil:
		return "CSI " + b.CSI.Driver
	}
	return "unknown volume"
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
