package jenkins

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/jobxml"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// SourceStage is a stage of a Jenkinsfile: whether Jenkins runs it for a build, and the
// tasks the converter made for it.
type SourceStage struct {
	Key     string // "line:N" for a declarative stage, "stage:'name'" for a scripted one
	Tasks   []string
	Runs    bool
	Decided bool   // false: Jenkins decides it only in the build (Why says why)
	Why     string // why undecided
}

// DecideStages converts a Jenkinsfile (or a pipeline job's inline script) and decides its
// stages as Jenkins does for a multibranch build with env (BRANCH_NAME, CHANGE_ID,
// CHANGE_TARGET, CHANGE_BRANCH, TAG_NAME), from the source model: tests compare that with
// what the output runs. ok is false when there is no Jenkinsfile to decide (a job without
// an inline script).
func DecideStages(path string, data []byte, opts convert.Options, env map[string]string) (stages []SourceStage, ok bool, err error) {
	inline := false
	if strings.HasSuffix(path, ".xml") {
		job, err := jobxml.Convert(path, data, opts)
		if err != nil || job.Script == "" {
			return nil, false, err
		}
		data, inline = []byte(job.Script), true
	}
	c, _, err := convertConv(path, data, opts, nil, nil, inline, false) // sourceStages reads the stages after
	if err != nil {
		return nil, false, err
	}
	runs, unknown := sourceStages(c.file, env, true)
	for key, r := range runs {
		stages = append(stages, SourceStage{Key: key, Tasks: c.stageTasks[key], Runs: r, Decided: true})
	}
	for _, line := range unknown {
		key := fmt.Sprintf("line:%d", line)
		stages = append(stages, SourceStage{Key: key, Tasks: c.stageTasks[key], Why: "its when reads what only the build knows"})
	}
	for key, tasks := range c.stageTasks {
		if _, ok := runs[key]; ok || slices.ContainsFunc(stages, func(s SourceStage) bool { return s.Key == key }) {
			continue
		}
		why := "a matrix: Jenkins decides each cell's when in the build"
		if strings.HasPrefix(key, "stage:") {
			why = "inside Groovy control flow (if, loop, try, function): the build decides"
		}
		stages = append(stages, SourceStage{Key: key, Tasks: tasks, Why: why})
	}
	// Source order: declarative stages by line, scripted ones by name.
	slices.SortFunc(stages, func(a, b SourceStage) int {
		var la, lb int
		fmt.Sscanf(a.Key, "line:%d", &la)
		fmt.Sscanf(b.Key, "line:%d", &lb)
		return cmp.Or(la-lb, strings.Compare(a.Key, b.Key))
	})
	return stages, true, nil
}

// sourceStages evaluates the declarative stages' when conditions as Jenkins does for a
// multibranch build with env (built false: the job does not build this event at all): the
// leaf stages (steps, not matrix cells) by source line ("line:N"), true if the stage runs.
// Stages whose conditions can't be decided statically are returned apart. A scripted file has
// no when: its stages outside if/loops/try/functions run on every build ("stage:'name'").
func sourceStages(f *model.File, env map[string]string, built bool) (map[string]bool, []int) {
	out := map[string]bool{}
	var unknown []int
	if f.Kind != model.Declarative || f.Pipeline == nil {
		if f.Script != nil {
			model.Walk(f.Script.Stmts, func(s *model.Step) bool {
				switch s.Kind {
				case model.If, model.Loop, model.Try, model.Func, model.Assign:
					return false
				}
				if s.Kind == model.Call && s.Receiver != nil && s.Receiver.Kind != model.CallVal {
					return false // a method of a Groovy variable (img.inside { }): not something we convert
				}
				if s.Kind == model.Call && s.Name == "stage" && s.Receiver == nil {
					if n, ok := litArg(s, "name", 0); ok {
						out["stage:"+quoteGroovy(n)] = built
					}
				}
				return s.Kind != model.Call || s.Name != "parallel" || parallelBranches(s) != nil
			})
		}
		return out, nil
	}
	var walk func(ss []*model.Stage, parent tri, env map[string]string)
	walk = func(ss []*model.Stage, parent tri, env map[string]string) {
		for _, s := range ss {
			v := parent
			// The stage's environment is set when its when is evaluated (ModelInterpreter).
			senv := withEnvJ(env, s.Environment)
			if s.When != nil {
				v = and(v, allOfJ(s.When.Conditions, senv))
			}
			switch {
			case s.Matrix != nil:
			case len(s.Parallel) > 0:
				walk(s.Parallel, v, senv)
			case len(s.Stages) > 0:
				walk(s.Stages, v, senv)
			default:
				if v == unknownT {
					unknown = append(unknown, s.Line)
				} else {
					out[fmt.Sprintf("line:%d", s.Line)] = built && v == trueT
				}
			}
		}
	}
	walk(f.Pipeline.Stages, trueT, withEnvJ(env, f.Pipeline.Environment))
	return out, unknown
}

type tri int

const (
	falseT tri = iota
	trueT
	unknownT
)

func triOf(b bool) tri {
	if b {
		return trueT
	}
	return falseT
}

func and(a, b tri) tri {
	if a == falseT || b == falseT {
		return falseT
	}
	if a == unknownT || b == unknownT {
		return unknownT
	}
	return trueT
}

func allOfJ(cs []model.Condition, env map[string]string) tri {
	v := trueT
	for _, c := range cs {
		v = and(v, condJ(c, env))
	}
	return v
}

// unknownVal marks a variable an environment directive sets to a value known only at run time.
const unknownVal = "\x00unknown"

// withEnvJ is env with an environment directive's entries: literal values, else unknown.
func withEnvJ(env map[string]string, entries []model.EnvEntry) map[string]string {
	if len(entries) == 0 {
		return env
	}
	out := maps.Clone(env)
	for _, e := range entries {
		v, ok := lit(&e.Value)
		if !ok {
			v = unknownVal
		}
		out[e.Name] = v
	}
	return out
}

// condVars are the build variables each condition reads.
var condVars = map[string][]string{
	"branch": {"BRANCH_NAME"}, "buildingTag": {"TAG_NAME"}, "tag": {"TAG_NAME"},
	"changeRequest": {"CHANGE_ID", "CHANGE_TARGET", "CHANGE_BRANCH", "CHANGE_FORK"},
}

// exprEnv is expression { env.X == 'v' }, != or a ==~ /regex/ (a whole match, as Groovy's ==~).
var exprEnv = lazyre.New(`^(?:return\s+)?(?:env\.)?(BRANCH_NAME|TAG_NAME|CHANGE_ID|CHANGE_TARGET|CHANGE_BRANCH)\s*(==~|==|!=)\s*(?:'([^']*)'|"([^"$]*)"|/(.*)/)\s*;?$`)

// condJ is one when condition with pipeline-model-definition's semantics (when/impl/*).
func condJ(c model.Condition, env map[string]string) tri {
	arg := func(name string, pos int) (string, bool) { return litArg(&model.Step{Args: c.Args}, name, pos) }
	for _, v := range condVars[c.Name] {
		if env[v] == unknownVal {
			return unknownT
		}
	}
	switch c.Name {
	case "branch":
		p, ok := arg("pattern", 0)
		cmp, _ := arg("comparator", -1)
		if !ok {
			return unknownT
		}
		return triOf(compareJ(env["BRANCH_NAME"], p, cmp, "GLOB"))
	case "buildingTag":
		return triOf(env["TAG_NAME"] != "")
	case "tag":
		p, _ := arg("pattern", 0)
		cmp, _ := arg("comparator", -1)
		if env["TAG_NAME"] == "" {
			return falseT
		}
		return triOf(p == "" || compareJ(env["TAG_NAME"], p, cmp, "GLOB"))
	case "changeRequest":
		if env["CHANGE_ID"] == "" {
			return falseT
		}
		cmp, _ := arg("comparator", -1)
		v := trueT
		for _, a := range c.Args {
			field := map[string]string{"id": "CHANGE_ID", "target": "CHANGE_TARGET", "branch": "CHANGE_BRANCH", "fork": "CHANGE_FORK"}[a.Name]
			if a.Name == "comparator" {
				continue
			}
			want, ok := lit(&a.Value)
			if field == "" || !ok {
				return unknownT
			}
			v = and(v, triOf(compareJ(env[field], want, cmp, "EQUALS")))
		}
		return v
	case "environment":
		// EnvironmentConditional: the variable's value equals value (ignoreCase aside);
		// decided only for variables the pipeline's environment or the build sets.
		name, ok1 := arg("name", -1)
		value, ok2 := arg("value", -1)
		ic, _ := arg("ignoreCase", -1)
		actual, set := env[name]
		if !ok1 || !ok2 || !set || actual == unknownVal {
			return unknownT
		}
		if ic == "true" {
			return triOf(strings.EqualFold(actual, value))
		}
		return triOf(actual == value)
	case "not":
		if len(c.Children) != 1 {
			return unknownT
		}
		switch condJ(c.Children[0], env) {
		case trueT:
			return falseT
		case falseT:
			return trueT
		}
		return unknownT
	case "allOf":
		return allOfJ(c.Children, env)
	case "anyOf":
		v := falseT
		for _, ch := range c.Children {
			switch condJ(ch, env) {
			case trueT:
				return trueT
			case unknownT:
				v = unknownT
			}
		}
		return v
	case "expression":
		if len(c.Args) > 0 {
			body := strings.TrimSpace(c.Args[0].Value.Str)
			if m := exprLit.FindStringSubmatch(body); m != nil {
				return triOf(m[1] == "true")
			}
			if m := exprEnv.FindStringSubmatch(body); m != nil && env[m[1]] != unknownVal {
				switch m[2] {
				case "==~":
					return triOf(m[5] != "" && compareJ(env[m[1]], m[5], "REGEXP", ""))
				case "==":
					return triOf(m[5] == "" && env[m[1]] == m[3]+m[4])
				}
				return triOf(m[5] != "" || env[m[1]] != m[3]+m[4])
			}
		}
	}
	return unknownT
}

// compareJ is when/utils/Comparator: GLOB is Ant's case-insensitive path match, REGEXP a whole
// match, EQUALS exact. It is written apart from when.go's antRegex on purpose: the oracle must not share the code it checks.
func compareJ(actual, pattern, cmp, def string) bool {
	if cmp == "" {
		cmp = def
	}
	switch strings.ToUpper(cmp) {
	case "EQUALS":
		return actual == pattern
	case "REGEXP":
		re, err := regexp.Compile("^(?:" + pattern + ")$")
		return err == nil && re.MatchString(actual)
	}
	var b strings.Builder
	b.WriteString("(?i)^")
	for i := 0; i < len(pattern); i++ {
		switch {
		case strings.HasPrefix(pattern[i:], "**"):
			b.WriteString(".*")
			i++
		case pattern[i] == '*':
			b.WriteString("[^/]*")
		case pattern[i] == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String()).MatchString(actual)
}

// stageTask records that the task called name runs part of the source stage of sc.
func (c *conv) stageTask(sc scope, name string) {
	if sc.stage != "" {
		c.stageTasks[sc.stage] = append(c.stageTasks[sc.stage], name)
	}
}
