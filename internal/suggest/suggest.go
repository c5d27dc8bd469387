// Package suggest is icscript's one "did you mean": the known name closest
// to a mistyped one, when it is close enough to be a likely typo. Commands,
// flags, profiles, script flags, body fields, query parameters and `.help`
// topics all ask it, so they agree on what counts as a typo.
//
// It is a leaf: it imports nothing of icscript, so every layer may use it.
package suggest

import "strings"

// Closest returns the candidate closest to name (Levenshtein distance over
// runes, ignoring case) when it is at most max(2, len(name)/3) edits away,
// else "". Of equally close candidates the first wins.
func Closest(name string, candidates []string) string {
	n := []rune(strings.ToLower(name))
	best, bestD := "", 0
	for _, c := range candidates {
		d := distance(n, []rune(strings.ToLower(c)))
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(n)/3) {
		return ""
	}
	return best
}

// distance is the Levenshtein edit distance.
func distance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
