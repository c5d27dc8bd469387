package repl

import (
	"errors"
	"strings"
)

// Kind is what a REPL input is ready for.
type Kind int

const (
	Complete   Kind = iota // run it
	Incomplete             // read another line
	Invalid                // report the syntax error now
)

func (k Kind) String() string {
	switch k {
	case Complete:
		return "complete"
	case Incomplete:
		return "incomplete"
	}
	return "invalid"
}

// Classify tells whether src is a complete input, the beginning of one (an
// open brace, paren or bracket, an unfinished template or comment, a
// trailing operator), or a syntax error, returned with Invalid.
func Classify(src string) (Kind, error) {
	if strings.TrimSpace(src) == "" {
		return Complete, nil
	}
	_, err := parseInput(objectLiteral(src))
	var se *SyntaxError
	switch {
	case err == nil:
		return Complete, nil
	case errors.As(err, &se) && se.Incomplete:
		return Incomplete, nil
	}
	return Invalid, err
}
