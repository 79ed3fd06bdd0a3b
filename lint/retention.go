package lint

import (
	"fmt"
	"strings"

	"github.com/tkn-migrate/tkn-migrate/graph/yamldoc"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// retentionNote matches comments that say where the logs go.
var retentionNote = lazyre.New(`(?i)retention|archiv|tekton results|results\.tekton\.dev`)

// checkRetention: TKN801 (info), PipelineRuns whose logs vanish with their pods.
func checkRetention(in *input) {
	for _, run := range in.runs {
		if run.Kind != "PipelineRun" {
			continue
		}
		noted := retentionNote.MatchString(run.Comment) || retentionNote.MatchString(yamldoc.Comments(run.Root))
		for _, kv := range yamldoc.Pairs(run.Root, "metadata", "annotations") {
			if strings.HasPrefix(kv[0].Value, "results.tekton.dev/") {
				noted = true
			}
		}
		if noted {
			continue
		}
		in.report("TKN801", "", run.Path, yamldoc.Key(run.Root, "kind"), fmt.Sprintf(
			"PipelineRun %q: its logs live only in the TaskRun pods and vanish when the run is pruned; "+
				"archive them with Tekton Results (https://tekton.dev/docs/results/) or a log collector, and say so in a comment or results.tekton.dev annotation",
			runName(run)))
	}
}
