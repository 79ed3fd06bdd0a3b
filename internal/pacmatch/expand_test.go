package pacmatch

import "testing"

// TestExpand checks PaC's own expansion of the standard placeholders per event.
func TestExpand(t *testing.T) {
	const tmpl = "{{ repo_url }} {{revision}} {{ target_branch }} {{ source_branch }} {{ git_tag }} " +
		"{{ event_type }} {{ repo_owner }}/{{ repo_name }} {{ pull_request_number }} {{ unknown }}"
	f := Facts{SHA: "abc123", RepoURL: "https://github.com/Acme/App", Owner: "Acme", Repo: "App", Sender: "dev"}
	pr := f
	pr.PullRequest = 7
	for _, c := range []struct {
		name string
		ev   Event
		f    Facts
		want string
	}{
		{"push", Push("main"), f, "https://github.com/Acme/App abc123 main main  push acme/app {{ pull_request_number }} {{ unknown }}"},
		{"tag", Tag("v1.2.0"), f, "https://github.com/Acme/App abc123 refs/tags/v1.2.0 refs/tags/v1.2.0 v1.2.0 push acme/app {{ pull_request_number }} {{ unknown }}"},
		{"pull request", PullRequest("main", "feature"), pr, "https://github.com/Acme/App abc123 main feature  pull_request acme/app 7 {{ unknown }}"},
	} {
		got, err := Expand(tmpl, c.ev, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
