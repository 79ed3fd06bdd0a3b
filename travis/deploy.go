package travis

import (
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/internal/shellquote"
)

// provider is how a dpl provider becomes a step: image, script and credential env.
type provider struct {
	image string
	// creds maps option keys (first match wins) to the env var the script reads.
	creds  []cred
	script func(opts *mapping) string
	note   string
}

type cred struct {
	keys []string
	env  string
	what string
}

var providers = sync.OnceValue(func() map[string]provider {
	return map[string]provider{
		"releases": {image: "python:3.12", creds: []cred{{[]string{"token", "api_key"}, "GITHUB_TOKEN", "a GitHub token with repo scope"}}, script: releasesScript},
		"npm":      {image: "node:lts", creds: []cred{{[]string{"api_token", "api_key"}, "NPM_TOKEN", "an npm automation token"}}, script: npmScript},
		"pypi": {image: "python:3.12", creds: []cred{{[]string{"username", "user"}, "PYPI_USERNAME", "the PyPI user name (__token__ for an API token)"},
			{[]string{"password"}, "PYPI_PASSWORD", "the PyPI password or API token"}}, script: pypiScript},
		"pages": {image: "buildpack-deps:bookworm-scm", creds: []cred{{[]string{"token", "github_token"}, "GITHUB_TOKEN", "a GitHub token with repo scope"}}, script: pagesScript},
		"heroku": {image: "buildpack-deps:bookworm-scm", creds: []cred{{[]string{"api_key"}, "HEROKU_API_KEY", "a Heroku API key"}}, script: herokuScript,
			note: "heroku: deployed with git push to the app's Heroku remote (dpl's default api strategy uploads a source tarball)"},
	}
})

// deployTask runs each provider after the job passes, guarded by deploy.on as dpl guards it.
func (c *conv) deployTask(j *job, cell cellVals, env []pipeline.Env, text, id string) *pipeline.Task {
	n := j.get("deploy")
	if n == nil || isNull(n) {
		return nil
	}
	var list []*yaml.Node
	switch n.Kind {
	case yaml.MappingNode:
		list = []*yaml.Node{n}
	case yaml.SequenceNode:
		list = n.Content
	}
	t := &pipeline.Task{Image: cell.image, Comments: []string{sprintf("from %s:%d deploy (never on pull requests, as in Travis)", c.file, j.keyNode("deploy").Line)},
		When: []pipeline.When{{Input: "$(params.event-type)", Operator: "notin", Values: []string{"pull_request"}}}}
	steps := pipeline.NewNamer()
	for _, d := range list {
		if d.Kind != yaml.MappingNode {
			c.finding(d, convert.Unsupported, "travis/deploy", "deploy: each entry must be a mapping")
			continue
		}
		dm := asMap(d)
		pname := scalarOf(dm.get("provider"))
		guard := c.deployGuard(j, dm, pname, id)
		pre := func() *scriptBuilder {
			var s scriptBuilder
			c.prelude(&s, j, cell, text)
			s.line(guard...)
			s.line(restoreState(id, "the deployment")...)
			return &s
		}
		c.used[j.phases["before_deploy"].line] = true
		c.used[j.phases["after_deploy"].line] = true
		if p := j.phases["before_deploy"]; len(p.cmds) > 0 {
			s := pre()
			s.line(`travis_errored() { echo "The command in $1 exited with $2: Travis ends the job here (errored)." >&2; exit 2; }`)
			phaseBlock(s, c.file, "before_deploy", p, "setup")
			t.Steps = append(t.Steps, pipeline.Step{Name: steps.Name("before-deploy"), Script: s.String(), Env: env})
		}
		pv, ok := providers()[pname]
		switch {
		case pname == "script":
			s := pre()
			cmds, err := c.phase("deploy.script", dm.keyNode("script"), dm.get("script"))
			if err != nil {
				c.finding(dm.get("script"), convert.Unsupported, "travis/deploy", "deploy.script: %v", err)
			}
			phaseBlock(s, c.file, "deploy script", cmds, "fail")
			t.Steps = append(t.Steps, pipeline.Step{Name: steps.Name("deploy-script"), Script: s.String(), Env: env})
			c.finding(d, convert.Converted, "travis/deploy", "deploy provider script became a step")
		case ok:
			// the provider's own image: enter the job's directory, but source none of its state
			var s scriptBuilder
			s.line("#!/usr/bin/env bash", "set -e")
			jobDir(&s)
			c.coreEnv(&s, j, cell, text)
			s.line(guard...)
			s.line(restoreState(id, "the deployment")[0])
			s.line(strings.TrimRight(pv.script(dm), "\n"))
			penv := append(append([]pipeline.Env{}, env...), c.deployCreds(dm, pname, pv)...)
			t.Steps = append(t.Steps, pipeline.Step{Name: steps.Name("deploy-" + pname), Image: pv.image, Script: s.String(), Env: penv,
				Comments: []string{sprintf("from %s:%d deploy provider %s (dpl)", c.file, d.Line, pname)}})
			class, msg := convert.Converted, "deploy provider "+pname+" became a step"
			if pv.note != "" {
				class, msg = convert.Approximated, pv.note
			}
			c.finding(d, class, "travis/deploy", "%s", msg)
		default:
			msg := sprintf("deploy provider %q is not converted; write a step for it", pname)
			c.finding(d, convert.Manual, "travis/deploy", "%s", msg)
			t.Comments = append(t.Comments, c.marker("manual", msg, d.Line))
			if c.opts.Placeholders {
				t.Steps = append(t.Steps, failLoud(steps.Name("deploy-"+pname), msg))
			}
		}
		if p := j.phases["after_deploy"]; len(p.cmds) > 0 {
			s := pre()
			phaseBlock(s, c.file, "after_deploy", p, "hook")
			t.Steps = append(t.Steps, pipeline.Step{Name: steps.Name("after-deploy"), Script: s.String(), Env: env})
		}
	}
	if len(t.Steps) == 0 {
		c.markers = append(c.markers, t.Comments[1:]...) // no task to carry them
		return nil
	}
	return t
}

// deployGuard is dpl's deploy.on check in bash: skip (exit 0) when it does not hold.
func (c *conv) deployGuard(j *job, dm *mapping, pname, id string) []string {
	skip := func(test, why string) string {
		return "if ! " + test + "; then echo " + shellQuote("Skipping a deployment with the "+pname+" provider because "+why) + "; exit 0; fi"
	}
	out := []string{skip(`[ "$TRAVIS_EVENT_TYPE" != pull_request ]`, "the current build is a pull request")}
	on := dm.get("on")
	if on == nil {
		on = dm.get("true") // YAML 1.1 reads the key on: as true
	}
	var om *mapping
	if on != nil && on.Kind == yaml.MappingNode {
		om = asMap(on)
	}
	tags := scalarOf(om.get("tags"))
	all := scalarOf(om.get("all_branches")) == "true"
	if tags != "true" && !all {
		branches := []string{"master"}
		if b := om.get("branch"); b != nil {
			if vs, ok := scalars(b); ok {
				branches = vs
			} else if b.Kind == yaml.MappingNode {
				branches = nil
				for _, k := range asMap(b).keys {
					branches = append(branches, k.Value)
				}
			}
		}
		var tests []string
		for _, b := range branches {
			tests = append(tests, `[ "$TRAVIS_BRANCH" = `+shellQuote(b)+` ]`)
		}
		out = append(out, skip("{ "+strings.Join(tests, " || ")+"; }", "this branch is not permitted"))
	}
	switch tags {
	case "true":
		out = append(out, skip(`[ -n "$TRAVIS_TAG" ]`, "this is not a tag build"))
	case "false":
		out = append(out, skip(`[ -z "$TRAVIS_TAG" ]`, "this is a tag build"))
	}
	if r := scalarOf(om.get("repo")); r != "" {
		out = append(out, skip(`[ "$TRAVIS_REPO_SLUG" = `+shellQuote(r)+` ]`, "this repo is not permitted"))
	}
	if cn := om.get("condition"); cn != nil {
		conds, _ := scalars(cn)
		state := `"$TRAVIS_BUILD_DIR/.git/tkn-migrate-` + id + `.state"`
		for _, cd := range conds {
			// dpl evaluates it in the job's shell: read the job's exports in a subshell first
			out = append(out, skip("( if [ -f "+state+" ]; then . "+state+" >/dev/null 2>&1; fi; [[ "+cd+" ]] )", "a custom condition was not met"))
		}
	}
	// the job step lets the pod go on to its hooks (onError: continue): Travis deploys only a passed job
	state := `"$TRAVIS_BUILD_DIR/.git/tkn-migrate-` + id + `.state"`
	out = append(out, skip("( if [ -f "+state+" ]; then . "+state+" >/dev/null 2>&1; fi; [ \"${TRAVIS_TEST_RESULT:-0}\" = 0 ] )", "the job failed"))
	if om != nil {
		for _, k := range om.keys {
			if l, ok := runtimeVar()[k.Value]; ok {
				vs, _ := scalars(om.vals[k.Value])
				var tests []string
				for _, v := range vs {
					tests = append(tests, `[ "$`+l+`" = `+shellQuote(v)+` ]`)
				}
				if len(tests) > 0 {
					out = append(out, skip("{ "+strings.Join(tests, " || ")+"; }", "this runtime version is not permitted"))
				}
			}
		}
	}
	return out
}

var runtimeVar = sync.OnceValue(func() map[string]string {
	return map[string]string{"node_js": "TRAVIS_NODE_VERSION", "node": "TRAVIS_NODE_VERSION", "rvm": "TRAVIS_RUBY_VERSION",
		"ruby": "TRAVIS_RUBY_VERSION", "python": "TRAVIS_PYTHON_VERSION", "jdk": "TRAVIS_JDK_VERSION", "go": "TRAVIS_GO_VERSION",
		"php": "TRAVIS_PHP_VERSION", "perl": "TRAVIS_PERL_VERSION", "rust": "TRAVIS_RUST_VERSION", "scala": "TRAVIS_SCALA_VERSION"}
})

// deployCreds maps credential options to env: secure values become secretKeyRefs;
// $VAR references are re-exported by the script; plain text also goes to a Secret.
func (c *conv) deployCreds(dm *mapping, pname string, pv provider) []pipeline.Env {
	var out []pipeline.Env
	for _, cr := range pv.creds {
		for _, k := range cr.keys {
			v := dm.get(k)
			if v == nil {
				continue
			}
			kn := dm.keyNode(k)
			switch {
			case v.Kind == yaml.MappingNode && asMap(v).has("secure"):
				name, key := c.secretFor(envVar{line: kn.Line, col: kn.Column}, c.deployKeys.Name("deploy-"+pname+"-"+strings.ReplaceAll(k, "_", "-"), [2]int{kn.Line, kn.Column}), cr.what)
				out = append(out, pipeline.Env{Name: cr.env, SecretName: name, SecretKey: key, Comment: sprintf("deploy.%s from %s:%d (encrypted)", k, c.file, kn.Line)})
			case v.Kind == yaml.ScalarNode && strings.HasPrefix(v.Value, "$"):
				out = append(out, pipeline.Env{Name: cr.env + "_FROM", Value: strings.Trim(v.Value, "${}")})
			case v.Kind == yaml.ScalarNode && (cr.env == "PYPI_USERNAME"):
				out = append(out, pipeline.Env{Name: cr.env, Value: v.Value})
			case v.Kind == yaml.ScalarNode:
				name, key := c.secretFor(envVar{name: "deploy." + k, literal: cr.what, line: kn.Line, col: kn.Column}, c.deployKeys.Name("deploy-"+pname+"-"+strings.ReplaceAll(k, "_", "-"), [2]int{kn.Line, kn.Column}), cr.what)
				out = append(out, pipeline.Env{Name: cr.env, SecretName: name, SecretKey: key})
			default:
				c.finding(v, convert.Manual, "travis/deploy", "deploy.%s: per-branch values are not converted", k)
			}
			break
		}
	}
	return out
}

// fromEnv re-reads a credential given as $VAR in .travis.yml.
func fromEnv(name string) string {
	return `if [ -n "${` + name + `_FROM:-}" ]; then ` + name + `="${!` + name + `_FROM}"; fi`
}

func opt(m *mapping, keys ...string) string {
	for _, k := range keys {
		if v := scalarOf(m.get(k)); v != "" {
			return v
		}
	}
	return ""
}

func releasesScript(m *mapping) string {
	files, _ := scalars(m.get("file"))
	if len(files) == 0 {
		files = []string{"*"}
	}
	var b strings.Builder
	b.WriteString(fromEnv("GITHUB_TOKEN") + "\n")
	b.WriteString(`tag="${TRAVIS_TAG:-$(git describe --tags --exact-match)}"` + "\n")
	slug := opt(m, "repo")
	if slug == "" {
		b.WriteString(`slug="$TRAVIS_REPO_SLUG"` + "\n")
	} else {
		b.WriteString("slug=" + shellQuote(slug) + "\n")
	}
	b.WriteString(`api="https://api.github.com/repos/$slug"; auth="Authorization: token $GITHUB_TOKEN"` + "\n")
	b.WriteString(`json_id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }` + "\n")
	draft := "false"
	if opt(m, "draft") == "true" {
		draft = "true"
	}
	pre := "false"
	if opt(m, "prerelease") == "true" {
		pre = "true"
	}
	b.WriteString(`id=$(curl -fsS -H "$auth" "$api/releases/tags/$tag" | json_id) || id=$(curl -fsS -H "$auth" -d "{\"tag_name\": \"$tag\", \"name\": \"$tag\", \"draft\": true, \"prerelease\": ` + pre + `}" "$api/releases" | json_id)` + "\n")
	b.WriteString("for f in " + globs(files) + "; do\n")
	b.WriteString(`  [ -f "$f" ] || continue` + "\n")
	b.WriteString(`  curl -fsS -H "$auth" -H "Content-Type: application/octet-stream" --data-binary @"$f" "https://uploads.github.com/repos/$slug/releases/$id/assets?name=$(basename "$f")" >/dev/null` + "\n")
	b.WriteString("done\n")
	if draft == "false" {
		b.WriteString(`curl -fsS -X PATCH -H "$auth" -d '{"draft": false}' "$api/releases/$id" >/dev/null` + "\n")
	}
	return b.String()
}

func npmScript(m *mapping) string {
	reg := opt(m, "registry")
	host := "registry.npmjs.org"
	if reg != "" {
		host = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(reg, "https://"), "http://"), "/")
	}
	args := []string{"npm", "publish", firstNonEmpty(opt(m, "src"), ".")}
	if a := opt(m, "access"); a != "" {
		args = append(args, "--access", shellQuote(a))
	}
	if t := opt(m, "tag"); t != "" {
		args = append(args, "--tag", shellQuote(t))
	}
	if opt(m, "dry_run") == "true" {
		args = append(args, "--dry-run")
	}
	return fromEnv("NPM_TOKEN") + "\n" +
		`echo "//` + shellquote.Double(host) + `/:_authToken=${NPM_TOKEN}" > ~/.npmrc` + "\n" +
		strings.Join(args, " ") + "\n" + "rm -f ~/.npmrc\n"
}

func pypiScript(m *mapping) string {
	dists := firstNonEmpty(opt(m, "distributions"), "sdist")
	server := firstNonEmpty(opt(m, "server"), "https://upload.pypi.org/legacy/")
	up := "twine upload"
	if opt(m, "skip_existing") == "true" {
		up += " --skip-existing"
	}
	return fromEnv("PYPI_USERNAME") + "\n" + fromEnv("PYPI_PASSWORD") + "\n" +
		"pip install --upgrade pip setuptools twine wheel\n" +
		"python setup.py " + shellquote.Join(strings.Fields(dists)) + "\n" +
		"twine check dist/*\n" +
		up + " --repository-url " + shellQuote(server) + ` -u "$PYPI_USERNAME" -p "$PYPI_PASSWORD" dist/*` + "\n" +
		"rm -rf dist/*\n"
}

func pagesScript(m *mapping) string {
	branch := firstNonEmpty(opt(m, "target_branch"), "gh-pages")
	dir := firstNonEmpty(opt(m, "local_dir"), ".")
	repo := opt(m, "repo")
	var b strings.Builder
	b.WriteString(fromEnv("GITHUB_TOKEN") + "\n")
	if repo == "" {
		b.WriteString(`repo="$TRAVIS_REPO_SLUG"` + "\n")
	} else {
		b.WriteString("repo=" + shellQuote(repo) + "\n")
	}
	b.WriteString("branch=" + shellQuote(branch) + "; src=\"$PWD\"/" + shellQuote(dir) + "\n")
	b.WriteString(`url="https://x-access-token:${GITHUB_TOKEN}@github.com/$repo.git"; work=$(mktemp -d)` + "\n")
	keep := opt(m, "keep_history") != "false"
	if keep {
		b.WriteString(`git clone --quiet --depth 1 --branch "$branch" "$url" "$work" 2>/dev/null || { git -C "$work" init -q && git -C "$work" checkout -q --orphan "$branch"; }` + "\n")
	} else {
		b.WriteString(`git -C "$work" init -q && git -C "$work" checkout -q --orphan "$branch"` + "\n")
	}
	b.WriteString(`find "$work" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +` + "\n")
	b.WriteString(`tar -C "$src" --exclude=.git -cf - . | tar -C "$work" -xf -` + "\n")
	if fqdn := opt(m, "fqdn"); fqdn != "" {
		b.WriteString("echo " + shellQuote(fqdn) + ` > "$work/CNAME"` + "\n")
	}
	b.WriteString(`git -C "$work" add -A` + "\n")
	b.WriteString(`git -C "$work" -c user.name="${GIT_AUTHOR_NAME:-Deployment Bot}" -c user.email="${GIT_AUTHOR_EMAIL:-deploy@example.invalid}" commit -q --allow-empty -m ` +
		shellQuote(firstNonEmpty(opt(m, "commit_message"), "Deploy to GitHub Pages")) + "\n")
	force := ""
	if !keep {
		force = " --force"
	}
	b.WriteString(`git -C "$work" push -q` + force + ` "$url" "$branch:$branch"` + "\n")
	return b.String()
}

func herokuScript(m *mapping) string {
	app := opt(m, "app")
	line := "app=" + shellQuote(app)
	if app == "" {
		line = `app="${TRAVIS_REPO_SLUG#*/}"`
	}
	return fromEnv("HEROKU_API_KEY") + "\n" + line + "\n" +
		`git push --force "https://heroku:${HEROKU_API_KEY}@git.heroku.com/$app.git" HEAD:refs/heads/main` + "\n"
}
