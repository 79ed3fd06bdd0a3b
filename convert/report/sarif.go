package report

import (
	"io"
	"net/url"
	"path/filepath"
	"sort"
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
func SARIF(w io.Writer, r *Report) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI(r.Tool, InformationURI)
	run.Tool.Driver.Rules = []*sarif.ReportingDescriptor{}
	run.Results = []*sarif.Result{}

	var fs []convert.Finding
	for _, f := range r.Files {
		for _, fd := range sortedFindings(f.Findings) {
			if fd.Class == convert.Manual || fd.Class == convert.Unsupported {
				fs = append(fs, fd)
			}
		}
	}
	// Rules in id order, so ruleIndex is stable.
	index := map[string]int{}
	var ids []string
	for _, fd := range fs {
		if _, ok := index[fd.Rule]; !ok {
			index[fd.Rule] = 0
			ids = append(ids, fd.Rule)
		}
	}
	sort.Strings(ids)
	for i, id := range ids {
		index[id] = i
		run.AddRule(id).
			WithName(ruleName(id)).
			WithShortDescription(sarif.NewMultiformatMessageString("tkn-migrate: " + id))
	}
	for _, fd := range fs {
		level := "warning"
		if fd.Class == convert.Unsupported {
			level = "error"
		}
		msg := fd.Message
		if fd.Action != "" {
			msg += " (run: " + fd.Action + ")"
		}
		res := run.CreateResultForRule(fd.Rule).
			WithRuleIndex(index[fd.Rule]).
			WithLevel(level).
			WithMessage(sarif.NewTextMessage(msg))
		if fd.File != "" {
			res.AddLocation(Location(fd.File, fd.Line, fd.Col))
		}
		res.Properties = sarif.Properties{"class": string(fd.Class)}
	}

	inv := run.AddInvocation(r.Summary.Errors == 0)
	for _, f := range r.Files {
		if f.Error == "" {
			continue
		}
		n := sarif.NewNotification().WithLevel("error").WithMessage(sarif.NewTextMessage(f.Error))
		n.WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(
			sarif.NewPhysicalLocation().WithArtifactLocation(artifact(f.Path)))})
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
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
