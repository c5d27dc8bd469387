package repl

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/dop251/goja"
)

// keywords are offered with the globals.
var keywords = []string{
	"async", "await", "break", "case", "catch", "class", "const", "continue", "default", "delete",
	"do", "else", "false", "finally", "for", "function", "if", "in", "instanceof", "let", "new",
	"null", "return", "switch", "this", "throw", "true", "try", "typeof", "undefined", "var",
	"void", "while",
}

// completer completes a line: the properties of the expression before the
// cursor, globals, dot commands, operation names after .help and file names
// after .load. It evaluates nothing: the expression must be a chain of
// identifiers, dots and literal indexes, walked from the global object
// through data properties only (see props).
type completer struct {
	// props lends the session's current VM, and a function to give it
	// back; ok is false while the session is using it.
	props  func() (p *props, giveBack func(), ok bool)
	topics []string // .help topics
}

// Do implements readline.AutoCompleter: the candidates' endings after what
// is typed, and the length of the word they complete.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	word, cands := c.complete(string(line[:pos]))
	out := make([][]rune, 0, len(cands))
	for _, cand := range cands {
		out = append(out, []rune(cand[len(word):]))
	}
	return out, len([]rune(word))
}

// complete returns the word being completed and its candidates (each
// starting with the word).
func (c *completer) complete(text string) (string, []string) {
	if strings.HasPrefix(strings.TrimLeft(text, " "), ".") {
		if word, cands, ok := c.command(strings.TrimLeft(text, " ")); ok {
			return word, cands
		}
	}
	path, word, ok := splitChain(text)
	if !ok {
		return word, nil
	}
	p, giveBack, ok := c.props()
	if !ok {
		return word, nil
	}
	defer giveBack()
	var levels [][]string
	if len(path) == 0 {
		levels = append(p.members(p.rt.GlobalObject(), word), keywords)
	} else {
		obj := p.resolve(path)
		if obj == nil {
			return word, nil
		}
		levels = p.members(obj, word)
	}
	return word, matching(levels, word)
}

// command completes dot commands, .help topics and .load files.
func (c *completer) command(text string) (string, []string, bool) {
	name, arg, hasArg := strings.Cut(text, " ")
	if !hasArg {
		var cands []string
		for _, cmd := range commands {
			if strings.HasPrefix(cmd.name, name) {
				cands = append(cands, cmd.name)
			}
		}
		return name, cands, true
	}
	arg = strings.TrimLeft(arg, " ")
	switch name {
	case ".help":
		var cands []string
		for _, t := range c.topics {
			if strings.HasPrefix(t, arg) {
				cands = append(cands, t)
			}
		}
		return arg, cands, true
	case ".load":
		return arg, files(arg), true
	}
	return "", nil, true
}

// files lists the paths starting with prefix (directories end in "/").
func files(prefix string) []string {
	dir, base := filepath.Split(prefix)
	entries, err := os.ReadDir(cmpOr(dir, "."))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), base) || (strings.HasPrefix(e.Name(), ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		name := dir + e.Name()
		if e.IsDir() {
			name += "/"
		}
		out = append(out, name)
	}
	return out
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// resolve walks path from the global object; nil if any step is not a
// data property holding a value with properties.
func (p *props) resolve(path []string) *goja.Object {
	obj := p.rt.GlobalObject()
	for _, key := range path {
		v, ok := p.get(obj, key)
		if !ok {
			return nil
		}
		if obj = p.object(v); obj == nil {
			return nil
		}
	}
	return obj
}

// matching keeps the names that start with word and can follow a dot,
// nearest object first, each level sorted. Names starting with "_" show
// only when the word does.
func matching(levels [][]string, word string) []string {
	seen := map[string]bool{}
	var out []string
	for _, names := range levels {
		var level []string
		for _, n := range names {
			if seen[n] || !strings.HasPrefix(n, word) || !isIdentifier(n) {
				continue
			}
			if strings.HasPrefix(n, "_") && !strings.HasPrefix(word, "_") {
				continue
			}
			seen[n] = true
			level = append(level, n)
		}
		sort.Strings(level)
		out = append(out, level...)
	}
	return out
}

// splitChain splits the end of text into a property path and the word being
// typed: `x = intercom.contacts.fi` gives [intercom contacts] and "fi";
// `c["custom_attributes"].` gives [c custom_attributes] and "". ok is false
// when the text before the word is not a plain chain (a call, a string).
func splitChain(text string) (path []string, word string, ok bool) {
	if scan(text).inString {
		return nil, "", false
	}
	r := []rune(text)
	i := identStart(r, len(r))
	word = string(r[i:])
	if word != "" && unicode.IsDigit(r[i]) {
		return nil, word, false
	}
	for {
		j, isMember := memberDot(r, i)
		if !isMember {
			break
		}
		keys, start, ok := chainElement(r, j)
		if !ok {
			return nil, word, false
		}
		path = append(path, keys...)
		i = start
	}
	for a, b := 0, len(path)-1; a < b; a, b = a+1, b-1 {
		path[a], path[b] = path[b], path[a]
	}
	return path, word, true
}

func isIdentRune(c rune) bool {
	return c == '_' || c == '$' || unicode.IsLetter(c) || unicode.IsDigit(c)
}

func identStart(r []rune, end int) int {
	i := end
	for i > 0 && isIdentRune(r[i-1]) {
		i--
	}
	return i
}

// memberDot tells whether r[:i] ends with "." or "?." (not "..."), and
// returns where the object expression ends.
func memberDot(r []rune, i int) (int, bool) {
	if i == 0 || r[i-1] != '.' {
		return i, false
	}
	if i >= 3 && r[i-2] == '.' && r[i-3] == '.' {
		return i, false // a spread
	}
	j := i - 1
	if j > 0 && r[j-1] == '?' {
		j--
	}
	return j, true
}

// chainElement reads the element ending at r[end-1]: an identifier with
// any string or number indexes after it (`c["a"][0]`), keys last first.
func chainElement(r []rune, end int) (keys []string, start int, ok bool) {
	for end > 0 && r[end-1] == ']' {
		open := end - 2
		for open >= 0 && r[open] != '[' {
			open--
		}
		if open < 1 {
			return nil, 0, false
		}
		key, ok := literalKey(strings.TrimSpace(string(r[open+1 : end-1])))
		if !ok {
			return nil, 0, false
		}
		keys = append(keys, key)
		end = open
	}
	start = identStart(r, end)
	if start == end || unicode.IsDigit(r[start]) {
		return nil, 0, false
	}
	return append(keys, string(r[start:end])), start, true
}

func literalKey(s string) (string, bool) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return s, true
	}
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		inner := s[1 : len(s)-1]
		if s[0] == '\'' {
			inner = strings.ReplaceAll(inner, `"`, `\"`)
		}
		k, err := strconv.Unquote(`"` + inner + `"`)
		return k, err == nil
	}
	return "", false
}
