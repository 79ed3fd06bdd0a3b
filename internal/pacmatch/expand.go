package pacmatch

import (
	"context"
	"net/http"
	"strconv"

	"github.com/openshift-pipelines/pipelines-as-code/pkg/apis/pipelinesascode/v1alpha1"
	"github.com/openshift-pipelines/pipelines-as-code/pkg/customparams"
	"github.com/openshift-pipelines/pipelines-as-code/pkg/params"
	"github.com/openshift-pipelines/pipelines-as-code/pkg/params/info"
	"github.com/openshift-pipelines/pipelines-as-code/pkg/templates"
)

// Facts are what a forge event tells PaC beyond the branches: the values of the
// standard {{ }} placeholders.
type Facts struct {
	SHA, RepoURL, Owner, Repo, Sender string
	PullRequest                       int // 0 on events without a pull request
}

// Expand replaces the {{ }} placeholders of a .tekton/ file the way PaC does before it
// reads the file (pkg/pipelineascode makeTemplate): customparams builds the values
// from the event, templates replaces them; a placeholder PaC has no value for stays.
func Expand(text string, ev Event, f Facts) (string, error) {
	e := info.NewEvent()
	e.EventType = ev.Type
	e.BaseBranch, e.HeadBranch = ev.TargetBranch, ev.SourceBranch
	e.SHA, e.URL, e.Organization, e.Repository, e.Sender = f.SHA, f.RepoURL, f.Owner, f.Repo, f.Sender
	e.PullRequestNumber = f.PullRequest
	cp := customparams.NewCustomParams(e, &v1alpha1.Repository{}, &params.Run{}, nil, nil, nil)
	values, changed, err := cp.GetParams(context.Background())
	if err != nil {
		return "", err
	}
	if e.PullRequestNumber != 0 {
		values["pull_request_number"] = strconv.Itoa(e.PullRequestNumber)
	}
	return templates.ReplacePlaceHoldersVariables(text, values, nil, http.Header{}, changed), nil
}
