package simulate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"

	"github.com/tektoncd/pipeline/pkg/apis/config"
	"github.com/tektoncd/pipeline/pkg/apis/pipeline"
	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	"github.com/tektoncd/pipeline/pkg/apis/pipeline/v1beta1"
	"github.com/tektoncd/pipeline/pkg/reconciler/pipeline/dag"
	rprp "github.com/tektoncd/pipeline/pkg/reconciler/pipelinerun/pipelinespec"
	"github.com/tektoncd/pipeline/pkg/reconciler/pipelinerun/resources"
	"github.com/tektoncd/pipeline/pkg/reconciler/taskrun"
	tresources "github.com/tektoncd/pipeline/pkg/reconciler/taskrun/resources"
	"github.com/tektoncd/pipeline/pkg/reconciler/volumeclaim"
	"github.com/tektoncd/pipeline/pkg/substitution"
	"github.com/tektoncd/pipeline/pkg/workspace"
	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/utils/clock"
	"knative.dev/pkg/apis"
	"knative.dev/pkg/kmeta"

	fakepipeline "github.com/tektoncd/pipeline/pkg/client/clientset/versioned/fake"
	fakekube "k8s.io/client-go/kubernetes/fake"

	"github.com/tkn-migrate/tkn-migrate/simulate/catalogres"
)

// referringTask finds the task in ValidatePipelineTaskResults' message.
var referringTask = regexp.MustCompile(`in pipeline task "([^"]+)"`)

// maxWaves bounds the reconcile loop; each wave starts at least one TaskRun, so a
// Pipeline can't need more than its task count (matrix cells start together).
const maxWaves = 1000

// sim is the simulated cluster of one PipelineRun.
type sim struct {
	tekton *fakepipeline.Clientset
	kube   *fakekube.Clientset
	given  map[string]string // --result values, by "task.result"
	fail   map[string]bool
	// origin says where each result value came from (ResultComputed, ...), by "task.result".
	origin map[string]string

	runDoc      *doc // the PipelineRun
	pipelineDoc *doc // the document holding the Pipeline spec (the run itself when embedded)

	taskRuns map[string]*v1.TaskRun // created TaskRuns, completed, by name
	pods     map[string]*corev1.Pod // their Pods, by TaskRun name
	wave     map[string]int         // pipeline task -> wave that created its TaskRuns
	// childRefs are the run's status.childReferences: the TaskRuns made so far.
	childRefs []v1.ChildStatusReference
	errs      []Error
	// unresolved are TaskRuns not simulated past a reference outside the catalog.
	unresolved []Error
}

// controllerError is a PipelineRun the controller marks failed: its reason and message.
type controllerError struct {
	reason, msg string
	task        string // the pipeline task it is about, if any
	offline     bool   // a reference the simulation can't resolve offline, not the controller's error
}

// reasonOffline is the reason of a run or TaskRun not simulated past a reference outside the catalog.
const reasonOffline = "UnresolvableOffline"

func (e *controllerError) Error() string { return e.msg }

func failf(reason v1.PipelineRunReason, format string, args ...any) *controllerError {
	return &controllerError{reason: reason.String(), msg: fmt.Sprintf(format, args...)}
}

// runPipelineRun drives one PipelineRun to completion the way repeated reconciles do:
// each wave is one pass of pkg/reconciler/pipelinerun's reconcile, and every TaskRun it
// creates is reconciled and finishes before the next pass.
func (s *sim) runPipelineRun(ctx context.Context, pr *v1.PipelineRun) (*v1.PipelineSpec, resources.PipelineRunState, error) {
	pr.Namespace = Namespace
	pr.Name = runName(pr)
	pr.SetDefaults(ctx)
	getPipeline := resources.GetPipelineFunc(ctx, s.kube, s.tekton, catalogres.Requester{}, pr, nil)
	pipelineMeta, pipelineSpec, err := rprp.GetPipelineData(ctx, pr, getPipeline)
	if err != nil {
		return nil, nil, failf(v1.PipelineRunReasonCouldntGetPipeline, "Error retrieving pipeline for pipelinerun %s/%s: %s", pr.Namespace, pr.Name, err)
	}
	pname := pipelineMeta.Name
	d, err := dag.Build(v1.PipelineTaskList(pipelineSpec.Tasks), v1.PipelineTaskList(pipelineSpec.Tasks).Deps())
	if err != nil {
		return nil, nil, failf(v1.PipelineRunReasonInvalidGraph, "PipelineRun %s/%s's Pipeline DAG is invalid: %s", pr.Namespace, pr.Name, err)
	}
	dfinally, err := dag.Build(v1.PipelineTaskList(pipelineSpec.Finally), map[string][]string{})
	if err != nil {
		return nil, nil, failf(v1.PipelineRunReasonInvalidGraph, "PipelineRun %s/%s's Pipeline DAG is invalid for finally clause: %s", pr.Namespace, pr.Name, err)
	}
	if err := pipelineSpec.Validate(ctx); err != nil {
		return nil, nil, failf(v1.PipelineRunReasonFailedValidation, "Pipeline %s/%s can't be Run; it has an invalid spec: %s", Namespace, pname, err)
	}
	if err := resources.ValidateRequiredParametersProvided(&pipelineSpec.Params, &pr.Spec.Params); err != nil {
		return nil, nil, failf(v1.PipelineRunReasonParameterMissing, "PipelineRun %s/%s is missing some parameters required by Pipeline %s/%s: %s", pr.Namespace, pr.Name, pr.Namespace, pname, err)
	}
	if err := resources.ValidateParamTypesMatching(pipelineSpec, pr); err != nil {
		return nil, nil, failf(v1.PipelineRunReasonParameterTypeMismatch, "PipelineRun %s/%s parameters have mismatching types with Pipeline %s/%s's parameters: %s", pr.Namespace, pr.Name, pr.Namespace, pname, err)
	}
	if config.FromContextOrDefaults(ctx).FeatureFlags.EnableParamEnum {
		if err := taskrun.ValidateEnumParam(ctx, pr.Spec.Params, pipelineSpec.Params); err != nil {
			return nil, nil, failf(v1.PipelineRunReasonInvalidParamValue, "PipelineRun %s/%s parameters have invalid value: %s", pr.Namespace, pr.Name, err)
		}
	}
	if err := resources.ValidateObjectParamRequiredKeys(pipelineSpec.Params, pr.Spec.Params); err != nil {
		return nil, nil, failf(v1.PipelineRunReasonObjectParameterMissKeys, "PipelineRun %s/%s parameters is missing object keys required by Pipeline %s/%s's parameters: %s", pr.Namespace, pr.Name, pr.Namespace, pname, err)
	}
	if err := resources.ValidateParamArrayIndex(pipelineSpec, pr.Spec.Params); err != nil {
		return nil, nil, failf(v1.PipelineRunReasonParamArrayIndexingInvalid, "PipelineRun %s/%s failed validation: failed to validate Pipeline %s/%s's parameter which has an invalid index while referring to an array: %s", pr.Namespace, pr.Name, pr.Namespace, pname, err)
	}
	if err := resources.ValidateWorkspaceBindings(pipelineSpec, pr); err != nil {
		return nil, nil, failf(v1.PipelineRunReasonInvalidWorkspaceBinding, "PipelineRun %s/%s doesn't bind Pipeline %s/%s's Workspaces correctly: %s", pr.Namespace, pr.Name, pr.Namespace, pname, err)
	}
	if err := resources.ValidateTaskRunSpecs(pipelineSpec, pr); err != nil {
		return nil, nil, failf(v1.PipelineRunReasonInvalidTaskRunSpec, "PipelineRun %s/%s doesn't define taskRunSpecs correctly: %s", pr.Namespace, pr.Name, err)
	}
	resources.ApplyParametersToWorkspaceBindings(pr)
	pipelineSpec, err = resources.ApplyParameters(pipelineSpec, pr)
	if err != nil {
		return nil, nil, failf(v1.PipelineRunReasonFailedValidation, "Failed to apply parameters to Pipeline %s/%s: %s", pr.Namespace, pname, err)
	}
	pipelineSpec = resources.ApplyContexts(pipelineSpec, pname, pr)
	pipelineSpec = resources.ApplyWorkspaces(pipelineSpec, pr)
	pr.Status.PipelineSpec = pipelineSpec
	for _, t := range append(append([]v1.PipelineTask(nil), pipelineSpec.Tasks...), pipelineSpec.Finally...) {
		if err := t.ValidateOnError(ctx); err != nil {
			return nil, nil, failf(v1.PipelineRunReasonFailedValidation, "Pipeline %s/%s can't be Run; it has an invalid spec: %s", Namespace, pname, err)
		}
	}

	var state resources.PipelineRunState
	for w := 1; w <= maxWaves; w++ {
		var facts *resources.PipelineRunFacts
		started := len(s.childRefs)
		state, facts, err = s.reconcilePass(ctx, pr, pipelineSpec, pname, d, dfinally, w)
		if err != nil {
			return pipelineSpec, state, err
		}
		if len(s.childRefs) > started {
			// The controller sees a TaskRun it just created as running: finally tasks and the
			// run's status wait for the next pass, when $(tasks.status) counts it as done.
			pr.Status.ChildReferences = s.childRefs
			continue
		}
		after := facts.GetPipelineConditionStatus(ctx, pr, zap.NewNop().Sugar(), clock.RealClock{})
		pr.Status.SkippedTasks = facts.GetSkippedTasks()
		// facts.GetChildReferences would also substitute results into the (discarded)
		// state, at a cost that dominates big Pipelines; the references alone are these.
		pr.Status.ChildReferences = s.childRefs
		switch after.Status {
		case corev1.ConditionTrue:
			pr.Status.MarkSucceeded(after.Reason, after.Message)
			return pipelineSpec, state, nil
		case corev1.ConditionFalse:
			pr.Status.MarkFailed(after.Reason, after.Message)
			return pipelineSpec, state, nil
		}
	}
	return pipelineSpec, state, fmt.Errorf("the run did not finish within %d controller passes", maxWaves)
}

// reconcilePass is one reconcile of a started PipelineRun, from resolving its tasks'
// state to creating the TaskRuns that can start (runNextSchedulableTask).
func (s *sim) reconcilePass(ctx context.Context, pr *v1.PipelineRun, ps *v1.PipelineSpec, pname string, d, dfinally *dag.Graph, wave int) (resources.PipelineRunState, *resources.PipelineRunFacts, error) {
	tasks := append(append([]v1.PipelineTask(nil), ps.Tasks...), ps.Finally...)
	// Tasks that ran are resolved first, so results are known to those that did not.
	started := sets.New[string]()
	for _, c := range pr.Status.ChildReferences {
		started.Insert(c.PipelineTaskName)
	}
	var ran, notStarted []v1.PipelineTask
	for _, t := range tasks {
		if started.Has(t.Name) {
			ran = append(ran, t)
		} else {
			notStarted = append(notStarted, t)
		}
	}
	state, err := s.resolveState(ctx, pr, pname, ran, nil)
	if err != nil {
		return state, nil, err
	}
	if state, err = s.resolveState(ctx, pr, pname, notStarted, state); err != nil {
		return state, nil, err
	}
	facts := &resources.PipelineRunFacts{
		State: state, SpecStatus: pr.Spec.Status, TasksGraph: d, FinalTasksGraph: dfinally,
		TimeoutsState: resources.PipelineRunTimeoutsState{Clock: clock.RealClock{}},
	}
	for _, rpt := range facts.State {
		if rpt.IsCustomTask() || rpt.IsChildPipeline() {
			continue
		}
		if err := taskrun.ValidateResolvedTask(ctx, rpt.PipelineTask.Params, rpt.PipelineTask.Matrix, rpt.ResolvedTask); err != nil {
			e := failf(v1.PipelineRunReasonFailedValidation, "Validation failed for pipelinerun %s with error %s", pr.Name, err)
			e.task = rpt.PipelineTask.Name
			return state, facts, e
		}
	}
	for _, rpt := range facts.State {
		if err := rpt.EvaluateCEL(); err != nil {
			e := failf(v1.PipelineRunReasonCELEvaluationFailed, "Error evaluating CEL %s: %v", pr.Name, err)
			e.task = rpt.PipelineTask.Name
			return state, facts, e
		}
	}
	if facts.State.IsBeforeFirstTaskRun() {
		if err := resources.ValidatePipelineTaskResults(facts.State); err != nil {
			e := failf(v1.PipelineRunReasonInvalidTaskResultReference, "%s", err)
			// Tekton's message names the referring task: point there.
			if m := referringTask.FindStringSubmatch(err.Error()); m != nil {
				e.task = m[1]
			}
			return state, facts, e
		}
		if err := resources.ValidatePipelineResults(ps, facts.State); err != nil {
			return state, facts, failf(v1.PipelineRunReasonInvalidPipelineResultReference, "Failed to resolve pipeline result reference for %q with error %v", pr.Name, err)
		}
		if err := resources.ValidateOptionalWorkspaces(ps.Workspaces, facts.State); err != nil {
			return state, facts, failf(v1.PipelineRunReasonRequiredWorkspaceMarkedOptional, "Optional workspace not supported by task: %v", err)
		}
	}
	return state, facts, s.runNextSchedulableTask(ctx, pr, facts, wave)
}

// resolveState is resolvePipelineState: each pipeline task resolved with
// resources.ResolvePipelineTask against the fake clients and the TaskRuns made so far.
func (s *sim) resolveState(ctx context.Context, pr *v1.PipelineRun, pname string, tasks []v1.PipelineTask, pst resources.PipelineRunState) (resources.PipelineRunState, error) {
	getTaskRun := func(name string) (*v1.TaskRun, error) {
		if tr, ok := s.taskRuns[name]; ok {
			return tr, nil
		}
		return nil, kerrors.NewNotFound(v1.Resource("taskrun"), name)
	}
	getChildRun := func(name string) (*v1.PipelineRun, error) {
		return nil, kerrors.NewNotFound(v1.Resource("pipelinerun"), name)
	}
	getCustomRun := func(name string) (*v1beta1.CustomRun, error) {
		return nil, kerrors.NewNotFound(v1beta1.Resource("customrun"), name)
	}
	for _, pt := range tasks {
		trName := resources.GetTaskRunName(pr.Status.ChildReferences, pt.Name, pr.Name)
		getTask := tresources.GetTaskFunc(ctx, s.kube, s.tekton, catalogres.Requester{}, pr, pt.TaskRef, trName, pr.Namespace, pr.Spec.TaskRunTemplate.ServiceAccountName, nil)
		getChildPipeline := resources.GetChildPipelineFunc(ctx, s.kube, s.tekton, catalogres.Requester{}, pr, pt.PipelineRef, nil)
		rpt, err := resources.ResolvePipelineTask(ctx, *pr, getChildRun, getChildPipeline, getTask, getTaskRun, getCustomRun, pt, pst)
		if err != nil {
			var nf *resources.TaskNotFoundError
			var pnf *resources.PipelineNotFoundError
			var e *controllerError
			switch {
			case errors.Is(err, catalogres.ErrOffline):
				e = &controllerError{reason: reasonOffline, msg: err.Error(), offline: true}
			case errors.As(err, &nf):
				e = failf(v1.PipelineRunReasonCouldntGetTask, "Pipeline %s/%s can't be Run; it contains Tasks that don't exist: %s", Namespace, pname, nf)
			case errors.As(err, &pnf):
				e = failf(v1.PipelineRunReasonCouldntGetPipeline, "Pipeline %s/%s can't be Run; it contains child Pipelines that don't exist: %s", Namespace, pname, pnf)
			default:
				e = failf(v1.PipelineRunReasonFailedValidation, "PipelineRun %s/%s can't be Run; couldn't resolve all references: %s", Namespace, pr.Name, err)
			}
			e.task = pt.Name
			return pst, e
		}
		pst = append(pst, rpt)
	}
	return pst, nil
}

// runNextSchedulableTask follows the reconciler's function of that name.
func (s *sim) runNextSchedulableTask(ctx context.Context, pr *v1.PipelineRun, facts *resources.PipelineRunFacts, wave int) error {
	next, err := facts.DAGExecutionQueue()
	if err != nil {
		return err
	}
	for _, rpt := range next {
		if err := resources.CheckMissingResultReferences(facts.State, rpt); err != nil {
			next = nil
			facts.ValidationFailedTask = append(facts.ValidationFailedTask, rpt)
			if facts.ValidationFailedErrors == nil {
				facts.ValidationFailedErrors = map[string]string{}
			}
			facts.ValidationFailedErrors[rpt.PipelineTask.Name] = err.Error()
		}
	}
	if finals := facts.GetFinalTasks(); len(finals) > 0 {
		resources.ApplyPipelineTaskStateContext(finals, facts.GetPipelineTaskStatus())
		for _, rpt := range finals {
			refs, _, err := resources.ResolveResultRef(facts.State, rpt)
			if err != nil {
				continue // not executed: it could not resolve its params
			}
			resources.ApplyTaskResults(resources.PipelineRunState{rpt}, refs)
			if err := rpt.EvaluateCEL(); err != nil {
				e := failf(v1.PipelineRunReasonCELEvaluationFailed, "Error evaluating CEL %s: %v", pr.Name, err)
				e.task = rpt.PipelineTask.Name
				return e
			}
			next = append(next, rpt)
		}
	}
	resources.ApplyResultsToWorkspaceBindings(facts.State.GetTaskRunsResults(), pr)
	for _, rpt := range next {
		if rpt == nil || rpt.Skip(facts).IsSkipped || rpt.IsFinallySkipped(facts).IsSkipped {
			continue
		}
		resources.PropagateResults(rpt, facts.State)
		if err := resources.PropagateArtifacts(rpt, facts.State); err != nil {
			return err
		}
		if rpt.PipelineTask.IsMatrixed() {
			if err := resources.ValidateParameterTypesInMatrix(facts.State); err != nil {
				e := failf(v1.PipelineRunReasonInvalidMatrixParameterTypes, "Failed to validate matrix %q with error %v", pr.Name, err)
				e.task = rpt.PipelineTask.Name
				return e
			}
		}
		if rpt.IsCustomTask() || rpt.IsChildPipeline() {
			e := failf(v1.PipelineRunReasonCreateRunFailed, "pipeline task %q is a custom task or a child pipeline, which the simulation does not run", rpt.PipelineTask.Name)
			e.task = rpt.PipelineTask.Name
			return e
		}
		if err := s.createTaskRuns(ctx, rpt, pr, facts, wave); err != nil {
			return err
		}
	}
	return nil
}

// createTaskRuns is the reconciler's createTaskRuns and createTaskRun: one TaskRun per
// matrix cell, each reconciled at once by the TaskRun side.
func (s *sim) createTaskRuns(ctx context.Context, rpt *resources.ResolvedPipelineTask, pr *v1.PipelineRun, facts *resources.PipelineRunFacts, wave int) error {
	var cells []v1.Params
	if rpt.PipelineTask.IsMatrixed() {
		cells = rpt.PipelineTask.Matrix.FanOut()
	}
	if config.FromContextOrDefaults(ctx).FeatureFlags.EnableParamEnum {
		for i := range rpt.TaskRunNames {
			var params v1.Params
			if len(cells) > i {
				params = cells[i]
			}
			params = append(params, rpt.PipelineTask.Params...)
			if err := taskrun.ValidateEnumParam(ctx, params, rpt.ResolvedTask.TaskSpec.Params); err != nil {
				e := failf(v1.PipelineRunReasonInvalidParamValue, "Invalid param value from PipelineTask \"%s\": %v", rpt.PipelineTask.Name, err)
				e.task = rpt.PipelineTask.Name
				return e
			}
		}
	}
	s.wave[rpt.PipelineTask.Name] = wave
	for i, name := range rpt.TaskRunNames {
		var params v1.Params
		if len(cells) > i {
			params = cells[i]
		}
		tr, err := s.newTaskRun(ctx, name, params, rpt, pr, facts)
		if err != nil {
			e := failf(v1.PipelineRunReasonCreateRunFailed, "%s", err)
			e.task = rpt.PipelineTask.Name
			return e
		}
		pod, err := s.reconcileTaskRun(ctx, tr, s.fail[rpt.PipelineTask.Name])
		if err != nil {
			s.taskError(rpt.PipelineTask.Name, tr, err)
		}
		s.taskRuns[name], s.pods[name] = tr, pod
		s.childRefs = append(s.childRefs, v1.ChildStatusReference{
			TypeMeta: runtime.TypeMeta{APIVersion: v1.SchemeGroupVersion.String(), Kind: pipeline.TaskRunControllerName},
			Name:     name, PipelineTaskName: rpt.PipelineTask.Name,
		})
		rpt.TaskRuns = append(rpt.TaskRuns, tr)
	}
	return nil
}

// newTaskRun builds the TaskRun as createTaskRun does (labels and tracing annotations,
// which change nothing here, aside).
func (s *sim) newTaskRun(ctx context.Context, name string, params v1.Params, rpt *resources.ResolvedPipelineTask, pr *v1.PipelineRun, facts *resources.PipelineRunFacts) (*v1.TaskRun, error) {
	rpt.PipelineTask = resources.ApplyPipelineTaskContexts(rpt.PipelineTask, pr.Status, facts)
	spec := pr.GetTaskRunSpec(rpt.PipelineTask.Name)
	params = append(params, rpt.PipelineTask.Params...)
	tr := &v1.TaskRun{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: pr.Namespace,
			OwnerReferences: []metav1.OwnerReference{*kmeta.NewControllerRef(pr)},
			Labels: map[string]string{
				pipeline.PipelineLabelKey: pr.Name, pipeline.PipelineRunLabelKey: pr.Name,
				pipeline.PipelineTaskLabelKey: rpt.PipelineTask.Name,
			},
			Annotations: map[string]string{},
		},
		Spec: v1.TaskRunSpec{
			Retries: rpt.PipelineTask.Retries, Params: params,
			ServiceAccountName: spec.ServiceAccountName, PodTemplate: spec.PodTemplate,
			StepSpecs: spec.StepSpecs, SidecarSpecs: spec.SidecarSpecs, ComputeResources: spec.ComputeResources,
		},
	}
	if rpt.PipelineTask.OnError == v1.PipelineTaskContinue {
		tr.Annotations[v1.PipelineTaskOnErrorAnnotation] = string(v1.PipelineTaskContinue)
	}
	tr.Spec.Timeout = rpt.PipelineTask.Timeout
	if spec.Timeout != nil {
		tr.Spec.Timeout = spec.Timeout
	}
	if rpt.ResolvedTask.TaskName != "" {
		tr.Spec.TaskRef = rpt.PipelineTask.TaskRef
	} else if rpt.ResolvedTask.TaskSpec != nil {
		tr.Spec.TaskSpec = rpt.ResolvedTask.TaskSpec
	}
	ws, err := taskRunWorkspaces(pr, rpt)
	if err != nil {
		return nil, err
	}
	tr.Spec.Workspaces = ws
	return tr, nil
}

// taskRunWorkspaces is the reconciler's getTaskrunWorkspaces with the default
// affinity-assistant behaviour (one per workspace): a volumeClaimTemplate binding
// becomes the PipelineRun's PVC for it.
func taskRunWorkspaces(pr *v1.PipelineRun, rpt *resources.ResolvedPipelineTask) ([]v1.WorkspaceBinding, error) {
	bound := map[string]v1.WorkspaceBinding{}
	for _, b := range pr.Spec.Workspaces {
		bound[b.Name] = b
	}
	if rpt.PipelineTask.TaskSpec != nil {
		used, err := workspace.FindWorkspacesUsedByTask(rpt.PipelineTask.TaskSpec.TaskSpec)
		if err != nil {
			return nil, err
		}
		have := sets.New[string]()
		for _, ws := range rpt.PipelineTask.Workspaces {
			have.Insert(ws.Name)
		}
		for _, w := range used.List() {
			if !have.Has(w) {
				rpt.PipelineTask.Workspaces = append(rpt.PipelineTask.Workspaces, v1.WorkspacePipelineTaskBinding{Name: w})
			}
		}
	}
	var out []v1.WorkspaceBinding
	for _, ws := range rpt.PipelineTask.Workspaces {
		pw := ws.Workspace
		if pw == "" {
			pw = ws.Name
		}
		b, ok := bound[pw]
		if !ok {
			optional := false
			if rpt.ResolvedTask != nil && rpt.ResolvedTask.TaskSpec != nil {
				for _, d := range rpt.ResolvedTask.TaskSpec.Workspaces {
					optional = optional || (d.Name == ws.Name && d.Optional)
				}
			}
			if !optional {
				return nil, fmt.Errorf("expected workspace %q to be provided by pipelinerun for pipeline task %q", pw, rpt.PipelineTask.Name)
			}
			continue
		}
		sub := combinedSubPath(b.SubPath, ws.SubPath)
		if b.VolumeClaimTemplate == nil {
			c := *b.DeepCopy()
			c.Name, c.SubPath = ws.Name, sub
			out = append(out, c)
			continue
		}
		out = append(out, v1.WorkspaceBinding{Name: ws.Name, SubPath: sub, PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{
			ClaimName: volumeclaim.GeneratePVCNameFromWorkspaceBinding(b.VolumeClaimTemplate.Name, b, *kmeta.NewControllerRef(pr)),
		}})
	}
	var p string
	if pr.Spec.PipelineRef != nil {
		p = pr.Spec.PipelineRef.Name
	}
	for i := range out {
		out[i].SubPath = substitution.ApplyReplacements(out[i].SubPath, resources.GetContextReplacements(p, pr))
	}
	return out, nil
}

func combinedSubPath(workspaceSubPath, pipelineTaskSubPath string) string {
	switch {
	case workspaceSubPath == "":
		return pipelineTaskSubPath
	case pipelineTaskSubPath == "":
		return workspaceSubPath
	}
	return filepath.Join(workspaceSubPath, pipelineTaskSubPath)
}

// taskError records a TaskRun the controller fails before its Pod runs.
func (s *sim) taskError(task string, tr *v1.TaskRun, err error) {
	reason := "TaskRunFailed"
	if c := tr.Status.GetCondition(apis.ConditionSucceeded); c != nil {
		reason = c.Reason
	}
	e := Error{Pos: s.taskPos(task), Reason: reason, Message: fmt.Sprintf("TaskRun %s: %v", tr.Name, err)}
	if errors.Is(err, catalogres.ErrOffline) {
		e.Reason = reasonOffline
		s.unresolved = append(s.unresolved, e)
		return
	}
	s.errs = append(s.errs, e)
}

// taskPos is the position of pipeline task name, else of the run.
func (s *sim) taskPos(task string) Pos {
	if n := taskNode(s.pipelineDoc, task); n != nil {
		return s.pipelineDoc.pos(n)
	}
	return s.runDoc.pos(nil)
}
