package travis

import (
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

// cacheWorkspace is the optional Pipeline workspace that holds Travis caches between runs.
const cacheWorkspace = "cache"

// cacheTypeDirs are the directories travis-build caches for each cache type (travis-semantics.md §8).
var cacheTypeDirs = sync.OnceValue(func() map[string][]string {
	return map[string][]string{
		"bundler": {"vendor/bundle"}, "pip": {"$HOME/.cache/pip"}, "npm": {"$HOME/.npm"}, "yarn": {"$HOME/.cache/yarn"},
		"cargo": {"$HOME/.cargo", "target"}, "ccache": {"$HOME/.ccache"}, "packages": {"$HOME/R/Library"},
		"apt": {"/var/cache/apt/archives"}, "shards": {"lib"}, "elm": {"$HOME/.elm"}, "cocoapods": {"Pods"},
	}
})

// cacheDirs reads a job's cache: key; nil when it caches nothing.
func (c *conv) cacheDirs(j *job) ([]string, *yaml.Node) {
	n := j.get("cache")
	if n == nil || isNull(n) {
		return nil, nil
	}
	k := j.keyNode("cache")
	var dirs []string
	addType := func(t string) {
		if d, ok := cacheTypeDirs()[t]; ok {
			dirs = append(dirs, d...)
		} else if t != "false" && t != "true" {
			c.finding(k, convert.Unsupported, "travis/cache", "cache type %s is not known; ignored", t)
		}
	}
	switch n.Kind {
	case yaml.ScalarNode, yaml.SequenceNode:
		vs, _ := scalars(n)
		for _, v := range vs {
			addType(v)
		}
	case yaml.MappingNode:
		m := asMap(n)
		for _, kk := range m.keys {
			v := m.vals[kk.Value]
			switch kk.Value {
			case "directories":
				ds, _ := scalars(v)
				dirs = append(dirs, ds...)
			case "timeout", "edge", "branch":
			default:
				if scalarOf(v) == "true" {
					addType(kk.Value)
				}
			}
		}
	}
	return dirs, k
}

// dquoteEscaper escapes what bash expands inside double quotes but $ (a cache directory
// may name $HOME or another variable).
var dquoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`")

// cacheScript returns the fetch and store lines: directories are copied from and to
// the optional cache workspace, keyed by job (and matrix cell), so a bound PVC keeps them between runs.
func (c *conv) cacheScript(j *job, id string, t *pipeline.Task, env *[]pipeline.Env) (fetch, store []string) {
	dirs, k := c.cacheDirs(j)
	if len(dirs) == 0 {
		return nil, nil
	}
	c.cacheUsed = true
	t.Workspaces = append(t.Workspaces, pipeline.Binding{Name: cacheWorkspace, Value: cacheWorkspace})
	*env = append(*env, pipeline.Env{Name: "TRAVIS_CACHE_BOUND", Value: "$(workspaces." + cacheWorkspace + ".bound)"},
		pipeline.Env{Name: "TRAVIS_CACHE_DIR", Value: "$(workspaces." + cacheWorkspace + ".path)"})
	var quoted []string
	for _, d := range dirs {
		if strings.HasPrefix(d, "~/") {
			d = "$HOME/" + d[2:]
		}
		if !strings.HasPrefix(d, "/") && !strings.HasPrefix(d, "$") {
			d = "$TRAVIS_BUILD_DIR/" + d // casher resolves relative paths against the build dir
		}
		quoted = append(quoted, `"`+dquoteEscaper.Replace(d)+`"`)
	}
	version := ""
	if j.lang.versionVar != "" {
		version = ` "${` + j.lang.versionVar + `:-}"`
	}
	fetch = []string{
		"travis_cache_dirs=(" + strings.Join(quoted, " ") + ")",
		`travis_cache_key=$(printf '%s ' '` + id + `'` + version + ` "${TRAVIS_MATRIX_ENV:-}" "${TKN_MIGRATE_CELL:-}" | cksum | cut -d' ' -f1)`,
		`travis_cache_slot() { printf '%s/%s/%s' "$TRAVIS_CACHE_DIR" "$travis_cache_key" "$(printf '%s' "$1" | cksum | cut -d' ' -f1)"; }`,
		`if [ "$TRAVIS_CACHE_BOUND" = true ]; then for d in "${travis_cache_dirs[@]}"; do s=$(travis_cache_slot "$d"); if [ -d "$s" ]; then mkdir -p "$d" && cp -a "$s/." "$d/"; fi; done; fi`,
	}
	store = []string{
		`if [ "$TRAVIS_CACHE_BOUND" = true ]; then for d in "${travis_cache_dirs[@]}"; do s=$(travis_cache_slot "$d"); if [ -d "$d" ]; then rm -rf "$s" && mkdir -p "$s" && cp -a "$d/." "$s/"; fi; done; fi`,
	}
	c.finding(k, convert.Approximated, "travis/cache", "cache: %s saved to and restored from the optional workspace %s; bind a PVC there to keep it between runs (Travis also keys caches by branch)", strings.Join(dirs, ", "), cacheWorkspace)
	if contains(dirs, "vendor/bundle") {
		*env = append(*env, pipeline.Env{Name: "BUNDLE_PATH", Value: "vendor/bundle"}) // travis-build adds --path=vendor/bundle
	}
	return fetch, store
}
