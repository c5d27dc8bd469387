package lazyregexp

import (
	"fmt"
	"strings"
	"testing"
)

// TestCompiledOnFirstUse: New compiles nothing; the first use does, and a
// pattern that does not compile panics there, as regexp.MustCompile would.
func TestCompiledOnFirstUse(t *testing.T) {
	r := New(`(`)
	if r.rx != nil {
		t.Fatal("New compiled the pattern")
	}
	defer func() {
		if msg := fmt.Sprint(recover()); !strings.Contains(msg, "missing closing )") {
			t.Errorf("the first use of a bad pattern: %s; want regexp.MustCompile's panic", msg)
		}
	}()
	r.MatchString("x")
}

// TestMethodsAreRegexps: each method answers what regexp.Regexp's does.
func TestMethodsAreRegexps(t *testing.T) {
	r := New(`(\w+)=(\d+)`)
	if !r.MatchString("a=1") || r.MatchString("a=b") {
		t.Error("MatchString")
	}
	if got := fmt.Sprint(r.FindStringSubmatch("x a=12 y")); got != "[a=12 a 12]" {
		t.Errorf("FindStringSubmatch: %s", got)
	}
	if got := fmt.Sprint(r.FindStringSubmatchIndex("x a=12")); got != "[2 6 2 3 4 6]" {
		t.Errorf("FindStringSubmatchIndex: %s", got)
	}
	if got := fmt.Sprintf("%s", r.FindAllSubmatch([]byte("a=1 b=2"), -1)); got != "[[a=1 a 1] [b=2 b 2]]" {
		t.Errorf("FindAllSubmatch: %s", got)
	}
	if got := fmt.Sprint(r.FindAllSubmatchIndex([]byte("a=1 b=2"), 1)); got != "[[0 3 0 1 2 3]]" {
		t.Errorf("FindAllSubmatchIndex: %s", got)
	}
	if got := fmt.Sprint(r.FindAllStringSubmatch("a=1 b=2", -1)); got != "[[a=1 a 1] [b=2 b 2]]" {
		t.Errorf("FindAllStringSubmatch: %s", got)
	}
	if got := r.ReplaceAllString("a=1 b=2", "$2:$1"); got != "1:a 2:b" {
		t.Errorf("ReplaceAllString: %s", got)
	}
	if got := r.ReplaceAllStringFunc("a=1 b=2", strings.ToUpper); got != "A=1 B=2" {
		t.Errorf("ReplaceAllStringFunc: %s", got)
	}
}
