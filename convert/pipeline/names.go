package pipeline

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Sanitize turns free text (a stage name) into a DNS-1123 label, as Tekton requires for names.
func Sanitize(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		out = "unnamed"
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = "t-" + out
	}
	return Shorten(out, 63)
}

// Shorten cuts a name to max bytes. A cut name ends in a hash of the whole, so two long
// names that share their first max bytes stay apart (many Jenkinsfiles in one batch do).
func Shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if max < 8 {
		return strings.TrimRight(s[:max], "-")
	}
	h := fnv.New32a()
	h.Write([]byte(s))
	sum := fmt.Sprintf("%08x", h.Sum32())[:6]
	return strings.TrimRight(s[:max-len(sum)-1], "-") + "-" + sum
}

// Namer hands out sanitised names that are unique within one scope (a Pipeline's tasks, a Task's steps).
type Namer struct {
	used map[string]bool
	next map[string]int // the suffix to try first for a base, so n equal names cost O(n), not O(n²)
}

// NewNamer returns a Namer with the given names already taken.
func NewNamer(taken ...string) *Namer {
	n := &Namer{used: map[string]bool{}, next: map[string]int{}}
	for _, t := range taken {
		n.used[t] = true
	}
	return n
}

// Name returns Sanitize(s), suffixed with -2, -3, ... when already used.
func (n *Namer) Name(s string) string {
	base := Sanitize(s)
	name := base
	i := max(n.next[base], 2)
	for ; n.used[name]; i++ {
		suffix := "-" + strconv.Itoa(i)
		cut := base
		if len(cut)+len(suffix) > 63 {
			cut = strings.TrimRight(cut[:63-len(suffix)], "-")
		}
		name = cut + suffix
	}
	n.next[base] = i
	n.used[name] = true
	return name
}

// Distinct names things after a base, one name for each distinct thing (told by its id): base
// for the first, base-2, base-3, ... for others, never a name another id holds. Secrets so named
// never hold two values, so no step reads another's.
type Distinct[K comparable] struct{ held map[string]K }

// Name is the name of id under base.
func (d *Distinct[K]) Name(base string, id K) string {
	if d.held == nil {
		d.held = map[string]K{}
	}
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = base + "-" + strconv.Itoa(i)
		}
		if v, ok := d.held[name]; !ok || v == id {
			d.held[name] = id
			return name
		}
	}
}
