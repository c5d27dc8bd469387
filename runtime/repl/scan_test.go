package repl

import "testing"

func TestScan(t *testing.T) {
	cases := []struct {
		in                   string
		incomplete, inString bool
	}{
		{`f(1)`, false, false},
		{`f(`, true, false},
		{`"(" + f(`, true, false},
		{"`a ${b(", true, false},
		{"`a ${b}`", false, false},
		{"`abc", true, true},
		{`/* x`, true, true},
		{`x // (`, false, true},
		{`/[(]/.test(s)`, false, false},
		{`a / (b`, true, false},
		{`})`, false, false},
		{`"abc`, false, true},
		{`{ a: [1, {b: 2}]`, true, false},
	}
	for _, c := range cases {
		s := scan(c.in)
		if s.incomplete() != c.incomplete || s.inString != c.inString {
			t.Errorf("scan(%q) = incomplete %v, inString %v; want %v, %v", c.in, s.incomplete(), s.inString, c.incomplete, c.inString)
		}
	}
}
