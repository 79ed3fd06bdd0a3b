package lint

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestRulesDoc keeps RULES.md, the user-facing rule list, in step with Rules and Docs.
func TestRulesDoc(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("# tkn-migrate lint rules\n\n")
	b.WriteString("`tkn-migrate lint` exits 1 when any finding is an error. In the conversion report formats\n")
	b.WriteString("an error shows as `unsupported`, a warning as `manual` and info as `approximated`;\n")
	b.WriteString("the rule column reads `ID/name`. TKN0xx are Tekton's own validation (tektoncd/pipeline v1.15.0,\n")
	b.WriteString("tektoncd/triggers v0.34.0), one rule per class of failure; TKN9xx check references across files.\n")
	b.WriteString("A Tekton failure that one of the TKN9xx rules names (a cycle, a missing task, ...) is reported under that rule.\n\n")
	b.WriteString("| ID | Name | Severity | Finds | tekton-lint |\n|---|---|---|---|---|\n")
	for _, r := range Rules {
		d, ok := Docs[r.ID]
		if !ok {
			t.Errorf("rule %s has no Doc", r.ID)
		}
		tl := d.TektonLint
		if tl == "" {
			tl = "—"
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s |\n", r.ID, r.Anchor(), r.Name, r.Severity, strings.ReplaceAll(r.Summary, "|", `\|`), tl)
	}
	b.WriteString("\nTKN401 is an error for removed APIs and a warning for `tekton.dev/v1beta1`, which Tekton still serves.\n")
	b.WriteString("\n## Rules\n")
	for _, r := range Rules {
		fmt.Fprintf(&b, "\n### %s %s\n\n%s (%s). %s\n", r.ID, r.Name, r.Summary, r.Severity, Docs[r.ID].Help)
		if tl := Docs[r.ID].TektonLint; tl != "" {
			fmt.Fprintf(&b, "\ntekton-lint: %s.\n", tl)
		}
	}
	b.WriteString("\n## Configuration\n\n")
	b.WriteString("`.tkn-migrate.yaml` in the working directory (or `--config FILE`):\n\n")
	b.WriteString("```yaml\nrules:\n  TKN916: off          # by ID or name; error, warning, info or off\n  unpinned-image: error\ndisable: [TKN801]\ngenerated:            # read for references, findings not reported\n  - .tekton/\n```\n\n")
	b.WriteString("`# tkn-migrate:ignore TKN123` (IDs or names, several allowed; none means all) on the line above a\n")
	b.WriteString("finding suppresses it. `--max-warnings N` exits 1 above N warnings. `--baseline report.json` reports\n")
	b.WriteString("only findings an earlier `--report json` does not hold (matched by rule, file and message, not line).\n")
	golden(t, "RULES.md", b.Bytes())
}
