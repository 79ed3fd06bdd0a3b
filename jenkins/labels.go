package jenkins

import (
	"sort"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// LabelEntry maps a Jenkins agent label to what the pod needs: an image for the steps and a
// nodeSelector for the pod (--mapping labels:).
type LabelEntry struct {
	Image        string            `yaml:"image"`
	NodeSelector map[string]string `yaml:"nodeSelector"`
}

// windowsLabel matches labels that name Windows agents (windows, win-2019, Windows && docker).
var windowsLabel = lazyre.New(`(?i)(^|[^a-z0-9])win`)

// label applies an agent label (node('x'), agent { label 'x' }) to the scope: the --mapping
// entry for it, or for a label naming Windows the Windows nodeSelector, or the default image.
func (c *conv) label(l string, sc *scope, line, col int, what string) {
	sc.label = l
	if l == "" {
		return
	}
	if e, ok := c.mapping.labelFor(l); ok {
		if e.Image != "" {
			sc.image = e.Image
		}
		sc.nodeSelector = selector(e.NodeSelector)
		c.find(line, col, convert.Converted, "agent-label", "%s %q → image %s and nodeSelector %v (--mapping)", what, l, c.imageFor(*sc), e.NodeSelector)
		return
	}
	if windowsLabel.MatchString(l) {
		sc.nodeSelector = []pipeline.Binding{{Name: "kubernetes.io/os", Value: "windows"}}
		c.find(line, col, convert.Manual, "windows-agent", "%s %q is a Windows agent: its tasks get nodeSelector kubernetes.io/os: windows; the cluster needs Windows nodes and the steps Windows images (map the label with --mapping labels:)", what, l)
		return
	}
	c.find(line, col, convert.Approximated, "agent-label", "%s %q: steps run in image %s unless tools or a docker agent pick one; map the label to an image with the same tools (--mapping labels:)", what, l, c.imageFor(*sc))
}

func selector(m map[string]string) []pipeline.Binding {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]pipeline.Binding, 0, len(keys))
	for _, k := range keys {
		out = append(out, pipeline.Binding{Name: k, Value: m[k]})
	}
	return out
}

func (m *Mapping) labelFor(l string) (*LabelEntry, bool) {
	if m == nil {
		return nil, false
	}
	e, ok := m.Labels[l]
	return e, ok && e != nil
}

// nodeBlock runs a node { } met among steps in its own task (its own pod), as Jenkins runs it
// on its own agent: steps of different nodes never share a pod.
func (c *conv) nodeBlock(ch *chain, s *model.Step, sc scope) {
	if ch.noSplit || ch.matrix != nil {
		c.wrapper(ch, s, sc)
		return
	}
	nsc := sc
	if l, ok := c.staticString(arg(s, "label", 0), sc); ok {
		c.label(l, &nsc, s.Line, s.Col, "node")
	}
	ch.flush()
	ch.comment(c.from(s.Line, "node: its own task, as Jenkins runs it on its own agent"))
	c.steps(ch, s.Body, nsc)
	if ch.cur != nil && len(nsc.nodeSelector) > 0 {
		ch.cur.NodeSelector = nsc.nodeSelector
	}
	ch.flush()
}
