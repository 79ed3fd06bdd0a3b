package lint

import "strings"

// Doc is what RULES.md and SARIF say about a rule beyond its summary.
type Doc struct {
	Help       string // why it matters and how to fix it
	TektonLint string // the equivalent IBM/tekton-lint rule(s), "" when there is none
}

// Docs holds a Doc for every rule.
var Docs = map[string]Doc{
	"TKN001": {"The API server decodes strictly and refuses the whole document; fix the spelling (the message names the nearest known field) or move the field where it belongs.", ""},
	"TKN002": {"The document can't be decoded into Tekton's types, so nothing else in it is checked; write the field with the type the message names.", "no-invalid-param-type (param values only)"},
	"TKN003": {"Tekton's admission webhook rejects the document; add the field.", ""},
	"TKN004": {"Tekton's admission webhook rejects the document; remove the field (most often a removed v1beta1 feature such as resources or conditions).", "no-deprecated-resource"},
	"TKN005": {"Tekton's admission webhook rejects the value; the message says what it accepts.", ""},
	"TKN006": {"Tekton's admission webhook wants exactly one of the named fields (taskRef or taskSpec, ...).", ""},
	"TKN007": {"Any other failure of Tekton's SetDefaults and Validate (tektoncd/pipeline v1.15.0, tektoncd/triggers v0.34.0), with Tekton's message.", ""},
	"TKN101": {"Without a default StorageClass a volumeClaimTemplate stays Pending and the run never starts.", ""},
	"TKN102": {"Concurrent runs write into the same claim; bind a volumeClaimTemplate instead.", ""},
	"TKN103": {"The affinity assistant puts a TaskRun on one node, which two ReadWriteOnce claims may not share.", ""},
	"TKN201": {"creds-init refuses two Secrets for one URL and every step fails.", ""},
	"TKN202": {"creds-init only reads annotated Secrets; annotate it or bind it as a workspace.", ""},
	"TKN203": {"No run uses a ServiceAccount that lists the Secret, so it is never read.", ""},
	"TKN204": {"Anyone who can read the Task, Pipeline or run reads the value, and it lands in logs and Git history; the message names the variable, never the value. Detection is the converters' own (key names, token shapes, URL and curl passwords, command password options, entropy).", ""},
	"TKN301": {"A param value pasted into script text runs as code; pass it through env.", ""},
	"TKN401": {"Tekton 1.x no longer serves these APIs; `tkn-migrate convert` upgrades them.", "prefer-beta, prefer-when-expression, no-deprecated-resource"},
	"TKN501": {"Each TaskRun gets its own emptyDir, so nothing written in one task reaches the next.", ""},
	"TKN601": {"Two tasks that may run at once write the same files.", ""},
	"TKN701": {"A moving tag changes what runs between two runs of the same Pipeline.", "no-latest-image"},
	"TKN702": {"A resolver reference without a version changes under you.", ""},
	"TKN801": {"Tekton keeps no logs once runs are pruned; archive them.", ""},
	"TKN901": {"The Task, Pipeline or StepAction is in no input file and not a catalog Task we index, so its params, workspaces and results are not checked; it may live in the cluster.", "no-pipeline-missing-task"},
	"TKN902": {"Tekton ignores a param the callee does not declare; it is most often a typo.", "no-extra-param"},
	"TKN903": {"The run fails with missing parameters; pass it or give it a default.", "no-missing-param, no-binding-missing-params, no-pipeline-task-missing-params"},
	"TKN904": {"The run fails on a param of the wrong type, a matrix fanning out a non-string param, or an object without its keys.", "no-wrong-param-type"},
	"TKN905": {"Tekton leaves an unknown variable as literal text or rejects it; fix the name or declare it.", "no-undefined-param"},
	"TKN906": {"The run fails when it reads a result the Task does not declare.", "no-undefined-result"},
	"TKN907": {"The run fails when a required workspace is unbound or a binding names no declared workspace.", "no-missing-workspace"},
	"TKN908": {"A dependency on a task that does not exist; Tekton rejects the Pipeline.", "no-pipeline-missing-task"},
	"TKN909": {"Tekton rejects a Pipeline whose tasks wait for each other; the message names the cycle.", "no-pipeline-task-cycle, no-invalid-dag"},
	"TKN910": {"Tekton rejects duplicate names; a duplicate env name silently keeps the last value.", "no-duplicate-param, no-duplicate-env, no-duplicate-resource"},
	"TKN911": {"Names must be DNS labels (lower case letters, digits and -).", "no-invalid-name, prefer-kebab-case"},
	"TKN912": {"Finally tasks may read only results of tasks, not of other finally tasks; status variables belong to finally.", ""},
	"TKN913": {"A when expression reading a result that will never exist, or comparing constants that never match, skips its task every time.", ""},
	"TKN914": {"A matrix fans out arrays; Tekton refuses more than 256 cells (max-matrix-combinations-count).", ""},
	"TKN915": {"The pod is rejected: a volumeMount must name a volume of the Task, or one the podTemplate of a run in the input adds to the pod.", "no-undefined-volume"},
	"TKN916": {"Tekton runs a script without #! with sh; add #!/bin/sh or #!/usr/bin/env bash to say which shell.", "no-missing-hashbang"},
}

// Anchor is the rule's heading anchor in RULES.md.
func (r Rule) Anchor() string { return strings.ToLower(r.ID + "-" + r.Name) }
