package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// InformationURI is where a SARIF viewer sends people who ask what the tool is.
const InformationURI = "https://github.com/tkn-migrate/tkn-migrate"

// SARIF writes one SARIF 2.1.0 result per manual or unsupported finding, located
// at its source line, so code-scanning UIs annotate the original Jenkinsfile or
// .travis.yml. Unsupported is an error, manual a warning; input errors become
// tool execution notifications.
//
// The log is written an element at a time: go-sarif's PrettyWrite of the whole log
// (json.MarshalIndent) is taken with one marker result and one marker notification, and
// each marker's place gets the entries' elements, encoded at its indent.
func SARIF(w io.Writer, r *Report) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI(r.Tool, InformationURI)
	run.Tool.Driver.Rules = []*sarif.ReportingDescriptor{}
	run.Results = []*sarif.Result{}

	// Rules in id order, so ruleIndex is stable.
	ids := slices.Sorted(maps.Keys(r.rules))
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		run.AddRule(id).
			WithName(ruleName(id)).
			WithShortDescription(sarif.NewMultiformatMessageString("tkn-migrate: " + id))
	}
	var markers []*marker
	if r.Summary.Manual+r.Summary.Unsupported > 0 {
		m := &marker{elem: sarif.NewRuleResult(markerText), each: func(emit func(any) error) error {
			return r.each(func(f *File) error {
				for _, fd := range sortedFindings(f.Findings) {
					if fd.Class != convert.Manual && fd.Class != convert.Unsupported {
						continue
					}
					if err := emit(sarifResult(fd, index[fd.Rule])); err != nil {
						return err
					}
				}
				return nil
			})
		}}
		run.Results = append(run.Results, m.elem.(*sarif.Result))
		markers = append(markers, m)
	}
	inv := run.AddInvocation(r.Summary.Errors == 0)
	if r.errored > 0 {
		m := &marker{elem: sarif.NewNotification().WithMessage(sarif.NewTextMessage(markerText)), each: func(emit func(any) error) error {
			return r.each(func(f *File) error {
				if f.Error == "" {
					return nil
				}
				n := sarif.NewNotification().WithLevel("error").WithMessage(sarif.NewTextMessage(f.Error))
				n.WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(
					sarif.NewPhysicalLocation().WithArtifactLocation(artifact(f.Path)))})
				return emit(n)
			})
		}}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, m.elem.(*sarif.Notification))
		markers = append(markers, m)
	}
	log.AddRun(run)
	var tmpl bytes.Buffer
	if err := log.PrettyWrite(&tmpl); err != nil {
		return err
	}
	tmpl.WriteString("\n")
	return splice(w, tmpl.Bytes(), markers)
}

// markerText marks the place of a list's elements in the template; no finding holds a NUL.
const markerText = "\x00tkn-migrate: elements go here"

// marker is the one element a list of the template holds, and what takes its place.
type marker struct {
	elem any
	each func(emit func(elem any) error) error
	at   int    // where its encoding starts in the template
	enc  []byte // its encoding at its indent
	pre  string // the indent
}

// splice writes tmpl with each marker's encoding replaced by the elements its each emits,
// as json.MarshalIndent would have written them in its place.
func splice(w io.Writer, tmpl []byte, markers []*marker) error {
	for _, m := range markers {
		if !m.locate(tmpl) {
			return fmt.Errorf("report: SARIF: no place for %T in the log", m.elem)
		}
	}
	slices.SortFunc(markers, func(a, b *marker) int { return a.at - b.at })
	b := bufio.NewWriter(w)
	done := 0
	for _, m := range markers {
		b.Write(tmpl[done:m.at])
		sep := ""
		err := m.each(func(elem any) error {
			data, err := json.MarshalIndent(elem, m.pre, "  ")
			if err != nil {
				return err
			}
			b.WriteString(sep)
			sep = ",\n" + m.pre
			_, err = b.Write(data)
			return err
		})
		if err != nil {
			return err
		}
		done = m.at + len(m.enc)
	}
	b.Write(tmpl[done:])
	return b.Flush()
}

// locate finds the marker's element in the template, trying each indent a log can nest it at.
func (m *marker) locate(tmpl []byte) bool {
	for depth := 1; depth <= 16; depth++ {
		pre := strings.Repeat("  ", depth)
		enc, err := json.MarshalIndent(m.elem, pre, "  ")
		if err != nil {
			return false
		}
		if i := bytes.Index(tmpl, enc); i > 0 && bytes.HasSuffix(tmpl[:i], []byte("\n"+pre)) {
			m.at, m.enc, m.pre = i, enc, pre
			return true
		}
	}
	return false
}

// sarifResult is one finding as a SARIF result of the rule at index.
func sarifResult(fd convert.Finding, index int) *sarif.Result {
	level := "warning"
	if fd.Class == convert.Unsupported {
		level = "error"
	}
	msg := fd.Message
	if fd.Action != "" {
		msg += " (run: " + fd.Action + ")"
	}
	res := sarif.NewRuleResult(fd.Rule).
		WithRuleIndex(index).
		WithLevel(level).
		WithMessage(sarif.NewTextMessage(msg))
	if fd.File != "" {
		res.AddLocation(Location(fd.File, fd.Line, fd.Col))
	}
	res.Properties = sarif.Properties{"class": string(fd.Class)}
	return res
}

// artifact is a file as a relative URI against the checkout root.
func artifact(path string) *sarif.ArtifactLocation {
	p := filepath.ToSlash(filepath.Clean(path))
	p = strings.TrimPrefix(p, "./")
	u := (&url.URL{Path: p}).String()
	loc := sarif.NewSimpleArtifactLocation(u)
	if !strings.HasPrefix(p, "/") {
		loc.WithUriBaseId("%SRCROOT%")
	}
	return loc
}

// ruleName is the readable part of an id such as "travis/secure-env" or "TKN101/storage-class".
func ruleName(id string) string {
	if i := strings.LastIndex(id, "/"); i >= 0 && i+1 < len(id) {
		return id[i+1:]
	}
	return id
}

// Location is a SARIF location of file:line:col (line and col 0 when unknown).
func Location(file string, line, col int) *sarif.Location {
	loc := sarif.NewPhysicalLocation().WithArtifactLocation(artifact(file))
	if line > 0 {
		region := sarif.NewRegion().WithStartLine(line)
		if col > 0 {
			region.WithStartColumn(col)
		}
		loc.WithRegion(region)
	}
	return sarif.NewLocationWithPhysicalLocation(loc)
}
