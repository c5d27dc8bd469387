package repl

import (
	"regexp"
	"testing"
)

// isIdentifier is the regexp it replaced, without its start-up cost.
func TestIsIdentifierIsTheRegexp(t *testing.T) {
	re := regexp.MustCompile(`^[\p{L}_$][\p{L}\p{N}_$]*$`)
	for _, s := range []string{"", "a", "$", "_", "_1", "1a", "a1", "é", "aé٣", "٣a", "Ⅻ", "aⅫ", "a½", "a-b", "a b", "a.b",
		"a\xff", "\xff", "日本", "a\u200d", "ab$_9", "𝒜x", "x🙂", "constructor", "__proto__"} {
		if got, want := isIdentifier(s), re.MatchString(s); got != want {
			t.Errorf("isIdentifier(%q) = %t, the regexp says %t", s, got, want)
		}
	}
}
