// Package model is the Jenkinsfile model: the declarative directives and the scripted
// statement structure, extracted from the Groovy syntax tree without evaluating anything.
package model

import "strings"

// Kind says which Jenkinsfile style a file is written in.
type Kind int

const (
	Scripted    Kind = iota // node {} / stage() calls and plain Groovy
	Declarative             // a top-level pipeline {} block
)

func (k Kind) String() string {
	if k == Declarative {
		return "declarative"
	}
	return "scripted"
}

// File is one parsed Jenkinsfile.
type File struct {
	Path      string
	Kind      Kind
	Libraries []Library // @Library annotations, library steps and libraries {} entries, in source order
	Pipeline  *Pipeline // the pipeline {} block (Declarative only), at top level or in a library's def call() { }
	// Script holds the top-level statements: the whole file when Scripted; the statements around
	// pipeline {} (defs, imports, helper functions) when Declarative.
	Script   *Script
	Comments []string // comments before the first statement (licence headers, notes)
	Tail     []string // comments after the last statement
	Source   string   // the file's text; Raw and the other source texts are slices of it
}

// Library is one shared-library reference.
type Library struct {
	Line, Col int
	Name      string // library name without @ref
	Ref       string // version after @, "" for the default
	Raw       string // the reference as written, e.g. "lib@main"
	From      string // "annotation" (@Library), "step" (library '...'), "directive" (libraries { lib(...) })
}

// Pipeline is a declarative pipeline {} block.
type Pipeline struct {
	Line, Col   int
	Agent       *Agent
	Environment []EnvEntry
	Options     []*Step // options { ... } entries, e.g. timeout(time: 1, unit: 'HOURS')
	Parameters  []*Step // parameters { ... } entries, e.g. string(name: 'X', defaultValue: 'y')
	Triggers    []*Step // triggers { ... } entries, e.g. cron('H 4 * * *')
	Tools       []*Step // tools { ... } entries, e.g. maven 'M3' (Name is the tool type)
	Stages      []*Stage
	Post        []PostCondition
	Other       []*Step  // directives the model does not know, kept verbatim
	Comments    []string // comments right before pipeline {}
}

// Stage is a declarative stage('name') { ... }.
type Stage struct {
	Name        string
	Line, Col   int
	Agent       *Agent
	Environment []EnvEntry
	When        *When
	Options     []*Step
	Tools       []*Step
	Input       *Step   // input { message ...; parameters { ... } } as a step with named args
	Steps       []*Step // steps { ... }
	Parallel    []*Stage
	Stages      []*Stage // nested sequential stages { ... }
	Matrix      *Matrix
	Post        []PostCondition
	FailFast    bool     // failFast true (or parallelsAlwaysFailFast() in options)
	Other       []*Step  // directives the model does not know, kept verbatim
	Comments    []string // comments right before the stage
}

// Matrix is a stage's matrix { axes ...; excludes ...; stages ... }.
type Matrix struct {
	Line, Col   int
	Axes        []Axis
	Excludes    [][]AxisCond // each exclude is a conjunction of axis conditions
	Agent       *Agent
	Environment []EnvEntry
	When        *When
	Options     []*Step
	Tools       []*Step
	Input       *Step
	Stages      []*Stage
	Post        []PostCondition
	Other       []*Step
}

// Axis is one matrix axis { name 'X'; values 'a', 'b' }.
type Axis struct {
	Line, Col int
	Name      string
	Values    []string
}

// AxisCond is one axis inside exclude {}: the cell matches when the axis is (or with Not, is not) one of Values.
type AxisCond struct {
	Line, Col int
	Name      string
	Values    []string
	Not       bool // notValues
}

// EnvEntry is one NAME = value line of an environment {} block.
type EnvEntry struct {
	Line, Col int
	Name      string
	Value     Value // credentials('id') is a Call value whose Call.Name is "credentials"
}

// Agent is an agent directive: agent any / none / label / node / docker / dockerfile / kubernetes.
type Agent struct {
	Line, Col int
	Kind      string // any, none, label, node, docker, dockerfile, kubernetes, or the unknown block name
	Label     string // agent { label 'x' }, agent { node { label 'x' } }, or label: inside docker/kubernetes
	Image     string // docker image, or docker 'image' short form
	Params    []Arg  // every setting inside the agent kind block (args, reuseNode, yaml, filename, customWorkspace, ...)
	Raw       string
}

// Param returns the agent setting with that name, or nil.
func (a *Agent) Param(name string) *Value { return ArgNamed(a.Params, name) }

// When is a stage's when {} block; its conditions are an implicit allOf.
type When struct {
	Line, Col     int
	Conditions    []Condition
	BeforeAgent   bool
	BeforeInput   bool
	BeforeOptions bool
}

// Condition is one when condition: branch, tag, environment, expression, changeRequest, buildingTag,
// changelog, changeset, triggeredBy, equals, allOf, anyOf, not, or an unknown name kept as written.
type Condition struct {
	Line, Col int
	Name      string
	Args      []Arg       // e.g. branch 'main' (positional), environment name: 'X', value: 'y'; expression's closure
	Children  []Condition // allOf / anyOf / not
	Raw       string
}

// PostCondition is one post {} section such as always { ... }.
type PostCondition struct {
	Line, Col int
	Condition string // always, success, failure, unstable, changed, fixed, regression, aborted, cleanup, unsuccessful, notBuilt
	Steps     []*Step
}

// StepKind says what kind of statement a Step is.
type StepKind int

const (
	Call   StepKind = iota // a step or method call: sh 'x', dir('d') { ... }, docker.image('i').inside { ... }
	If                     // if (Cond) Body else Else
	Try                    // try Body catch(...) Catches finally Finally
	Loop                   // for/while/do (Name) with header Cond; or x.each/eachWithIndex/times/forEach { ... } (Name, Receiver, Cond = receiver text, Params)
	Assign                 // def x = ..., x = ..., env.X = ...: Target and Value (Body holds the call on the right, if any)
	Func                   // def name(params) { Body }: a helper method
	Opaque                 // any other Groovy statement, kept as Raw
)

var stepKindNames = [...]string{"call", "if", "try", "loop", "assign", "func", "opaque"}

func (k StepKind) String() string { return stepKindNames[k] }

// Step is one statement: a step call (the common case) or, in scripted code and script {} blocks, Groovy.
type Step struct {
	Kind      StepKind
	Name      string // called method (sh, dir, inside); for Func the function name; "" for other kinds
	Receiver  *Value // object the method is called on (docker.image('x') for .inside), nil for plain calls
	Line, Col int
	EndLine   int
	Args      []Arg // arguments in source order; named args have Name set
	// Body is the trailing closure's statements (dir/withEnv/script/node...; nil without a closure,
	// empty for {}), the If/Loop/Try/Func body, or for a scripted `stage 'x'` without a closure
	// the statements after it up to the next stage.
	Body     []*Step
	Params   []string // trailing closure's or Func's parameter names
	Defaults []string // Func: each parameter's default value source text ("" when it has none)
	Cond     string   // If/Loop: condition or loop header source text
	Else     []*Step  // If: else branch (an else-if is a single If step)
	Catches  []Catch  // Try
	Finally  []*Step  // Try
	Target   string   // Assign: left-hand side source text (x, env.X, def x)
	Op       string   // Assign: "=" or the compound operator (+=, -=, ...)
	Value    *Value   // Assign: right-hand side; Opaque return/throw: the returned or thrown value
	Raw      string   // original source text of the whole statement
	Comments []string // comments right before the statement
	Trailing []string // comments after the statement on its last line
	Tail     []string // comments at the end of the closure body, before its closing brace
}

// Catch is one catch (Type name) { ... } clause.
type Catch struct {
	Line  int
	Param string // e.g. "Exception e" or "e"
	Body  []*Step
}

// Path is the dotted call path: "sh", "docker.image.inside", "infra.runMaven".
func (s *Step) Path() string {
	if s.Receiver == nil {
		return s.Name
	}
	return s.Receiver.Path() + "." + s.Name
}

// Arg returns the named argument's value, or nil.
func (s *Step) Arg(name string) *Value { return ArgNamed(s.Args, name) }

// Positional returns the i-th positional argument, or nil.
func (s *Step) Positional(i int) *Value {
	for j := range s.Args {
		if s.Args[j].Name == "" {
			if i == 0 {
				return &s.Args[j].Value
			}
			i--
		}
	}
	return nil
}

// Arg is one call argument; Name is "" for a positional argument.
type Arg struct {
	Name  string
	Value Value
}

// ArgNamed returns the value of the named argument in args, or nil.
func ArgNamed(args []Arg, name string) *Value {
	for i := range args {
		if args[i].Name == name {
			return &args[i].Value
		}
	}
	return nil
}

// ValueKind says what a Value holds.
type ValueKind int

const (
	String  ValueKind = iota // a string without interpolation: Str is the decoded text
	GString                  // a string with ${...} or $var: Str is the text as written between the quotes, Parts splits it
	Number                   // Str is the literal as written
	Bool                     // Str is "true" or "false"
	Null
	List    // List holds the elements
	Map     // Map holds the entries in order
	Closure // { ... }: Body holds the statements, Params the parameter names, Str the text inside the braces
	CallVal // a method call used as a value: credentials('id'), string(name: 'x'), docker.image('i')
	Expr    // any other expression (params.X, env.FOO, a + b, x ? y : z): only Raw is set
)

var valueKindNames = [...]string{"string", "gstring", "number", "bool", "null", "list", "map", "closure", "call", "expr"}

func (k ValueKind) String() string { return valueKindNames[k] }

// Value is an argument or assigned value. Nothing is evaluated: non-literal expressions keep their source text.
type Value struct {
	Kind      ValueKind
	Line, Col int
	Str       string
	Quote     string // string delimiter as written: ' " ''' """ / $/ (String and GString)
	Parts     []Part // GString pieces in order
	List      []Value
	Map       []Arg // Name is the key (unquoted key text, or the source text of a (expr) key)
	Body      []*Step
	Params    []string
	Call      *Step  // CallVal
	Raw       string // original source text
}

// Part is one piece of a GString: literal text, or an interpolated expression.
type Part struct {
	Lit  string // decoded literal text (when Expr is "")
	Expr string // source text of ${expr} or $a.b (without the $ and braces)
}

// IsLiteral reports whether the value is a constant (a plain string, number, bool, null, or a list/map of those).
func (v *Value) IsLiteral() bool {
	switch v.Kind {
	case String, Number, Bool, Null:
		return true
	case List:
		for i := range v.List {
			if !v.List[i].IsLiteral() {
				return false
			}
		}
		return true
	case Map:
		for i := range v.Map {
			if !v.Map[i].Value.IsLiteral() {
				return false
			}
		}
		return true
	}
	return false
}

// Path is the dotted path of an identifier chain or call receiver ("docker.image", "env.FOO"); else Raw.
func (v *Value) Path() string {
	if v.Kind == CallVal && v.Call != nil {
		return v.Call.Path()
	}
	return strings.TrimSpace(v.Raw)
}

// Script is a scripted pipeline (or the Groovy around a declarative one).
type Script struct {
	Stmts []*Step
}

// Walk calls fn for every step in steps and, depth first, for every step nested in them:
// closure bodies, else/catch/finally branches, call receivers and call or closure values in
// arguments and assignments. fn returning false skips the step's children.
func Walk(steps []*Step, fn func(*Step) bool) {
	for _, s := range steps {
		walkStep(s, fn)
	}
}

func walkStep(s *Step, fn func(*Step) bool) {
	if s == nil || !fn(s) {
		return
	}
	if s.Receiver != nil {
		walkValue(s.Receiver, fn)
	}
	for i := range s.Args {
		walkValue(&s.Args[i].Value, fn)
	}
	if s.Value != nil {
		walkValue(s.Value, fn)
	}
	if s.Kind != Assign {
		Walk(s.Body, fn) // an Assign's Body holds the call already walked in Value
	}
	Walk(s.Else, fn)
	for _, c := range s.Catches {
		Walk(c.Body, fn)
	}
	Walk(s.Finally, fn)
}

func walkValue(v *Value, fn func(*Step) bool) {
	switch v.Kind {
	case CallVal:
		walkStep(v.Call, fn)
	case Closure:
		Walk(v.Body, fn)
	case List:
		for i := range v.List {
			walkValue(&v.List[i], fn)
		}
	case Map:
		for i := range v.Map {
			walkValue(&v.Map[i].Value, fn)
		}
	}
}
