package pipeline

import (
	"slices"
	"testing"
)

func TestDistinctNeverSharesAName(t *testing.T) {
	var d Distinct[string]
	got := []string{
		d.Name("db-password", "a"),
		d.Name("db-password", "b"),
		d.Name("db-password", "a"),
		d.Name("db-password-2", "c"), // the name base-2 of another value is taken
		d.Name("db-password", "d"),
	}
	want := []string{"db-password", "db-password-2", "db-password", "db-password-2-2", "db-password-3"}
	if !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
}
