package travis

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/openshift-pipelines/pipelines-as-code/pkg/matcher"
	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	batchv1 "k8s.io/api/batch/v1"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/pacmatch"
)

// defaultBranch is master: the corpus is from Travis's era, where master was GitHub's
// default and deploy.on.branch defaults to it (travis-build deploy/script.rb).
const defaultBranch = "master"

// triggerEvent is one forge event, as Travis's request service and as PaC see it.
type triggerEvent struct {
	what  string
	pac   pacmatch.Event
	attrs map[string]string // the request as Travis conditions read it
	name  string            // the name branches: filters: branch, PR base, or tag
	run   string            // the PipelineRun stem that stands for this build
	tag   bool
}

func triggerEvents() []triggerEvent {
	push := func(b string) triggerEvent {
		return triggerEvent{what: "push to " + b, pac: pacmatch.Push(b), name: b, run: "push",
			attrs: map[string]string{"type": "push", "branch": b, "tag": "", "head_branch": ""}}
	}
	tag := func(t string) triggerEvent {
		return triggerEvent{what: "tag " + t, pac: pacmatch.Tag(t), name: t, run: "tag", tag: true,
			attrs: map[string]string{"type": "push", "branch": t, "tag": t, "head_branch": ""}}
	}
	return []triggerEvent{
		push(defaultBranch),
		{what: "pull request to " + defaultBranch, pac: pacmatch.PullRequest(defaultBranch, "feature"), name: defaultBranch, run: "pull-request",
			attrs: map[string]string{"type": "pull_request", "branch": defaultBranch, "tag": "", "head_branch": "feature"}},
		push("feature-x"),
		tag("v1.2.3"),
		tag("1.2.3"),
	}
}

// TestTriggers asks Pipelines-as-Code's own matcher which converted PipelineRuns each
// event starts, and compares with what Travis would have built for it.
func TestTriggers(t *testing.T) {
	files := corpusFiles(t)
	golden, _ := filepath.Glob("testdata/*/.travis.yml")
	counts := map[string]int{}
	for _, f := range append(files, golden...) {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			src, res := convertAs(t, f, filepath.Join("repo", ".travis.yml"))
			runs := decodeRuns(t, res)
			c, err := build(src)
			if err != nil {
				t.Fatal(err)
			}
			manual := slices.ContainsFunc(res.Findings, func(f convert.Finding) bool {
				return f.Rule == "travis/condition" && f.Class == convert.Manual && f.Line == c.root.keyNode("if").Line
			})
			for _, ev := range triggerEvents() {
				got, err := pacmatch.Match(runs, ev.pac)
				if err != nil {
					t.Fatalf("%s: %v", ev.what, err)
				}
				want := []string{"repo-" + ev.run}
				builds, decided := c.builds(Request{Name: ev.name, Tag: ev.tag, Attrs: ev.attrs})
				switch {
				case !decided:
					counts["undecided"]++
					if !manual {
						t.Errorf("%s: Travis's decision depends on the request, but no manual finding says so", ev.what)
					}
					if len(got) > 0 && !slices.Equal(got, want) {
						t.Errorf("%s: PaC starts %v, want at most %v", ev.what, got, want)
					}
				case builds:
					counts["built"]++
					if !slices.Equal(got, want) {
						t.Errorf("%s: Travis builds it; PaC starts %v, want %v", ev.what, got, want)
					}
				default:
					counts["not built"]++
					if len(got) > 0 {
						t.Errorf("%s: Travis does not build it; PaC starts %v", ev.what, got)
					}
				}
			}
		})
	}
	t.Logf("events: %v", counts)
}

// TestCronJobAction: the CronJob in a travis/cron finding is a valid batch/v1 CronJob
// that posts to PaC's incoming webhook for the cron PipelineRun.
func TestCronJobAction(t *testing.T) {
	_, res := convertAs(t, "testdata/triggers-except/.travis.yml", "testdata/triggers-except/.travis.yml")
	i := slices.IndexFunc(res.Findings, func(f convert.Finding) bool { return f.Rule == "travis/cron" })
	if i < 0 {
		t.Fatal("no travis/cron finding")
	}
	var cj batchv1.CronJob
	if err := sigsyaml.UnmarshalStrict([]byte(res.Findings[i].Action), &cj); err != nil {
		t.Fatal(err)
	}
	if cj.Kind != "CronJob" || cj.Spec.Schedule == "" {
		t.Errorf("not a CronJob with a schedule: %+v", cj)
	}
	args := strings.Join(cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args, " ")
	if !strings.Contains(args, `\"pipelinerun\":\"triggers-except-cron\"`) || !strings.Contains(args, "$PAC_URL/incoming") {
		t.Errorf("the CronJob does not call the incoming webhook for triggers-except-cron: %s", args)
	}
	runs := decodeRuns(t, res)
	// PaC keeps only the named run for an incoming call (pkg/pipelineascode/match.go)
	runs = matcher.MatchRunningPipelineRunForIncomingWebhook("incoming", "triggers-except-cron", runs)
	if got, _ := pacmatch.Match(runs, pacmatch.Incoming("master", "triggers-except-cron")); !slices.Equal(got, []string{"triggers-except-cron"}) {
		t.Errorf("incoming call starts %v", got)
	}
}

// convertAs converts the file f as if it were at path.
func convertAs(t *testing.T, f, path string) (convert.Source, convert.Result) {
	t.Helper()
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	src := convert.Source{Path: path, Data: data, Kind: convert.KindTravis}
	res, err := Converter{}.Convert(src, convert.Options{Placeholders: true})
	if err != nil {
		t.Fatalf("convert: %v", err)
	}
	return src, res
}

// decodeRuns reads every PipelineRun of a conversion.
func decodeRuns(t *testing.T, res convert.Result) []*v1.PipelineRun {
	t.Helper()
	var runs []*v1.PipelineRun
	for _, out := range res.Files {
		rs, err := pacmatch.Decode(out.Data)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, rs...)
	}
	return runs
}

// TestTagBuildEnv: the tag run passes PaC's {{ git_tag }} as branch and tag, so the job sees
// TRAVIS_TAG and TRAVIS_BRANCH set to the tag, as on Travis, and deploy on tags runs.
func TestTagBuildEnv(t *testing.T) {
	p := model(t, `language: shell
script: echo "$TRAVIS_BRANCH $TRAVIS_TAG" > env.txt
deploy:
  provider: script
  script: touch deployed.txt
  on:
    tags: true
`)
	var binds map[string]string
	for _, r := range p.Runs {
		if r.Name == "tag" {
			binds = map[string]string{}
			for _, b := range r.Params {
				binds[b.Name] = b.Value
			}
		}
	}
	if binds["branch"] != "{{ git_tag }}" || binds["tag"] != "{{ git_tag }}" || binds["event-type"] != "push" {
		t.Fatalf("tag run params %v", binds)
	}
	for _, c := range []struct {
		tag, env string
		deploys  bool
	}{{"v1.0", "v1.0 v1.0", true}, {"", "main", false}} {
		dir := workdir(t)
		branch := c.tag
		if branch == "" {
			branch = "main"
		}
		vars := map[string]string{"$(params.tag)": c.tag, "$(params.branch)": branch}
		if code, out := runTask(t, dir, p.Tasks[0], vars); code != 0 {
			t.Fatalf("tag %q: exit %d\n%s", c.tag, code, out)
		}
		if got := read(t, jobPath(dir, "", "env.txt")); got != c.env {
			t.Errorf("tag %q: TRAVIS_BRANCH TRAVIS_TAG = %q, want %q", c.tag, got, c.env)
		}
		if _, err := os.Stat(jobPath(dir, "", "deployed.txt")); (err == nil) != c.deploys {
			t.Errorf("tag %q: deployed=%v, want %v", c.tag, err == nil, c.deploys)
		}
	}
}
