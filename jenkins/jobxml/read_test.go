package jobxml

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
	"github.com/tkn-migrate/tkn-migrate/convert/validate"
)

func TestBadInput(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"unclosed", "<project>\n  <builders>\n</project>\n", "bad.xml:3:1: end tag </project> does not match <builders> opened on line 2"},
		{"binary", "\x00\x01\x02PK\x03\x04", "bad.xml:1:"},
		{"empty", "", "bad.xml:1:1: no root element"},
		{"two roots", "<project/>\n<project/>\n", "bad.xml:2:1: second root element"},
		{"text outside", "<project/>\nhello", "text outside the root element"},
		{"deep", strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300), "nested deeper than 200"},
		{"truncated", "<?xml version='1.1'?>\n<project>\n  <builders>", "unexpected end of file"},
	}
	for _, c := range cases {
		_, err := Convert("bad.xml", []byte(c.data), convert.Options{})
		var pe *convert.PosError
		if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want error containing %q", c.name, err, c.want)
		}
	}
	big := "<project><description>" + strings.Repeat("x", MaxSize) + "</description></project>"
	if _, err := Convert("big.xml", []byte(big), convert.Options{}); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("oversized file: got %v", err)
	}
}

// TestXML11 reads Jenkins' XML 1.1 prolog and control-character references (Go's decoder rejects both).
func TestXML11(t *testing.T) {
	data := "<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <builders>\n    <hudson.tasks.Shell><command>printf '&#x1b;[1m'\necho ok</command></hudson.tasks.Shell>\n  </builders>\n</project>\n"
	job, err := Convert("jobs/x/config.xml", []byte(data), convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if job.Pipeline == nil || job.Pipeline.Name != "x" {
		t.Fatalf("pipeline = %+v", job.Pipeline)
	}
	s := job.Pipeline.Tasks[0].Steps[0]
	if s.Script != "printf '\uFFFD[1m'\necho ok\n" {
		t.Errorf("script = %q", s.Script)
	}
	if got := s.Comments[0]; got != "from config.xml:4 hudson.tasks.Shell" {
		t.Errorf("comment = %q", got)
	}
}

func FuzzConvert(f *testing.F) {
	f.Add([]byte("<project><builders><hudson.tasks.Shell><command>make</command></hudson.tasks.Shell></builders></project>"))
	f.Add([]byte("<?xml version='1.1'?><flow-definition><definition class='x.CpsFlowDefinition'><script>node {}</script></definition></flow-definition>"))
	f.Add([]byte("<matrix-project><axes><hudson.matrix.TextAxis><name>a</name><values><string>1</string></values></hudson.matrix.TextAxis></axes></matrix-project>"))
	// The golden cases seed every job type the converter reads.
	seeds, _ := filepath.Glob("testdata/*/config.xml")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		job, err := Convert("f.xml", data, convert.Options{Placeholders: true})
		if err != nil {
			var pe *convert.PosError
			if !errors.As(err, &pe) {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		if job.Pipeline == nil || job.Script != "" {
			return
		}
		files, err := pipeline.Emit(".", job.Pipeline, convert.Options{})
		if err != nil {
			t.Fatalf("emit %q: %v", data, err)
		}
		for _, f := range files {
			if err := validate.Documents(f.Path, f.Data); err != nil {
				t.Fatalf("invalid output for %q: %v", data, err)
			}
		}
	})
}
