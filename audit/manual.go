package audit

import (
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Manual is the work left to people, grouped by kind; each item names the repositories needing it.
type Manual struct {
	Secrets         []Item `json:"secrets"`         // names only, never values
	StorageClasses  []Item `json:"storageClasses"`  // "(default)" when a claim names none
	NodePools       []Item `json:"nodePools"`       // nodeSelector labels, e.g. kubernetes.io/arch=arm64
	ServiceAccounts []Item `json:"serviceAccounts"` // ServiceAccounts the runs name
	CronJobs        []Item `json:"cronJobs"`        // schedules Tekton does not run by itself
}

// Item is one thing to create or provide.
type Item struct {
	Name         string   `json:"name"`
	Repositories []string `json:"repositories"`
}

// DefaultStorageClass names a volumeClaimTemplate without storageClassName.
const DefaultStorageClass = "(default)"

type manualSet struct {
	secrets, storage, nodes, accounts, cron map[string]map[string]bool
}

func newManualSet() manualSet {
	return manualSet{map[string]map[string]bool{}, map[string]map[string]bool{}, map[string]map[string]bool{},
		map[string]map[string]bool{}, map[string]map[string]bool{}}
}

func put(m map[string]map[string]bool, name, repo string) {
	if name == "" {
		return
	}
	if m[name] == nil {
		m[name] = map[string]bool{}
	}
	m[name][repo] = true
}

var (
	// secretAction is the Secret a finding's kubectl create secret command makes.
	secretAction = lazyre.New(`^kubectl create secret (?:generic|tls|docker-registry) ([^\s]+)`)
	// quoted is the first Go-quoted string of a message, where findings put a cron spec.
	quoted = lazyre.New(`"(?:[^"\\]|\\.)*"`)
	// cronRule are the findings about a schedule Tekton can't keep by itself.
	cronRule = lazyre.New(`/(?:cron|timer)$`)
)

// add gathers the manual work of one converted input from its findings and its output files.
func (m manualSet) add(repo string, o *convert.Outcome) {
	for _, fd := range o.Result.Findings {
		if s := secretAction.FindStringSubmatch(fd.Action); s != nil {
			put(m.secrets, s[1], repo)
		}
		if cronRule.MatchString(fd.Rule) {
			spec := fd.Message
			if q := quoted.FindString(fd.Message); q != "" {
				if u, err := strconv.Unquote(q); err == nil {
					spec = u
				}
			}
			put(m.cron, spec, repo)
		}
	}
	for _, f := range o.Result.Files {
		docs, _ := yamldoc.Parse(f.Path, f.Data) // outputs were validated; an odd one only hides its needs
		for _, d := range docs {
			if strings.HasPrefix(d.APIVersion, "tekton.dev/") {
				m.scan(repo, d.Root)
			}
		}
	}
}

// scan finds, anywhere in a Tekton document, the Secrets, claims, node selectors and
// ServiceAccounts it depends on.
func (m manualSet) scan(repo string, root *yaml.Node) {
	yamldoc.Walk(root, func(n *yaml.Node) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for _, kv := range yamldoc.Pairs(n) {
			k, v := kv[0].Value, kv[1]
			switch k {
			case "secretKeyRef", "secretRef":
				put(m.secrets, yamldoc.Str(v, "name"), repo)
			case "secret":
				put(m.secrets, yamldoc.Str(v, "secretName"), repo)
			case "serviceAccountName":
				put(m.accounts, v.Value, repo)
			case "volumeClaimTemplate":
				sc := yamldoc.Str(v, "spec", "storageClassName")
				if sc == "" {
					sc = DefaultStorageClass
				}
				put(m.storage, sc, repo)
			case "nodeSelector":
				var labels []string
				for _, l := range yamldoc.Pairs(v) {
					labels = append(labels, l[0].Value+"="+l[1].Value)
				}
				sort.Strings(labels)
				put(m.nodes, strings.Join(labels, ","), repo)
			}
		}
	})
}

func (m manualSet) list() Manual {
	return Manual{items(m.secrets), items(m.storage), items(m.nodes), items(m.accounts), items(m.cron)}
}

func items(m map[string]map[string]bool) []Item {
	out := []Item{}
	for name, repos := range m {
		it := Item{Name: name}
		for r := range repos {
			it.Repositories = append(it.Repositories, r)
		}
		sort.Strings(it.Repositories)
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
