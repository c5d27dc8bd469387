package runtime

import (
	"strings"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// forAwaitHead finds the head of a for-await loop as esbuild lowers it:
//
//	for (var iter = __forAwait(EXPR), more, temp, error; …
//
// Those are `var`s: in a loop (or a function called twice) a second pass
// starts with the error and `more` of the first, and rethrows an error
// that belongs to an earlier iteration. (TypeScript had the same bug,
// microsoft/TypeScript#36166.)
var forAwaitHead = lazyregexp.New(`for \(var (\w+) = (__forAwait\d*)\(`)

var forAwaitTail = lazyregexp.New(`^, (\w+), (\w+), (\w+);`)

// FixForAwait rewrites every lowered for-await head so that its state is
// reset before the iterator is made:
//
//	for (var more = void 0, temp = void 0, error = void 0, iter = __forAwait(EXPR); …
//
// The rewrite stays on the same line, so source maps keep their lines.
func FixForAwait(code string) string {
	if !strings.Contains(code, "__forAwait") {
		return code
	}
	var b strings.Builder
	for {
		loc := forAwaitHead.FindStringSubmatchIndex(code)
		if loc == nil {
			b.WriteString(code)
			return b.String()
		}
		iter, helper := code[loc[2]:loc[3]], code[loc[4]:loc[5]]
		argStart := loc[1]
		argEnd := closingParen(code, argStart)
		if argEnd < 0 {
			b.WriteString(code)
			return b.String()
		}
		tail := forAwaitTail.FindStringSubmatch(code[argEnd+1:])
		if tail == nil {
			b.WriteString(code[:loc[1]])
			code = code[loc[1]:]
			continue
		}
		b.WriteString(code[:loc[0]])
		b.WriteString("for (var " + tail[1] + " = void 0, " + tail[2] + " = void 0, " + tail[3] + " = void 0, " +
			iter + " = " + helper + "(" + code[argStart:argEnd] + ");")
		code = code[argEnd+1+len(tail[0]):]
	}
}

// closingParen returns the index of the parenthesis closing the one just
// before start, skipping strings, template literals and regular brackets;
// -1 when there is none.
func closingParen(code string, start int) int {
	depth := 1
	for i := start; i < len(code); i++ {
		switch c := code[i]; c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				return i
			}
		case '"', '\'', '`':
			i = skipString(code, i)
			if i < 0 {
				return -1
			}
		}
	}
	return -1
}

// skipString returns the index of the quote closing the string opened at i.
func skipString(code string, i int) int {
	q := code[i]
	for j := i + 1; j < len(code); j++ {
		switch code[j] {
		case '\\':
			j++
		case q:
			return j
		}
	}
	return -1
}
