package repl

// scan reads JS source as far as brackets, strings, templates, comments and
// regular expressions go, without parsing. It tells whether the input
// leaves something open (a bracket, a template, a block comment), whether it
// closes a bracket it never opened, and whether its end is inside a string or
// comment (where completion has nothing to offer).
type scanState struct {
	open      []byte // unclosed ( [ { and ` (a template) or $ (a ${ in one)
	unmatched bool   // a closer without its opener
	inString  bool   // the input ends inside a string, template text or comment
}

func (s scanState) incomplete() bool { return len(s.open) > 0 && !s.unmatched }

func scan(src string) scanState {
	var s scanState
	prev := byte(0) // last significant character, to tell a regex from a division
	for i := 0; i < len(src); i++ {
		c := src[i]
		if n := len(s.open); n > 0 && s.open[n-1] == '`' {
			i = s.templateText(src, i)
			continue
		}
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			if i == len(src) {
				s.inString = true
			}
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := indexFrom(src, "*/", i+2)
			if end < 0 {
				s.open = append(s.open, '*')
				s.inString = true
				return s
			}
			i = end + 1
			continue
		case c == '"' || c == '\'':
			i = s.quoted(src, i, c)
		case c == '/' && regexCanStart(prev):
			i = s.quoted(src, i, '/')
		case c == '`':
			s.open = append(s.open, '`')
		case c == '(' || c == '[' || c == '{':
			s.open = append(s.open, c)
		case c == ')' || c == ']' || c == '}':
			s.close(c)
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			prev = c
		}
	}
	return s
}

// templateText skips template text from i to the closing backtick or to a
// "${", and returns the index of the last character consumed.
func (s *scanState) templateText(src string, i int) int {
	for ; i < len(src); i++ {
		switch {
		case src[i] == '\\':
			i++
		case src[i] == '`':
			s.open = s.open[:len(s.open)-1]
			return i
		case src[i] == '$' && i+1 < len(src) && src[i+1] == '{':
			s.open = append(s.open, '$')
			return i + 1
		}
	}
	s.inString = true
	return i
}

// quoted skips a string or regex literal starting at i.
func (s *scanState) quoted(src string, i int, q byte) int {
	inClass := false
	for j := i + 1; j < len(src); j++ {
		switch c := src[j]; {
		case c == '\\':
			j++
		case c == '\n':
			return j // unterminated: the parser reports it
		case q == '/' && c == '[':
			inClass = true
		case q == '/' && c == ']':
			inClass = false
		case c == q && !inClass:
			return j
		}
	}
	s.inString = true
	return len(src)
}

func (s *scanState) close(c byte) {
	want := map[byte]byte{')': '(', ']': '[', '}': '{'}[c]
	n := len(s.open)
	if n == 0 {
		s.unmatched = true
		return
	}
	top := s.open[n-1]
	if top == '$' && c == '}' {
		s.open = s.open[:n-1] // back into the template's text
		return
	}
	if top != want {
		s.unmatched = true
		return
	}
	s.open = s.open[:n-1]
}

// regexCanStart tells whether a "/" after prev begins a regular expression
// rather than a division.
func regexCanStart(prev byte) bool {
	switch prev {
	case 0, '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^':
		return true
	}
	return false
}

func indexFrom(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
