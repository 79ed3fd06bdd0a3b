package memo

import (
	"crypto/sha256"
	"testing"
)

func TestStartsOverWhenFull(t *testing.T) {
	m := &Map[int]{Limit: 2, Size: 10}
	k := func(s string) [sha256.Size]byte { return sha256.Sum256([]byte(s)) }
	m.Put(k("a"), 1, 0)
	m.Put(k("b"), 2, 0)
	if v, ok := m.Get(k("a")); !ok || v != 1 || m.Len() != 2 {
		t.Fatalf("Get(a) = %d, %v with %d entries", v, ok, m.Len())
	}
	m.Put(k("c"), 3, 0) // past Limit: starts over
	if _, ok := m.Get(k("a")); ok || m.Len() != 1 {
		t.Fatalf("a kept after the limit, %d entries", m.Len())
	}
	m.Put(k("d"), 4, 8)
	m.Put(k("e"), 5, 8) // past Size: starts over
	if _, ok := m.Get(k("d")); ok || m.Len() != 1 {
		t.Fatalf("d kept past Size, %d entries", m.Len())
	}
	m.Reset()
	if _, ok := m.Get(k("e")); ok || m.Len() != 0 {
		t.Fatal("Reset kept an entry")
	}
}
