package model

import (
	"sort"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/jenkins/groovy"
)

// addLib records one library reference written as name[@ref].
func (b *builder) addLib(raw string, line, col int, from string) {
	name, ref, _ := strings.Cut(raw, "@")
	b.libs = append(b.libs, Library{Line: line, Col: col, Name: name, Ref: ref, Raw: raw, From: from})
}

// annotationLibs reads @Library('a'), @Library(['a', 'b@v']) and @Library(value = 'a', changelog = false).
func (b *builder) annotationLibs(a groovy.Annotation) {
	for _, arg := range a.Args {
		if arg.Name != "" && arg.Name != "value" {
			continue
		}
		v := b.value(arg.Value, false)
		vals := []Value{v}
		if v.Kind == List {
			vals = v.List
		}
		for _, e := range vals {
			if e.Kind == String || e.Kind == GString {
				b.addLib(e.Str, e.Line, e.Col, "annotation")
			}
		}
	}
}

// stepLib reads library 'a@v' and library identifier: 'a@v', retriever: ...
func (b *builder) stepLib(st *Step) {
	v := st.Positional(0)
	if v == nil {
		v = st.Arg("identifier")
	}
	if v != nil && (v.Kind == String || v.Kind == GString) {
		b.addLib(v.Str, v.Line, v.Col, "step")
	}
}

// libraries stores the references found while building, in source order.
func (b *builder) libraries(f *File) {
	sortLibs(b.libs)
	f.Libraries = b.libs
}

func sortLibs(l []Library) {
	sort.SliceStable(l, func(i, j int) bool {
		return l[i].Line < l[j].Line || l[i].Line == l[j].Line && l[i].Col < l[j].Col
	})
}
