package travis

import (
	"regexp"
	"testing"
)

// TestStripSourceComments: the byte scan empties exactly the lines the regexp it replaced did.
func TestStripSourceComments(t *testing.T) {
	re := regexp.MustCompile(`(?m)^# .*$`)
	for _, s := range []string{
		"", "#", "# ", "# a", "#a\n# b", "x\n# install (.travis.yml:3)\nmake\n", "# a\n\n# b\n", "a # b\n  # c\n",
		"# a\r\nb", "\n# ", "x\n#\n# y", "# é\n# \n",
	} {
		if got, want := stripSourceComments(s), re.ReplaceAllString(s, ""); got != want {
			t.Errorf("stripSourceComments(%q) = %q, want %q", s, got, want)
		}
	}
}
