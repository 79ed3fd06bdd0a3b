package upgrade

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

func TestDebugDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	files := corpusFiles(t)
	conv := map[string]*Converter{}
	for _, src := range files {
		if conv[inputSet(src.Path)] == nil {
			conv[inputSet(src.Path)] = New()
		}
		_ = conv[inputSet(src.Path)].Index(src)
	}
	for _, src := range files {
		res, err := conv[inputSet(src.Path)].Convert(src, convert.Options{})
		out := filepath.Join("/tmp/corpus-out", src.Path)
		os.MkdirAll(filepath.Dir(out), 0o755)
		if err != nil {
			os.WriteFile(out+".err", []byte(err.Error()), 0o644)
			continue
		}
		os.WriteFile(out, res.Files[0].Data, 0o644)
		os.WriteFile(out+".findings", []byte(formatFindings(res.Findings)), 0o644)
	}
}
