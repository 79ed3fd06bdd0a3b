package convert

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// A tree walk lists directories and reads the heads of files on the engine's workers, then
// hands the entries out in the order of a serial filepath.WalkDir: a fleet is thousands of
// small repositories, and one goroutine listing them kept the other cores idle.

// walkNode is one directory of a tree walk, filled in by the job that lists it.
type walkNode struct {
	path  string // as filepath.WalkDir names it
	abs   string // filepath.Abs(path), or "" when that fails
	scope string // repoRoot(path): the scope of the inputs directly in it
	err   error  // from listing it; the entries listed before the error are still walked
	items []walkItem
}

// walkItem is an entry the walk reports, in listing order: a subdirectory it enters, a
// regular file (with its kind once told), or an error or warning about an entry passed over.
type walkItem struct {
	dir  *walkNode
	path string
	kind Kind
	err  error
}

// treeWalk is the state of one walk: its options and the queue of jobs (directories to list,
// runs of files to tell apart) the workers take from.
type treeWalk struct {
	e      *Engine
	root   string
	abs    bool            // filepath.Abs works here, so each node's abs is known
	listed bool            // a listing's .git is the one repoRoot would find: no ".." in root, which Abs resolves by name and the kernel through symlinks
	skip   map[string]bool // e.Skip, absolute
	detect bool            // tell the kind of every file that could be an input (Inputs); Walk only lists regular files

	mu      sync.Mutex
	ready   sync.Cond
	queue   []func()
	pending int // jobs queued or running
}

// walkBatch is how many files of one directory one job tells apart: a directory of many files
// is spread over the workers, and a small one is one job with its listing.
const walkBatch = 64

// walkTree walks root on the engine's workers and returns a node holding root's own entry.
// The node's err is root's Lstat error; listing errors are in the nodes of the directories.
func (e *Engine) walkTree(root string, detect bool) *walkNode {
	t := &treeWalk{e: e, root: root, detect: detect, skip: map[string]bool{}}
	t.ready.L = &t.mu
	for _, d := range e.Skip {
		if abs, err := filepath.Abs(d); err == nil {
			t.skip[abs] = true
		}
	}
	abs, err := filepath.Abs(root)
	t.abs = err == nil
	t.listed = !slices.Contains(strings.Split(filepath.ToSlash(root), "/"), "..")
	top := &walkNode{}
	info, err := os.Lstat(root)
	if err != nil {
		top.err = err
		return top
	}
	it, ok := t.entry(root, abs, fs.FileInfoToDirEntry(info), true)
	if !ok {
		return top
	}
	top.items = []walkItem{it}
	if it.dir == nil {
		// root is not a directory (a symlink to one): an entry as in a walked directory.
		if detect && it.err == nil {
			top.scope = repoRoot(filepath.Dir(root))
			t.tell(top, []int{0})
		}
		return top
	}
	t.push(func() { t.list(it.dir, "") })
	t.work()
	return top
}

// entry is what the walk makes of one directory entry, abs being filepath.Abs(path): a
// directory it enters, a file, a warning or error, or (false) nothing.
func (t *treeWalk) entry(path, abs string, d fs.DirEntry, root bool) (walkItem, bool) {
	if d.IsDir() {
		if !root && skipDirs[d.Name()] || t.abs && t.skip[abs] {
			return walkItem{}, false
		}
		return walkItem{dir: &walkNode{path: path, abs: abs}}, true
	}
	switch typ := d.Type(); {
	case typ.IsRegular():
		if t.detect && !mayBeInput(path) {
			return walkItem{}, false
		}
		return walkItem{path: path}, true
	case typ&fs.ModeSymlink != 0:
		if !candidate(path) {
			return walkItem{}, false
		}
		if target, ok := t.e.walkedTarget(t.root, path, t.skip); ok {
			return walkItem{err: &Skipped{PosError: PosError{Path: path, Msg: "skipped: a symlink to " + target + ", which this walk converts"}}}, true
		}
		return walkItem{err: &Skipped{PosError: PosError{Path: path, Msg: "skipped: a symlink out of the walked tree (a walk does not follow symlinks; name its target to convert it)"}, Unchecked: true}}, true
	default:
		return walkItem{err: Errorf(path, 0, 0, "%s is not a regular file; skipped", modeName(typ))}, true
	}
}

// list reads directory n, queues its subdirectories and the telling apart of its files, and
// works out its scope; up is the scope of its parent ("" for root).
func (t *treeWalk) list(n *walkNode, up string) {
	entries, err := os.ReadDir(n.path)
	n.err = err
	git := false
	for _, d := range entries {
		if d.Name() == ".git" {
			git = true
			break
		}
	}
	n.scope = t.scope(n, git, up)
	var files []int
	for _, d := range entries {
		name := d.Name()
		it, ok := t.entry(filepath.Join(n.path, name), filepath.Join(n.abs, name), d, false)
		if !ok {
			continue
		}
		if it.dir == nil && it.err == nil {
			files = append(files, len(n.items))
		}
		n.items = append(n.items, it)
	}
	var jobs []func()
	for _, it := range n.items {
		if it.dir != nil {
			jobs = append(jobs, func() { t.list(it.dir, n.scope) })
		}
	}
	if t.detect {
		for len(files) > walkBatch {
			batch := files[len(files)-walkBatch:]
			files = files[:len(files)-walkBatch]
			jobs = append(jobs, func() { t.tell(n, batch) })
		}
	}
	t.push(jobs...)
	if t.detect {
		t.tell(n, files)
	}
}

// scope is repoRoot(n.path), from n's listing where that gives the same answer: a listing
// holding .git is a repository; one without is in its parent's.
func (t *treeWalk) scope(n *walkNode, git bool, up string) string {
	switch {
	case !t.abs:
		return "" // as repoRoot, whose Abs fails too
	case n.err != nil || !t.listed:
		return repoRoot(n.path)
	case git:
		return n.abs
	case n.path == t.root:
		if parent := filepath.Dir(n.abs); parent != n.abs {
			return repoRoot(parent) // above the walk, only a lookup can tell
		}
		return ""
	}
	return up
}

// tell works out the kind of n's files at the indexes given.
func (t *treeWalk) tell(n *walkNode, files []int) {
	for _, i := range files {
		it := &n.items[i]
		it.kind, it.err = t.e.detectFile(it.path)
	}
}

// push queues jobs for the workers, all at once: a directory of many subdirectories takes
// the lock and wakes the workers once, not once a subdirectory.
func (t *treeWalk) push(jobs ...func()) {
	if len(jobs) == 0 {
		return
	}
	t.mu.Lock()
	t.queue = append(t.queue, jobs...)
	t.pending += len(jobs)
	t.mu.Unlock()
	t.ready.Broadcast()
}

// work runs queued jobs on the calling goroutine and e.workers()-1 others until none is
// queued or running. The newest job goes first, so the queue stays short in a deep tree.
func (t *treeWalk) work() {
	var wg sync.WaitGroup
	for w := t.e.workers() - 1; w > 0; w-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.worker()
		}()
	}
	t.worker()
	wg.Wait()
}

func (t *treeWalk) worker() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		for len(t.queue) == 0 && t.pending > 0 {
			t.ready.Wait()
		}
		if len(t.queue) == 0 {
			return
		}
		last := len(t.queue) - 1
		job := t.queue[last]
		t.queue[last] = nil
		t.queue = t.queue[:last]
		t.mu.Unlock()
		job()
		t.mu.Lock()
		if t.pending--; t.pending == 0 {
			t.ready.Broadcast()
		}
	}
}

// each calls f with every file and error item of the walk, in filepath.WalkDir's order, and
// the scope of the directory holding it, then returns the listing errors joined, in that order.
func (top *walkNode) each(f func(scope string, it *walkItem)) error {
	var errs []error
	var visit func(n *walkNode)
	visit = func(n *walkNode) {
		if n.err != nil {
			errs = append(errs, n.err)
		}
		for i := range n.items {
			if it := &n.items[i]; it.dir != nil {
				visit(it.dir)
			} else {
				f(n.scope, it)
			}
		}
	}
	visit(top)
	return errors.Join(errs...)
}

// mayBeInput reports a file name that detection, or an error for an unreadable candidate,
// can make anything of: every other file is left alone whatever it holds, so it is not opened.
func mayBeInput(path string) bool {
	lower := strings.ToLower(filepath.Base(path))
	return candidate(path) || jenkinsfileName(lower) || strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") ||
		strings.HasSuffix(lower, ".groovy") || strings.HasSuffix(lower, ".xml") || lower == "kustomization" || path == "-" || path == ""
}
