package diff

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// FuzzUnified: applying the diff of a to b (with the applier below, which reads what patch(1)
// reads) gives b back, byte for byte.
func FuzzUnified(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nB\nc\n"))
	f.Add([]byte("x"), []byte("x\n"))
	f.Add([]byte(""), []byte("new\nfile"))
	f.Add([]byte("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"), []byte("0\n1\n2\n3\n5\n6\n7\n8\n9\n10\n11"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		d := Unified("a/f", "b/f", a, b)
		if bytes.Equal(a, b) {
			if d != nil {
				t.Fatal("a diff of equal inputs")
			}
			return
		}
		got, err := apply(string(a), d)
		if err != nil {
			t.Fatalf("%v\n%s", err, d)
		}
		if got != string(b) {
			t.Fatalf("applied diff gives\n%q\nwant\n%q\ndiff:\n%s", got, b, d)
		}
	})
}

// apply applies a unified diff of one file to a, checking every context and removed line.
func apply(a string, d []byte) (string, error) {
	old := lines(a)
	var out []string
	next := 0 // the next line of old not yet copied
	sc := bufio.NewScanner(bytes.NewReader(d))
	sc.Buffer(nil, 1<<30)
	sc.Split(scanLinesKeep)
	var last *string // the last line written or consumed, for "\ No newline"
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ "):
		case strings.HasPrefix(l, "@@ -"):
			f := strings.Fields(l)
			start, _, _ := strings.Cut(strings.TrimPrefix(f[1], "-"), ",")
			n, err := strconv.Atoi(start)
			if err != nil {
				return "", err
			}
			if strings.HasSuffix(f[1], ",0") {
				n++ // an empty range names the line before it
			}
			for next < n-1 {
				out = append(out, old[next])
				next++
			}
		case strings.HasPrefix(l, `\ No newline at end of file`):
			if last == nil {
				return "", fmt.Errorf("stray no-newline marker")
			}
			*last = strings.TrimSuffix(*last, "\n")
		case l != "" && (l[0] == ' ' || l[0] == '-'):
			if next >= len(old) || strings.TrimSuffix(old[next], "\n") != strings.TrimSuffix(l[1:], "\n") {
				return "", fmt.Errorf("line %d does not match %q", next+1, l)
			}
			if l[0] == ' ' {
				out = append(out, l[1:])
				last = &out[len(out)-1]
			} else {
				s := l[1:]
				last = &s
			}
			next++
		case l != "" && l[0] == '+':
			out = append(out, l[1:])
			last = &out[len(out)-1]
		default:
			return "", fmt.Errorf("unexpected line %q", l)
		}
	}
	out = append(out, old[next:]...)
	return strings.Join(out, ""), nil
}

// scanLinesKeep splits after each newline, keeping it.
func scanLinesKeep(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
