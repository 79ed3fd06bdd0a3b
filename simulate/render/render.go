// Package render prints simulation reports: a text table for the terminal, JSON for
// tests and tools, and markdown with a Mermaid picture for a pull-request description.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/tkn-migrate/tkn-migrate/simulate"
)

// JSON writes the report as indented JSON.
func JSON(w io.Writer, r *simulate.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// EventString says which event was simulated, as a reader would.
func EventString(e simulate.Event) string {
	switch e.Type {
	case "pull_request":
		return fmt.Sprintf("pull_request from %s into %s", e.Branch, e.TargetBranch)
	case "tag":
		return "push of tag " + e.Tag
	case "incoming":
		return fmt.Sprintf("incoming webhook for %s on %s", e.PipelineRun, e.Branch)
	}
	return "push to " + e.Branch
}

// Text writes, per run, a table of its tasks in start order, then the details each
// task runs with.
func Text(w io.Writer, r *simulate.Report) error {
	fmt.Fprintf(w, "event: %s\n", EventString(r.Event))
	if len(r.NotSelected) > 0 {
		fmt.Fprintf(w, "not started by Pipelines-as-Code: %s\n", strings.Join(r.NotSelected, ", "))
	}
	switch {
	case len(r.Runs) > 0:
	case r.PaC || len(r.Errors) > 0:
		fmt.Fprintln(w, "no PipelineRun starts")
	default:
		fmt.Fprintln(w, "no PipelineRun in the input: nothing runs")
	}
	for _, run := range r.Runs {
		fmt.Fprintf(w, "\nPipelineRun %s (%s:%d)", run.Name, run.File, run.Line)
		if run.Pipeline != "" {
			fmt.Fprintf(w, " -> Pipeline %s", run.Pipeline)
		}
		fmt.Fprintf(w, ": %s\n", outcome(run))
		if len(run.Tasks) == 0 {
			fmt.Fprintln(w, "  no task starts")
			continue
		}
		var table strings.Builder
		tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "WAVE\tTASK\tSTATE\tWHY")
		for _, t := range run.Tasks {
			wave := "-"
			if t.Wave > 0 {
				wave = fmt.Sprint(t.Wave)
			}
			name := t.Name
			if t.Finally {
				name += " (finally)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", wave, name, t.State, t.Reason)
		}
		tw.Flush()
		for _, line := range strings.SplitAfter(table.String(), "\n") {
			fmt.Fprint(w, strings.TrimRight(line, " \n"))
			if strings.HasSuffix(line, "\n") {
				fmt.Fprintln(w)
			}
		}
		for _, t := range run.Tasks {
			if t.State == simulate.Skipped {
				continue
			}
			fmt.Fprintf(w, "  %s:\n", t.Name)
			for _, p := range t.Params {
				fmt.Fprintf(w, "    param %s = %s\n", p.Name, oneLine(p.Value))
			}
			for i, cell := range t.Matrix {
				var kv []string
				for _, p := range cell {
					kv = append(kv, p.Name+"="+oneLine(p.Value))
				}
				fmt.Fprintf(w, "    matrix cell %d: %s\n", i+1, strings.Join(kv, " "))
			}
			for _, r := range t.Results {
				fmt.Fprintf(w, "    result %s = %s (%s)\n", r.Name, oneLine(r.Value), r.Origin)
			}
			for _, ws := range t.Workspaces {
				fmt.Fprintf(w, "    workspace %s <- %s\n", ws.Name, ws.Volume)
			}
			fmt.Fprintf(w, "    serviceAccount %s", t.ServiceAccount)
			if len(t.NodeSelector) > 0 {
				fmt.Fprintf(w, ", nodeSelector %s", selector(t.NodeSelector))
			}
			fmt.Fprintln(w)
		}
	}
	for _, e := range r.Unresolved {
		fmt.Fprintf(w, "\nnot simulated past a reference outside the shipped catalog (a cluster may resolve it): %s", e.Error())
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "\n%s", e.Error())
	}
	if len(r.Errors)+len(r.Unresolved) > 0 {
		fmt.Fprintln(w)
	}
	return nil
}

func outcome(run simulate.Run) string {
	switch run.Status {
	case "True":
		return "succeeds (" + run.Reason + ")"
	case "False":
		return "fails (" + run.Reason + ")"
	}
	return "does not finish (" + run.Reason + ")"
}

// oneLine keeps multi-line values (scripts passed as params) on one table line.
func oneLine(s string) string {
	if s == "" {
		return `""`
	}
	s = strings.ReplaceAll(s, "\n", `\n`)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

func selector(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var kv []string
	for _, k := range keys {
		kv = append(kv, k+"="+m[k])
	}
	return strings.Join(kv, ",")
}
