package upgrade

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// Converting with the memos warm gives the bytes, findings and fallbacks of a cold run,
// for every golden case and every corpus file.
func TestMemoWarmAlike(t *testing.T) {
	type set struct {
		name string
		srcs []convert.Source
		opts convert.Options
	}
	var sets []set
	ins, _ := filepath.Glob("testdata/*/input.yaml")
	for _, in := range ins {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, set{in, []convert.Source{{Path: "input.yaml", Data: data, Kind: convert.KindTekton}}, caseOptions(t, filepath.Dir(in))})
	}
	bySet := map[string]int{}
	for _, src := range corpusFiles(t) {
		i, ok := bySet[inputSet(src.Path)]
		if !ok {
			i = len(sets)
			bySet[inputSet(src.Path)] = i
			sets = append(sets, set{name: inputSet(src.Path)})
		}
		sets[i].srcs = append(sets[i].srcs, src)
	}
	type outcome struct {
		res       []convert.Result
		errs      []string
		fallbacks int64
	}
	run := func(s set) outcome {
		c := New()
		for _, src := range s.srcs {
			_ = c.Index(src)
		}
		var o outcome
		for _, src := range s.srcs {
			res, err := c.Convert(src, s.opts)
			o.res = append(o.res, res)
			if err != nil {
				o.errs = append(o.errs, err.Error())
			}
		}
		o.fallbacks = c.fallbacks.Load()
		return o
	}
	remembered := 0
	for _, s := range sets {
		for _, m := range []interface{ Reset() }{styleMemo, renderMemo, strictMemo} {
			m.Reset()
		}
		cold := run(s)
		if renderMemo.Len() > 0 && strictMemo.Len() > 0 {
			remembered++
		}
		if warm := run(s); !reflect.DeepEqual(cold, warm) {
			t.Errorf("%s: a warm run differs from a cold one:\n%+v\n---\n%+v", s.name, warm, cold)
		}
	}
	if remembered < len(sets)/2 {
		t.Errorf("only %d of %d input sets left a rendering and a decode remembered", remembered, len(sets))
	}
}
