package lint

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// ConfigFile is the configuration lint reads from the working directory.
const ConfigFile = ".tkn-migrate.yaml"

// Config is a .tkn-migrate.yaml: rule levels, disabled rules, generated paths.
type Config struct {
	// Rules sets a rule's severity (error, warning, info) or turns it off; keys are IDs or names.
	Rules map[string]string `yaml:"rules"`
	// Disable turns rules off, by ID or name.
	Disable []string `yaml:"disable"`
	// Generated lists path patterns of generated files: they are read for references,
	// but their findings are not reported (fix the generator instead).
	Generated []string `yaml:"generated"`
	dir       string
}

// LoadConfig reads a configuration file; a missing default file is no error.
func LoadConfig(file string, required bool) (*Config, error) {
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) && !required {
		return &Config{}, nil
	}
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	for k, v := range c.Rules {
		if find(k) == nil {
			return nil, fmt.Errorf("%s: unknown rule %q", file, k)
		}
		switch v {
		case "error", "warning", "info", "off":
		default:
			return nil, fmt.Errorf("%s: rule %s: level %q is not error, warning, info or off", file, k, v)
		}
	}
	for _, k := range c.Disable {
		if find(k) == nil {
			return nil, fmt.Errorf("%s: unknown rule %q", file, k)
		}
	}
	c.dir = filepath.Dir(file)
	return &c, nil
}

// find is the rule with this ID or name.
func find(idOrName string) *Rule {
	for i, r := range Rules {
		if r.ID == idOrName || r.Name == idOrName {
			return &Rules[i]
		}
	}
	return nil
}

// Apply drops disabled rules and generated files and sets configured levels.
func (c *Config) Apply(fs []Finding) []Finding {
	level := map[string]string{}
	for k, v := range c.Rules {
		level[find(k).ID] = v
	}
	for _, k := range c.Disable {
		level[find(k).ID] = "off"
	}
	var out []Finding
	for _, f := range fs {
		if c.generated(f.File) {
			continue
		}
		switch l := level[f.Rule]; l {
		case "off":
			continue
		case "":
		default:
			f.Severity = Severity(l)
		}
		out = append(out, f)
	}
	return out
}

// generated matches a path against the patterns, relative to the config's directory:
// a pattern matches the whole path, a directory prefix ("gen/" or "gen/**"), or the base name.
func (c *Config) generated(file string) bool {
	rel := file
	if r, err := filepath.Rel(c.dir, file); err == nil && !strings.HasPrefix(r, "..") {
		rel = r
	}
	rel = filepath.ToSlash(rel)
	for _, p := range c.Generated {
		dir := strings.TrimSuffix(strings.TrimSuffix(p, "**"), "/")
		if ok, _ := path.Match(p, rel); ok {
			return true
		}
		if ok, _ := path.Match(p, path.Base(rel)); ok && !strings.Contains(p, "/") {
			return true
		}
		if strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/**") {
			if rel == dir || strings.HasPrefix(rel, dir+"/") {
				return true
			}
		}
	}
	return false
}

// ignoreComment is `# tkn-migrate:ignore TKN123 other-rule`; without rules it ignores all.
var ignoreComment = lazyre.New(`#\s*tkn-migrate:ignore\b(.*)`)

// suppressed drops findings the line above marks with an ignore comment.
func suppressed(files []File, fs []Finding) []Finding {
	ignores := map[string]map[int][]string{} // file -> line -> rules ("" all)
	for _, f := range files {
		addIgnores(ignores, f)
	}
	return dropIgnored(ignores, fs)
}

// addIgnores records the ignore comments of f.
func addIgnores(ignores map[string]map[int][]string, f File) {
	if !bytes.Contains(f.Data, []byte("tkn-migrate:ignore")) {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(f.Data))
	sc.Buffer(nil, len(f.Data)+1)
	for line := 1; sc.Scan(); line++ {
		m := ignoreComment.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		if ignores[f.Path] == nil {
			ignores[f.Path] = map[int][]string{}
		}
		rules := strings.FieldsFunc(m[1], func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
		if len(rules) == 0 {
			rules = []string{""}
		}
		ignores[f.Path][line+1] = rules
	}
}

// dropIgnored is fs without the findings an ignore comment suppresses.
func dropIgnored(ignores map[string]map[int][]string, fs []Finding) []Finding {
	if len(ignores) == 0 {
		return fs
	}
	var out []Finding
	for _, f := range fs {
		drop := false
		for _, r := range ignores[f.File][f.Line] {
			drop = drop || r == "" || r == f.Rule || r == f.Name
		}
		if !drop {
			out = append(out, f)
		}
	}
	return out
}

// Fingerprint identifies a finding across commits: its rule, file and message, not its
// line, which moves when lines are added above it.
func (f Finding) Fingerprint() string {
	h := sha256.Sum256([]byte(f.Rule + "\x00" + filepath.ToSlash(f.File) + "\x00" + f.Message))
	return hex.EncodeToString(h[:16])
}

// Baseline drops the findings an earlier JSON report (lint --report json) already holds,
// as many times as it holds each.
func Baseline(file string, fs []Finding) ([]Finding, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var old struct {
		SchemaVersion int       `json:"schemaVersion"`
		Tool          string    `json:"tool"`
		Findings      []Finding `json:"findings"`
	}
	if err := json.Unmarshal(data, &old); err != nil {
		return nil, fmt.Errorf("%s: not a lint JSON report: %v", file, err)
	}
	if old.Tool != "tkn-migrate lint" {
		return nil, fmt.Errorf("%s: not a tkn-migrate lint JSON report (tool %q)", file, old.Tool)
	}
	seen := map[string]int{}
	for _, f := range old.Findings {
		seen[f.Fingerprint()]++
	}
	var out []Finding
	for _, f := range fs {
		if k := f.Fingerprint(); seen[k] > 0 {
			seen[k]--
			continue
		}
		out = append(out, f)
	}
	return out, nil
}
