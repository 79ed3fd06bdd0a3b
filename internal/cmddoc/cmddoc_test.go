package cmddoc

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

var update = flag.Bool("update", false, "rewrite testdata")

// tree has what help text holds: a heading and displays as cobra's completion help writes
// them, a <placeholder>, a line starting with a dot, a backslash, a flag's `NAME`, a flag
// with an optional value, and an inherited flag.
func tree() *cobra.Command {
	root := &cobra.Command{Use: "tool <command> [flags]", Short: "Do things"}
	root.PersistentFlags().Bool("verbose", false, "say more")
	sub := &cobra.Command{
		Use:   "sub [flags] <path>...",
		Short: "Do one thing",
		Long: "sub reads *files* and C:\\paths.\n" +
			".dotfiles are read too, and 'quoted' lines.\n\n" +
			"To load it:\n\n\tsource <(tool sub)\n\n" +
			"#### Linux:\n\n    tool sub > ~/x\n        indented more\n\n" +
			"Rules:\n  R1 one\n  R2 two  \n",
		Example: "  # one\n  $ tool sub a\n.hidden",
		Run:     func(*cobra.Command, []string) {},
	}
	sub.Flags().StringP("output", "o", "-", "write to `DIR` or `FILE`")
	sub.Flags().Int("max", 3, "at most `N`")
	sub.Flags().String("color", "auto", "when to color")
	sub.Flags().Lookup("color").NoOptDefVal = "always"
	sub.Flags().Bool("old", false, "gone")
	_ = sub.Flags().MarkHidden("old")
	root.AddCommand(sub, &cobra.Command{Use: "other", Short: "Another", Run: func(*cobra.Command, []string) {}})
	return root
}

func TestGolden(t *testing.T) {
	h := ManHeader{Title: "TOOL", Section: "1", Source: "tool", Manual: "tool manual", Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, dir := range []string{"man", "markdown"} {
		t.Run(dir, func(t *testing.T) {
			out := t.TempDir()
			var err error
			if dir == "man" {
				err = ManTree(tree(), h, out)
			} else {
				err = MarkdownTree(tree(), out, func(s string) string { return "./" + s })
			}
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", dir)
			if *update {
				if err := os.RemoveAll(golden); err != nil {
					t.Fatal(err)
				}
				if err := os.CopyFS(golden, os.DirFS(out)); err != nil {
					t.Fatal(err)
				}
			}
			got, _ := os.ReadDir(out)
			want, err := os.ReadDir(golden)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Errorf("%d pages, want %d", len(got), len(want))
			}
			for _, e := range want {
				w, _ := os.ReadFile(filepath.Join(golden, e.Name()))
				g, err := os.ReadFile(filepath.Join(out, e.Name()))
				if err != nil || !bytes.Equal(g, w) {
					t.Errorf("%s differs (go test ./internal/cmddoc -update):\n%s", e.Name(), g)
				}
			}
		})
	}
}

func TestSourceDateEpoch(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	page, err := Man(&cobra.Command{Use: "x", Short: "y"}, ManHeader{Title: "X"})
	if err != nil {
		t.Fatal(err)
	}
	if want := ".nh\n.TH \"X\" \"1\" \"Jan 2026\" \"\" \"\"\n"; !bytes.HasPrefix(page, []byte(want)) {
		t.Errorf("page starts %q, want %q", page[:min(len(page), len(want))], want)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "soon")
	if _, err := Man(&cobra.Command{Use: "x"}, ManHeader{}); err == nil || err.Error() != `invalid SOURCE_DATE_EPOCH: strconv.ParseInt: parsing "soon": invalid syntax` {
		t.Errorf("err = %v", err)
	}
}
