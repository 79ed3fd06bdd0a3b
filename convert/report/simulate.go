package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// Simulator runs tkn-migrate-simulate: the program that links Tekton's controller
// packages, which this one doesn't (they would more than double its size and start-up).
type Simulator struct {
	// Run runs the program with args in dir and returns what it printed. An exit code of 2
	// with a report on stdout is no error: the report holds the errors Tekton would raise.
	Run func(dir string, args []string) (stdout, stderr []byte, err error)
	// Missing, when Run is nil, says why there is no program; the section says so.
	Missing error
}

// MaxSimulated bounds the .tekton/ directories simulated, so the report still fits a
// pull request description and a batch of many repositories runs few simulations.
const MaxSimulated = 6

// PullRequestBranch is the head branch of the simulated pull request.
const PullRequestBranch = "feature"

// simulation gathers each generated .tekton/ directory's files as outcomes arrive and
// simulates a directory once no later input can add to it.
type simulation struct {
	sim     *Simulator
	sets    []*simSet
	byDir   map[string]*simSet
	skipped map[string]bool // directories past MaxSimulated
}

// simSet is one generated .tekton/ directory: what Pipelines-as-Code reads on an event.
type simSet struct {
	dir    string            // the .tekton directory, as output paths name it
	root   string            // the directory holding it: every input that adds to it lies inside
	scope  string            // the repository (convert.Source.Scope)
	branch string            // the repository's default branch
	files  map[string][]byte // path inside dir → content, until simulated
	order  []string          // the files' paths inside dir, in output order
	done   bool
	late   []string // inputs that added to dir after it was simulated
	out    string   // the simulation's markdown, or why there is none
}

func newSimulation(sim *Simulator) *simulation {
	if sim == nil {
		return nil
	}
	return &simulation{sim: sim, byDir: map[string]*simSet{}, skipped: map[string]bool{}}
}

// add takes an outcome's files that land in a .tekton/ directory, after simulating the
// directories this input shows complete: inputs arrive in walk order, so once one lies
// outside a directory's parent, nothing later adds to that directory.
func (s *simulation) add(o *convert.Outcome) {
	if s == nil {
		return
	}
	for _, set := range s.sets {
		if !set.done && !inside(o.Source.Path, set.root) {
			s.run(set)
		}
	}
	for _, f := range o.Result.Files {
		dir, rel, ok := tektonDir(f.Path)
		if !ok || f.Partial || !convert.IsYAML(f.Path) {
			continue
		}
		set := s.byDir[dir]
		if set == nil {
			if len(s.sets) == MaxSimulated {
				s.skipped[dir] = true
				continue
			}
			set = &simSet{dir: dir, root: filepath.Dir(dir), scope: o.Source.Scope, branch: defaultBranch(o.Source.Scope), files: map[string][]byte{}}
			s.sets = append(s.sets, set)
			s.byDir[dir] = set
		}
		if set.done {
			if len(set.late) == 0 || set.late[len(set.late)-1] != o.Source.Path {
				set.late = append(set.late, o.Source.Path)
			}
			continue
		}
		if _, ok := set.files[rel]; !ok {
			set.order = append(set.order, rel)
		}
		set.files[rel] = f.Data
	}
}

// finish simulates the directories still open at the end of the batch.
func (s *simulation) finish() {
	if s == nil {
		return
	}
	for _, set := range s.sets {
		if !set.done {
			s.run(set)
		}
	}
}

// run simulates a push to the default branch and a pull request into it, then drops the files.
func (s *simulation) run(set *simSet) {
	set.done = true
	defer func() { set.files, set.order = nil, nil }()
	if s.sim.Run == nil {
		return
	}
	tmp, err := os.MkdirTemp("", "tkn-migrate-simulate-")
	if err != nil {
		set.out = notSimulated(err)
		return
	}
	defer os.RemoveAll(tmp)
	// The files go under the temporary directory at the paths the report names them by, so
	// the program's file:line:col messages name them alike (a path leaving the working
	// directory becomes .tekton/..., under the heading that names it).
	arg := set.dir
	if !filepath.IsLocal(arg) {
		arg = ".tekton"
	}
	for _, rel := range set.order {
		if err := convert.WriteUnder(filepath.Join(tmp, arg), rel, set.files[rel]); err != nil {
			set.out = notSimulated(err)
			return
		}
	}
	b := set.branch
	var out strings.Builder
	for _, event := range [][]string{
		{"--event", "push", "--branch", b},
		{"--event", "pull_request", "--branch", PullRequestBranch, "--target-branch", b},
	} {
		args := append(append(slices.Clip(event), "--default-branch", b, "--report", "markdown"), arg)
		stdout, stderr, err := s.sim.Run(tmp, args)
		if err != nil {
			out.WriteString(notSimulated(fmt.Errorf("%s %s: %w: %s", programName, strings.Join(args, " "), err, bytes.TrimSpace(stderr))))
			continue
		}
		out.WriteString(shorten(demote(string(stdout), 2), "tkn-migrate simulate "+strings.Join(event, " ")+" "+set.dir))
		for _, line := range strings.Split(strings.TrimSpace(string(stderr)), "\n") {
			if line != "" {
				fmt.Fprintf(&out, "- **error** %s\n", code(line))
			}
		}
		if len(stderr) > 0 {
			out.WriteString("\n")
		}
	}
	set.out = out.String()
}

// MaxSimulatedBytes bounds one event's simulation in the report: a directory holding many
// runs (a batch of Jenkinsfiles side by side) would fill a pull request description.
const MaxSimulatedBytes = 5000

// runHeading starts each PipelineRun of a demoted simulate report.
const runHeading = "\n###### PipelineRun "

// shorten cuts a simulation longer than MaxSimulatedBytes after the last whole run that fits
// (the first is always whole), keeps every error line, and says how to see the rest.
func shorten(md, command string) string {
	if len(md) <= MaxSimulatedBytes {
		return md
	}
	if md = shortenNotStarted(md); len(md) <= MaxSimulatedBytes {
		return md
	}
	cut := -1
	for i := strings.Index(md, runHeading); i >= 0; {
		next := strings.Index(md[i+1:], runHeading)
		if next < 0 {
			break
		}
		next += i + 1
		if next > MaxSimulatedBytes && cut >= 0 {
			break
		}
		cut, i = next, next
	}
	if cut < 0 {
		return md // one run: it is shown whole
	}
	head, tail := md[:cut+1], md[cut+1:]
	runs := 1 + strings.Count(tail, runHeading)
	var errs []string
	for _, line := range strings.SplitAfter(tail, "\n") {
		if strings.HasPrefix(line, "- **error** ") {
			errs = append(errs, line)
		}
	}
	head += fmt.Sprintf("%d more %s not shown here; %s shows %s.\n\n", runs, plural(runs, "PipelineRun", "PipelineRuns"), code(command), plural(runs, "it", "them"))
	if len(errs) > 0 {
		head += strings.Join(errs, "") + "\n"
	}
	return head
}

// notStarted starts simulate's list of the runs Pipelines-as-Code leaves out.
const notStarted = "Pipelines-as-Code does not start: "

// MaxNotStarted bounds the runs a shortened simulation names as not started.
const MaxNotStarted = 10

// shortenNotStarted names the first MaxNotStarted runs not started, and counts the others.
func shortenNotStarted(md string) string {
	i := strings.Index(md, "\n"+notStarted)
	if i < 0 {
		return md
	}
	start := i + 1 + len(notStarted)
	end := start + strings.Index(md[start:], ".\n")
	if end < start {
		return md
	}
	names := strings.Split(md[start:end], ", ")
	if len(names) <= MaxNotStarted {
		return md
	}
	return md[:start] + strings.Join(names[:MaxNotStarted], ", ") + fmt.Sprintf(" and %d more", len(names)-MaxNotStarted) + md[end:]
}

// programName is the program a Simulator runs, as the report names it.
const programName = "tkn-migrate-simulate"

func notSimulated(err error) string {
	return "Not simulated: " + text(err.Error()) + "\n\n"
}

// markdown writes the section: per directory, what each event starts and runs.
func (s *simulation) markdown(b *strings.Builder) {
	if s == nil || len(s.sets) == 0 {
		return
	}
	b.WriteString("### What runs on push and on pull request\n\n")
	if s.sim.Run == nil {
		fmt.Fprintf(b, "Not simulated (%s). With the program installed, `tkn-migrate simulate --event push DIR` and "+
			"`--event pull_request` show what Pipelines-as-Code and Tekton would run, for each of:\n\n", text(s.sim.Missing.Error()))
		for _, set := range s.sets {
			fmt.Fprintf(b, "- %s\n", code(set.dir))
		}
		b.WriteString("\n")
		s.more(b)
		return
	}
	fmt.Fprintf(b, "Each generated `.tekton/` directory, run offline through Pipelines-as-Code's and Tekton's own code "+
		"(`tkn-migrate simulate`) for a push to the default branch and a pull request from %s into it. "+
		"Every step is taken to succeed and every result is a placeholder (`<task>.<result>`), "+
		"so a `when` that tests a result may go the other way in a real run.\n\n", code(PullRequestBranch))
	for _, set := range s.sets {
		fmt.Fprintf(b, "#### %s\n\n", code(set.dir))
		if set.scope != "" {
			if abs, err := filepath.Abs(set.root); err == nil && abs != set.scope {
				// PaC reads .tekton/ at the repository root only (pkg/pipelineascode: GetTektonDir(".tekton")).
				b.WriteString("This directory is not at the root of its repository, and Pipelines-as-Code reads only the root's `.tekton/`: " +
					"it starts these runs once they are moved there.\n\n")
			}
		}
		if len(set.late) > 0 {
			fmt.Fprintf(b, "Not in this simulation: the output of %s, named after inputs outside this directory; `tkn-migrate simulate` on the written files shows them together.\n\n", codes(set.late))
		}
		b.WriteString(set.out)
	}
	s.more(b)
}

func (s *simulation) more(b *strings.Builder) {
	if n := len(s.skipped); n > 0 {
		fmt.Fprintf(b, "%d more `.tekton/` %s not simulated; `tkn-migrate simulate DIR` shows any of them.\n\n", n, plural(n, "directory", "directories"))
	}
}

func codes(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = code(s)
	}
	return strings.Join(q, ", ")
}

// tektonDir splits an output path at its .tekton directory: the directory as the path
// names it, and the file's path inside it.
func tektonDir(p string) (dir, rel string, ok bool) {
	parts := strings.Split(filepath.ToSlash(filepath.Clean(p)), "/")
	for i := len(parts) - 2; i >= 0; i-- {
		if parts[i] == ".tekton" {
			return filepath.FromSlash(strings.Join(parts[:i+1], "/")), filepath.FromSlash(strings.Join(parts[i+1:], "/")), true
		}
	}
	return "", "", false
}

// inside reports whether path p lies under directory dir, both as the user named them.
func inside(p, dir string) bool {
	p, dir = filepath.Clean(p), filepath.Clean(dir)
	if dir == "." {
		return !filepath.IsAbs(p) && p != ".." && !strings.HasPrefix(p, ".."+string(filepath.Separator))
	}
	return strings.HasPrefix(p, dir+string(filepath.Separator))
}

// defaultBranch is the branch a clone's origin/HEAD names, else main (simulate's default).
func defaultBranch(scope string) string {
	if scope != "" {
		data, err := os.ReadFile(filepath.Join(scope, ".git", "refs", "remotes", "origin", "HEAD"))
		if b, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "ref: refs/remotes/origin/"); err == nil && ok && b != "" {
			return b
		}
	}
	return "main"
}

// demote moves markdown headings n levels down, outside fenced code, so another
// report's sections nest under this one's.
func demote(md string, n int) string {
	var b strings.Builder
	fenced := false
	for _, line := range strings.SplitAfter(md, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if !fenced && strings.HasPrefix(line, "#") {
			b.WriteString(strings.Repeat("#", n))
		}
		b.WriteString(line)
	}
	return b.String()
}
