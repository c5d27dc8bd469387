package runtime

import (
	"strings"
	"unicode/utf8"
)

// ANSI styles used by Inspect, console and error formatting (Node's choices).
const (
	ansiBold     = "1"
	ansiBoldRed  = "1;31"
	ansiRed      = "31"
	ansiGreen    = "32"
	ansiYellow   = "33"
	ansiMagenta  = "35"
	ansiCyan     = "36"
	ansiGrey     = "90"
	ansiEscape   = "\x1b["
	ansiReset    = "\x1b[0m"
	ansiEscapeCh = '\x1b'
)

// painter colours text when true.
type painter bool

func (p painter) paint(style, s string) string {
	if !p || s == "" {
		return s
	}
	return ansiEscape + style + "m" + s + ansiReset
}

// visibleLen is the length of s on a terminal: ANSI escapes take no room.
func visibleLen(s string) int {
	if !strings.ContainsRune(s, ansiEscapeCh) {
		return utf8.RuneCountInString(s)
	}
	n, inEscape := 0, false
	for _, r := range s {
		switch {
		case inEscape:
			inEscape = r != 'm'
		case r == ansiEscapeCh:
			inEscape = true
		default:
			n++
		}
	}
	return n
}
