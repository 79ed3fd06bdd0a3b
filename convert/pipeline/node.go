package pipeline

import (
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// Builders for yaml.v3 nodes: output keys must come in Tekton's order, which a Go map can't keep.

func mapNode() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func seqNode() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode} }

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case strings.Contains(s, "\n"):
		n.Style = yaml.LiteralStyle
	case len(s) <= 3 && yaml11Bool[s]:
		// kubectl reads YAML 1.1, where a plain `on` or `no` is a bool: quote it to stay a string.
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

var yaml11Bool = map[string]bool{}

func init() {
	for _, w := range []string{"y", "yes", "n", "no", "on", "off"} {
		for _, v := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
			yaml11Bool[v] = true
		}
	}
}

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

// set appends key: value to mapping m, with optional comment lines above the key.
func set(m *yaml.Node, key string, v *yaml.Node, comments ...string) {
	k := keyNode(key)
	if len(comments) > 0 {
		k = str(key)
		k.HeadComment = commentBlock(comments)
	}
	m.Content = append(m.Content, k, v)
}

// sharedKeys are one node for each key Emit writes without a comment, shared by every
// document (half the nodes it built were these keys): no node set makes is changed after.
var sharedKeys = sync.OnceValue(func() map[string]*yaml.Node {
	keys := map[string]*yaml.Node{}
	for _, k := range strings.Fields(`accessModes annotations apiVersion args cel command default
		description env exec failureThreshold finally fsGroup hostAliases hostnames image include input
		ip key kind matrix metadata name nodeSelector onError operator optional params periodSeconds
		pipeline pipelineRef pipelineTaskName podTemplate port privileged readOnly readinessProbe ref
		requests resolver resources results retries runAfter script secret secretKeyRef secretName
		securityContext sidecars spec stepTemplate steps storage subPath taskPodTemplate taskRef
		taskRunSpecs taskRunTemplate taskSpec tasks tcpSocket timeout timeouts type value valueFrom
		values volumeClaimTemplate when workingDir workspace workspaces`) {
		keys[k] = str(k)
	}
	return keys
})

// keyNode is the node of a mapping key without comments.
func keyNode(key string) *yaml.Node {
	if k := sharedKeys()[key]; k != nil {
		return k
	}
	return str(key)
}

// setStr sets a string field, skipping it when empty.
func setStr(m *yaml.Node, key, v string) {
	if v != "" {
		set(m, key, str(v))
	}
}

func strSeq(items []string) *yaml.Node {
	s := seqNode()
	for _, it := range items {
		s.Content = append(s.Content, str(it))
	}
	return s
}

func commentBlock(lines []string) string {
	var out []string
	for _, l := range lines {
		for _, part := range strings.Split(l, "\n") {
			out = append(out, "# "+convert.Printable(part))
		}
	}
	return strings.Join(out, "\n")
}
