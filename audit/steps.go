package audit

import (
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/jenkins/jobxml"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// Rules by which the Jenkins front-end reports a call it could not translate, and one a
// --mapping entry translated; each finding sits at the call's own line and column.
const (
	ruleUnknownStep    = "jenkins/unknown-step"
	ruleMapped         = "jenkins/mapping"
	ruleUnknownElement = "jenkins-xml/unknown-element"
)

// inventory counts the step calls of a converted Jenkinsfile (or a job's inline script) by name
// and class. The class comes from the converter's own findings at each call's position, so
// the audit and the conversion never disagree about what a step is.
func inventory(o *convert.Outcome) []StepCount {
	script := o.Source.Data
	if o.Source.Kind == convert.KindJenkinsXML {
		job, err := jobxml.Convert(o.Source.Path, o.Source.Data, convert.Options{})
		if err != nil {
			return nil
		}
		if job.Script == "" {
			return jobSteps(o)
		}
		script = []byte(job.Script)
	}
	f, err := model.Parse(o.Source.Path, script)
	if err != nil {
		return nil
	}
	type pos struct{ line, col int }
	class := map[pos]string{}
	for _, fd := range o.Result.Findings {
		switch fd.Rule {
		case ruleUnknownStep:
			class[pos{fd.Line, fd.Col}] = StepUnknown
		case ruleMapped:
			class[pos{fd.Line, fd.Col}] = StepMapped
		}
	}
	counts := map[[2]string]int{}
	visitSteps(f, func(s *model.Step) bool {
		cl := class[pos{s.Line, s.Col}]
		if cl == "" {
			cl = StepKnown
		}
		counts[[2]string{s.Path(), cl}]++
		// The body of an unknown method call on an object (list.each { }) is not converted.
		return !(cl == StepUnknown && s.Receiver != nil)
	})
	return stepList(counts)
}

// visitSteps calls fn for every step statement that is a call: in the scripted body, in every
// stage (parallel, nested, matrix) and post condition, and in closures passed as arguments
// (parallel branches). Directives (options, triggers, parameters, tools) are not steps.
func visitSteps(f *model.File, fn func(*model.Step) bool) {
	var steps func([]*model.Step)
	var value func(*model.Value)
	steps = func(ss []*model.Step) {
		for _, s := range ss {
			if s.Kind == model.Call && !fn(s) {
				continue
			}
			if s.Kind != model.Assign {
				steps(s.Body)
			}
			for i := range s.Args {
				value(&s.Args[i].Value)
			}
			steps(s.Else)
			for _, c := range s.Catches {
				steps(c.Body)
			}
			steps(s.Finally)
		}
	}
	value = func(v *model.Value) {
		switch v.Kind {
		case model.Closure:
			steps(v.Body)
		case model.Map:
			for i := range v.Map {
				value(&v.Map[i].Value)
			}
		}
	}
	post := func(ps []model.PostCondition) {
		for _, p := range ps {
			steps(p.Steps)
		}
	}
	var stages func([]*model.Stage)
	stages = func(ss []*model.Stage) {
		for _, st := range ss {
			steps(st.Steps)
			stages(st.Parallel)
			stages(st.Stages)
			if st.Matrix != nil {
				stages(st.Matrix.Stages)
				post(st.Matrix.Post)
			}
			post(st.Post)
		}
	}
	if f.Script != nil {
		steps(f.Script.Stmts)
	}
	if f.Pipeline != nil {
		stages(f.Pipeline.Stages)
		post(f.Pipeline.Post)
	}
}

// stepLists are the elements of a job config.xml whose children are its build steps.
var stepLists = []string{"prebuilders", "builders", "postbuilders", "buildWrappers", "publishers"}

// jobSteps counts the builders, wrappers and publishers of a freestyle, Maven or matrix job by
// element name; one the converter left as an unknown element is unknown.
func jobSteps(o *convert.Outcome) []StepCount {
	d, err := jobxml.Read(o.Source.Path, o.Source.Data)
	if err != nil {
		return nil
	}
	unknown := map[int]bool{}
	for _, fd := range o.Result.Findings {
		if fd.Rule == ruleUnknownElement {
			unknown[fd.Line] = true
		}
	}
	counts := map[[2]string]int{}
	for _, list := range stepLists {
		for _, l := range d.Root.SelectElements(list) {
			for _, e := range l.ChildElements() {
				cl := StepKnown
				if unknown[d.Line(e)] {
					cl = StepUnknown
				}
				counts[[2]string{e.Tag, cl}]++
			}
		}
	}
	return stepList(counts)
}
