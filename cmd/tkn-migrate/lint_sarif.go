package main

import (
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/tkn-migrate/tkn-migrate/convert/report"
	"github.com/tkn-migrate/tkn-migrate/lint"
)

// RulesURI is the rule documentation SARIF viewers link each rule to.
const RulesURI = report.InformationURI + "/blob/main/lint/RULES.md"

// sarifLevel maps lint severities onto SARIF levels.
var sarifLevel = map[lint.Severity]string{lint.Error: "error", lint.Warning: "warning", lint.Info: "note"}

// lintSARIF writes SARIF 2.1.0 with every rule described (help link, short and full
// descriptions, default level) and a partial fingerprint per result, so code scanning
// follows a finding across commits as lines move.
func lintSARIF(w io.Writer, errs []error, fs []lint.Finding) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("tkn-migrate lint", report.InformationURI)
	run.Results = []*sarif.Result{}
	index := map[string]int{}
	for i, r := range lint.Rules {
		index[r.ID] = i
		d := lint.Docs[r.ID]
		full := r.Summary + ". " + d.Help
		if d.TektonLint != "" {
			full += " (tekton-lint: " + d.TektonLint + ")"
		}
		run.AddRule(r.ID).
			WithName(r.Name).
			WithShortDescription(sarif.NewMultiformatMessageString(r.Summary)).
			WithFullDescription(sarif.NewMultiformatMessageString(full)).
			WithHelpURI(RulesURI + "#" + r.Anchor()).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel[r.Severity]))
	}
	for _, f := range fs {
		msg := f.Message
		if f.Action != "" {
			msg += " (run: " + f.Action + ")"
		}
		res := run.CreateResultForRule(f.Rule).
			WithRuleIndex(index[f.Rule]).
			WithLevel(sarifLevel[f.Severity]).
			WithMessage(sarif.NewTextMessage(msg)).
			WithPartialFingerPrints(map[string]interface{}{"tknMigrateFinding/v1": f.Fingerprint()})
		res.AddLocation(report.Location(f.File, f.Line, f.Col))
	}
	inv := run.AddInvocation(len(errs) == 0)
	for _, e := range errs {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarif.NewNotification().WithLevel("error").WithMessage(sarif.NewTextMessage(strings.TrimSpace(e.Error()))))
	}
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}
