package lint

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestRulesDoc keeps RULES.md, the user-facing rule list, in step with Rules.
func TestRulesDoc(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("# tkn-migrate lint rules\n\n")
	b.WriteString("`tkn-migrate lint` exits 1 when any finding is an error. In the conversion report formats\n")
	b.WriteString("an error shows as `unsupported`, a warning as `manual` and info as `approximated`;\n")
	b.WriteString("the rule column reads `ID/name`.\n\n")
	b.WriteString("| ID | Name | Severity | Finds |\n|---|---|---|---|\n")
	for _, r := range Rules {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.ID, r.Name, r.Severity, strings.ReplaceAll(r.Summary, "|", `\|`))
	}
	b.WriteString("\nTKN401 is an error for removed APIs and a warning for `tekton.dev/v1beta1`, which Tekton still serves.\n")
	golden(t, "RULES.md", b.Bytes())
}
