package jenkins

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/tools"
)

// scope is what a pipeline or stage hands down to its steps and child stages.
type scope struct {
	image string    // explicit image: docker agent, container(), docker.image().inside
	tools tools.Set // tools {} installations
	label string    // agent label, for the head comment
	// nodeSelector pins the scope's tasks to nodes (a Windows label, --mapping labels:).
	nodeSelector []pipeline.Binding
	kube         map[string]string // kubernetes agent: container name → image
	env          []pipeline.Env    // env every step gets, in order
	dir          string            // dir('x') relative path
	onError      string            // catchError / warnError
	registry     string            // docker.withRegistry host images are pushed to
	registryEnv  []pipeline.Env    // its login (TKN_REGISTRY_USER/PASSWORD from the credential's Secret)
	failBuild    bool              // catchError whose buildResult is FAILURE: its failure fails the build in the end
	timeout      string            // timeout {} around single steps
	when         []pipeline.When   // stage when, copied to every task of the stage subtree
	guards       []string          // comments for when conditions, repeated on each task
	comments     []string          // markers attached to the next task created
	// workspaces are Secret-backed workspaces (credential files) the steps mount.
	workspaces []string
	// guard is a shell test each step checks first (a when evaluated per matrix cell).
	guard string
	// prelude are shell lines each shell step runs before its own script.
	prelude []string
	// stage is the source stage its tasks run (a sourceStages key), for DecideStages.
	stage string
}

// with returns a copy of s with more env entries; later entries win, as in Jenkins.
func (s scope) withEnv(env ...pipeline.Env) scope {
	out := make([]pipeline.Env, 0, len(s.env)+len(env))
	for _, e := range s.env {
		keep := true
		for _, n := range env {
			if n.Name == e.Name {
				keep = false
			}
		}
		if keep {
			out = append(out, e)
		}
	}
	s.env = append(out, env...)
	return s
}

func (s scope) hasEnv(name string) bool {
	_, ok := s.lookupEnv(name)
	return ok
}

// lookupEnv finds the env entry every step of the scope gets under name.
func (s scope) lookupEnv(name string) (pipeline.Env, bool) {
	for _, e := range s.env {
		if e.Name == name {
			return e, true
		}
	}
	return pipeline.Env{}, false
}

// image picks the step image for the scope.
func (c *conv) imageFor(s scope) string {
	if s.image != "" {
		return s.image
	}
	img, _ := s.tools.Image()
	return img
}

// chain builds the tasks of one stage: usually one inline task, split where a mapped
// catalog Task runs between steps.
type chain struct {
	c        *conv
	name     string
	comments []string
	after    []string
	sc       scope
	retries  int
	timeout  string
	matrix   *pipeline.Matrix
	axes     []pipeline.Param
	cur      *pipeline.Task
	tasks    []*pipeline.Task
	noSplit  bool // finally tasks: mapped catalog Tasks can't be chained here
	// docker is the line of the first sh step of each task that calls the docker CLI.
	docker map[*pipeline.Task]int
	// caught are the indexes of each task's steps inside a catchError that fails the build.
	caught  map[*pipeline.Task][]int
	scratch bool // collects markers only; its task is never emitted or named
}

func (c *conv) newChain(name string, comments []string, after []string, sc scope) *chain {
	return &chain{c: c, name: name, comments: comments, after: after, sc: sc}
}

func (ch *chain) open() *pipeline.Task {
	if ch.cur == nil {
		name := ch.name
		if len(ch.tasks) > 0 {
			name = ch.name + "-" + itoa(len(ch.tasks)+1)
		}
		if !ch.scratch {
			name = ch.c.names.Name(name)
			ch.c.stageTask(ch.sc, name)
		}
		t := &pipeline.Task{Name: name, RunAfter: ch.after, Image: ch.c.imageFor(ch.sc)}
		if len(ch.tasks) == 0 {
			t.Comments = append(t.Comments, ch.comments...)
		} else if len(ch.comments) > 0 {
			t.Comments = append(t.Comments, ch.comments[0]+" (continued after "+ch.tasks[len(ch.tasks)-1].Name+")")
		}
		ch.cur = t
	}
	return ch.cur
}

// step appends a step, applying the scope's env, dir, error mode and image.
func (ch *chain) step(sc scope, st pipeline.Step) {
	t := ch.open()
	for _, ws := range sc.workspaces {
		bound := false
		for _, b := range t.Workspaces {
			bound = bound || b.Name == ws
		}
		if !bound {
			t.Workspaces = append(t.Workspaces, pipeline.Binding{Name: ws, Value: ws})
		}
	}
	if st.Image == "" {
		if img := ch.c.imageFor(sc); img != t.Image {
			st.Image = img
		}
	}
	var late []pipeline.Env
	for _, e := range ch.c.lateEnv {
		if !sc.hasEnv(e.Name) {
			late = append(late, e) // env.X set by an earlier stage: the whole build sees it
		}
	}
	st.Env = append(append(late, sc.env...), st.Env...)
	st.Env = dedupEnv(st.Env)
	if sc.dir != "" && st.WorkingDir == "" {
		st.WorkingDir = "$(workspaces.source.path)/" + sc.dir
	}
	if st.OnError == "" {
		st.OnError = sc.onError
	}
	if sc.failBuild && st.OnError == "continue" {
		if ch.caught == nil {
			ch.caught = map[*pipeline.Task][]int{}
		}
		ch.caught[t] = append(ch.caught[t], len(t.Steps))
	}
	if st.Timeout == "" {
		st.Timeout = sc.timeout
	}
	if len(sc.prelude) > 0 && st.Script != "" && !strings.HasPrefix(st.Script, "#!") {
		st.Script = strings.Join(sc.prelude, "\n") + "\n" + st.Script
	}
	if sc.guard != "" && st.Script != "" && !strings.HasPrefix(st.Script, "#!") {
		st.Script = "if ! { " + sc.guard + "; }; then exit 0; fi\n" + st.Script
	}
	t.Steps = append(t.Steps, st)
}

// comment attaches a marker to the current (or next) task head.
func (ch *chain) comment(m string) {
	t := ch.open()
	t.Comments = append(t.Comments, m)
}

// ref inserts a catalog Task between the steps before and after it.
func (ch *chain) ref(t *pipeline.Task) {
	ch.flush()
	t.Name = ch.c.names.Name(t.Name)
	ch.c.stageTask(ch.sc, t.Name)
	t.RunAfter = ch.after
	ch.tasks = append(ch.tasks, t)
	ch.after = []string{t.Name}
}

func (ch *chain) flush() {
	if ch.cur == nil {
		return
	}
	ch.tasks = append(ch.tasks, ch.cur)
	ch.after = []string{ch.cur.Name}
	ch.cur = nil
}

// close finishes the chain, adds its tasks to the pipeline and returns the tail task names.
func (ch *chain) close() []string {
	ch.flush()
	for _, t := range ch.tasks {
		t.When = append(t.When, ch.sc.when...)
		if len(ch.sc.guards) > 0 && len(t.Comments) > 0 {
			t.Comments = append(t.Comments, ch.sc.guards...)
		}
		if ch.retries > 0 {
			t.Retries = ch.retries
		}
		if ch.timeout != "" {
			t.Timeout = ch.timeout
		}
		if t.Ref == nil {
			caughtResult(t, ch.caught[t])
			if line := ch.docker[t]; line > 0 {
				ch.c.dockerDaemon(t, line)
			}
			if len(t.Steps) == 0 {
				// Every step was marked (junit, archiveArtifacts, ...): keep the stage visible.
				t.Steps = []pipeline.Step{{Name: "no-op", Script: "true\n", Comments: []string{"nothing left to run: see the markers above"}}}
			}
			if len(ch.sc.nodeSelector) > 0 && len(t.NodeSelector) == 0 {
				t.NodeSelector = ch.sc.nodeSelector
			} else if windowsOnly(t.Steps) && len(t.NodeSelector) == 0 {
				// cmd.exe steps need Windows nodes; a task mixing them with Linux steps can't be placed.
				t.NodeSelector = []pipeline.Binding{{Name: "kubernetes.io/os", Value: "windows"}}
			}
			if ch.matrix != nil {
				if t.Matrix == nil { // a split matrix keeps its part of the cells
					t.Matrix = ch.matrix
				}
				t.TaskParams = append(t.TaskParams, ch.axes...)
			}
			ch.c.bindTask(t)
		}
		ch.c.p.Tasks = append(ch.c.p.Tasks, t)
	}
	if len(ch.tasks) == 0 {
		return ch.after
	}
	return []string{ch.tasks[len(ch.tasks)-1].Name}
}

func dedupEnv(env []pipeline.Env) []pipeline.Env {
	last := map[string]int{}
	for i, e := range env {
		last[e.Name] = i
	}
	out := env[:0:0]
	for i, e := range env {
		if last[e.Name] == i {
			out = append(out, e)
		}
	}
	return out
}

// pipelineRef matches the Pipeline-level values an inline task can't read directly.
var pipelineRef = lazyre.New(`\$\((params\.[A-Za-z0-9_.-]+|context\.[A-Za-z.]+|tasks\.status|tasks\.[a-z0-9-]+\.(?:status|results\.[A-Za-z0-9_-]+))\)`)

// bindTask rewrites Pipeline-level references in step env into task params bound at the
// PipelineTask, so values reach scripts through env and never through script text.
func (c *conv) bindTask(t *pipeline.Task) {
	own := map[string]bool{}
	for _, p := range t.TaskParams {
		own[p.Name] = true
	}
	bound := map[string]string{}
	bind := func(m string) string {
		inner := m[2 : len(m)-1]
		if strings.HasPrefix(inner, "params.") && own[inner[len("params."):]] {
			return m
		}
		if n, ok := bound[inner]; ok {
			return "$(params." + n + ")"
		}
		n := taskParamName(inner)
		for own[n] {
			n += "-x"
		}
		own[n] = true
		bound[inner] = n
		t.TaskParams = append(t.TaskParams, pipeline.Param{Name: n})
		t.Params = append(t.Params, pipeline.Binding{Name: n, Value: m})
		return "$(params." + n + ")"
	}
	for i := range t.Steps {
		for j := range t.Steps[i].Env {
			e := &t.Steps[i].Env[j]
			if e.SecretName == "" {
				e.Value = pipelineRef.ReplaceAllStringFunc(e.Value, bind)
			} else {
				e.SecretName = pipelineRef.ReplaceAllStringFunc(e.SecretName, bind) // a Secret named from params
			}
		}
	}
}

// taskParamName names the task param carrying a Pipeline-level value.
func taskParamName(inner string) string {
	switch inner {
	case "context.pipelineRun.name":
		return "pipeline-run-name"
	case "context.pipeline.name":
		return "pipeline-name"
	case "tasks.status":
		return "pipeline-status"
	case "tasks." + pipeline.CheckoutTask + ".results.commit":
		return "git-commit"
	case "tasks." + pipeline.CheckoutTask + ".results.url":
		return "git-url"
	}
	if strings.HasPrefix(inner, "params.") {
		return inner[len("params."):]
	}
	if strings.HasPrefix(inner, "tasks.") && strings.HasSuffix(inner, ".status") {
		return strings.TrimSuffix(strings.TrimPrefix(inner, "tasks."), ".status") + "-status"
	}
	return pipeline.Sanitize(inner)
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// tasksComments returns markers a throwaway chain collected (wrapper scopes outside tasks).
func (ch *chain) tasksComments() []string {
	if ch.cur == nil {
		return nil
	}
	return ch.cur.Comments
}

// windowsOnly reports whether every step runs in the Windows image.
func windowsOnly(steps []pipeline.Step) bool {
	for _, s := range steps {
		if s.Image != tools.Windows {
			return false
		}
	}
	return len(steps) > 0
}

// caughtResult ends a task whose catchError steps (buildResult FAILURE) failed with a failing
// step: Jenkins went on past them but marked the build FAILURE, so the run must not end green.
func caughtResult(t *pipeline.Task, idx []int) {
	if len(idx) == 0 {
		return
	}
	names := pipeline.NewNamer()
	for i := range t.Steps {
		t.Steps[i].Name = names.Name(t.Steps[i].Name) // the names the emitter gives, to read exit codes
	}
	var codes []string
	for _, i := range idx {
		codes = append(codes, exitCodePath(t.Steps[i].Name))
	}
	t.Steps = append(t.Steps, pipeline.Step{Name: names.Name("catch-error-result"),
		Comments: []string{"catchError went on after a failure but marked the build FAILURE: fail here"},
		Script: "for f in " + strings.Join(codes, " ") + "; do\n" +
			"  read -r x < \"$f\"\n" +
			"  if [ \"$x\" != 0 ]; then echo 'a step inside catchError failed: the build result is FAILURE' >&2; exit 1; fi\n" +
			"done\n"})
}

// dockerCommand finds a docker or docker-compose command in a shell script.
var dockerCommand = lazyre.New(`(?m)(?:^|[\s;&|(])docker(?:-compose)?(?:\s|$)`)

// usesDocker records that the current task's step at line calls the docker CLI.
func (ch *chain) usesDocker(line int) {
	t := ch.open()
	if ch.docker == nil {
		ch.docker = map[*pipeline.Task]int{}
	}
	if ch.docker[t] == 0 {
		ch.docker[t] = line
	}
}

// DindImage is the Docker daemon a task whose steps call docker gets as a sidecar.
const DindImage = "docker.io/library/docker:27-dind"

// dockerDaemon gives a task whose steps call docker the daemon a Jenkins agent had: a
// privileged dind sidecar, reached over DOCKER_HOST.
func (c *conv) dockerDaemon(t *pipeline.Task, line int) {
	for _, s := range t.Sidecars {
		if s.Image == DindImage {
			return
		}
	}
	t.Sidecars = append(t.Sidecars, pipeline.Sidecar{Name: "docker", Image: DindImage, Privileged: true, ReadyPort: 2375,
		Env:      []pipeline.Env{{Name: "DOCKER_TLS_CERTDIR", Value: ""}},
		Comments: []string{c.from(line, "sh calls docker: the Docker daemon a Jenkins agent had")}})
	for i := range t.Steps {
		t.Steps[i].Env = append(t.Steps[i].Env, pipeline.Env{Name: "DOCKER_HOST", Value: "tcp://127.0.0.1:2375"})
	}
	c.find(line, 0, convert.Approximated, "docker-daemon", "the steps call docker: task %s gets a privileged %s sidecar as the Docker daemon (the cluster must allow privileged pods; the docker CLI must be in the step image)", t.Name, DindImage)
}
