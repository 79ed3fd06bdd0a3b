package travis

import (
	"gopkg.in/yaml.v3"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/travis/cond"
)

// cronRun: a Travis cron build (set in the repository settings, seen in .travis.yml only
// through conditions on type = cron) has no Pipelines-as-Code event. The run it gets is
// started by name through PaC's incoming webhook; the finding's action is a CronJob that
// calls it. on-event [incoming] keeps pushes and pull requests from matching it.
func (c *conv) cronRun(rootIf cond.Expr) *pipeline.Run {
	n := c.cronNode()
	if n == nil {
		return nil
	}
	if rootIf != nil {
		x := cond.Simplify(rootIf, cond.Known{Attrs: map[string]string{"type": "cron", "language": c.lang, "tag": "", "head_branch": ""}})
		if v, ok := x.(cond.Const); ok && !bool(v) {
			c.finding(c.root.get("if"), convert.Converted, "travis/condition", "if: %s excludes cron builds; no cron PipelineRun", scalarOf(c.root.get("if")))
			return nil
		}
	}
	name := pipeline.RunName(c.name, "cron")
	secret := pipeline.Shorten(pipeline.Sanitize(c.name), 50) + "-incoming"
	c.findingAction(n, convert.Manual, "travis/cron",
		sprintf("type = cron: Travis cron builds have no Pipelines-as-Code event; the PipelineRun %s runs them when PaC's incoming webhook is called: add spec.incoming to the Repository CR and apply this CronJob with the schedule set in Travis", name),
		cronJobYAML(name, secret))
	return &pipeline.Run{Name: "cron",
		Comments:    []string{"Travis cron builds: started by name through PaC's incoming webhook (see the report for the CronJob)"},
		Annotations: []pipeline.Binding{{Name: pac + "on-event", Value: "[incoming]"}, {Name: pac + "on-target-branch", Value: "[*]"}},
		Params: []pipeline.Binding{{Name: "repo-url", Value: "{{ repo_url }}"}, {Name: "revision", Value: "{{ revision }}"}, {Name: "event-type", Value: "cron"}, {Name: "branch", Value: "{{ target_branch }}"}, {Name: "tag", Value: ""},
			{Name: "pull-request", Value: "false"}, {Name: "pull-request-branch", Value: ""}, {Name: "repo-slug", Value: "{{ repo_owner }}/{{ repo_name }}"}}}
}

// cronNode is the first if: that compares type with cron (root, stages, jobs.include).
func (c *conv) cronNode() *yaml.Node {
	nodes := []*yaml.Node{c.root.get("if")}
	for _, s := range c.stages {
		nodes = append(nodes, s.ifN)
	}
	for _, m := range c.includes {
		nodes = append(nodes, m.get("if"))
	}
	for _, n := range nodes {
		if n == nil {
			continue
		}
		if x, err := cond.Parse(scalarOf(n)); err == nil && cond.Mentions(x, "type", "cron") {
			return n
		}
	}
	return nil
}

// cronJobYAML posts to PaC's incoming webhook (pkg/adapter/incoming.go: a JSON body with
// repository, branch, pipelinerun and secret); the secret comes from a Secret, never inline.
func cronJobYAML(run, secret string) string {
	return `# Repository CR: let the webhook start ` + run + ` on the cron branch
#   spec:
#     incoming:
#       - type: webhook-url
#         targets: [master]
#         secret: {name: ` + secret + `, key: secret}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: ` + run + `
spec:
  schedule: "0 3 * * *" # Travis offered daily, weekly or monthly: use the repository's setting
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: trigger
              image: docker.io/curlimages/curl:8.11.1
              env:
                - name: PAC_URL # the Pipelines-as-Code controller route, e.g. https://pac.example.com
                  value: https://pipelines-as-code-controller.example.com
                - name: REPOSITORY # the Repository CR's name
                  value: REPOSITORY
                - name: SECRET
                  valueFrom:
                    secretKeyRef: {name: ` + secret + `, key: secret}
              command: ["sh", "-c"]
              args:
                - >-
                  curl -fsS -X POST -H 'Content-Type: application/json'
                  -d "{\"repository\":\"$REPOSITORY\",\"branch\":\"master\",\"pipelinerun\":\"` + run + `\",\"secret\":\"$SECRET\"}"
                  "$PAC_URL/incoming"
`
}
