package search

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type and []Matcher

func (ms and) Match(rec map[string]any) bool {
	for _, m := range ms {
		if !m.Match(rec) {
			return false
		}
	}
	return true
}

type or []Matcher

func (ms or) Match(rec map[string]any) bool {
	for _, m := range ms {
		if m.Match(rec) {
			return true
		}
	}
	return false
}

// filter is one compiled {field, operator, value}. Negative operators are compiled to their
// positive twin with negate set, so "no element matches" is exactly "not (any element matches)".
type filter struct {
	names        []string   // the field's record paths, dotted (View's column names)
	paths        [][]string // the same paths, pre-split
	op           op         // never opNe, opNin or opNotContains
	negate       bool
	vals         []operand // one operand, or IN's list without its nulls
	matchMissing bool      // `= null`, or null in IN's list
	words        bool      // compare = and IN with each word of a string
	text         bool      // a String field: ~ and ^ and $ read a number as its decimal form
	lo, hi       float64   // opDay's bounds
}

func (f *filter) Match(rec map[string]any) bool {
	seen := false
	for _, p := range f.paths {
		m, s := f.walk(rec, p)
		if m {
			return !f.negate
		}
		seen = seen || s
	}
	return (f.matchMissing && !seen) != f.negate
}

// walk reports whether any value at segs below v matches, and whether any non-null value was
// found at all. Arrays are searched element by element wherever they occur on the path.
func (f *filter) walk(v any, segs []string) (match, seen bool) {
	switch x := v.(type) {
	case nil:
		return false, false
	case map[string]any:
		if len(segs) == 0 {
			return false, true
		}
		child, ok := x[segs[0]]
		if !ok {
			return false, false
		}
		return f.walk(child, segs[1:])
	case []any:
		for _, e := range x {
			m, s := f.walk(e, segs)
			if m {
				return true, true
			}
			seen = seen || s
		}
		return false, seen
	case string:
		return len(segs) == 0 && f.matchString(x), len(segs) == 0
	case bool:
		return len(segs) == 0 && f.matchBool(x), len(segs) == 0
	}
	if len(segs) != 0 {
		return false, false
	}
	n, ok := number(v)
	return ok && f.matchNumber(n), true
}

func (f *filter) matchString(s string) bool {
	switch f.op {
	case opEq, opIn:
		for i := range f.vals {
			if f.words {
				if hasWordFold(s, f.vals[i].lower) {
					return true
				}
			} else if s == f.vals[i].str {
				return true
			}
		}
		return false
	case opContains:
		return containsFold(s, f.vals[0].lower)
	case opPrefix:
		_, ok := prefixFold(s, f.vals[0].lower)
		return ok
	case opSuffix:
		return suffixFold(s, f.vals[0].lower)
	case opGt, opGe, opLt, opLe, opDay:
		if f.op != opDay && f.vals[0].quoted {
			return f.compare(strings.Compare(s, f.vals[0].str))
		}
		if !looksNumeric(s) {
			return false
		}
		n, err := parseFloat(s)
		return err == nil && f.matchNumber(n)
	}
	return false
}

func (f *filter) matchNumber(n float64) bool {
	switch f.op {
	case opContains, opPrefix, opSuffix:
		// A String field the store holds as a number (contacts' owner_id from 2.16).
		return f.text && f.matchString(strconv.FormatFloat(n, 'f', -1, 64))
	case opEq, opIn:
		for i := range f.vals {
			if f.vals[i].isNum && f.vals[i].num == n {
				return true
			}
		}
	case opGt, opGe, opLt, opLe:
		if !f.vals[0].isNum {
			return false
		}
		switch {
		case n < f.vals[0].num:
			return f.compare(-1)
		case n > f.vals[0].num:
			return f.compare(1)
		}
		return f.compare(0)
	case opDay:
		return f.lo <= n && n < f.hi
	}
	return false
}

func (f *filter) matchBool(b bool) bool {
	if f.op != opEq && f.op != opIn {
		return false
	}
	for i := range f.vals {
		if f.vals[i].isBool && f.vals[i].b == b {
			return true
		}
	}
	return false
}

// compare applies a range operator to the sign of (record value − operand).
func (f *filter) compare(c int) bool {
	switch f.op {
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	}
	return false
}

// looksNumeric is a cheap pre-check that spares strconv's allocated error on ordinary text.
func looksNumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E' && c != ' ' {
			return false
		}
	}
	return true
}

// toLower lower-cases rune by rune, as the matching functions below compare.
func toLower(s string) string { return strings.Map(unicode.ToLower, s) }

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// prefixFold reports whether s starts with lower (already lower-cased by toLower) ignoring case,
// and how many bytes of s that prefix spans. It does not allocate.
func prefixFold(s, lower string) (int, bool) {
	i, j := 0, 0
	for j < len(lower) {
		if i >= len(s) {
			return 0, false
		}
		if sc, pc := s[i], lower[j]; sc < utf8.RuneSelf && pc < utf8.RuneSelf {
			if lowerASCII(sc) != pc {
				return 0, false
			}
			i, j = i+1, j+1
			continue
		}
		sr, sn := utf8.DecodeRuneInString(s[i:])
		pr, pn := utf8.DecodeRuneInString(lower[j:])
		if unicode.ToLower(sr) != pr {
			return 0, false
		}
		i, j = i+sn, j+pn
	}
	return i, true
}

func containsFold(s, lower string) bool {
	if lower == "" {
		return true
	}
	first := lower[0]
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (first >= utf8.RuneSelf || lowerASCII(c) == first) && startsFold(s[i:], lower) {
				return true
			}
			i++
			continue
		}
		if startsFold(s[i:], lower) {
			return true
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return false
}

func startsFold(s, lower string) bool {
	_, ok := prefixFold(s, lower)
	return ok
}

func suffixFold(s, lower string) bool {
	i, j := len(s), len(lower)
	for j > 0 {
		if i <= 0 {
			return false
		}
		if sc, pc := s[i-1], lower[j-1]; sc < utf8.RuneSelf && pc < utf8.RuneSelf {
			if lowerASCII(sc) != pc {
				return false
			}
			i, j = i-1, j-1
			continue
		}
		sr, sn := utf8.DecodeLastRuneInString(s[:i])
		pr, pn := utf8.DecodeLastRuneInString(lower[:j])
		if unicode.ToLower(sr) != pr {
			return false
		}
		i, j = i-sn, j-pn
	}
	return true
}

func equalFold(s, lower string) bool {
	n, ok := prefixFold(s, lower)
	return ok && n == len(s)
}

// hasWordFold reports whether a word of s (a run of letters and digits) equals lower, ignoring case.
func hasWordFold(s, lower string) bool {
	start := -1
	for i, r := range s {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			if equalFold(s[start:i], lower) {
				return true
			}
			start = -1
		}
	}
	return start >= 0 && equalFold(s[start:], lower)
}

func parseFloat(s string) (float64, error) {
	return strconv.ParseFloat(strings.TrimSpace(s), 64)
}
