package lint

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// injected matches the substitutions Tekton pastes into script text verbatim.
var injected = lazyre.New(`\$\(\s*(?:(?:inputs\.)?params(?:\.[A-Za-z0-9_.-]+|\[[^\]]*\])|tasks\.[A-Za-z0-9_-]+\.results\.[A-Za-z0-9_.\[\]*-]+)\s*\)`)

// checkScripts: TKN301, parameters and results pasted into script:.
func checkScripts(in *input) {
	for _, d := range in.docs {
		if !tekton(d) {
			continue
		}
		yamldoc.Walk(d.Root, func(n *yaml.Node) {
			if n.Kind != yaml.MappingNode {
				return
			}
			s := yamldoc.Get(n, "script")
			if s == nil || s.Kind != yaml.ScalarNode {
				return
			}
			locs := injected.FindAllStringIndex(s.Value, -1)
			if len(locs) == 0 {
				return
			}
			var refs []string
			for _, l := range locs {
				refs = append(refs, s.Value[l[0]:l[1]])
			}
			refs = uniqKeep(refs)
			pos := &yaml.Node{Line: s.Line, Column: s.Column}
			if s.Style == yaml.LiteralStyle {
				// A literal block starts on the next line and keeps its newlines.
				pos.Line = s.Line + 1 + strings.Count(s.Value[:locs[0][0]], "\n")
				pos.Column = 0
			}
			step := yamldoc.Str(n, "name")
			where := "this script"
			if step != "" {
				where = fmt.Sprintf("the script of step %q", step)
			}
			in.report("TKN301", "", d.Path, pos, fmt.Sprintf(
				"%s pastes %s into its text: a value holding shell syntax runs as code (script injection); "+
					"pass it through the step's env (env: [{name: VALUE, value: %s}]) and use \"$VALUE\" in the script",
				where, strings.Join(refs, ", "), refs[0]))
		})
	}
}

func uniqKeep(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
