// Package upgrade rewrites old Tekton YAML (tekton.dev/v1alpha1 and v1beta1) to
// tekton.dev/v1 (or v1beta1 with Options.To) in place.
//
// Each rule is a small kyaml filter over one document, applied in this order:
//
//	kanikoNote            note where kaniko (archived upstream) is used; buildah 0.9 replaces it
//	implicitEnv           workingDir /workspace and HOME=/tekton/home, where the file shows it predates v0.24
//	legacyFields          pre-v1beta1 Run fields: serviceAccount, trigger, serviceAccountNames
//	alphaInputsOutputs    v1alpha1 inputs/outputs → params and resources
//	variables             ${inputs...} and $(inputs.params.X) → $(params.X), $(resources.inputs.R.K)
//	conditionsToWhen      Conditions → check task writing result "passed" + when; copied onto dependents;
//	                      a Condition document → Task condition-<name>, which unresolved conditionRefs run
//	pipelineResources     PipelineResources → catalog tasks, workspaces, params, results
//	clusterTask           ClusterTask → Task
//	refResolvers          taskRef kind ClusterTask → cluster resolver; bundle → bundles resolver
//	betaToV1              timeout, taskRunTemplate, taskRunSpecs, stepSpecs/sidecarSpecs, computeResources
//	deprecatedStepFields  removes container fields v1 Steps lack, with a marker
//	dropStatus            status is runtime state
//	apiVersion            tekton.dev/v1 on Task, Pipeline, TaskRun, PipelineRun
//
// Before the filters, strictCheck refuses unknown fields with a path:line:col error
// (Tekton's v1beta1 types, after moving v1alpha1 documents to that shape) and fixes
// the case of field names old Tekton matched case-insensitively.
//
// Minimal diffs: the unedited and the edited tree are printed in the style that keeps
// most source lines, diffed line by line, and only the changed hunks are spliced into
// the source text, re-indented like the lines around them (splice.go). A document
// whose hunks can't be placed, or whose spliced text doesn't reparse to the edited
// tree, is printed whole.
//
// Inputs reference each other across files, so Converter.Index sees every input first;
// the naming convention in resources.go makes files converted separately wire up. The
// same kind and name may be defined many times: a reference takes the nearest definition
// (index.go), and equally near ones that differ are a manual finding.
//
// Beside the Pipelines objects: Tekton Triggers documents are upgraded to what
// tektoncd/triggers v0.34.0 serves (triggers.go); kustomization patches follow the
// objects they patch (kustomize.go); and a Helm or other {{ ... }} template is reported,
// not converted (template.go).
package upgrade
