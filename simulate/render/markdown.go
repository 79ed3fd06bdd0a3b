package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/simulate"
)

// Markdown writes each run as a Mermaid flowchart (tasks grouped by the wave that
// starts them, skipped and failed tasks styled) and a table of why.
func Markdown(w io.Writer, r *simulate.Report) error {
	fmt.Fprintf(w, "### On %s\n\n", EventString(r.Event))
	if len(r.NotSelected) > 0 {
		fmt.Fprintf(w, "Pipelines-as-Code does not start: %s.\n\n", code(r.NotSelected))
	}
	if len(r.Runs) == 0 {
		fmt.Fprintln(w, "No PipelineRun starts.")
		fmt.Fprintln(w)
	}
	for _, run := range r.Runs {
		fmt.Fprintf(w, "#### PipelineRun `%s`: %s\n\n", run.Name, outcome(run))
		fmt.Fprintln(w, "```mermaid")
		fmt.Fprintln(w, "flowchart LR")
		waves := map[int][]simulate.Task{}
		var order []int
		for _, t := range run.Tasks {
			if _, ok := waves[t.Wave]; !ok {
				order = append(order, t.Wave)
			}
			waves[t.Wave] = append(waves[t.Wave], t)
		}
		prev := ""
		for _, wv := range order {
			id, title := fmt.Sprintf("w%d", wv), fmt.Sprintf("wave %d", wv)
			if wv == 0 {
				id, title = "none", "not started"
			}
			fmt.Fprintf(w, "  subgraph %s[\"%s\"]\n", id, title)
			for _, t := range waves[wv] {
				label := t.Name
				if len(t.Matrix) > 0 {
					label += fmt.Sprintf(" ×%d", len(t.Matrix))
				}
				fmt.Fprintf(w, "    %s[\"%s\"]:::%s\n", nodeID(t.Name), label, class(t.State))
			}
			fmt.Fprintln(w, "  end")
			if prev != "" && wv != 0 {
				fmt.Fprintf(w, "  %s --> %s\n", prev, id)
			}
			if wv != 0 {
				prev = id
			}
		}
		fmt.Fprintln(w, "  classDef run fill:#d4edda,stroke:#28a745")
		fmt.Fprintln(w, "  classDef skipped fill:#eeeeee,stroke:#999999,stroke-dasharray:4")
		fmt.Fprintln(w, "  classDef failed fill:#f8d7da,stroke:#dc3545")
		fmt.Fprintln(w, "```")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| wave | task | state | why |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, t := range run.Tasks {
			wave := "–"
			if t.Wave > 0 {
				wave = fmt.Sprint(t.Wave)
			}
			name := "`" + t.Name + "`"
			if t.Finally {
				name += " (finally)"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", wave, name, t.State, strings.ReplaceAll(t.Reason, "|", `\|`))
		}
		fmt.Fprintln(w)
	}
	for _, e := range r.Unresolved {
		fmt.Fprintf(w, "- **not simulated** past a reference outside the shipped catalog: `%s`\n", e.Error())
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "- **error** `%s`\n", e.Error())
	}
	if len(r.Errors)+len(r.Unresolved) > 0 {
		fmt.Fprintln(w)
	}
	return nil
}

func class(state string) string {
	switch state {
	case simulate.WouldRun:
		return "run"
	case simulate.Skipped:
		return "skipped"
	}
	return "failed"
}

// nodeID makes a Mermaid-safe node id from a task name (DNS labels: letters, digits, '-').
func nodeID(name string) string {
	return "t_" + strings.ReplaceAll(name, "-", "_")
}

func code(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, ", ")
}
