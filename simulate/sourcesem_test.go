package simulate

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/jenkins"
	"github.com/tkn-migrate/tkn-migrate/jenkins/jobxml"
	"github.com/tkn-migrate/tkn-migrate/travis"
)

// expectation is what the source CI itself runs for one event, computed from the source
// model (travis.Decide, jenkins.DecideStages), never from the converted output: whether
// it builds at all, and per task (the one the converter made for a job or stage) whether
// it runs. Where the output can't agree by design, explain names the reason per task.
type expectation struct {
	decided bool   // false: whether it builds depends on what the event does not fix
	why     string // why undecided
	builds  bool
	tasks   map[string]bool   // the tasks of the source's jobs/stages: runs?
	explain map[string]string // tasks whose outcome may differ by design, and why
	// undecided are tasks whose job or stage the source decides only at run time, and why.
	undecided map[string]string
	// extra explains tasks outside the source's jobs/stages ("" = list them as such).
	extra string
	// jobless notes source jobs/stages that run with no task of their own, and why.
	jobless []string
}

// sourceExpectation computes the expectation for a Travis or Jenkins unit; compared is
// false for sets without source semantics to compare (old Tekton).
func sourceExpectation(t *testing.T, u unit, ev Event) (exp expectation, compared bool) {
	t.Helper()
	f := u.files[0]
	exp = expectation{decided: true, builds: true, tasks: map[string]bool{}, explain: map[string]string{}, undecided: map[string]string{}}
	switch u.set {
	case "travis":
		req := travis.Request{Name: ev.TargetBranch, Attrs: map[string]string{"type": ev.Type, "branch": ev.TargetBranch, "tag": "", "head_branch": ""}}
		if ev.Type == "pull_request" {
			req.Attrs["head_branch"] = ev.Branch
		}
		builds, decided, jobs, err := travis.Decide(convert.Source{Path: f.Path, Data: f.Data, Kind: convert.KindTravis}, corpusOptions, req)
		if err != nil {
			t.Fatal(err)
		}
		exp.builds, exp.decided = builds, decided
		if !decided {
			exp.why = "the root if: reads request data the event does not fix"
		}
		travisTasks(&exp, jobs)
	case "jenkinsfile", "jenkins-declarative", "jenkins-xml":
		env := map[string]string{"BRANCH_NAME": ev.Branch}
		if ev.Type == "pull_request" {
			env = map[string]string{"BRANCH_NAME": "PR-1", "CHANGE_ID": "1", "CHANGE_TARGET": ev.TargetBranch, "CHANGE_BRANCH": ev.Branch}
		}
		if u.set == "jenkins-xml" && !jenkinsJob(&exp, f, ev) {
			return exp, true
		}
		stages, ok, err := jenkins.DecideStages(f.Path, f.Data, corpusOptions, env)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return exp, true
		}
		exp.extra = "no stage of its own (checkout, when guards, post, steps outside stages)"
		for _, s := range stages {
			for _, task := range s.Tasks {
				exp.tasks[task] = exp.tasks[task] || s.Runs
				if !s.Decided {
					exp.undecided[task] = s.Why
				}
			}
			if len(s.Tasks) == 0 && s.Runs {
				exp.jobless = append(exp.jobless, s.Key)
			}
		}
	default:
		return exp, false
	}
	return exp, true
}

// travisTasks sets the tasks of a Travis build from its jobs.
func travisTasks(exp *expectation, jobs []travis.SourceJob) {
	kept := 0
	for _, j := range jobs {
		if j.Task == "" {
			if j.Runs {
				exp.jobless = append(exp.jobless, fmt.Sprintf("line:%d (%s)", j.Line, j.Why))
			}
			continue
		}
		kept++
		exp.tasks[j.Task] = exp.tasks[j.Task] || j.Runs
		switch {
		case !j.Decided:
			exp.undecided[j.Task] = j.Why
		case j.Guarded && !j.Runs:
			exp.explain[j.Task] = "its if: is checked at run time by the job step (the task starts, then ends early)"
		}
	}
	if kept == 0 && len(jobs) > 0 {
		exp.extra = "stands in for jobs no Kubernetes node can run; it fails loudly"
	}
}

// jenkinsJob sets what Jenkins builds for a job's config.xml: a multibranch project
// builds every branch push and pull request, with the Jenkinsfile of the branch (not
// in the input); another job builds a push only through an SCM trigger, and never a
// pull request. It returns whether the job's own script (inline) is to be decided.
func jenkinsJob(exp *expectation, f File, ev Event) bool {
	d, err := jobxml.Read(f.Path, f.Data)
	if err != nil {
		exp.builds = false // Jenkins does not load the job either
		return false
	}
	root := d.Root.Tag
	if strings.Contains(root, "MultiBranch") {
		exp.extra = "stands for the Jenkinsfile each branch builds, which is not in the input"
		return false
	}
	push := false
	for _, tr := range d.Root.FindElements("triggers/*") {
		switch tr.Tag {
		case "hudson.triggers.SCMTrigger", "com.cloudbees.jenkins.GitHubPushTrigger", "com.dabsquared.gitlabjenkins.GitLabPushTrigger":
			push = true
		}
	}
	exp.builds = push && ev.Type == "push"
	if exp.builds {
		exp.decided, exp.why = false, "an SCM trigger builds the branches of the job's SCM"
	}
	return exp.builds
}

// tally counts comparisons over the corpus.
type tally struct {
	events, agree, explained, undecided int // file × event
	tasks, taskAgree, taskExplained     int // task decisions
	taskUndecided                       int // tasks the source decides at run time
}

func (a *tally) add(b tally) {
	a.events += b.events
	a.agree += b.agree
	a.explained += b.explained
	a.undecided += b.undecided
	a.tasks += b.tasks
	a.taskAgree += b.taskAgree
	a.taskExplained += b.taskExplained
	a.taskUndecided += b.taskUndecided
}

func (a tally) String() string {
	return fmt.Sprintf("%d file×events: %d agree, %d differ only where explained, %d with the build itself undecided; %d task decisions: %d agree, %d differ by design (explained); %d tasks the source decides at run time",
		a.events, a.agree, a.explained, a.undecided, a.tasks, a.taskAgree, a.taskExplained, a.taskUndecided)
}

// compareSource compares the tasks the simulation starts with the expectation. It
// returns the summary for the golden line and the disagreements no reason explains.
func compareSource(exp expectation, rep *Report, n *tally) (string, []string) {
	n.events++
	got := map[string]bool{}
	for _, r := range rep.Runs {
		for _, t := range r.Tasks {
			if t.State != Skipped {
				got[t.Name] = true
			}
		}
	}
	var notes []string
	if len(exp.jobless) > 0 {
		notes = append(notes, "no task for "+strings.Join(exp.jobless, ", "))
	}
	switch {
	case !exp.decided:
		n.undecided++
		return strings.Join(append([]string{"build undecided: " + exp.why}, notes...), "; "), nil
	case !exp.builds:
		if len(rep.Runs) > 0 {
			return "", []string{"the source builds nothing for this event, yet runs start"}
		}
		n.agree++
		return "builds nothing, agrees", nil
	case len(rep.Runs) == 0:
		return "", []string{"the source builds this event, yet no run starts"}
	}
	var problems, differ []string
	undecided := map[string][]string{} // reason -> tasks
	for _, task := range slices.Sorted(maps.Keys(exp.tasks)) {
		if why, ok := exp.undecided[task]; ok {
			n.taskUndecided++
			undecided[why] = append(undecided[why], fmt.Sprintf("%s=%v", task, got[task]))
			continue
		}
		n.tasks++
		want := exp.tasks[task]
		if got[task] == want {
			n.taskAgree++
			continue
		}
		if why, ok := exp.explain[task]; ok {
			n.taskExplained++
			differ = append(differ, fmt.Sprintf("%s runs=%v: %s", task, got[task], why))
			continue
		}
		problems = append(problems, fmt.Sprintf("task %s: the source runs it: %v, the simulation: %v", task, want, got[task]))
	}
	var extra []string
	for _, task := range slices.Sorted(maps.Keys(got)) {
		if _, ok := exp.tasks[task]; !ok {
			extra = append(extra, task)
		}
	}
	if len(extra) > 0 {
		if exp.extra == "" {
			problems = append(problems, "tasks outside the source's jobs start: "+strings.Join(extra, " "))
		}
		notes = append(notes, fmt.Sprintf("also %s: %s", strings.Join(extra, " "), exp.extra))
	}
	decided := len(exp.tasks) - len(exp.undecided)
	sum := fmt.Sprintf("%d/%d tasks agree", decided-len(differ), decided)
	if len(differ) > 0 {
		n.explained++
		sum += "; differ by design: " + strings.Join(differ, "; ")
	} else {
		n.agree++
	}
	for _, why := range slices.Sorted(maps.Keys(undecided)) {
		sum += fmt.Sprintf("; decided at run time (%s): %s", why, strings.Join(undecided[why], " "))
	}
	return strings.Join(append([]string{sum}, notes...), "; "), problems
}
