package jenkins

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

// literalList is a list of literal strings, written in place or held by a def'd variable.
func (c *conv) literalList(v *model.Value) ([]string, bool) {
	if v == nil {
		return nil, false
	}
	if v.Kind == model.List {
		out := make([]string, 0, len(v.List))
		for i := range v.List {
			s, ok := lit(&v.List[i])
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	items, ok := c.lists[strings.TrimSpace(v.Raw)]
	return items, ok
}

// collectBranches unrolls parallel(list.collectEntries { x -> [(key): { ... }] }) over a literal
// list: one branch per item, named by the key with the item bound, as Groovy builds the map.
func (c *conv) collectBranches(v *model.Value) []branch {
	if v == nil || v.Kind != model.CallVal || v.Call == nil || v.Call.Name != "collectEntries" || len(v.Call.Body) != 1 {
		return nil
	}
	items, ok := c.literalList(v.Call.Receiver)
	if !ok {
		return nil
	}
	param := "it"
	if len(v.Call.Params) == 1 {
		param = v.Call.Params[0]
	}
	body := v.Call.Body[0]
	// The closure's map literal is kept as source: parse it on its own lines, so steps keep them.
	f, err := parseFile(c.path, []byte(strings.Repeat("\n", max(body.Line-1, 0))+"def m = "+strings.TrimSpace(body.Raw)))
	if err != nil || f.Script == nil || len(f.Script.Stmts) != 1 || f.Script.Stmts[0].Value == nil {
		return nil
	}
	m := f.Script.Stmts[0].Value
	if m.Kind != model.Map || len(m.Map) != 1 || m.Map[0].Value.Kind != model.Closure {
		return nil
	}
	key := strings.TrimSpace(m.Map[0].Name)
	key = strings.TrimSuffix(strings.TrimPrefix(key, "("), ")")
	var out []branch
	for _, it := range items {
		binds := make(map[string]string, len(c.literals)+1)
		for k, x := range c.literals {
			binds[k] = x
		}
		binds[param] = it
		var name string
		c.withBinds(branch{binds: binds}, func() {
			if x, ok := c.literals[strings.TrimSpace(key)]; ok {
				name = x
			} else {
				name = c.groovyKey(key)
			}
		})
		out = append(out, branch{name: name, line: body.Line, body: m.Map[0].Value.Body, raw: body.Raw, binds: binds})
	}
	return out
}
