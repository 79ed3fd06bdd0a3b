package upgrade

import (
	"fmt"
	pathpkg "path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// Naming convention (deterministic, so files converted separately still wire up):
//   - a Task's resource declaration R of a storage-like type becomes workspace R;
//   - a field K of resource R that a Task reads becomes Task param R-K;
//   - the single image output of a Task becomes param IMAGE and results IMAGE_URL/IMAGE_DIGEST
//     (with several image outputs: R-url, R-IMAGE_URL, R-IMAGE_DIGEST);
//   - a Pipeline's declared resource P becomes Pipeline params P-K and, for storage-like
//     types, subPath P of the one workspace pipeline-resources (one PVC per run, as the
//     affinity assistant requires); the tasks that fetch it are fetch-P / upload-P / notify-P;
//   - a TaskRun binds a Task's resource workspaces to emptyDir (one pod, no PVC needed).

type pdef struct {
	key string
	def *string
	// self: the default is the resource's name; extra: a rarely read field, passed to the
	// catalog task that fetches the resource but not guessed onto Tasks the input lacks.
	self, extra bool
}

func opt(v string) *string { return &v }

// resourceParams are the PipelineResource params that become Pipeline params, per type.
// Each key is also the name of the param of the catalog task that fetches the resource
// (git-clone 1.7.0, pull-request 0.2, kubeconfig-creator 0.2); extra defaults are that task's.
var resourceParams = map[string][]pdef{
	"git": {{key: "url"}, {key: "revision", def: opt("")},
		{key: "refspec", def: opt(""), extra: true}, {key: "submodules", def: opt("true"), extra: true},
		{key: "depth", def: opt("1"), extra: true}, {key: "sslVerify", def: opt("true"), extra: true},
		{key: "httpProxy", def: opt(""), extra: true}, {key: "httpsProxy", def: opt(""), extra: true},
		{key: "noProxy", def: opt(""), extra: true}},
	"pullRequest": {{key: "url"}, {key: "provider", def: opt("github")}, {key: "secret-key-ref"},
		{key: "insecure-skip-tls-verify", def: opt("false"), extra: true}},
	"image": {{key: "url"}, {key: "digest", def: opt(""), extra: true}},
	// No name: since v0.14 the kubeconfig's context is the name the Task declared the resource under.
	"cluster": {{key: "url"}, {key: "username", def: opt("")}, {key: "password", def: opt("")}, {key: "namespace", def: opt("")},
		{key: "token", def: opt("")}, {key: "insecure", def: opt("false")}, {key: "cadata", def: opt("")},
		{key: "clientKeyData", def: opt("")}, {key: "clientCertificateData", def: opt("")}},
	"storage":    {{key: "location"}, {key: "dir", def: opt("false")}},
	"cloudEvent": {{key: "targetURI"}},
}

// hasWorkspace reports whether a resource type's data lives on disk (and so becomes a workspace).
func hasWorkspace(typ string) bool {
	switch typ {
	case "git", "pullRequest", "storage", "cluster":
		return true
	}
	return false
}

func normType(t string) string {
	if t == "gcs" {
		return "storage"
	}
	return t
}

var resVar = lazyre.New(`\$\(resources\.(inputs|outputs)\.([A-Za-z0-9_.-]+?)\.([A-Za-z0-9_-]+)\)`)

// decl is one resource declaration of a Task.
type decl struct {
	name, typ, targetPath string
	outTarget             string // the output declaration's targetPath
	input, output, opt    bool
	ws                    string // its workspace's name, once task has chosen it
}

// taskDecls reads the resource declarations of a Task spec (after v1alpha1 normalisation,
// or before it: both forms are accepted).
func taskDecls(spec *yaml.Node) []*decl {
	var out []*decl
	find := func(name string) *decl {
		for _, d := range out {
			if d.name == name {
				return d
			}
		}
		return nil
	}
	add := func(n *yaml.Node, input bool) {
		name := str(n, "name")
		d := find(name)
		if d == nil {
			d = &decl{name: name, typ: normType(str(n, "type"))}
			out = append(out, d)
		}
		if input {
			d.input, d.targetPath = true, str(n, "targetPath")
		} else {
			d.output, d.outTarget = true, str(n, "targetPath")
		}
		d.opt = d.opt || str(n, "optional") == "true"
	}
	res := get(spec, "resources")
	for _, n := range items(get(res, "inputs")) {
		add(n, true)
	}
	for _, n := range items(path(spec, "inputs", "resources")) {
		add(n, true)
	}
	for _, n := range items(get(res, "outputs")) {
		add(n, false)
	}
	for _, n := range items(path(spec, "outputs", "resources")) {
		add(n, false)
	}
	return out
}

// usedKeys lists, per resource name, the fields a Task spec reads (either variable form).
func usedKeys(spec *yaml.Node) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	walkValues(spec, func(n *yaml.Node) {
		v := alphaVars.Replace(oldSyntax.ReplaceAllString(n.Value, "$$($1)"))
		for _, m := range resVar.FindAllStringSubmatch(v, -1) {
			if out[m[2]] == nil {
				out[m[2]] = map[string]bool{}
			}
			out[m[2]][m[3]] = true
		}
	})
	return out
}

func imageOutputs(ds []*decl) int {
	n := 0
	for _, d := range ds {
		if d.output && d.typ == "image" {
			n++
		}
	}
	return n
}

// imageNames are the param and result names for image output r.
func imageNames(r string, single bool) (param, url, digest string) {
	if single {
		return "IMAGE", "IMAGE_URL", "IMAGE_DIGEST"
	}
	return r + "-url", r + "-IMAGE_URL", r + "-IMAGE_DIGEST"
}

// pipelineResources replaces PipelineResources with catalog Tasks, workspaces, params and results.
type pipelineResources struct{ s *docState }

func (f pipelineResources) Filter(rn *kyaml.RNode) (*kyaml.RNode, error) {
	s, r := f.s, rn.YNode()
	switch s.kind {
	case "PipelineResource":
		s.removed = true
		return rn, nil
	}
	// Pipelines first: they read the original declarations of embedded taskSpecs.
	if s.kind == "PipelineRun" {
		s.embeddedDecls = map[string]string{}
		if eps := path(r, "spec", "pipelineSpec"); eps != nil {
			s.embeddedParams = declared(eps, "params")
			s.embeddedWorkspaces = declared(eps, "workspaces")
		}
		for _, d := range items(path(r, "spec", "pipelineSpec", "resources")) {
			s.embeddedDecls[str(d, "name")] = normType(str(d, "type"))
		}
	}
	for _, ps := range pipelineSpecs(s.kind, r) {
		f.pipeline(ps)
	}
	switch s.kind {
	case "TaskRun":
		f.taskRun(get(r, "spec"))
	case "PipelineRun":
		f.pipelineRun(get(r, "spec"))
	}
	for _, ts := range taskSpecs(s.kind, r) {
		f.task(ts)
	}
	return rn, nil
}

// task rewrites one Task spec.
func (f pipelineResources) task(spec *yaml.Node) {
	resKey := keyNode(spec, "resources")
	if resKey == nil {
		if spec != nil && spec.Kind == yaml.MappingNode {
			f.leftoverRefs(spec, nil, nil) // references to resources the Task never declared
		}
		return
	}
	ds := taskDecls(spec)
	used := usedKeys(spec)
	user := declared(spec, "params")
	userWS := declared(spec, "workspaces")
	single := imageOutputs(ds) == 1
	repl := map[string]string{}
	var params, results, workspaces []*yaml.Node
	var resultSteps []*yaml.Node
	unknown := map[string]string{} // resource name → a type with no replacement
	for _, d := range ds {
		keys := sortedKeys(used[d.name])
		if _, ok := resourceParams[d.typ]; !ok {
			unknown[d.name] = d.typ
			continue
		}
		switch {
		case hasWorkspace(d.typ):
			d.ws = resWorkspace(userWS, d.name)
			w := mapping("name", d.ws)
			switch mp := mountPath(d); {
			case mp == "/workspace":
				// /workspace is Tekton's own mount: the files land in the workspace instead.
				f.rootTarget(spec, resKey, w, d)
			case mp != "/workspace/"+d.name:
				w.Content = append(w.Content, scalar("mountPath"), scalar(mp))
			}
			if d.opt {
				w.Content = append(w.Content, scalar("optional"), boolNode(true))
			}
			workspaces = append(workspaces, w)
			repl["inputs."+d.name+".path"] = "$(workspaces." + d.ws + ".path)"
			repl["outputs."+d.name+".path"] = "$(workspaces." + d.ws + ".path)"
		case d.typ == "image" && d.output:
			p, u, dg := imageNames(d.name, single)
			// An optional output a run may leave unbound keeps a default: v1 refuses a run missing a param without one.
			params = append(params, paramSpec(p, "image URL to push to (was image resource "+d.name+")", defIf(d.opt)))
			results = append(results, mapping("name", u, "description", "URL of the image just built"),
				mapping("name", dg, "description", "digest of the image just built"))
			repl["outputs."+d.name+".url"] = "$(params." + p + ")"
			repl["outputs."+d.name+".path"] = outputPath(d)
			resultSteps = append(resultSteps, imageResultStep(d, p, u, dg))
		case d.typ == "image":
			pn := resParam(user, d.name, "url")
			params = append(params, paramSpec(pn, "image URL (was image resource "+d.name+")", defIf(d.opt)))
			repl["inputs."+d.name+".url"] = "$(params." + pn + ")"
		}
		var dirs []string
		if d.input {
			dirs = append(dirs, "inputs")
		}
		if d.output {
			dirs = append(dirs, "outputs")
		}
		for _, k := range keys {
			for _, dir := range dirs {
				rk := dir + "." + d.name + "." + k
				if _, ok := repl[rk]; ok {
					continue
				}
				if k == "name" {
					repl[rk] = d.name
					continue
				}
				if k == "type" {
					repl[rk] = d.typ
					continue
				}
				pn := resParam(user, d.name, k)
				if byName(seq(params...), pn) == nil {
					params = append(params, paramSpec(pn, k+" of the former "+d.typ+" resource "+d.name, defIf(d.opt)))
				}
				repl[rk] = "$(params." + pn + ")"
			}
		}
		if d.opt && len(keys) > 0 {
			f.s.note(resKey, convert.Approximated, "optional-resource", "optional resource %s: a run that leaves it unbound now passes \"\" where the Task reads %s (old Tekton left the $(resources...) text unreplaced)", d.name, strings.Join(keys, ", "))
		}
		if d.typ == "cloudEvent" && f.s.kind != "TaskRun" { // a TaskRun's binding says what it loses
			f.s.note(resKey, convert.Approximated, "cloud-event", "cloudEvent output %s: the Pipeline sends it from a cloudevent task in finally; the controller can send run events itself through the config-events ConfigMap sink", d.name)
		}
	}
	del(spec, "resources")
	f.outputDirs(spec, ds, used)
	f.selfCopies(spec, resKey, ds)
	walkValues(spec, func(n *yaml.Node) {
		if strings.Contains(n.Value, "$(resources.") {
			n.Value = resVar.ReplaceAllStringFunc(n.Value, func(m string) string {
				p := resVar.FindStringSubmatch(m)
				if v, ok := repl[p[1]+"."+p[2]+"."+p[3]]; ok {
					return v
				}
				return m
			})
		}
	})
	f.sharedOutputPaths(spec, ds)
	f.leftoverRefs(spec, resKey, unknown)
	order := []string{"steps", "sidecars", "stepTemplate", "volumes"}
	if len(params) > 0 {
		ps := ensureSeq(spec, "params", append([]string{"workspaces", "results"}, order...)...)
		for _, p := range params {
			if byName(ps, str(p, "name")) == nil {
				ps.Content = append(ps.Content, p)
			}
		}
	}
	if len(workspaces) > 0 {
		ws := ensureSeq(spec, "workspaces", append([]string{"results"}, order...)...)
		for _, w := range workspaces {
			if byName(ws, str(w, "name")) == nil {
				ws.Content = append(ws.Content, w)
			}
		}
	}
	if len(results) > 0 {
		rs := ensureSeq(spec, "results", order...)
		for _, x := range results {
			if byName(rs, str(x, "name")) == nil {
				rs.Content = append(rs.Content, x)
			}
		}
		st := ensureSeq(spec, "steps")
		st.Content = append(st.Content, resultSteps...)
	}
	if resKey.Line > 0 {
		f.s.note(resKey, convert.Converted, "task-resources", "resource declarations became workspaces, params and results")
	}
}

// literalWorkspace is a literal path into /workspace (not $(workspaces...) or /workspace/output).
var literalWorkspace = lazyre.New(`(^|[^A-Za-z0-9_.$(-])/workspace(/|\b)`)

// rootTarget places an input with targetPath /: old Tekton fetched it into /workspace itself
// (destinationPath joins the targetPath to /workspace), where the steps started when the era
// set workingDir. They now start in its workspace; literal /workspace paths get a marker.
func (f pipelineResources) rootTarget(spec, resKey, w *yaml.Node, d *decl) {
	ws := "$(workspaces." + d.ws + ".path)"
	literal := false
	walkValues(get(spec, "steps"), func(n *yaml.Node) { literal = literal || literalWorkspace.MatchString(n.Value) })
	moved := false
	if wd := get(get(spec, "stepTemplate"), "workingDir"); wd != nil && pathpkg.Clean(wd.Value) == "/workspace" {
		wd.Value, moved = ws, true
	}
	for _, st := range items(get(spec, "steps")) {
		if wd := get(st, "workingDir"); wd != nil && pathpkg.Clean(wd.Value) == "/workspace" {
			wd.Value, moved = ws, true
		}
	}
	if literal || !moved {
		f.s.markerAt(w.Content[1], resKey, "target-path-root", "resource %s had targetPath /; its files are now under %s", d.name, ws)
		return
	}
	f.s.note(resKey, convert.Converted, "target-path-root", "resource %s had targetPath /, so old Tekton fetched it into /workspace, where the steps started: they now start in workspace %s, which holds its files", d.name, d.ws)
}

// outputDirs creates the output directory of each image or cloudEvent output whose path the
// steps use: old Tekton ran mkdir -p on it before the steps (output_resource.go, CreateDirStep);
// the other outputs are workspaces now, mounted there.
func (f pipelineResources) outputDirs(spec *yaml.Node, ds []*decl, used map[string]map[string]bool) {
	var dirs []string
	for _, d := range ds {
		if !d.output || hasWorkspace(d.typ) {
			continue
		}
		lit := regexp.MustCompile(regexp.QuoteMeta(outputPath(d)) + `([^A-Za-z0-9_.-]|$)`)
		found := used[d.name]["path"]
		walkValues(get(spec, "steps"), func(n *yaml.Node) { found = found || lit.MatchString(n.Value) })
		if found {
			dirs = append(dirs, outputPath(d))
		}
	}
	if len(dirs) == 0 {
		return
	}
	steps := ensureSeq(spec, "steps")
	name := freeName("create-output-dirs", func(n string) bool { return byName(steps, n) != nil })
	st := mapping("name", name, "image", "docker.io/library/busybox:1.36", "command", strSeq(append([]string{"mkdir", "-p"}, dirs...)...))
	addComment(get(st, "name"), "# old Tekton created each output resource's directory before the steps")
	steps.Content = append([]*yaml.Node{st}, steps.Content...)
}

// selfCopies drops the copy of a resource's input to its output: old Tekton kept them in two
// directories, now both are the one workspace, and `cp -r X/* X/` fails. Any other step that
// uses both paths gets a marker.
func (f pipelineResources) selfCopies(spec, resKey *yaml.Node, ds []*decl) {
	for _, d := range ds {
		if !d.input || !d.output || !hasWorkspace(d.typ) {
			continue
		}
		in, out := `\$\(resources\.inputs\.`+regexp.QuoteMeta(d.name)+`\.path\)`, `\$\(resources\.outputs\.`+regexp.QuoteMeta(d.name)+`\.path\)`
		arg := func(v string) string { return `["']?` + v + `[^\s"';&|]*["']?` }
		sp := `(?:\s|\\\r?\n)+` // blanks, or a shell line continuation
		cp := regexp.MustCompile(`\bcp(` + sp + `-[A-Za-z-]+)*` + sp + arg(in) + sp + arg(out))
		inRe, outRe := regexp.MustCompile(in), regexp.MustCompile(out)
		for _, st := range items(get(spec, "steps")) {
			if st.Kind != yaml.MappingNode || len(st.Content) == 0 {
				continue
			}
			var inAt, outAt *yaml.Node
			walkValues(st, func(n *yaml.Node) {
				if cp.MatchString(n.Value) {
					n.Value = cp.ReplaceAllString(n.Value, "true")
					f.s.note(n, convert.Converted, "same-resource-copy", "resource %s was input and output, in two directories; both are workspace %s now, so the copy from one to the other is dropped (it would copy the directory onto itself)", d.name, d.ws)
					addHeadComment(st.Content[0], fmt.Sprintf("# tkn-migrate: a copy of resource %s onto itself became true (%s:%d)", d.name, baseName(f.s.path), f.s.line(n)))
				}
				if inAt == nil && inRe.MatchString(n.Value) {
					inAt = n
				}
				if outAt == nil && outRe.MatchString(n.Value) {
					outAt = n
				}
			})
			if inAt != nil && outAt != nil {
				f.s.markerAbove(st.Content[0], inAt, "same-resource-copy", "resource %s was input and output, in two directories; both are workspace %s now: this step uses both paths, which name the same directory", d.name, d.ws)
			}
		}
	}
}

// leftoverRefs marks every $(resources...) reference no rule replaced, and each declaration
// of a type with no replacement, so that nothing is dropped silently.
func (f pipelineResources) leftoverRefs(spec, resKey *yaml.Node, unknown map[string]string) {
	referenced := map[string]bool{}
	for i := 0; i+1 < len(spec.Content); i += 2 {
		key, seen := spec.Content[i], map[string]bool{}
		walkValues(spec.Content[i+1], func(n *yaml.Node) {
			for _, m := range resVar.FindAllStringSubmatch(n.Value, -1) {
				if seen[m[0]] || strings.Contains(key.HeadComment, "manual: "+m[0]+" ") {
					continue // an earlier run marked it already
				}
				seen[m[0]] = true
				referenced[m[2]] = true
				why := "names resource " + m[2] + ", which this Task does not declare"
				if t, ok := unknown[m[2]]; ok {
					why = "names resource " + m[2] + " of type " + t + ", which has no replacement in Tekton v1"
				}
				f.s.markerAbove(key, n, "unresolved-resource", "%s %s; replace it by hand (a param or a workspace path)", m[0], why)
			}
		})
	}
	var names []string
	for r := range unknown {
		if !referenced[r] {
			names = append(names, r)
		}
	}
	sort.Strings(names)
	for _, r := range names {
		at := keyNode(spec, "steps")
		if at == nil {
			at = spec.Content[0]
		}
		f.s.markerAbove(at, resKey, "unresolved-resource", "resource %s of type %s has no replacement in Tekton v1 and was removed", r, unknown[r])
	}
}

// sharedOutputPaths marks steps that use the literal /workspace/output/<r> of a resource that
// is both input and output: its one workspace is mounted at the input's path, so that directory
// no longer exists; what belongs there (often a copy of the input) is for a human to decide.
func (f pipelineResources) sharedOutputPaths(spec *yaml.Node, ds []*decl) {
	for _, d := range ds {
		old := "/workspace/output/" + d.name
		if !d.input || !d.output || !hasWorkspace(d.typ) || mountPath(d) == old {
			continue
		}
		lit := regexp.MustCompile(regexp.QuoteMeta(old) + `([^A-Za-z0-9_.-]|$)`)
		for _, st := range append(items(get(spec, "steps")), items(get(spec, "sidecars"))...) {
			var at *yaml.Node
			walkValues(st, func(n *yaml.Node) {
				if at == nil && lit.MatchString(n.Value) {
					at = n
				}
			})
			if at == nil || st.Kind != yaml.MappingNode {
				continue
			}
			why := fmt.Sprintf("%s was the output directory of resource %s; the resource is now workspace %s, mounted at %s", old, d.name, d.ws, mountPath(d))
			if strings.Contains(st.Content[0].HeadComment, why) {
				continue // an earlier run marked it already
			}
			f.s.markerAbove(st.Content[0], at, "output-path", "%s: write to $(workspaces.%s.path) instead", why, d.ws)
		}
	}
}

// mountPath is where a resource's files were: its input path, else its output path.
func mountPath(d *decl) string {
	if d.input {
		return destinationPath(d.name, d.targetPath)
	}
	return outputPath(d)
}

// destinationPath is where old Tekton fetched an input (input_resources.go destinationPath):
// the targetPath joined to /workspace even when absolute ("/" is /workspace itself), whatever
// $(resources.inputs.x.path) said.
func destinationPath(name, targetPath string) string {
	if targetPath == "" {
		return "/workspace/" + name
	}
	return pathpkg.Join("/workspace", targetPath)
}

// outputPath is OutputResourcePath of Tekton v0.30 (resource_paths.go).
func outputPath(d *decl) string { return resourcePath("/workspace/output", d.name, d.outTarget) }

// resourcePath: an absolute targetPath as is, a relative one under /workspace, else root/name.
func resourcePath(root, name, targetPath string) string {
	switch {
	case strings.HasPrefix(targetPath, "/"):
		return pathpkg.Clean(targetPath)
	case targetPath != "":
		return pathpkg.Join("/workspace", targetPath)
	}
	return root + "/" + name
}

func defIf(optional bool) *string {
	if optional {
		return opt("")
	}
	return nil
}

func paramSpec(name, desc string, def *string) *yaml.Node {
	p := mapping("name", name, "type", "string", "description", desc)
	if def != nil {
		p.Content = append(p.Content, scalar("default"), quoted(*def))
	}
	return p
}

func quoted(v string) *yaml.Node {
	n := scalar(v)
	if v == "" || v == "true" || v == "false" {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func boolNode(b bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"}
	if b {
		n.Value = "true"
	}
	return n
}

// imageResultStep writes the image results the image resource used to record:
// the URL, and the digest from the OCI layout the build left in the output directory.
// An optional output that no run binds writes empty results, as the exporter skipped it.
func imageResultStep(d *decl, param, url, digest string) *yaml.Node {
	guard := ""
	if d.opt {
		guard = `if [ -z "$IMAGE_URL" ]; then
  # optional image resource ` + d.name + ` not bound: old Tekton exported nothing for it
  : > "$(results.` + url + `.path)"
  : > "$(results.` + digest + `.path)"
  exit 0
fi
`
	}
	script := `#!/bin/sh
# Replaces the image PipelineResource's digest exporter: it read index.json from the output's directory (targetPath when set).
` + guard + `printf '%s' "$IMAGE_URL" > "$(results.` + url + `.path)"
index=` + outputPath(d) + `/index.json
digest=""
if [ -f "$index" ]; then
  # As GetDigest: the one image's digest, or the digest of the index when it lists several.
  digests=$(grep -o '"digest": *"sha256:[0-9a-f]*"' "$index" | grep -o 'sha256:[0-9a-f]*')
  if [ "$(printf '%s\n' "$digests" | grep -c .)" = 1 ]; then
    digest=$digests
  else
    digest=sha256:$(sha256sum "$index" | cut -d ' ' -f 1)
  fi
fi
printf '%s' "$digest" > "$(results.` + digest + `.path)"
`
	sc := scalar(script)
	sc.Style = yaml.LiteralStyle
	// The URL comes through env: a param pasted into script text would be run as shell.
	env := seq(mapping("name", "IMAGE_URL", "value", "$(params."+param+")"))
	return mapping("name", dnsLabel("write-"+d.name+"-results"), "image", "docker.io/library/busybox:1.36", "env", env, "script", sc)
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		if k != "path" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

var notDNS = lazyre.New(`[^a-z0-9-]+`)

// dnsLabel makes a step or task name valid: lower case letters, digits and dashes.
func dnsLabel(s string) string {
	s = notDNS.ReplaceAllString(strings.ToLower(s), "-")
	s = strings.Trim(s, "-")
	if len(s) > 63 {
		s = strings.TrimRight(s[:63], "-")
	}
	return s
}
