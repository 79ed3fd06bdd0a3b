package main

import (
	"os"

	"github.com/rogpeppe/go-internal/testscript"
	"gopkg.in/yaml.v3"
)

// cmdStepScript is the testscript command `stepscript FILE STEP OUT`: it writes the script of
// the step named STEP (in a Task, or in a Pipeline's embedded taskSpecs) to OUT, so a script
// runs the very text the manifest ships.
func cmdStepScript(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: stepscript FILE STEP OUT")
	}
	var doc yaml.Node
	ts.Check(yaml.Unmarshal([]byte(ts.ReadFile(args[0])), &doc))
	var found string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			var name, script string
			for i := 0; i+1 < len(n.Content); i += 2 {
				switch n.Content[i].Value {
				case "name":
					name = n.Content[i+1].Value
				case "script":
					script = n.Content[i+1].Value
				}
			}
			if name == args[1] && script != "" {
				found = script
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	if found == "" {
		ts.Fatalf("%s: no step %s with a script", args[0], args[1])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[2]), []byte(found), 0o755))
}
