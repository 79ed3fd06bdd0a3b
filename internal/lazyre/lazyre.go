// Package lazyre is a package-level regexp compiled on first use instead of at init, so a
// command pays only for the patterns it runs: compiling tkn-migrate's ~150 at init was an
// eighth of `tkn-migrate version`'s CPU, and a quarter of its init allocations.
package lazyre

import (
	"io"
	"regexp"
	"sync"
)

// Regexp is a regexp.Regexp compiled when first used; safe for concurrent use.
type Regexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// New returns expr to compile on first use; an invalid expr panics then, as regexp.MustCompile would.
func New(expr string) *Regexp { return &Regexp{expr: expr} }

// Re returns the compiled regexp.
func (re *Regexp) Re() *regexp.Regexp {
	re.once.Do(func() { re.re = regexp.MustCompile(re.expr) })
	return re.re
}

// String returns the source text, without compiling it.
func (re *Regexp) String() string { return re.expr }

// The methods below are regexp.Regexp's own, on the compiled regexp.

func (re *Regexp) Expand(dst []byte, template []byte, src []byte, match []int) []byte {
	return re.Re().Expand(dst, template, src, match)
}
func (re *Regexp) ExpandString(dst []byte, template string, src string, match []int) []byte {
	return re.Re().ExpandString(dst, template, src, match)
}
func (re *Regexp) Find(b []byte) []byte                   { return re.Re().Find(b) }
func (re *Regexp) FindAll(b []byte, n int) [][]byte       { return re.Re().FindAll(b, n) }
func (re *Regexp) FindAllIndex(b []byte, n int) [][]int   { return re.Re().FindAllIndex(b, n) }
func (re *Regexp) FindAllString(s string, n int) []string { return re.Re().FindAllString(s, n) }
func (re *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return re.Re().FindAllStringIndex(s, n)
}
func (re *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return re.Re().FindAllStringSubmatch(s, n)
}
func (re *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return re.Re().FindAllStringSubmatchIndex(s, n)
}
func (re *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte { return re.Re().FindAllSubmatch(b, n) }
func (re *Regexp) FindAllSubmatchIndex(b []byte, n int) [][]int {
	return re.Re().FindAllSubmatchIndex(b, n)
}
func (re *Regexp) FindIndex(b []byte) (loc []int)              { return re.Re().FindIndex(b) }
func (re *Regexp) FindReaderIndex(r io.RuneReader) (loc []int) { return re.Re().FindReaderIndex(r) }
func (re *Regexp) FindReaderSubmatchIndex(r io.RuneReader) []int {
	return re.Re().FindReaderSubmatchIndex(r)
}
func (re *Regexp) FindString(s string) string                    { return re.Re().FindString(s) }
func (re *Regexp) FindStringIndex(s string) (loc []int)          { return re.Re().FindStringIndex(s) }
func (re *Regexp) FindStringSubmatch(s string) []string          { return re.Re().FindStringSubmatch(s) }
func (re *Regexp) FindStringSubmatchIndex(s string) []int        { return re.Re().FindStringSubmatchIndex(s) }
func (re *Regexp) FindSubmatch(b []byte) [][]byte                { return re.Re().FindSubmatch(b) }
func (re *Regexp) FindSubmatchIndex(b []byte) []int              { return re.Re().FindSubmatchIndex(b) }
func (re *Regexp) LiteralPrefix() (prefix string, complete bool) { return re.Re().LiteralPrefix() }
func (re *Regexp) Match(b []byte) bool                           { return re.Re().Match(b) }
func (re *Regexp) MatchReader(r io.RuneReader) bool              { return re.Re().MatchReader(r) }
func (re *Regexp) MatchString(s string) bool                     { return re.Re().MatchString(s) }
func (re *Regexp) NumSubexp() int                                { return re.Re().NumSubexp() }
func (re *Regexp) ReplaceAll(src, repl []byte) []byte            { return re.Re().ReplaceAll(src, repl) }
func (re *Regexp) ReplaceAllFunc(src []byte, repl func([]byte) []byte) []byte {
	return re.Re().ReplaceAllFunc(src, repl)
}
func (re *Regexp) ReplaceAllLiteral(src, repl []byte) []byte {
	return re.Re().ReplaceAllLiteral(src, repl)
}
func (re *Regexp) ReplaceAllLiteralString(src, repl string) string {
	return re.Re().ReplaceAllLiteralString(src, repl)
}
func (re *Regexp) ReplaceAllString(src, repl string) string {
	return re.Re().ReplaceAllString(src, repl)
}
func (re *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return re.Re().ReplaceAllStringFunc(src, repl)
}
func (re *Regexp) Split(s string, n int) []string { return re.Re().Split(s, n) }
func (re *Regexp) SubexpIndex(name string) int    { return re.Re().SubexpIndex(name) }
func (re *Regexp) SubexpNames() []string          { return re.Re().SubexpNames() }
