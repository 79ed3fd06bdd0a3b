package upgrade

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// helmRef is templating no Tekton field holds: Helm's built-in objects and functions.
// A bare {{.Id}} or {{range .items}} in a step's args is Go templating for docker or
// kubectl, and stays; Helm's control actions sit on lines of their own, which don't parse.
var helmRef = lazyre.New(`\{\{-?\s*(?:\.Values\b|\.Release\b|\.Chart\b|\.Capabilities\b|\.Files\b|\.Template\b|\$\.Values\b|include\s|template\s|toYaml\b|tpl\s|required\s)`)

// templated reports a file that is a Helm chart template (or other {{ ... }} templating)
// rather than YAML Tekton reads: it parses wrongly or not at all, and converting it
// would only produce validation noise. It returns nil for any other file.
func templated(path string, data []byte) *convert.Finding {
	if !bytes.Contains(data, []byte("{{")) {
		return envsubstTemplated(path, data)
	}
	docs, err := splitDocs(path, data)
	if err != nil {
		// Only a template line at or before the parse error explains it.
		upTo := 0
		var pe *convert.PosError
		if errors.As(err, &pe) {
			upTo = pe.Line
		}
		if line, text := firstTemplateLine(data, upTo); line > 0 {
			return templateFinding(path, line, 1, text)
		}
		return nil
	}
	return firstNodeFinding(path, data, docs, templateNode)
}

// firstNodeFinding is the template finding at the first node find picks in docs, or nil.
func firstNodeFinding(path string, data []byte, docs []document, find func(*yaml.Node) *yaml.Node) *convert.Finding {
	for _, d := range docs {
		if d.node == nil {
			continue
		}
		if n := find(d.node); n != nil {
			line := d.line + n.Line - 1
			text := ""
			if lines := splitLines(string(data)); line-1 < len(lines) {
				text = lines[line-1]
			}
			return templateFinding(path, line, n.Column, text)
		}
	}
	return nil
}

// templateNode finds the first node that is templating: an unquoted {{ x }} (which YAML
// reads as a flow mapping used as a key) or a scalar using Helm's objects or actions.
func templateNode(n *yaml.Node) *yaml.Node {
	switch {
	case n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle != 0 && len(n.Content) > 0 && n.Content[0].Kind == yaml.MappingNode:
		return n
	case n.Kind == yaml.ScalarNode && helmRef.MatchString(n.Value):
		return n
	}
	for _, c := range n.Content {
		if t := templateNode(c); t != nil {
			return t
		}
	}
	return nil
}

// firstTemplateLine returns the first line (up to line upTo, 0 for any) that holds {{
// outside a comment.
func firstTemplateLine(data []byte, upTo int) (int, string) {
	for i, l := range splitLines(string(data)) {
		if upTo > 0 && i+1 > upTo {
			break
		}
		if t := strings.TrimSpace(l); !strings.HasPrefix(t, "#") && strings.Contains(t, "{{") {
			return i + 1, l
		}
	}
	return 0, ""
}

func templateFinding(path string, line, col int, text string) *convert.Finding {
	text = strings.TrimSpace(text)
	if len(text) > 80 {
		text = text[:77] + "..."
	}
	return &convert.Finding{File: path, Line: line, Col: col, Class: convert.Unsupported, Rule: "template",
		Message: fmt.Sprintf("this file is a template, not YAML Tekton reads (%q): render it first (helm template, or the tool that fills it in) and convert the rendered output; the file was left as it is", text)}
}

// envVar is an envsubst placeholder (${NAME}); old Tekton's ${inputs.params.x} has dots.
var envVar = lazyre.New(`\$\{[A-Za-z_][A-Za-z0-9_]*\}`)

// nameKeys hold Kubernetes object names, where no $ is allowed: a ${NAME} there is
// filled in by envsubst (or a like tool) before kubectl apply, never by Tekton.
var nameKeys = map[string]bool{"name": true, "generateName": true, "namespace": true, "serviceAccountName": true, "claimName": true, "secretName": true}

// envsubstTemplated reports a file whose object names are ${NAME} placeholders.
func envsubstTemplated(path string, data []byte) *convert.Finding {
	if !envVar.Match(data) { // old Tekton's ${inputs.params.x} has dots: such files aren't parsed here
		return nil
	}
	docs, err := splitDocs(path, data)
	if err != nil {
		return nil
	}
	return firstNodeFinding(path, data, docs, envsubstNode)
}

// envsubstNode finds, in document order, the first name-holding value with ${NAME}.
func envsubstNode(n *yaml.Node) *yaml.Node {
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 1 && nameKeys[n.Content[i-1].Value] && c.Kind == yaml.ScalarNode && envVar.MatchString(c.Value) {
			return c
		}
		if t := envsubstNode(c); t != nil {
			return t
		}
	}
	return nil
}
