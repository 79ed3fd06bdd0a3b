package travis

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"sync"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

// fingerprint identifies a rendered task template up to its comments and its scripts'
// source-line comments (the "# phase (.travis.yml:N)" lines, which differ between jobs
// sharing a template): jobs with equal fingerprints share a matrix task. It encodes every
// field, strings length-prefixed and nil told from empty, so equal fingerprints are equal
// tasks, as with the JSON encoding it replaced (which cost a twentieth of a conversion).
// TestFingerprintEncoding holds the writers below to an encoding of every field found by
// reflection, so a field added to the model can't be missed. The fingerprint is the
// encoding's SHA-256, as every memo key here is: the encoding itself, copied out per job,
// was a twentieth of Travis's allocation.
func fingerprint(r rendered) string {
	buf := fpBufs.Get().(*[]byte)
	w := fpWriter{b: (*buf)[:0]}
	if r.main != nil {
		w.b = append(w.b, 1)
		w.task(r.main)
	}
	sum := sha256.Sum256(w.b)
	key := string(sum[:])
	if cap(w.b) <= 1<<20 {
		*buf = w.b
		fpBufs.Put(buf)
	}
	return key
}

var fpBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// fpWriter appends an injective encoding of a task to b: each field in declaration order;
// a string as its length and bytes, a bool as 0 or 1, an int as a varint, a nil pointer or
// slice as 0, else 1 and its element or length and elements.
type fpWriter struct{ b []byte }

func (w *fpWriter) len(n int) { w.b = binary.AppendUvarint(w.b, uint64(n)) }

func (w *fpWriter) str(s string) {
	w.len(len(s))
	w.b = append(w.b, s...)
}

func (w *fpWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *fpWriter) int(v int) { w.b = binary.AppendVarint(w.b, int64(v)) }

// present writes whether a pointer or slice is non-nil, and reports it.
func (w *fpWriter) present(nonNil bool) bool {
	w.bool(nonNil)
	return nonNil
}

func fpSlice[T any](w *fpWriter, s []T, each func(*fpWriter, *T)) {
	if w.present(s != nil) {
		w.len(len(s))
		for i := range s {
			each(w, &s[i])
		}
	}
}

func (w *fpWriter) strs(s []string) { fpSlice(w, s, func(w *fpWriter, v *string) { w.str(*v) }) }

func (w *fpWriter) task(t *pipeline.Task) {
	w.str(t.Name) // not Comments
	w.strs(t.RunAfter)
	fpSlice(w, t.When, func(w *fpWriter, x *pipeline.When) {
		w.str(x.Input)
		w.str(x.Operator)
		w.strs(x.Values)
		w.str(x.CEL)
	})
	if w.present(t.Matrix != nil) {
		fpSlice(w, t.Matrix.Params, func(w *fpWriter, p *pipeline.MatrixParam) {
			w.str(p.Name)
			w.strs(p.Values)
		})
		fpSlice(w, t.Matrix.Include, func(w *fpWriter, in *pipeline.MatrixInclude) {
			w.str(in.Name)
			w.bindings(in.Params)
		})
	}
	w.int(t.Retries)
	w.str(t.Timeout)
	w.bindings(t.Params)
	fpSlice(w, t.TaskParams, func(w *fpWriter, p *pipeline.Param) {
		w.str(p.Name)
		w.str(p.Description)
		if w.present(p.Default != nil) {
			w.str(*p.Default)
		}
	})
	fpSlice(w, t.Steps, (*fpWriter).step)
	fpSlice(w, t.Sidecars, func(w *fpWriter, s *pipeline.Sidecar) {
		w.str(s.Name)
		w.strs(s.Comments)
		w.str(s.Image)
		w.env(s.Env)
		w.strs(s.Args)
		w.bool(s.Privileged)
		w.int(s.ReadyPort)
		w.strs(s.ReadyExec)
	})
	w.strs(t.Results)
	w.bindings(t.Workspaces)
	w.ref(t.Ref)
	w.str(t.Image)
	w.env(t.Env)
	w.bindings(t.NodeSelector)
}

func (w *fpWriter) step(s *pipeline.Step) {
	w.str(s.Name)
	w.strs(s.Comments)
	w.ref(s.Ref)
	w.bindings(s.Params)
	w.str(s.Image)
	w.stripped(s.Script)
	w.strs(s.Command)
	w.strs(s.Args)
	w.env(s.Env)
	w.str(s.WorkingDir)
	w.str(s.OnError)
	w.str(s.Timeout)
	w.bool(s.Privileged)
}

func (w *fpWriter) bindings(bs []pipeline.Binding) {
	fpSlice(w, bs, func(w *fpWriter, b *pipeline.Binding) {
		w.str(b.Name)
		w.str(b.Value)
		w.str(b.SubPath)
		w.bool(b.ReadOnly)
	})
}

func (w *fpWriter) env(es []pipeline.Env) {
	fpSlice(w, es, func(w *fpWriter, e *pipeline.Env) {
		w.str(e.Name)
		w.str(e.Value)
		w.str(e.SecretName)
		w.str(e.SecretKey)
		w.str(e.Comment)
	})
}

func (w *fpWriter) ref(r *catalog.Ref) {
	if w.present(r != nil) {
		w.str(r.Resolver)
		fpSlice(w, r.Params, func(w *fpWriter, p *catalog.Param) {
			w.str(p.Name)
			w.str(p.Value)
		})
	}
}

// stripped writes s with the lines starting "# " emptied (their newlines kept), without
// building it: a byte scan, as a regexp per step cost a tenth of a conversion.
func (w *fpWriter) stripped(s string) {
	n := 0
	for line := range strings.Lines(s) {
		if !strings.HasPrefix(line, "# ") {
			n += len(line)
		} else if strings.HasSuffix(line, "\n") {
			n++
		}
	}
	w.len(n)
	for line := range strings.Lines(s) {
		if !strings.HasPrefix(line, "# ") {
			w.b = append(w.b, line...)
		} else if strings.HasSuffix(line, "\n") {
			w.b = append(w.b, '\n')
		}
	}
}
