// Package lazyregexp is a regexp compiled on its first use, so that a
// package-level pattern costs nothing at package init (every icscript
// process pays for what init compiles, used or not). It is shaped like Go's
// own internal/lazyregexp: New takes the pattern, and the methods icscript
// calls forward to the compiled regexp.Regexp. It imports nothing of
// icscript's.
package lazyregexp

import (
	"regexp"
	"sync"
)

// Regexp is a regexp.Regexp compiled the first time it is used; a pattern
// that does not compile panics then, as regexp.MustCompile would.
type Regexp struct {
	str  string
	once sync.Once
	rx   *regexp.Regexp
}

// New is the pattern str, compiled on first use.
func New(str string) *Regexp { return &Regexp{str: str} }

// re is the compiled regexp.
func (r *Regexp) re() *regexp.Regexp {
	r.once.Do(func() { r.rx = regexp.MustCompile(r.str) })
	return r.rx
}

// MatchString is regexp.Regexp's.
func (r *Regexp) MatchString(s string) bool { return r.re().MatchString(s) }

// FindStringSubmatch is regexp.Regexp's.
func (r *Regexp) FindStringSubmatch(s string) []string { return r.re().FindStringSubmatch(s) }

// FindStringSubmatchIndex is regexp.Regexp's.
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	return r.re().FindStringSubmatchIndex(s)
}

// FindAllSubmatch is regexp.Regexp's.
func (r *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte { return r.re().FindAllSubmatch(b, n) }

// FindAllSubmatchIndex is regexp.Regexp's.
func (r *Regexp) FindAllSubmatchIndex(b []byte, n int) [][]int {
	return r.re().FindAllSubmatchIndex(b, n)
}

// FindAllStringSubmatch is regexp.Regexp's.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.re().FindAllStringSubmatch(s, n)
}

// ReplaceAllString is regexp.Regexp's.
func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.re().ReplaceAllString(src, repl)
}

// ReplaceAllStringFunc is regexp.Regexp's.
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.re().ReplaceAllStringFunc(src, repl)
}

// Split is regexp.Regexp's.
func (r *Regexp) Split(s string, n int) []string { return r.re().Split(s, n) }
