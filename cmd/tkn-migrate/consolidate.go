package main

import (
	"fmt"
	"slices"

	"github.com/spf13/pflag"

	"github.com/tkn-migrate/tkn-migrate/consolidate"
	"github.com/tkn-migrate/tkn-migrate/convert"
)

// ConsolidateOptions are convert's --consolidate flags.
type ConsolidateOptions struct {
	Dir, Ref, Location string
}

func (c *ConsolidateOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&c.Dir, "consolidate", "", "write Pipelines identical up to params once, under `DIR`; each repository keeps only its PipelineRuns")
	f.StringVar(&c.Ref, "shared-ref", "cluster", "how runs reference a shared Pipeline: cluster, git or bundles")
	f.StringVar(&c.Location, "shared-location", "", "the cluster namespace (default "+consolidate.DefaultNamespace+"), the git URL[@REVISION] holding DIR, or the bundle image repository")
}

func (c *ConsolidateOptions) validate(pr bool, paths []string) error {
	if c.Dir == "" {
		return nil
	}
	if pr {
		return flagErrorf("--consolidate and --pr-branch exclude each other")
	}
	if slices.Contains(paths, "-") {
		return flagErrorf("--consolidate needs repositories, not standard input")
	}
	switch c.Ref {
	case "cluster":
	case "git", "bundles":
		if c.Location == "" {
			return flagErrorf("--shared-ref %s needs --shared-location", c.Ref)
		}
	default:
		return flagErrorf("--shared-ref must be cluster, git or bundles, not %q", c.Ref)
	}
	return nil
}

// consolidateRun converts the whole batch first (grouping needs every Pipeline), consolidates,
// then handles each outcome in the selected output mode, the shared Pipelines last.
func consolidateRun(o *ConvertOptions, eng *convert.Engine) error {
	inline := o.Report == "text" || o.ReportFile != ""
	rep := o.newReport(o.Report == "markdown")
	defer rep.Close()
	inputs, inputErrs := eng.Inputs(o.Paths)
	var outs []*convert.Outcome
	for _, err := range inputErrs {
		outs = append(outs, &convert.Outcome{Source: convert.Source{Path: errorPath(err)}, Err: err})
	}
	if err := eng.Run(inputs, func(out *convert.Outcome) error {
		outs = append(outs, out)
		return nil
	}); err != nil {
		return err
	}
	c := o.Consolidate
	shared, sum, err := consolidate.Run(outs, consolidate.Options{Dir: c.Dir, Ref: c.Ref, Location: c.Location})
	if err != nil {
		return err
	}
	changed := false
	for _, out := range append(outs, shared...) {
		rep.Add(out)
		if out.Err != nil {
			if inline {
				fmt.Fprintln(o.IO.ErrOut, out.Err)
			}
			continue
		}
		changed = changed || len(out.Changes) > 0
		if err := o.emit(out); err != nil {
			return err
		}
	}
	if inline {
		fmt.Fprintf(o.IO.ErrOut, "consolidation: %s\n", sum)
	}
	if err := o.writeReport(rep); err != nil {
		return err
	}
	return o.exit(rep, changed)
}
