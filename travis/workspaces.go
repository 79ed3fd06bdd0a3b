package travis

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// sharedWorkspace is the one volume Travis workspaces pass through between jobs (a new PVC per
// run); each Travis workspace is its own subPath, so jobs creating different ones share no files.
const sharedWorkspace = "travis-workspaces"

// wsMount binds workspace name into the task (once) and gives the env var holding its path.
func (c *conv) wsMount(name string, parts *taskParts) string {
	tw := pipeline.Sanitize("ws-" + name)
	v := "TKN_MIGRATE_WS_" + strings.ToUpper(regexp.MustCompile(`[^A-Za-z0-9]`).ReplaceAllString(name, "_"))
	for _, b := range parts.binds {
		if b.Name == tw {
			return v
		}
	}
	c.wsUsed = true
	parts.binds = append(parts.binds, pipeline.Binding{Name: tw, Value: sharedWorkspace, SubPath: name})
	parts.stepEnv = append(parts.stepEnv, pipeline.Env{Name: v, Value: "$(workspaces." + tw + ".path)"})
	return v
}

// wsName keeps a workspace name safe inside a double-quoted path.
var wsName = lazyre.New(`^[A-Za-z0-9._-]+$`)

// workspaces turns workspaces: use/create into copies between the job's private directory
// and the shared workspace: jobs no longer share files, so a later stage sees only what
// earlier jobs created, as in Travis.
func (c *conv) workspaces(j *job, parts *taskParts) (use, create []string) {
	n := j.get("workspaces")
	if n == nil || isNull(n) {
		return nil, nil
	}
	k := j.keyNode("workspaces")
	bad := func(at *yaml.Node, why string) {
		msg := "workspaces: " + why + "; not converted"
		c.finding(at, convert.Manual, "travis/workspaces", "%s", msg)
		parts.comments = append(parts.comments, c.marker("manual", msg, at.Line))
	}
	if n.Kind != yaml.MappingNode {
		bad(k, "expected a mapping with use: and create:")
		return nil, nil
	}
	m := asMap(n)
	for _, key := range m.keys {
		v := m.vals[key.Value]
		switch key.Value {
		case "use":
			names, ok := scalars(v)
			if !ok {
				bad(key, "use: must be a name or a list of names")
				continue
			}
			for _, name := range names {
				if !wsName.MatchString(name) {
					bad(key, "use: "+name+" is not a plain workspace name")
					continue
				}
				dir := `"$` + c.wsMount(name, parts)
				use = append(use, `if [ -e `+dir+`/.created" ]; then cp -a `+dir+`/files/." "$TRAVIS_BUILD_DIR/"; else echo `+shellQuote("workspace "+name+" was not created by an earlier job")+` >&2; fi`)
			}
		case "create":
			cm := asMap(v)
			name := scalarOf(cm.get("name"))
			paths, ok := scalars(cm.get("paths"))
			if v.Kind != yaml.MappingNode || !wsName.MatchString(name) || !ok {
				bad(key, "create: needs a plain name and paths")
				continue
			}
			root := `"$` + c.wsMount(name, parts)
			dir := root + `/files`
			// paths are relative to the build dir, wherever the script left the shell
			create = append(create, `( cd "$TRAVIS_BUILD_DIR" || exit`, `rm -rf `+dir+`" && : > `+root+`/.created"`)
			for _, p := range paths {
				q := shellQuote(p)
				create = append(create, `if [ -e `+q+` ]; then mkdir -p `+dir+`/$(dirname -- `+q+`)" && cp -a `+q+` `+dir+`/$(dirname -- `+q+`)/"; fi`)
			}
			create = append(create, `)`)
		default:
			bad(key, key.Value+" is not a workspaces key")
		}
	}
	if len(use)+len(create) > 0 {
		msg := "workspaces: copied through the " + sharedWorkspace + " workspace (a new PVC per run, one subPath per workspace); create: is stored at the end of the job step, before after_success/after_failure/after_script (Travis stores it after them)"
		c.finding(k, convert.Approximated, "travis/workspaces", "%s", msg)
		parts.comments = append(parts.comments, c.marker("approximated", msg, k.Line))
	}
	return use, create
}
