package audit

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert/report"
)

// Formats maps each output format to its renderer.
var Formats = map[string]func(io.Writer, *Report) error{
	"markdown": Markdown,
	"json":     JSON,
	"csv":      CSV,
}

// JSON writes the report as indented JSON.
func JSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// MaxUnknownRows bounds the unknown-step table of the markdown report; JSON and CSV list all.
const MaxUnknownRows = 20

func pct(n, total int) string {
	if total == 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64) + "%"
}

// Markdown writes the audit for people: totals, one row per source file, the manual work
// and the unknown Jenkins steps to map next.
func Markdown(w io.Writer, r *Report) error {
	var b strings.Builder
	t := r.Totals
	b.WriteString("## tkn-migrate audit\n\n")
	fmt.Fprintf(&b, "%d %s, %d source %s.\n\n", t.Repositories, plural(t.Repositories, "repository", "repositories"),
		t.Files, plural(t.Files, "file", "files"))
	b.WriteString("| Status | Repositories | % | Files | % |\n|---|---:|---:|---:|---:|\n")
	for _, s := range Buckets {
		fmt.Fprintf(&b, "| %s | %d | %s | %d | %s |\n", s, t.RepoStatus[s], pct(t.RepoStatus[s], t.Repositories),
			t.FileStatus[s], pct(t.FileStatus[s], t.Files))
	}
	b.WriteString("\n")
	if n := t.Steps[StepKnown] + t.Steps[StepMapped] + t.Steps[StepUnknown]; n > 0 {
		fmt.Fprintf(&b, "Jenkins steps: %d %s, %d known (%s), %d mapped (%s), %d unknown (%s).\n\n", n, plural(n, "call", "calls"),
			t.Steps[StepKnown], pct(t.Steps[StepKnown], n), t.Steps[StepMapped], pct(t.Steps[StepMapped], n),
			t.Steps[StepUnknown], pct(t.Steps[StepUnknown], n))
	}
	mdRepos(&b, r)
	mdManual(&b, r.Manual)
	mdUnknown(&b, r.UnknownSteps)
	mdErrors(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

func mdRepos(b *strings.Builder, r *Report) {
	if len(r.Repositories) == 0 {
		return
	}
	b.WriteString("### Repositories\n\n| Repository | File | Kind | Status | Approximated | Manual | Unsupported | Steps known/mapped/unknown |\n")
	b.WriteString("|---|---|---|---|---:|---:|---:|---:|\n")
	for _, repo := range r.Repositories {
		for _, f := range repo.Files {
			steps := ""
			if len(f.Steps) > 0 {
				n := stepTotals(f.Steps)
				steps = fmt.Sprintf("%d/%d/%d", n[StepKnown], n[StepMapped], n[StepUnknown])
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %d | %d | %d | %s |\n", report.Cell(report.Code(repo.Path)),
				report.Cell(report.Code(f.Path)), f.Kind, f.Status, f.Approximated, f.Manual, f.Unsupported, steps)
		}
	}
	b.WriteString("\n")
}

func stepTotals(steps []StepCount) map[string]int {
	n := map[string]int{}
	for _, s := range steps {
		n[s.Class] += s.Count
	}
	return n
}

func mdManual(b *strings.Builder, m Manual) {
	groups := []struct {
		title string
		items []Item
	}{
		{"**Secrets** to create (names only; the values are yours to fill in)", m.Secrets},
		{"**Storage classes** the workspaces' claims need (" + DefaultStorageClass + ": the cluster's default StorageClass)", m.StorageClasses},
		{"**Node pools** the tasks select", m.NodePools},
		{"**Service accounts** the runs use", m.ServiceAccounts},
		{"**Cron jobs** to create (Tekton has no scheduler: a CronJob calls the Pipelines-as-Code incoming webhook)", m.CronJobs},
	}
	started := false
	for _, g := range groups {
		if len(g.items) == 0 {
			continue
		}
		if !started {
			b.WriteString("### Manual work\n\n")
			started = true
		}
		fmt.Fprintf(b, "%s:\n\n", g.title)
		for _, it := range g.items {
			repos := make([]string, len(it.Repositories))
			for i, r := range it.Repositories {
				repos[i] = report.Code(r)
			}
			fmt.Fprintf(b, "- [ ] %s in %s\n", report.Code(it.Name), strings.Join(repos, ", "))
		}
		b.WriteString("\n")
	}
}

func mdUnknown(b *strings.Builder, steps []StepCount) {
	if len(steps) == 0 {
		return
	}
	b.WriteString("### Top unknown Jenkins steps\n\nMap the Jenkinsfile steps among these next with `--mapping` (jenkins/MAPPING.md); " +
		"job config.xml builders, wrappers and publishers are named by their element.\n\n")
	b.WriteString("| Step | Calls | Repositories |\n|---|---:|---:|\n")
	shown := steps
	if len(shown) > MaxUnknownRows {
		shown = shown[:MaxUnknownRows]
	}
	for _, s := range shown {
		fmt.Fprintf(b, "| %s | %d | %d |\n", report.Cell(report.Code(s.Name)), s.Count, s.Repositories)
	}
	if more := len(steps) - len(shown); more > 0 {
		fmt.Fprintf(b, "\n%d more in `--format json` or `--format csv`.\n", more)
	}
	b.WriteString("\n")
}

func mdErrors(b *strings.Builder, r *Report) {
	var rows []string
	for _, repo := range r.Repositories {
		for _, f := range repo.Files {
			if f.Error != "" {
				rows = append(rows, "- "+report.Escape(f.Error)+"\n")
			}
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("### Failed\n\nThese files did not convert:\n\n")
	b.WriteString(strings.Join(rows, ""))
	b.WriteString("\n")
}

// csvHeader is the CSV's columns: a "file" record per repository and source file, then an
// "unknown-step" record per unknown Jenkins step and file.
var csvHeader = []string{"record", "repository", "file", "kind", "status", "changes", "approximated", "manual", "unsupported",
	"steps_known", "steps_mapped", "steps_unknown", "step", "count", "error"}

// CSV writes one row per repository and source file and one per unknown step in each file.
func CSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(csvHeader)
	itoa := strconv.Itoa
	for _, repo := range r.Repositories {
		for _, f := range repo.Files {
			n := stepTotals(f.Steps)
			_ = cw.Write([]string{"file", repo.Path, f.Path, string(f.Kind), f.Status, itoa(f.Changes), itoa(f.Approximated),
				itoa(f.Manual), itoa(f.Unsupported), itoa(n[StepKnown]), itoa(n[StepMapped]), itoa(n[StepUnknown]), "", "", f.Error})
		}
	}
	for _, repo := range r.Repositories {
		for _, f := range repo.Files {
			for _, s := range f.Steps {
				if s.Class == StepUnknown {
					_ = cw.Write([]string{"unknown-step", repo.Path, f.Path, string(f.Kind), "", "", "", "", "", "", "", "", s.Name, itoa(s.Count), ""})
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
