package travis

import (
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
	"github.com/tkn-migrate/tkn-migrate/internal/shellquote"
)

// service is a Travis service as a sidecar with an official image (travis-semantics.md §5).
type service struct {
	image   func(j *job) string
	env     []pipeline.Env
	args    []string
	port    int
	exec    []string
	stepEnv []pipeline.Env
	priv    bool
	note    string
	sidecar string
}

var pgByDist = map[string]string{"precise": "9.1", "trusty": "9.2", "xenial": "9.6", "bionic": "10", "focal": "13", "jammy": "14", "noble": "16"}
var mysqlByDist = map[string]string{"trusty": "5.6", "xenial": "5.7", "bionic": "5.7", "focal": "8.0", "jammy": "8.0", "noble": "8.0"}
var mongoByDist = map[string]string{"xenial": "4.0", "bionic": "4.4", "focal": "7.0", "jammy": "7.0", "noble": "7.0"}

func fixed(img string) func(*job) string { return func(*job) string { return img } }

func byDist(repo string, table map[string]string, addon string, def string) func(*job) string {
	return func(j *job) string {
		if a := j.get("addons"); a != nil && a.Kind == yaml.MappingNode {
			for _, k := range append([]string{addon}, addonAliases[addon]...) {
				if v := scalarOf(asMap(a).get(k)); v != "" {
					return repo + ":" + v
				}
			}
		}
		if v, ok := table[j.dist]; ok {
			return repo + ":" + v
		}
		return repo + ":" + def
	}
}

var services = sync.OnceValue(func() map[string]service {
	return map[string]service{
		"postgresql": {sidecar: "postgresql", image: byDist("postgres", pgByDist, "postgresql", "13"),
			env:  []pipeline.Env{{Name: "POSTGRES_HOST_AUTH_METHOD", Value: "trust"}},
			exec: []string{"pg_isready", "-h", "127.0.0.1", "-U", "postgres"}, stepEnv: []pipeline.Env{{Name: "PGHOST", Value: "127.0.0.1"}, {Name: "PGUSER", Value: "postgres"}},
			note: "Travis also creates the role and database travis"},
		"mysql": {sidecar: "mysql", image: byDist("mysql", mysqlByDist, "mysql", "8.0"),
			env:  []pipeline.Env{{Name: "MYSQL_ALLOW_EMPTY_PASSWORD", Value: "yes"}},
			exec: []string{"mysqladmin", "ping", "-h", "127.0.0.1"}, stepEnv: []pipeline.Env{{Name: "MYSQL_HOST", Value: "127.0.0.1"}},
			note: "Travis also has a user travis with an empty password"},
		"redis":     {sidecar: "redis", image: fixed("redis:7.2"), port: 6379},
		"mongodb":   {sidecar: "mongodb", image: byDist("mongo", mongoByDist, "mongodb", "7.0"), port: 27017},
		"rabbitmq":  {sidecar: "rabbitmq", image: fixed("rabbitmq:3.13"), port: 5672},
		"memcached": {sidecar: "memcached", image: fixed("memcached:1.6"), port: 11211},
		"cassandra": {sidecar: "cassandra", image: fixed("cassandra:4.1"), port: 9042},
		"couchdb":   {sidecar: "couchdb", image: fixed("couchdb:3.3"), port: 5984, env: []pipeline.Env{{Name: "COUCHDB_USER", Value: "admin"}, {Name: "COUCHDB_PASSWORD", Value: "travis"}}},
		"neo4j":     {sidecar: "neo4j", image: fixed("neo4j:5"), port: 7474, env: []pipeline.Env{{Name: "NEO4J_AUTH", Value: "none"}}},
		"elasticsearch": {sidecar: "elasticsearch", image: fixed("elasticsearch:7.17.25"), port: 9200,
			env: []pipeline.Env{{Name: "discovery.type", Value: "single-node"}, {Name: "xpack.security.enabled", Value: "false"}, {Name: "ES_JAVA_OPTS", Value: "-Xms512m -Xmx512m"}}},
		"docker": {sidecar: "docker", image: fixed("docker:27-dind"), port: 2375, priv: true,
			env:     []pipeline.Env{{Name: "DOCKER_TLS_CERTDIR", Value: ""}},
			stepEnv: []pipeline.Env{{Name: "DOCKER_HOST", Value: "tcp://127.0.0.1:2375"}},
			note:    "docker-in-docker needs a privileged sidecar; the docker CLI must be in the step image"},
		"mariadb": {sidecar: "mariadb", image: byDist("mariadb", nil, "mariadb", "10.6"), env: []pipeline.Env{{Name: "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", Value: "yes"}},
			exec: []string{"mariadb-admin", "ping", "-h", "127.0.0.1"}, stepEnv: []pipeline.Env{{Name: "MYSQL_HOST", Value: "127.0.0.1"}}},
		"rethinkdb": {sidecar: "rethinkdb", image: byDist("rethinkdb", nil, "rethinkdb", "2.4"), port: 28015},
	}
})

// addonAliases are other addons: keys naming the same server (travis-yml schema).
var addonAliases = map[string][]string{"postgresql": {"postgres"}}

// Travis images start no service by default (docs user/database-setup.md: "Travis CI
// environments do not start services by default"); what differs by dist is the version
// a service gets (pgByDist, mysqlByDist, mongoByDist, travis-semantics.md §5). Two things
// did run without services:, and are started here too: these addons and Docker.
//
// serverAddons start their server on Travis with or without services: (travis-build
// addons after_prepare: travis_setup_postgresql, mariadb, rethinkdb; mysql picks the version).
var serverAddons = []string{"postgresql", "postgres", "mysql", "mariadb", "rethinkdb"}

// dockerCommand is a docker or docker-compose command word ("docker compose" too).
var dockerCommand = lazyre.New(`(?m)(?:^|[\s;&|(])docker(?:-compose)?(?:\s|$)`)

// runsDocker reports a docker command word in s; the regexp, whose leading alternation defeats
// the engine's literal scan, runs only on text that says "docker" at all.
func runsDocker(s string) bool {
	return strings.Contains(s, "docker") && dockerCommand.MatchString(s)
}

var serviceAliases = sync.OnceValue(func() map[string]string {
	return map[string]string{"postgres": "postgresql", "redis-server": "redis", "memcache": "memcached",
		"rabbitmq-server": "rabbitmq", "mongo": "mongodb", "neo4j-server": "neo4j"}
})

// sidecars turns services (and addons that start a server) into sidecars.
func (c *conv) sidecars(j *job, t *taskParts) {
	var names []string
	var nodes []*yaml.Node
	if n := j.get("services"); n != nil {
		vs, ok := scalars(n)
		if !ok {
			c.finding(n, convert.Unsupported, "travis/services", "services: expected a list of names")
		}
		names = append(names, vs...)
		for range vs {
			nodes = append(nodes, j.keyNode("services"))
		}
	}
	if a := j.get("addons"); a != nil && a.Kind == yaml.MappingNode {
		am := asMap(a)
		for _, k := range serverAddons {
			if am.has(k) {
				names = append(names, k)
				nodes = append(nodes, am.keyNode(k))
			}
		}
	}
	implicitDocker := -1
	if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, "docker") }) && runsDocker(j.commandsText()) {
		// Travis VMs had Docker running; a pod needs the same dind sidecar as services: docker
		implicitDocker = len(names)
		names = append(names, "docker")
		nodes = append(nodes, j.pos)
	}
	seen := map[string]bool{}
	for i, name := range names {
		key := strings.ToLower(name)
		if a, ok := serviceAliases()[key]; ok {
			key = a
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		n := nodes[i]
		if key == "xvfb" {
			t.setup = append(t.setup, `command -v Xvfb >/dev/null && { Xvfb :99 -screen 0 1024x768x24 >/dev/null 2>&1 & }`, `export DISPLAY=:99.0`)
			c.finding(n, convert.Approximated, "travis/service-xvfb", "service xvfb: started in the step (the image must provide Xvfb)")
			continue
		}
		s, ok := services()[key]
		if !ok {
			msg := sprintf("service %s has no container equivalent here", name)
			c.finding(n, convert.Unsupported, "travis/service", "%s", msg)
			t.comments = append(t.comments, c.marker("unsupported", msg, n.Line))
			continue
		}
		sc := pipeline.Sidecar{Name: s.sidecar, Image: s.image(j), Env: s.env, Args: s.args, Privileged: s.priv, ReadyPort: s.port, ReadyExec: s.exec,
			Comments: []string{sprintf("from %s:%d services: %s", c.file, n.Line, name)}}
		if i == implicitDocker {
			sc.Comments = []string{sprintf("from %s:%d: the job's commands call docker without services: docker (Docker ran on every Travis VM)", c.file, n.Line)}
		}
		t.sidecars = append(t.sidecars, sc)
		t.stepEnv = append(t.stepEnv, s.stepEnv...)
		class := convert.Converted
		if s.note != "" {
			class = convert.Approximated
		}
		msg := sprintf("service %s runs as sidecar %s", name, sc.Image)
		if i == implicitDocker {
			msg = "the commands call docker without services: docker (Docker ran on every Travis VM): " + msg
		}
		if s.note != "" {
			msg += "; " + s.note
		}
		if s.priv {
			msg += "; the cluster must allow privileged pods"
		}
		c.finding(n, class, "travis/service", "%s", msg)
	}
}

// addons converts apt and hosts; the others become markers.
func (c *conv) addons(j *job, t *taskParts) {
	if n := j.get("apt_packages"); n != nil {
		if vs, ok := scalars(n); ok && len(vs) > 0 {
			t.setup = append(t.setup, aptLine(vs, false))
		}
	}
	a := j.get("addons")
	if a == nil || isNull(a) {
		return
	}
	if a.Kind != yaml.MappingNode {
		c.finding(a, convert.Unsupported, "travis/addons", "addons: expected a mapping")
		return
	}
	am := asMap(a)
	for _, k := range am.keys {
		v := am.vals[k.Value]
		switch k.Value {
		case "apt":
			c.apt(k, v, t)
		case "apt_packages":
			// travis-yml's addons.apt_packages: package names, installed as addons.apt.packages are
			c.apt(k, &yaml.Node{Kind: yaml.MappingNode, Line: v.Line, Column: v.Column,
				Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "packages", Line: v.Line, Column: v.Column}, v}}, t)
		case "hosts":
			if vs, ok := scalars(v); ok && len(vs) > 0 {
				for _, h := range vs {
					if !contains(c.hosts, h) {
						c.hosts = append(c.hosts, h)
					}
				}
				c.finding(k, convert.Converted, "travis/addons-hosts", "addons.hosts: 127.0.0.1 aliases in the PipelineRuns' pod template (hostAliases); they apply to every task")
			}
		case "postgresql", "postgres", "mariadb", "rethinkdb", "mysql", "mongodb":
			// starts the server as a sidecar, or picks its version (sidecars)
		default:
			msg := sprintf("addons.%s has no Tekton equivalent; install or configure it in a step", k.Value)
			c.finding(k, convert.Manual, "travis/addons", "%s", msg)
			t.comments = append(t.comments, c.marker("manual", msg, k.Line))
		}
	}
}

func (c *conv) apt(k, v *yaml.Node, t *taskParts) {
	var pkgs []string
	update := false
	switch {
	case v.Kind == yaml.SequenceNode || v.Kind == yaml.ScalarNode:
		pkgs, _ = scalars(v)
	case v.Kind == yaml.MappingNode:
		m := asMap(v)
		for _, kk := range m.keys {
			vv := m.vals[kk.Value]
			switch kk.Value {
			case "packages", "package":
				p, ok := scalars(vv)
				if !ok {
					c.finding(vv, convert.Unsupported, "travis/addons-apt", "addons.apt.packages: expected a list of names")
				}
				pkgs = append(pkgs, p...)
			case "update":
				update = scalarOf(vv) == "true"
			case "sources", "source":
				msg := "addons.apt.sources: Travis's source aliases and keys are not resolved; add the apt repositories to the image"
				if srcs, ok := scalars(vv); ok {
					msg += " (" + strings.Join(srcs, ", ") + ")"
				}
				c.finding(kk, convert.Manual, "travis/addons-apt-sources", "%s", msg)
				t.comments = append(t.comments, c.marker("manual", msg, kk.Line))
			default:
				c.finding(kk, convert.Unsupported, "travis/addons-apt", "addons.apt.%s is not converted", kk.Value)
			}
		}
	}
	if len(pkgs) > 0 || update {
		t.setup = append(t.setup, aptLine(pkgs, update))
		c.finding(k, convert.Converted, "travis/addons-apt", "addons.apt: installed with apt-get at the start of the job")
	}
}

func aptLine(pkgs []string, update bool) string {
	if len(pkgs) == 0 {
		return "sudo apt-get update -qq"
	}
	return "sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends " + shellquote.Join(pkgs)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
