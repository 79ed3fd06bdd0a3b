package report

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tkn-migrate/tkn-migrate/convert"
)

// spoolMemory is how many encoded bytes of entries a report holds in memory before it
// moves them to a temporary file: a batch's findings grow with its files, the heap must not.
var spoolMemory = 1 << 20

// spoolChunk is how many encoded bytes collect in memory between writes to the file.
const spoolChunk = 64 << 10

// spool holds a report's per-file entries in input order, encoded, so a batch of any size
// keeps none of its findings on the heap; the renderers read them back, as often as they need.
type spool struct {
	buf  []byte   // encoded entries not yet in the file: all of them while there is no file
	file *os.File // the temporary file, once buf outgrew spoolMemory
	size int64    // bytes in the file
	err  error    // the first write error; every later read returns it
	// named is set while the file still has its name: unlinking it at once failed, so
	// close removes it.
	named bool
}

// add appends one entry.
func (s *spool) add(f *File) {
	if s.err != nil {
		return
	}
	s.buf = appendFile(s.buf, f)
	switch {
	case s.file == nil && len(s.buf) > spoolMemory:
		if s.file, s.err = os.CreateTemp("", "tkn-migrate-report-*"); s.err != nil {
			s.err = fmt.Errorf("report: %w", s.err)
			s.file = nil
			return
		}
		// Unlinked at once: the open file stays readable, and a run killed before close
		// leaves nothing behind.
		s.named = os.Remove(s.file.Name()) != nil
		s.flush()
	case s.file != nil && len(s.buf) >= spoolChunk:
		s.flush()
	}
}

// flush moves buf to the file.
func (s *spool) flush() {
	if s.err != nil || s.file == nil || len(s.buf) == 0 {
		return
	}
	n, err := s.file.Write(s.buf)
	s.size += int64(n)
	if err != nil {
		s.err = fmt.Errorf("report: %w", err)
	}
	s.buf = s.buf[:0]
	if cap(s.buf) > 2*spoolChunk {
		s.buf = nil // what the memory phase grew is not kept for the file's chunks
	}
}

// each decodes every entry, in input order, and calls f with it.
func (s *spool) each(f func(*File) error) error {
	s.flush()
	if s.err != nil {
		return s.err
	}
	var r byteReader = bytes.NewReader(s.buf)
	if s.file != nil {
		r = bufio.NewReaderSize(io.NewSectionReader(s.file, 0, s.size), spoolChunk)
	}
	for {
		var e File
		err := readFile(r, &e)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("report: reading back the entries: %w", err)
		}
		if err := f(&e); err != nil {
			return err
		}
	}
}

// errClosed is what a closed spool answers: its entries are gone, and a report rendered
// without them would contradict its own summary.
var errClosed = errors.New("report: rendered after Close")

// close removes the temporary file, if any; reading the spool fails after it.
func (s *spool) close() error {
	s.buf, s.err = nil, errClosed
	if s.file == nil {
		return nil
	}
	f, named := s.file, s.named
	s.file, s.size, s.named = nil, 0, false
	if !named {
		return f.Close()
	}
	return errors.Join(f.Close(), os.Remove(f.Name()))
}

// The encoding: strings are a uvarint length and the bytes, numbers are varints, lists a
// uvarint count and their items.

func appendFile(b []byte, f *File) []byte {
	b = appendString(b, f.Path)
	b = appendString(b, string(f.Kind))
	b = appendString(b, f.Status)
	b = appendString(b, f.Error)
	b = binary.AppendUvarint(b, uint64(len(f.Outputs)))
	for _, o := range f.Outputs {
		b = appendString(b, o)
	}
	b = binary.AppendUvarint(b, uint64(len(f.Findings)))
	for _, fd := range f.Findings {
		b = appendString(b, fd.File)
		b = binary.AppendVarint(b, int64(fd.Line))
		b = binary.AppendVarint(b, int64(fd.Col))
		b = appendString(b, string(fd.Class))
		b = appendString(b, fd.Rule)
		b = appendString(b, fd.Message)
		b = appendString(b, fd.Action)
	}
	b = binary.AppendUvarint(b, uint64(len(f.storage)))
	for _, it := range f.storage {
		b = appendString(b, it.pos)
		b = appendString(b, it.what)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

type byteReader interface {
	io.Reader
	io.ByteReader
}

// readFile decodes one entry into f; io.EOF means there are no more.
func readFile(r byteReader, f *File) error {
	d := decoder{r: r}
	f.Path = d.string()
	if d.err != nil {
		return d.err // io.EOF only here, between entries
	}
	f.Kind = convert.Kind(d.string())
	f.Status = d.string()
	f.Error = d.string()
	if n := d.count(); n > 0 {
		f.Outputs = make([]string, n)
		for i := range f.Outputs {
			f.Outputs[i] = d.string()
		}
	}
	f.Findings = make([]convert.Finding, d.count())
	for i := range f.Findings {
		fd := &f.Findings[i]
		fd.File = d.string()
		fd.Line = d.int()
		fd.Col = d.int()
		fd.Class = convert.Class(d.string())
		fd.Rule = d.string()
		fd.Message = d.string()
		fd.Action = d.string()
	}
	if n := d.count(); n > 0 {
		f.storage = make([]item, n)
		for i := range f.storage {
			f.storage[i] = item{d.string(), d.string()}
		}
	}
	if d.err == io.EOF {
		return io.ErrUnexpectedEOF // an entry cut short
	}
	return d.err
}

// decoder reads the encoding, keeping the first error.
type decoder struct {
	r   byteReader
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d.r)
	d.err = err
	return v
}

func (d *decoder) int() int {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadVarint(d.r)
	d.err = err
	return int(v)
}

// count is a list's length; a length past what a spool could hold is corruption, not a size to allocate.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > 1<<32 {
		d.err = errors.New("corrupt entry")
		return 0
	}
	return int(n)
}

func (d *decoder) string() string {
	n := d.count()
	if d.err != nil || n == 0 {
		return ""
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.err = err
		return ""
	}
	return string(b)
}
