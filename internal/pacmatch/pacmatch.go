// Package pacmatch asks Pipelines-as-Code's own matcher (pkg/matcher, v0.36.0)
// which PipelineRuns of a .tekton/ directory an event would start, so trigger
// behaviour is decided by PaC's code rather than by our reading of it.
package pacmatch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/openshift-pipelines/pipelines-as-code/pkg/matcher"
	"github.com/openshift-pipelines/pipelines-as-code/pkg/params"
	"github.com/openshift-pipelines/pipelines-as-code/pkg/params/info"
	"github.com/openshift-pipelines/pipelines-as-code/pkg/params/triggertype"
	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	"go.uber.org/zap"
	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"
)

// Event is a forge event as PaC's providers hand it to the matcher.
type Event struct {
	// Type is "push", "pull_request" or "incoming".
	Type string
	// TargetBranch is what PaC calls the base branch: the pushed ref for a push
	// ("refs/heads/main", "refs/tags/v1.0"), the base branch name for a pull request.
	TargetBranch string
	// SourceBranch is the pull request's head branch; for a push PaC sets it to the ref.
	SourceBranch string
	// TargetPipelineRun names the run an incoming webhook asks for.
	TargetPipelineRun string
}

// Push is a push of branch, as GitHub's provider reports it (BaseBranch = HeadBranch = the full ref).
func Push(branch string) Event {
	ref := "refs/heads/" + branch
	return Event{Type: "push", TargetBranch: ref, SourceBranch: ref}
}

// Tag is a push of tag: PaC sees it as a push whose ref is refs/tags/<tag>.
func Tag(tag string) Event {
	ref := "refs/tags/" + tag
	return Event{Type: "push", TargetBranch: ref, SourceBranch: ref}
}

// PullRequest is a pull request from head into base (branch names, no refs/heads/).
func PullRequest(base, head string) Event {
	return Event{Type: "pull_request", TargetBranch: base, SourceBranch: head}
}

// Incoming is a call to PaC's incoming webhook for run on branch.
func Incoming(branch, run string) Event {
	return Event{Type: "incoming", TargetBranch: branch, SourceBranch: branch, TargetPipelineRun: run}
}

// Match returns the names (generateName where set) of the runs PaC would start
// for ev, in input order. No match is not an error: PaC then starts nothing.
func Match(runs []*v1.PipelineRun, ev Event) (names []string, err error) {
	if len(runs) == 0 {
		return nil, nil
	}
	e := info.NewEvent()
	e.EventType = ev.Type
	switch ev.Type {
	case "push":
		e.TriggerTarget = triggertype.Push
	case "pull_request":
		e.TriggerTarget = triggertype.PullRequest
	case "incoming":
		e.TriggerTarget = triggertype.Push
		e.TargetPipelineRun = ev.TargetPipelineRun
	default:
		return nil, fmt.Errorf("pacmatch: unknown event type %q", ev.Type)
	}
	e.BaseBranch = ev.TargetBranch
	e.HeadBranch = ev.SourceBranch
	// The matcher mutates runs' events and reads a changed-files provider only for
	// files./pathChanged() expressions, which we have no forge for: such a run errors.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pacmatch: PaC's matcher failed (a CEL expression needing changed files?): %v", r)
		}
	}()
	copies := make([]*v1.PipelineRun, len(runs))
	for i, r := range runs {
		copies[i] = r.DeepCopy()
	}
	matches, merr := matcher.MatchPipelinerunByAnnotation(context.Background(), zap.NewNop().Sugar(), copies, &params.Run{}, e, nil, nil, nil)
	if len(matches) == 0 {
		if merr != nil && !strings.HasPrefix(merr.Error(), "cannot match the event") {
			return nil, merr
		}
		return nil, nil
	}
	for _, m := range matches {
		name := m.PipelineRun.GetGenerateName()
		if name == "" {
			name = m.PipelineRun.GetName()
		}
		names = append(names, name)
	}
	return names, merr
}

// Decode reads every PipelineRun (tekton.dev/v1) from a multi-document YAML stream.
func Decode(data []byte) ([]*v1.PipelineRun, error) {
	var runs []*v1.PipelineRun
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
		if doc["kind"] != "PipelineRun" || doc["apiVersion"] != "tekton.dev/v1" {
			continue
		}
		js, err := yaml.Marshal(doc)
		if err != nil {
			return nil, err
		}
		pr := &v1.PipelineRun{}
		if err := sigsyaml.Unmarshal(js, pr); err != nil {
			return nil, err
		}
		runs = append(runs, pr)
	}
	return runs, nil
}

// Sorted returns names sorted, for order-free comparisons.
func Sorted(names []string) []string {
	out := append([]string(nil), names...)
	sort.Strings(out)
	return out
}
