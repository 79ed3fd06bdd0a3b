package lazyre

import (
	"reflect"
	"regexp"
	"sync"
	"testing"
)

func TestCompiledOnFirstUse(t *testing.T) {
	re := New(`^a(b+)$`)
	if re.String() != `^a(b+)$` || re.re != nil {
		t.Fatalf("New or String compiled the pattern: %v", re.re)
	}
	if !re.MatchString("abb") || re.re == nil {
		t.Fatal("MatchString did not compile and match")
	}
	if got := re.FindStringSubmatch("abbb"); len(got) != 2 || got[1] != "bbb" {
		t.Fatalf("FindStringSubmatch = %q", got)
	}
}

func TestSameResultsAsRegexp(t *testing.T) {
	const expr, src = `(?P<k>[a-z]+)=(\d+)`, "a=1, bb=22 c=x"
	re, std := New(expr), regexp.MustCompile(expr)
	if got, want := re.ReplaceAllString(src, "${k}:$2"), std.ReplaceAllString(src, "${k}:$2"); got != want {
		t.Errorf("ReplaceAllString = %q, want %q", got, want)
	}
	if got, want := re.FindAllStringSubmatchIndex(src, -1), std.FindAllStringSubmatchIndex(src, -1); !reflect.DeepEqual(got, want) {
		t.Errorf("FindAllStringSubmatchIndex = %v, want %v", got, want)
	}
	if re.NumSubexp() != 2 || re.SubexpIndex("k") != 1 {
		t.Errorf("NumSubexp %d, SubexpIndex %d", re.NumSubexp(), re.SubexpIndex("k"))
	}
}

func TestInvalidPanicsOnUse(t *testing.T) {
	re := New(`(`) // New must not panic: nothing compiles at init
	defer func() {
		if recover() == nil {
			t.Fatal("an invalid pattern did not panic on first use")
		}
	}()
	re.MatchString("x")
}

func TestConcurrentFirstUse(t *testing.T) {
	re := New(`x+`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if re.FindString("axxb") != "xx" {
				t.Error("wrong match")
			}
		}()
	}
	wg.Wait()
}

// Patterns run in the converters' hot loops: once compiled, a call must cost what regexp's does.
func TestNoAllocationAfterFirstUse(t *testing.T) {
	re := New(`^a(b+)$`)
	re.MatchString("ab")
	if n := testing.AllocsPerRun(100, func() { re.MatchString("abbb") }); n != 0 {
		t.Errorf("MatchString allocates %v times per call", n)
	}
}
