package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/graph"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
)

// Markdown writes the report for a pull request description: a summary, a
// Mermaid graph of each generated Pipeline, a "Before you merge" checklist
// (secrets with their kubectl commands, storage, service accounts, manual
// items) and the residue. It renders on GitHub; secret values never appear
// because findings only ever carry secret names.
func Markdown(w io.Writer, r *Report) error {
	if r.md == nil {
		return errors.New("report: Markdown needs a report made with Options.Draw")
	}
	r.md.sim.finish()
	b := bufio.NewWriter(w)
	b.WriteString("## tkn-migrate report\n\n")
	mdSummary(b, r)
	for _, section := range []func(*bufio.Writer, *Report) error{mdFiles, mdErrors, mdPipelines, mdSimulation, mdChecklist, mdResidue} {
		if err := section(b, r); err != nil {
			return err
		}
	}
	return b.Flush()
}

func mdSummary(b *bufio.Writer, r *Report) {
	s := r.Summary
	b.WriteString("| Files | Changed | Errors | Tekton resources | Converted | Approximated | Manual | Unsupported | Markers |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| %d | %d | %d | %d | %d | %d | %d | %d | %d |\n\n",
		s.Files, s.Changed, s.Errors, s.Resources, s.Converted, s.Approximated, s.Manual, s.Unsupported, s.Markers)
}

func mdFiles(b *bufio.Writer, r *Report) error {
	if r.Summary.Files == 0 {
		return nil
	}
	b.WriteString("### Files\n\n| File | Kind | Status | Output | Approximated | Manual | Unsupported |\n|---|---|---|---|---:|---:|---:|\n")
	err := r.each(func(f *File) error {
		n := map[convert.Class]int{}
		for _, fd := range f.Findings {
			n[fd.Class]++
		}
		var outs []string
		for _, o := range f.Outputs {
			outs = append(outs, code(o))
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %d | %d | %d |\n", cell(code(f.Path)), f.Kind, f.Status,
			cell(strings.Join(outs, "<br>")), n[convert.Approximated], n[convert.Manual], n[convert.Unsupported])
		return nil
	})
	b.WriteString("\n")
	return err
}

func mdErrors(b *bufio.Writer, r *Report) error {
	if r.errored == 0 {
		return nil
	}
	b.WriteString("### Errors\n\nThese inputs failed; nothing was written for them.\n\n")
	err := r.each(func(f *File) error {
		if f.Error != "" {
			b.WriteString("- " + text(f.Error) + "\n")
		}
		return nil
	})
	b.WriteString("\n")
	return err
}

// MaxGraphs bounds the Pipelines drawn, so a batch report still fits a pull
// request description (GitHub allows 65536 characters).
const MaxGraphs = 12

// drawing is what Markdown shows of the generated files, taken from each outcome as it
// is added: a batch's report holds no generated file.
type drawing struct {
	pipelines []string // the first MaxGraphs Pipelines, drawn
	more      int      // Pipelines past MaxGraphs
	storage   int      // storage items, each kept with its input's entry
	accounts  []item
	runs      int
	seenSA    map[string]bool
	sim       *simulation
}

// add takes, from one outcome's generated files, the Pipelines to draw and the checklist
// items; it returns the storage items, which go with the input's entry.
func (d *drawing) add(o *convert.Outcome) (storage []item) {
	d.sim.add(o)
	for _, f := range o.Result.Files {
		ps, _ := graph.Parse(f.Path, f.Data) // outputs were validated; a stray error only hides a picture
		for _, p := range ps {
			if len(d.pipelines) == MaxGraphs {
				d.more++
				continue
			}
			var b strings.Builder
			fmt.Fprintf(&b, "#### %s %s (%s)\n\n", p.Kind, code(p.Name), code(fmt.Sprintf("%s:%d", p.File, p.Line)))
			b.WriteString("```mermaid\n")
			b.WriteString(graph.Mermaid(p))
			b.WriteString("```\n\n")
			d.pipelines = append(d.pipelines, b.String())
		}
		storage = d.scanRuns(f, storage)
	}
	d.storage += len(storage)
	return storage
}

// mdPipelines draws every Pipeline (or embedded pipelineSpec) among the generated files.
func mdPipelines(b *bufio.Writer, r *Report) error {
	d := r.md
	if len(d.pipelines) == 0 {
		return nil
	}
	b.WriteString("### Pipelines\n\n")
	for _, p := range d.pipelines {
		b.WriteString(p)
	}
	if d.more > 0 {
		fmt.Fprintf(b, "%d more %s not drawn; `tkn-migrate graph PATH` draws any of them.\n\n", d.more, plural(d.more, "Pipeline", "Pipelines"))
	}
	return nil
}

// mdSimulation is what runs on a push and on a pull request, when the report simulates.
func mdSimulation(b *bufio.Writer, r *Report) error {
	var sb strings.Builder
	r.md.sim.markdown(&sb)
	b.WriteString(sb.String())
	return nil
}

// isSecretAction tells a finding whose fix is creating a Secret.
func isSecretAction(f convert.Finding) bool {
	return strings.HasPrefix(f.Action, "kubectl create secret")
}

// mdChecklist reads the entries back once for the Secrets, once for the storage items and
// once for the manual items. The Secrets are grouped by command, in order of first use, so
// their positions are held while the section is written: as many as the Secret findings.
func mdChecklist(b *bufio.Writer, r *Report) error {
	d := r.md
	if r.secrets+r.manual+d.storage+d.runs == 0 {
		return nil
	}
	b.WriteString("### Before you merge\n\n")
	if r.secrets > 0 {
		b.WriteString("**Secrets** to create in the namespace the runs use (fill in the values yourself; they never appear here):\n\n")
		// One item per command: the same Secret is often needed in several places.
		var order []string
		where := map[string][]string{}
		first := map[string]string{} // command → the message of its first finding
		err := r.each(func(f *File) error {
			for _, fd := range sortedFindings(f.Findings) {
				if !isSecretAction(fd) {
					continue
				}
				if _, ok := first[fd.Action]; !ok {
					order = append(order, fd.Action)
					first[fd.Action] = fd.Message
				}
				where[fd.Action] = append(where[fd.Action], code(position(fd)))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, a := range order {
			fmt.Fprintf(b, "- [ ] %s %s\n  ```sh\n  %s\n  ```\n", strings.Join(where[a], ", "), text(first[a]), a)
		}
		b.WriteString("\n")
	}
	if d.storage > 0 {
		b.WriteString("**Storage**: a `volumeClaimTemplate` gets a new PersistentVolumeClaim per run, so the cluster needs dynamic provisioning " +
			"(a default StorageClass: `kubectl get storageclass` shows one marked `(default)`), or set `storageClassName`:\n\n")
		err := r.each(func(f *File) error {
			for _, s := range f.storage {
				fmt.Fprintf(b, "- [ ] %s %s\n", code(s.pos), s.what) // what is markdown already
			}
			return nil
		})
		if err != nil {
			return err
		}
		b.WriteString("\n")
	}
	if d.runs > 0 {
		b.WriteString("**Service accounts**:\n\n")
		if len(d.accounts) == 0 {
			b.WriteString("- [ ] The runs use the namespace's `default` ServiceAccount: check that it can pull the step images and read the Secrets above\n")
		}
		for _, a := range d.accounts {
			fmt.Fprintf(b, "- [ ] ServiceAccount %s exists in the namespace and lists the Secrets it needs (%s)\n", code(a.what), code(a.pos))
		}
		b.WriteString("\n")
	}
	if r.manual > 0 {
		b.WriteString("**Manual items**:\n\n")
		err := r.each(func(f *File) error {
			for _, fd := range sortedFindings(f.Findings) {
				if isSecretAction(fd) || fd.Class != convert.Manual && fd.Class != convert.Unsupported {
					continue
				}
				fmt.Fprintf(b, "- [ ] %s %s %s (%s)\n", code(position(fd)), fd.Class, text(fd.Message), code(fd.Rule))
				if fd.Action != "" {
					fmt.Fprintf(b, "  run: %s\n", code(fd.Action))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		b.WriteString("\n")
	}
	return nil
}

// item is one line of the checklist found in the output files; what is markdown.
type item struct{ pos, what string }

// scanRuns finds, in a generated file's runs, volumeClaimTemplate workspaces without a
// StorageClass and existing claims (appended to storage), and the ServiceAccounts named;
// runs counts every run.
func (d *drawing) scanRuns(o convert.File, storage []item) []item {
	docs, _ := yamldoc.Parse(o.Path, o.Data)
	for _, doc := range docs {
		if !strings.HasPrefix(doc.APIVersion, "tekton.dev/") || (doc.Kind != "PipelineRun" && doc.Kind != "TaskRun") {
			continue
		}
		name := doc.Name
		if name == "" {
			name = yamldoc.Str(doc.Root, "metadata", "generateName")
		}
		d.runs++
		for _, w := range yamldoc.Items(doc.Root, "spec", "workspaces") {
			if claim := yamldoc.Str(w, "persistentVolumeClaim", "claimName"); claim != "" {
				storage = append(storage, item{fmt.Sprintf("%s:%d", o.Path, w.Line), fmt.Sprintf(
					"workspace %s of %s %s binds the existing PersistentVolumeClaim %s: create it first; concurrent runs share it",
					code(yamldoc.Str(w, "name")), doc.Kind, code(name), code(claim))})
				continue
			}
			vct := yamldoc.Get(w, "volumeClaimTemplate")
			if vct == nil || yamldoc.Str(vct, "spec", "storageClassName") != "" {
				continue
			}
			what := fmt.Sprintf("workspace %s of %s %s", code(yamldoc.Str(w, "name")), doc.Kind, code(name))
			if size := yamldoc.Str(vct, "spec", "resources", "requests", "storage"); size != "" {
				what += ", " + size
			}
			storage = append(storage, item{fmt.Sprintf("%s:%d", o.Path, w.Line), what})
		}
		for _, n := range []*yaml.Node{
			yamldoc.Get(doc.Root, "spec", "serviceAccountName"),
			yamldoc.Get(doc.Root, "spec", "taskRunTemplate", "serviceAccountName"),
		} {
			if n != nil && n.Value != "" && !d.seenSA[n.Value] {
				d.seenSA[n.Value] = true
				d.accounts = append(d.accounts, item{fmt.Sprintf("%s:%d", o.Path, n.Line), n.Value})
			}
		}
	}
	return storage
}

func mdResidue(b *bufio.Writer, r *Report) error {
	if r.residue == 0 {
		return nil
	}
	fmt.Fprintf(b, "### Residue\n\n<details>\n<summary>%d %s not converted exactly</summary>\n\n", r.residue, plural(r.residue, "construct", "constructs"))
	b.WriteString("| Where | Class | Rule | What |\n|---|---|---|---|\n")
	err := r.each(func(f *File) error {
		for _, fd := range sortedFindings(f.Findings) {
			if fd.Class != convert.Converted {
				fmt.Fprintf(b, "| %s | %s | %s | %s |\n", cell(code(position(fd))), fd.Class, cell(code(fd.Rule)), cell(text(fd.Message)))
			}
		}
		return nil
	})
	b.WriteString("\n</details>\n")
	return err
}

func sortedFindings(fs []convert.Finding) []convert.Finding {
	out := append([]convert.Finding(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// code is s as an inline code span, with a fence long enough for any backticks inside.
func code(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if strings.TrimSpace(s) == "" {
		return "(none)" // an empty code span is not one: it would print its backticks
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if fence != "`" || strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdSpecial are the characters GitHub markdown could read as markup or HTML.
var mdSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "|", `\|`, "~", `\~`, "#", `\#`, "\n", " ", "\r", "",
)

// text is free text escaped to render literally.
func text(s string) string { return mdSpecial.Replace(s) }

// cell makes inline markdown safe in a table cell, where a pipe ends the cell even inside code.
func cell(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && (i == 0 || s[i-1] != '\\') {
			b.WriteString(`\|`)
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
