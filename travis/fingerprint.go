package travis

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/tkn-migrate/tkn-migrate/convert/pipeline"
)

// fingerprint identifies a rendered task template up to its comments and its scripts'
// source-line comments (the "# phase (.travis.yml:N)" lines, which differ between jobs
// sharing a template): jobs with equal fingerprints share a matrix
// task. It is a SHA-256 of every exported field, found by reflection so a field added to
// the model counts without a change here; strings are length-prefixed and nil is told from
// empty, so equal fingerprints are equal tasks, as with the JSON encoding it replaced
// (which cost a twentieth of a conversion).
func fingerprint(r rendered) string {
	buf := fpBufs.Get().(*[]byte)
	w := fpWriter{b: (*buf)[:0]}
	if r.main != nil {
		w.b = append(w.b, 1)
		w.value(reflect.ValueOf(r.main).Elem())
	}
	sum := sha256.Sum256(w.b)
	if cap(w.b) <= 1<<20 {
		*buf = w.b
		fpBufs.Put(buf)
	}
	return string(sum[:])
}

var fpBufs = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

var (
	taskType = reflect.TypeFor[pipeline.Task]()
	stepType = reflect.TypeFor[pipeline.Step]()
)

// fpWriter appends an injective encoding of a value to b.
type fpWriter struct{ b []byte }

func (w *fpWriter) len(n int) { w.b = binary.AppendUvarint(w.b, uint64(n)) }

func (w *fpWriter) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		w.len(v.Len())
		w.b = append(w.b, v.String()...)
	case reflect.Bool:
		if v.Bool() {
			w.b = append(w.b, 1)
		} else {
			w.b = append(w.b, 0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.b = binary.AppendVarint(w.b, v.Int())
	case reflect.Pointer:
		if v.IsNil() {
			w.b = append(w.b, 0)
			return
		}
		w.b = append(w.b, 1)
		w.value(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			w.b = append(w.b, 0)
			return
		}
		w.b = append(w.b, 1)
		w.len(v.Len())
		for i := 0; i < v.Len(); i++ {
			w.value(v.Index(i))
		}
	case reflect.Struct:
		for _, f := range fieldsOf(v.Type()) {
			if f.script {
				w.stripped(v.Field(f.index).String())
			} else {
				w.value(v.Field(f.index))
			}
		}
	default:
		panic(fmt.Sprintf("travis: fingerprint of a %s field", v.Kind()))
	}
}

// fpField is a field the fingerprint encodes; script marks a Step's Script.
type fpField struct {
	index  int
	script bool
}

var fpFields sync.Map // reflect.Type → []fpField

// fieldsOf lists the exported fields of struct type t but a Task's Comments (reflect's
// Type.Field copies a whole StructField each call: the list is made once per type).
func fieldsOf(t reflect.Type) []fpField {
	if fs, ok := fpFields.Load(t); ok {
		return fs.([]fpField)
	}
	var fs []fpField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.IsExported() && !(t == taskType && f.Name == "Comments") {
			fs = append(fs, fpField{index: i, script: t == stepType && f.Name == "Script"})
		}
	}
	fpFields.Store(t, fs)
	return fs
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
