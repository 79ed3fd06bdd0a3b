package simulate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/tektoncd/pipeline/pkg/apis/config"
	"github.com/tektoncd/pipeline/pkg/apis/pipeline"
	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	podconvert "github.com/tektoncd/pipeline/pkg/pod"
	"github.com/tektoncd/pipeline/pkg/reconciler/taskrun"
	tresources "github.com/tektoncd/pipeline/pkg/reconciler/taskrun/resources"
	"github.com/tektoncd/pipeline/pkg/reconciler/volumeclaim"
	"github.com/tektoncd/pipeline/pkg/result"
	"github.com/tektoncd/pipeline/pkg/workspace"
	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	"knative.dev/pkg/kmeta"

	"github.com/tkn-migrate/tkn-migrate/simulate/catalogres"
)

// trError is a TaskRun the controller marks failed before (or instead of) its Pod running.
type trError struct {
	reason string
	err    error
}

func (e *trError) Error() string { return e.err.Error() }

// reconcileTaskRun follows the TaskRun reconciler (pkg/reconciler/taskrun: prepare,
// reconcile, createPod) up to a built Pod, then completes the Pod as the step outcome
// model says and reads the TaskRun status from it with pkg/pod's MakeTaskRunStatus.
func (s *sim) reconcileTaskRun(ctx context.Context, tr *v1.TaskRun, fail bool) (*corev1.Pod, error) {
	pod, rtr, err := s.buildPod(ctx, tr)
	if err != nil {
		var te *trError
		if !errors.As(err, &te) {
			te = &trError{reason: podconvert.ReasonPodCreationFailed, err: err}
		}
		tr.Status.MarkResourceFailed(v1.TaskRunReason(te.reason), te.err)
		return nil, te
	}
	complete(pod, tr, rtr.TaskSpec, fail, s.resultValues(tr))
	status, err := podconvert.MakeTaskRunStatus(ctx, zap.NewNop().Sugar(), *tr, pod, s.kube, rtr.TaskSpec)
	if err != nil {
		return pod, err
	}
	tr.Status = status
	return pod, nil
}

// buildPod is prepare + reconcile + createPod of the TaskRun reconciler, in its order.
func (s *sim) buildPod(ctx context.Context, tr *v1.TaskRun) (*corev1.Pod, *tresources.ResolvedTask, error) {
	invalid := func(err error) error { return &trError{reason: v1.TaskRunReasonFailedValidation.String(), err: err} }
	tr.SetDefaults(ctx)
	getTask := tresources.GetTaskFuncFromTaskRun(ctx, s.kube, s.tekton, catalogres.Requester{}, tr, nil)
	taskMeta, taskSpec, err := tresources.GetTaskData(ctx, tr, getTask)
	if err != nil {
		return nil, nil, &trError{reason: v1.TaskRunReasonFailedResolution.String(), err: err}
	}
	steps, err := tresources.GetStepActionsData(ctx, *taskSpec, tr, s.tekton, s.kube, catalogres.Requester{})
	if err != nil {
		return nil, nil, &trError{reason: v1.TaskRunReasonFailedResolution.String(), err: err}
	}
	taskSpec.Steps = steps
	rtr := &tresources.ResolvedTask{TaskName: taskMeta.Name, Kind: tresources.GetTaskKind(tr), TaskSpec: taskSpec}
	if err := taskrun.ValidateResolvedTask(ctx, tr.Spec.Params, &v1.Matrix{}, rtr); err != nil {
		return nil, nil, invalid(err)
	}
	if config.FromContextOrDefaults(ctx).FeatureFlags.EnableParamEnum {
		if err := taskrun.ValidateEnumParam(ctx, tr.Spec.Params, rtr.TaskSpec.Params); err != nil {
			return nil, nil, &trError{reason: v1.TaskRunReasonInvalidParamValue.String(), err: err}
		}
	}
	if err := tresources.ValidateParamArrayIndex(rtr.TaskSpec, tr.Spec.Params); err != nil {
		return nil, nil, invalid(err)
	}
	decls := taskSpec.Workspaces
	if tr.Spec.TaskSpec != nil {
		// An embedded spec may use workspaces it does not declare (propagation).
		decls = nil
		for _, ws := range tr.Spec.Workspaces {
			decls = append(decls, v1.WorkspaceDeclaration{Name: ws.Name})
		}
		decls = append(decls, taskSpec.Workspaces...)
	}
	if err := workspace.ValidateBindings(ctx, decls, tr.Spec.Workspaces); err != nil {
		return nil, nil, invalid(err)
	}
	// The default coschedule=workspaces (affinity assistant per workspace) allows one PVC per TaskRun.
	if config.FromContextOrDefaults(ctx).FeatureFlags.Coschedule == config.CoscheduleWorkspaces {
		if err := workspace.ValidateOnlyOnePVCIsUsed(tr.Spec.Workspaces); err != nil {
			return nil, nil, invalid(err)
		}
	}

	// reconcile: a volumeClaimTemplate becomes the PVC the controller creates for it.
	if tr.HasVolumeClaimTemplate() {
		owner := *kmeta.NewControllerRef(tr)
		for i, wb := range tr.Spec.Workspaces {
			if wb.VolumeClaimTemplate != nil {
				tr.Spec.Workspaces[i] = v1.WorkspaceBinding{Name: wb.Name, SubPath: wb.SubPath,
					PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{
						ClaimName: volumeclaim.GeneratePVCNameFromWorkspaceBinding(wb.VolumeClaimTemplate.Name, wb, owner)}}
			}
		}
	}
	tresources.ApplyParametersToWorkspaceBindings(rtr.TaskSpec, tr)
	vols := workspace.CreateVolumes(tr.Spec.Workspaces)
	ts := applyParamsContextsResultsAndWorkspaces(ctx, tr, rtr, vols)
	tr.Status.TaskSpec = ts

	// createPod
	ts = ts.DeepCopy()
	if err := v1.ValidateUsageOfDeclaredParameters(ctx, ts.Steps, ts.Params); err != nil {
		return nil, nil, invalid(err)
	}
	if err := ts.Validate(ctx); err != nil {
		return nil, nil, invalid(err)
	}
	ts, err = workspace.Apply(ctx, *ts, tr.Spec.Workspaces, vols)
	if err != nil {
		return nil, nil, invalid(err)
	}
	ts = tresources.ApplyCredentialsPath(ts, pipeline.CredsDir)
	if tr.Spec.PodTemplate != nil {
		defaults := append([]v1.ParamSpec(nil), ts.Params...)
		if tpl := tresources.ApplyPodTemplateReplacements(tr.Spec.PodTemplate, tr, defaults...); tpl != nil {
			tr = tr.DeepCopy()
			tr.Spec.PodTemplate = tpl
		}
	}
	// No registry offline: a step without a command keeps its image's entrypoint, which
	// the controller would look up; the pod builder gets a stand-in so it does not.
	// An image reference the lookup can't parse keeps no stand-in, so Build fails on it as the controller does.
	for i := range ts.Steps {
		st := &ts.Steps[i]
		if len(st.Command) == 0 && st.Script == "" {
			if _, err := name.ParseReference(st.Image, name.WeakValidation); err == nil {
				st.Command = []string{"(entrypoint of " + st.Image + ")"}
			}
		}
	}
	// LimitRange, default-resource-requirements and affinity-assistant transformers live
	// in tektoncd/pipeline's internal packages; with no LimitRange and the default config
	// they change nothing but scheduling.
	b := podconvert.Builder{Images: images, KubeClient: s.kube}
	pod, err := b.Build(ctx, tr, *ts)
	if err != nil {
		msg := fmt.Sprintf("failed to create task run pod %q: %v. Maybe ", tr.Name, fmt.Errorf("translating TaskSpec to Pod: %w", err))
		if tr.Spec.TaskRef != nil {
			msg += fmt.Sprintf("missing or invalid Task %s/%s", tr.Namespace, tr.Spec.TaskRef.Name)
		} else {
			msg += "invalid TaskSpec"
		}
		return nil, nil, &trError{reason: podconvert.ReasonPodCreationFailed, err: errors.New(msg)}
	}
	return pod, rtr, nil
}

// applyParamsContextsResultsAndWorkspaces is the TaskRun reconciler's function of that
// name (unexported there): the same substitutions in the same order.
func applyParamsContextsResultsAndWorkspaces(ctx context.Context, tr *v1.TaskRun, rtr *tresources.ResolvedTask, vols map[string]corev1.Volume) *v1.TaskSpec {
	ts := rtr.TaskSpec.DeepCopy()
	defaults := append([]v1.ParamSpec(nil), ts.Params...)
	ts = tresources.ApplyParameters(ts, tr, defaults...)
	ts = tresources.ApplyContexts(ts, rtr.TaskName, tr)
	ts = tresources.ApplyResults(ts)
	ts = tresources.ApplyArtifacts(ts)
	ts = tresources.ApplyStepExitCodePath(ts)
	declared := map[string]bool{}
	for _, w := range ts.Workspaces {
		declared[w.Name] = true
	}
	for _, w := range tr.Spec.Workspaces {
		if !declared[w.Name] {
			ts.Workspaces = append(ts.Workspaces, v1.WorkspaceDeclaration{Name: w.Name})
		}
	}
	return tresources.ApplyWorkspaces(ctx, ts, ts.Workspaces, tr.Spec.Workspaces, vols)
}

// complete ends the Pod as the outcome model says: every container exits 0, or the first
// step exits 1 when the task fails. The last step's termination message carries the
// declared results, as the entrypoint writes them.
func complete(pod *corev1.Pod, tr *v1.TaskRun, ts *v1.TaskSpec, fail bool, values func(task string, r v1.TaskResult) string) {
	pod.Status.Phase = corev1.PodSucceeded
	if fail {
		pod.Status.Phase = corev1.PodFailed
	}
	var steps []int
	for i, c := range pod.Spec.Containers {
		if podconvert.IsContainerStep(c.Name) {
			steps = append(steps, i)
		}
	}
	task := tr.Labels[pipeline.PipelineTaskLabelKey]
	var msg string
	if !fail {
		var rr []result.RunResult
		for _, r := range ts.Results {
			rr = append(rr, result.RunResult{Key: r.Name, Value: values(task, r), ResultType: result.TaskRunResultType})
		}
		b, _ := json.Marshal(rr)
		msg = string(b)
	}
	for i, c := range pod.Spec.Containers {
		term := &corev1.ContainerStateTerminated{Reason: "Completed"}
		if fail && len(steps) > 0 && i == steps[0] {
			term = &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error"}
		}
		if len(steps) > 0 && i == steps[len(steps)-1] && msg != "" {
			term.Message = msg
		}
		pod.Status.ContainerStatuses = append(pod.Status.ContainerStatuses, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: c.Image, State: corev1.ContainerState{Terminated: term}})
	}
}

// resultValues gives each result of tr its value and records where it came from:
// --result's, else what a tkn-migrate when guard computes for the event (run with sh),
// else the placeholder "<task>.<result>" (arrays and objects carry it in each element,
// as JSON the way a step writes them).
func (s *sim) resultValues(tr *v1.TaskRun) func(task string, r v1.TaskResult) string {
	guard, guarded := "", false
	if _, given := s.given[tr.Labels[pipeline.PipelineTaskLabelKey]+".run"]; !given {
		guard, guarded = runGuard(tr.Status.TaskSpec)
	}
	return func(task string, r v1.TaskResult) string {
		key := task + "." + r.Name
		if v, ok := s.given[key]; ok {
			s.origin[key] = ResultGiven
			return v
		}
		if guarded && r.Name == "run" {
			s.origin[key] = ResultComputed
			return guard
		}
		s.origin[key] = ResultPlaceholder
		switch r.Type {
		case v1.ResultsTypeArray:
			b, _ := json.Marshal([]string{key})
			return string(b)
		case v1.ResultsTypeObject:
			o := map[string]string{}
			for k := range r.Properties {
				o[k] = key + "." + k
			}
			b, _ := json.Marshal(o)
			return string(b)
		}
		return key
	}
}
