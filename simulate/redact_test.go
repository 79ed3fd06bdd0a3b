package simulate

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestSimulateKeepsSecretsInTheirFile: a run's plain-text secret params (judged by name and
// value, as convert judges them) reach no report value: not the task params they are passed
// to under other names, matrix cells or a value glued around them; other values show as they are.
func TestSimulateKeepsSecretsInTheirFile(t *testing.T) {
	data, err := os.ReadFile("testdata/secrets/run.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep := Simulate([]File{{Path: "run.yaml", Data: data}}, Options{Event: Event{Type: "push", Branch: "main", TargetBranch: "main", DefaultBranch: "main"}})
	out, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Zq8xR2vLp9WmT4kN", "SIMDEFAULTtok3nQ9zX7vB2nM4kL8pR6sT1"} {
		if strings.Contains(string(out), s) {
			t.Errorf("report holds secret %s:\n%s", s, out)
		}
	}
	if len(rep.Runs) != 1 || len(rep.Runs[0].Tasks) != 1 {
		t.Fatalf("want one run of one task:\n%s", out)
	}
	got := map[string]string{}
	for _, p := range rep.Runs[0].Tasks[0].Params {
		got[p.Name] = p.Value
	}
	for _, cell := range rep.Runs[0].Tasks[0].Matrix {
		for _, p := range cell {
			got[p.Name] += "|" + p.Value
		}
	}
	want := map[string]string{"p": "<redacted>", "q": "<redacted>", "url": "https://deploy:<redacted>@db.example/eu-west-1",
		"region": "eu-west-1", "key": "|<redacted>|plain"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("param %s = %q, want %q", k, got[k], v)
		}
	}
}
