package convert

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/tkn-migrate/tkn-migrate/convert/validate"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// DefaultMaxSize is the largest input file read, so a stray binary can't exhaust memory.
const DefaultMaxSize = 10 << 20

// DefaultMaxDocs and DefaultMaxTasks cap what one input may generate (--max-docs, --max-tasks):
// conversion and validation cost grows with them, and no real CI file needs more.
const (
	DefaultMaxDocs  = 1000
	DefaultMaxTasks = 500
)

// StdinPath is how standard input is named in diffs, reports and errors.
const StdinPath = "<stdin>"

// Input is one file to convert.
type Input struct {
	Path  string
	Kind  Kind
	Scope string // see Source.Scope
	data  []byte // set for stdin, which can be read only once
}

// Change is one output file whose bytes differ from what is on disk.
type Change struct {
	Path    string
	Old     []byte // what is on disk now; nil for a new file
	New     []byte
	Created bool // the file does not exist yet
	Mode    fs.FileMode
	// Read is the file's state when Old was read; a write refuses a file changed since.
	Read fs.FileInfo
	// Diff is the change as a unified diff, when Engine.Prepare formatted it on a worker.
	Diff []byte
}

// Outcome is everything the engine learned about one input.
type Outcome struct {
	Source  Source
	Result  Result
	Changes []Change
	Err     error
	// Current: the conversion left the input as it is with no finding (a Currenter said so
	// without converting it, or Convert returned it unchanged), and unless Engine.EmitCurrent
	// nothing validated it: convert checks what it converts, `tkn-migrate lint` checks files
	// as they are.
	Current bool
}

// Engine converts a batch of inputs.
type Engine struct {
	Converters map[Kind]Converter
	Options    Options
	From       Kind  // forces the kind of every input when set
	MaxSize    int64 // 0 means DefaultMaxSize
	MaxDocs    int   // 0 means DefaultMaxDocs
	MaxTasks   int   // 0 means DefaultMaxTasks
	Workers    int   // 0 means GOMAXPROCS
	Stdin      io.Reader
	// EmitCurrent is set for a run that emits current inputs too (-o DIR): they are
	// validated, and their marker comments redacted, as every other output. Otherwise a
	// current input's Result is its bytes as read, which nothing writes.
	EmitCurrent bool
	// Skip are directories a walk does not enter (the -o DIR, so output is not read back as input).
	Skip []string
	// Prepare, when set, runs on the worker that converted an input, before Run hands the
	// outcome to its callback: per-outcome work that needs no input order (linting the
	// output, formatting diffs) leaves the one goroutine that collects outcomes.
	Prepare func(*Outcome)
}

var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true}

// Inputs expands PATH arguments: files as given, directories walked, "-" for stdin.
// Errors name the path; the batch goes on without it. A *Skipped error is a warning about a
// file the walk did not convert (a symlink); every other error is a failed input.
func (e *Engine) Inputs(paths []string) ([]Input, []error) {
	var ins []Input
	var errs []error
	buf := make([]byte, peekSize) // every peek reads into it: detection keeps none of the bytes
	for _, p := range paths {
		if p == "-" {
			data, err := e.readLimited(StdinPath, e.Stdin)
			if err == nil {
				err = utf16BOM(StdinPath, data)
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			kind := e.From
			if kind == KindUnknown {
				kind = detect("-", data)
			}
			if kind == KindUnknown {
				errs = append(errs, Errorf(StdinPath, 0, 0, "cannot tell what kind of input this is; use --from"))
				continue
			}
			ins = append(ins, Input{Path: StdinPath, Kind: kind, data: data})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !st.IsDir() {
			if !st.Mode().IsRegular() {
				// Opening a FIFO blocks until a writer comes; a device may never end.
				errs = append(errs, Errorf(p, 0, 0, "%s is not a regular file; skipped", modeName(st.Mode())))
				continue
			}
			kind := e.From
			if kind == KindUnknown {
				data, err := peek(p, buf)
				if err == nil {
					err = unreadable(p, data, true)
				}
				if err != nil {
					errs = append(errs, err)
					continue
				}
				kind = detect(p, data)
			}
			if kind == KindUnknown && !IsYAML(p) {
				errs = append(errs, Errorf(p, 0, 0, "cannot tell what kind of file this is; use --from"))
				continue
			}
			ins = append(ins, Input{Path: p, Kind: kind, Scope: repoRoot(filepath.Dir(p))})
			continue
		}
		// The walk lists directories and reads the heads of files on the workers, then hands
		// the entries over in order.
		err = e.walkTree(p, true).each(func(scope string, it *walkItem) {
			switch {
			case it.err != nil:
				errs = append(errs, it.err)
			case it.kind != KindUnknown:
				ins = append(ins, Input{Path: it.path, Kind: it.kind, Scope: scope})
			}
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return ins, errs
}

// detectFile tells the kind of a file a walk met from its head. A candidate input that
// can't be read is an error, not a silent skip; any other unreadable file is passed over.
func (e *Engine) detectFile(path string) (Kind, error) {
	buf := peekBufs.Get().(*[]byte)
	defer peekBufs.Put(buf)
	data, err := peek(path, *buf)
	if err == nil {
		err = unreadable(path, data, false)
	}
	if err != nil {
		if candidate(path) {
			return KindUnknown, err
		}
		return KindUnknown, nil
	}
	kind := detect(path, data)
	if e.From != KindUnknown && kind != KindUnknown {
		kind = e.From
	}
	return kind, nil
}

func (e *Engine) workers() int {
	if e.Workers > 0 {
		return e.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Skipped is a warning: a walk met a file it does not convert, named so it isn't silently lost.
// Unchecked marks one this run cannot vouch for (a symlink out of the tree), which --check counts.
type Skipped struct {
	PosError
	Unchecked bool
}

// Walk calls visit for every regular file under root, in lexical order, skipping .git,
// vendor and node_modules. Symlinks are not followed, so a walk never leaves the tree.
func Walk(root string, visit func(path string)) error {
	return (&Engine{}).walkTree(root, false).each(func(_ string, it *walkItem) {
		if it.err == nil {
			visit(it.path)
		}
	})
}

// walkedTarget reports the regular file a symlink leads to when the same walk visits it:
// inside root, and under no directory the walk skips. Only names are resolved; nothing is read.
func (e *Engine) walkedTarget(root, link string, skip map[string]bool) (string, bool) {
	target, err := filepath.EvalSymlinks(link)
	if err != nil {
		return "", false
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(realRoot, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	if st, err := os.Stat(target); err != nil || !st.Mode().IsRegular() {
		return "", false
	}
	dir := realRoot
	for _, part := range strings.Split(filepath.Dir(rel), string(filepath.Separator)) {
		if part == "." {
			continue
		}
		dir = filepath.Join(dir, part)
		if skipDirs[part] || skip[dir] {
			return "", false
		}
	}
	return filepath.Join(root, rel), true
}

// RepoRoot is repoRoot for other packages that resolve names within one repository (lint).
func RepoRoot(dir string) string { return repoRoot(dir) }

// tektonList matches a kind: List whose items are Tekton objects (kubectl get -o yaml prints them so).
var (
	listKind   = lazyre.New(`(?m)^kind:\s*["']?[A-Za-z]*List["']?\s*$`)
	itemTekton = lazyre.New(`(?m)^[ -]+apiVersion:\s*["']?tekton\.dev/`)
)

// detect is Detect, plus YAML Lists holding Tekton items, which are upgraded item by item.
func detect(path string, data []byte) Kind {
	k := Detect(path, data)
	if k == KindUnknown && (IsYAML(path) || path == "-") && listKind.Match(data) && itemTekton.Match(data) {
		return KindTekton
	}
	return k
}

// unreadable refuses, before detection, a file whose kind can't be told from its bytes: UTF-16
// text, and a Jenkins config.xml with a DOCTYPE (any .xml named on the command line).
func unreadable(path string, data []byte, named bool) error {
	if !candidate(path) && !named {
		return nil
	}
	if err := utf16BOM(path, data); err != nil {
		return err
	}
	if base := filepath.Base(path); base == "config.xml" || named && strings.HasSuffix(strings.ToLower(base), ".xml") {
		return precheck(path, KindJenkinsXML, data)
	}
	return nil
}

// candidate reports a file name some front-end converts, whatever the content.
func candidate(path string) bool {
	base := filepath.Base(path)
	lower := strings.ToLower(base)
	return IsYAML(path) || strings.HasPrefix(base, "Jenkinsfile") || strings.HasSuffix(lower, ".jenkinsfile") ||
		strings.HasSuffix(lower, ".groovy") || strings.HasSuffix(lower, ".xml")
}

func modeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// repoRoot returns the nearest directory from dir upwards that holds .git, or "" (the scope
// shared by everything outside a repository).
func repoRoot(dir string) string {
	d, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// IsYAML reports a .yaml or .yml file name.
func IsYAML(p string) bool {
	ext := filepath.Ext(p)
	return ext == ".yaml" || ext == ".yml"
}

// peek reads the start of a file into buf for kind detection; the whole file is read (and
// size-checked) only when it is converted. It makes the system calls itself: os.Open sets up
// every file for the poller, five calls more than the four of a peek, most of a walk's time.
// Errors are os.Open's and (*os.File).Read's.
func peek(path string, buf []byte) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	for err == syscall.EINTR {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		case m == 0:
			return buf[:n], nil
		}
		n += m
	}
	return buf[:n], nil
}

// peekSize bounds detection reads: kind markers sit near the top of a file.
const peekSize = 64 << 10

// peekBufs hold the walk's detection buffers, one per worker at a time: detection keeps none of the bytes.
var peekBufs = sync.Pool{New: func() any { b := make([]byte, peekSize); return &b }}

func (e *Engine) maxSize() int64 {
	if e.MaxSize > 0 {
		return e.MaxSize
	}
	return DefaultMaxSize
}

func (e *Engine) readLimited(name string, r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, Errorf(name, 0, 0, "no input")
	}
	return ReadLimited(name, r, e.maxSize())
}

// ReadLimited reads r whole, refusing more than max bytes, so a stray binary can't exhaust memory.
func ReadLimited(name string, r io.Reader, max int64) ([]byte, error) {
	return readSized(name, r, max, 512)
}

// readSized is ReadLimited starting from a buffer of size bytes: a file's size from its stat
// lets one read take it whole (io.ReadAll grows from 512 bytes, a read per doubling).
func readSized(name string, r io.Reader, max, size int64) ([]byte, error) {
	data := make([]byte, 0, min(size, max)+1)
	lr := io.LimitReader(r, max+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := lr.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if int64(len(data)) > max {
		line, col := LineCol(data, len(data)-1) // the first byte past the limit
		return nil, Errorf(name, line, col, "input is over the %d-byte limit (--max-size)", max)
	}
	return data, nil
}

// readInfo reads an input and the state of its file at that moment (nil for stdin).
func (e *Engine) readInfo(in Input) ([]byte, fs.FileInfo, error) {
	if in.data != nil {
		return in.data, nil, nil
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, Errorf(in.Path, 0, 0, "%s is not a regular file; skipped", modeName(info.Mode()))
	}
	data, err := readSized(in.Path, f, e.maxSize(), info.Size())
	if err != nil {
		return nil, nil, err
	}
	if err := utf16BOM(in.Path, data); err != nil {
		return nil, nil, err
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := LineCol(data, i)
		return nil, nil, Errorf(in.Path, line, col, "binary file: NUL byte")
	}
	return data, info, nil
}

// LineCol converts a byte offset to a 1-based line and column.
func LineCol(data []byte, off int) (int, int) {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// Currenter is a Converter that can tell from an input's bytes, without converting it, that
// Convert with opts would return it unchanged with no finding. Current true also promises the input
// passes precheck; the engine then neither prechecks, converts nor (unless EmitCurrent)
// validates it (Outcome.Current).
type Currenter interface {
	Current(src Source, opts Options) bool
}

// CurrentIndexer is an Indexer that can index a file it will find current (Currenter) from
// the same byte scan: true means src is indexed and passes precheck, so the engine neither
// prechecks nor Indexes it; false leaves src to precheck and Index.
type CurrentIndexer interface {
	IndexCurrent(src Source) bool
}

// Forgetter is an Indexer that can drop what it indexed for a scope (a repository) once the
// scope's last input is converted.
type Forgetter interface {
	Forget(scope string)
}

// scopeIndex is the indexing of one scope's inputs, done by the first worker that reaches one.
type scopeIndex struct {
	once    sync.Once
	members []int
	reads   map[int]*readResult
	// left counts the members not yet converted: at zero no conversion needs the scope's
	// index, so it is forgotten before validation and Prepare, not after the last outcome.
	left atomic.Int64
}

// readResult is an input as the index phase read it, handed on to its conversion.
type readResult struct {
	data []byte
	info fs.FileInfo
	err  error
}

// Run converts inputs on parallel workers and hands each Outcome to each, in input order,
// so output is deterministic. At most windowPerWorker outcomes per worker are held at once.
// Inputs are indexed a scope (repository) at a time, when a worker first reaches one of its
// inputs, and a scope's index is forgotten once its last input is converted, before that
// input's validation and Prepare, so memory follows the repositories in flight.
func (e *Engine) Run(inputs []Input, each func(*Outcome) error) error {
	scopes := e.scopes(inputs)
	workers := e.workers()
	// window bounds the outcomes taken and not yet consumed; it is wide so that a worker
	// does not sit idle while a slow input holds up the head of the line.
	window := make(chan struct{}, windowPerWorker*workers)
	// Input i's outcome goes to slot i modulo the window: a worker takes input i only while
	// fewer than cap(window) inputs are taken and not consumed, so input i-cap(window), the
	// slot's last user, was consumed; a slot per input would grow with the batch.
	slots := make([]chan *Outcome, min(len(inputs), cap(window)))
	for i := range slots {
		slots[i] = make(chan *Outcome, 1)
	}
	var next atomic.Int64 // the next input a worker takes, so inputs start in order
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case window <- struct{}{}:
				case <-done:
					return
				}
				select {
				case <-done: // the consumer stopped: take no more
					return
				default:
				}
				i := int(next.Add(1) - 1)
				if i >= len(inputs) {
					<-window
					return
				}
				o := e.runOne(inputs, i, scopes)
				if e.Prepare != nil {
					e.prepare(o)
				}
				slots[i%len(slots)] <- o
			}
		}()
	}
	var firstErr error
	producer := producers{}
	for i := range inputs {
		o := <-slots[i%len(slots)]
		<-window
		claim(producer, inputs, i, o)
		if firstErr == nil {
			firstErr = each(o)
			if firstErr != nil {
				close(done)
			}
		}
		if firstErr != nil {
			break
		}
	}
	wg.Wait()
	return firstErr
}

// windowPerWorker is how many outcomes per worker may wait for the consumer: while a slow
// input (a Travis file with a large matrix) holds the head of the line, the others go on.
const windowPerWorker = 16

// prepare runs e.Prepare on o; a panic fails that input, not the batch.
func (e *Engine) prepare(o *Outcome) {
	defer func() {
		if r := recover(); r != nil {
			o.Result, o.Changes = Result{}, nil
			o.Err = fmt.Errorf("%s: internal error, please report it: %v", o.Source.Path, r)
		}
	}()
	e.Prepare(o)
}

// runOne indexes the scope of input i if no worker has yet, then converts the input.
func (e *Engine) runOne(inputs []Input, i int, scopes map[string]*scopeIndex) *Outcome {
	in := inputs[i]
	sc := scopes[in.Scope]
	if _, ok := e.Converters[in.Kind].(Indexer); !ok || sc == nil {
		return e.convertOne(in, nil, nil)
	}
	sc.once.Do(func() { sc.reads = e.index(inputs, sc.members) })
	converted := func() {
		if sc.left.Add(-1) == 0 {
			e.forget(in.Scope)
			// Every member read its entry before it was converted, so none reads these again.
			sc.members, sc.reads = nil, nil
		}
	}
	r := sc.reads[i]
	if r != nil && r.err != nil {
		converted()
		return &Outcome{Source: Source{Path: in.Path, Kind: in.Kind}, Err: RedactError(r.err)}
	}
	o := e.convertOne(in, r, converted)
	if r != nil {
		*r = readResult{} // the outcome holds the bytes now; the scope need not
	}
	return o
}

// scopes groups the inputs that converters index by scope, each with its count left to convert.
func (e *Engine) scopes(inputs []Input) map[string]*scopeIndex {
	out := map[string]*scopeIndex{}
	for i, in := range inputs {
		if _, ok := e.Converters[in.Kind].(Indexer); !ok {
			continue
		}
		sc := out[in.Scope]
		if sc == nil {
			sc = &scopeIndex{}
			out[in.Scope] = sc
		}
		sc.members = append(sc.members, i)
		sc.left.Add(1)
	}
	return out
}

// forget drops every converter's index of scope.
func (e *Engine) forget(scope string) {
	for _, c := range e.Converters {
		if f, ok := c.(Forgetter); ok {
			f.Forget(scope)
		}
	}
}

// producers remembers, for each output path of the batch, the input that produced it: a
// 128-bit digest of the path and the input's index, 24 bytes an output (and the map's own) where the path
// and its input's name took about 100. Two distinct paths share a digest with odds of 2^-128.
type producers map[[16]byte]int

func outputKey(path string) [16]byte {
	sum := sha256.Sum256([]byte(path))
	return [16]byte(sum[:16])
}

// claim fails outcome i, whose generated files an earlier input of the batch already produced,
// so neither silently overwrites the other. In-place upgrades don't count: a .tekton/ file
// written by an earlier run is both an input and the output of its .travis.yml.
func claim(producer producers, inputs []Input, i int, o *Outcome) {
	if o.Err != nil {
		return
	}
	for _, f := range o.Result.Files {
		if by, ok := producer[outputKey(f.Path)]; ok && f.Path != o.Source.Path {
			o.Err = Errorf(o.Source.Path, 0, 0, "output %s is also produced by %s; convert them separately or rename one", f.Path, inputs[by].Path)
			o.Result, o.Changes = Result{}, nil
			return
		}
	}
	for _, f := range o.Result.Files {
		if f.Path != o.Source.Path {
			producer[outputKey(f.Path)] = i
		}
	}
}

// index lets converters that resolve references across files see every input of a scope
// first. What it read is kept for the conversion: each input is read once.
func (e *Engine) index(inputs []Input, members []int) map[int]*readResult {
	reads := map[int]*readResult{}
	for _, i := range members {
		in := inputs[i]
		ix := e.Converters[in.Kind].(Indexer)
		data, info, err := e.readInfo(in)
		r := &readResult{data: data, info: info, err: err}
		reads[i] = r
		if err != nil {
			continue
		}
		src := Source{Path: in.Path, Data: data, Kind: in.Kind, Scope: in.Scope}
		if ci, ok := ix.(CurrentIndexer); ok {
			var current bool
			if r.err = safely(src.Path, func() error { current = ci.IndexCurrent(src); return nil }); current || r.err != nil {
				continue // one scan decided both the index entry and precheck
			}
		}
		if err := precheck(in.Path, in.Kind, data); err != nil {
			r.err = err
			continue
		}
		r.err = safely(src.Path, func() error { return ix.Index(src) })
	}
	return reads
}

// safely runs one input's indexing; a panic fails that input, not the batch.
func safely(path string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error, please report it: %v", path, r)
		}
	}()
	return f()
}

// convertOne converts one input; read is what the index phase read of it (nil: read it now),
// and has passed precheck. converted, if set, is called once the converter is done with it.
func (e *Engine) convertOne(in Input, read *readResult, converted func()) (o *Outcome) {
	o = &Outcome{Source: Source{Path: in.Path, Kind: in.Kind, Scope: in.Scope}}
	var once sync.Once
	done := func() {
		if converted != nil {
			once.Do(converted)
		}
	}
	defer redact(o) // last, so it sees what a recovered panic left too
	defer done()
	defer func() {
		if r := recover(); r != nil {
			o.Result, o.Changes = Result{}, nil
			o.Err = fmt.Errorf("%s: internal error, please report it: %v", in.Path, r)
		}
	}()
	var data []byte
	var info fs.FileInfo
	var err error
	if read != nil {
		data, info = read.data, read.info
	} else if data, info, err = e.readInfo(in); err != nil {
		o.Err = err
		return o
	}
	o.Source.Data = data
	conv := e.Converters[in.Kind]
	cur, _ := conv.(Currenter)
	current := cur != nil && cur.Current(o.Source, e.Options)
	if read == nil && !current {
		if err := precheck(in.Path, in.Kind, data); err != nil {
			o.Err = err
			return o
		}
	}
	if conv == nil {
		if in.Kind != KindUnknown {
			o.Err = Errorf(in.Path, 0, 0, "no converter for %s input", in.Kind)
		}
		return o
	}
	if in.Kind == KindTekton {
		if n := countDocs(data); n > e.maxDocs() {
			o.Err = Errorf(in.Path, 0, 0, "%d YAML documents, over the limit of %d per input (--max-docs raises it)", n, e.maxDocs())
			return o
		}
	}
	res := Result{Files: []File{{Path: in.Path, Data: data}}} // what Convert returns for a current input
	if !current {
		opts := e.Options
		opts.MaxTasks = e.maxTasks()
		res, err = conv.Convert(o.Source, opts)
		done()
		if err != nil {
			if tm := (*TooManyTasks)(nil); errors.As(err, &tm) {
				err = e.tooManyTasks(in.Path, tm.N)
			}
			o.Err = err
			return o
		}
		current = leftAlone(in.Path, data, res) // as a Currenter would have said, had its scan read the file
	}
	if !current || e.EmitCurrent { // the caps bound validation; a current file is validated only when emitted
		if err := e.caps(in.Path, res); err != nil {
			o.Err = err
			return o
		}
	}
	res.Findings = append(res.Findings, copiedSecrets(o.Source, res.Files)...)
	if !current || e.EmitCurrent { // before validation and changes: what is validated, diffed and written is the redacted text
		for i := range res.Files {
			res.Files[i].Data = redactMarkers(res.Files[i].Data)
		}
	}
	o.Result = res
	o.Current = current
	var verrs []error
	for _, f := range res.Files {
		if f.Partial || current && !e.EmitCurrent {
			continue
		}
		if err := validate.Documents(f.Path, f.Data); err != nil {
			verrs = append(verrs, err)
		}
	}
	if len(verrs) > 0 {
		o.Err = errors.Join(verrs...)
		o.Result = Result{} // nothing of this file is written, so none of its findings apply
		return o
	}
	o.Changes, o.Err = changes(o.Source, info, res.Files)
	return o
}

// leftAlone reports a result that is the input as it is, with no finding.
func leftAlone(path string, data []byte, res Result) bool {
	return len(res.Findings) == 0 && len(res.Files) == 1 && res.Files[0].Path == path && !res.Files[0].Partial && bytes.Equal(res.Files[0].Data, data)
}

func (e *Engine) maxDocs() int {
	if e.MaxDocs > 0 {
		return e.MaxDocs
	}
	return DefaultMaxDocs
}

func (e *Engine) maxTasks() int {
	if e.MaxTasks > 0 {
		return e.MaxTasks
	}
	return DefaultMaxTasks
}

// CountTaskLines counts the one taskRef or taskSpec line of every PipelineTask (and
// TaskRun): lines of spaces and dashes, then taskRef: or taskSpec:. A byte scan: a (?m)
// regexp over every output was a tenth of the time of a current file.
func CountTaskLines(data []byte) int {
	n := 0
	for line := range bytes.Lines(data) {
		line = bytes.TrimLeft(line, " -")
		if bytes.HasPrefix(line, []byte("taskRef:")) || bytes.HasPrefix(line, []byte("taskSpec:")) {
			n++
		}
	}
	return n
}

// caps refuses a conversion that generates more Tekton documents or tasks than the limits,
// before validation spends time on them.
func (e *Engine) caps(path string, res Result) error {
	docs, tasks := 0, 0
	for _, f := range res.Files {
		docs += CountTektonDocs(f.Data)
		tasks += CountTaskLines(f.Data)
	}
	if docs > e.maxDocs() {
		return Errorf(path, 0, 0, "generates %d Tekton documents, over the limit of %d per input (--max-docs raises it)", docs, e.maxDocs())
	}
	if tasks > e.maxTasks() {
		return e.tooManyTasks(path, tasks)
	}
	return nil
}

func (e *Engine) tooManyTasks(path string, tasks int) error {
	return Errorf(path, 0, 0, "generates %d tasks, over the limit of %d per input (--max-tasks raises it)", tasks, e.maxTasks())
}

// countDocs counts the documents of a YAML stream by its --- separators.
func countDocs(data []byte) int {
	n := 1
	for rest := data; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if bytes.HasPrefix(line, []byte("---")) && len(bytes.TrimSpace(line[3:])) == 0 {
			n++
		}
	}
	return n
}

// changes compares each output file with what is on disk (or with the input, for an in-place upgrade).
func changes(src Source, info fs.FileInfo, files []File) ([]Change, error) {
	var out []Change
	sort.SliceStable(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	for _, f := range files {
		c := Change{Path: f.Path, New: f.Data, Mode: 0o644}
		if f.Path == src.Path {
			c.Old, c.Read = src.Data, info
			if info != nil {
				c.Mode = info.Mode().Perm()
			}
		} else {
			st, err := os.Lstat(f.Path)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				c.Created = true
			case err != nil:
				return nil, err
			case !st.Mode().IsRegular():
				return nil, Errorf(f.Path, 0, 0, "output path exists and is not a regular file")
			default:
				old, err := os.ReadFile(f.Path)
				if err != nil {
					return nil, err
				}
				c.Old, c.Mode, c.Read = old, st.Mode().Perm(), st
			}
		}
		if !c.Created && bytes.Equal(c.Old, c.New) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}
