package catalog

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Problem is one way a value fails its schema.
type Problem struct {
	Path    string // where, as a dotted path from the body ("customer.email", "tags[2]")
	Message string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Validate checks a decoded JSON value (or a value exported from JS: int64,
// float64, string, bool, nil, []any, map[string]any) against a schema and
// returns what is wrong, most relevant first. It is lenient where Intercom is:
// null is accepted anywhere, unknown fields only fail where the schema is
// closed, and oneOf is read as anyOf.
func Validate(s *Schema, v any) []Problem {
	var ps []Problem
	validate(s, v, "", &ps)
	return ps
}

func validate(s *Schema, v any, path string, ps *[]Problem) {
	s = Lookup(s)
	if s == nil || v == nil {
		return
	}
	for _, sub := range s.AllOf {
		validate(sub, v, path, ps)
	}
	if alts := append(append([]*Schema(nil), s.OneOf...), s.AnyOf...); len(alts) > 0 {
		validateAlternatives(alts, v, path, ps)
	}
	if s.Type != "" && !hasType(s.Type, v) {
		*ps = append(*ps, Problem{path, fmt.Sprintf("must be %s, not %s", article(s.Type), TypeOf(v))})
		return
	}
	switch x := v.(type) {
	case string:
		if len(s.Enum) > 0 && !contains(s.Enum, x) {
			*ps = append(*ps, Problem{path, fmt.Sprintf("must be one of %s, not %q", strings.Join(quoteAll(s.Enum), ", "), x)})
		}
	case []any:
		for i, item := range x {
			validate(s.Items, item, fmt.Sprintf("%s[%d]", path, i), ps)
		}
	case map[string]any:
		validateObject(s, x, path, ps)
	}
}

func validateObject(s *Schema, obj map[string]any, path string, ps *[]Problem) {
	for _, name := range s.Required {
		if _, ok := obj[name]; !ok {
			*ps = append(*ps, Problem{join(path, name), "is required"})
		}
	}
	known := make(map[string]*Schema, len(s.Properties))
	for _, p := range s.Properties {
		known[p.Name] = p.Schema
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if sub, ok := known[k]; ok {
			validate(sub, obj[k], join(path, k), ps)
			continue
		}
		if s.MapOf != nil {
			validate(s.MapOf, obj[k], join(path, k), ps)
			continue
		}
		if s.Closed {
			msg := "is not a known field"
			if guess := Suggest(k, propertyNames(s)); guess != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", guess)
			}
			*ps = append(*ps, Problem{join(path, k), msg})
		}
	}
}

// validateAlternatives accepts v when any alternative fits; otherwise it
// reports the problems of the alternative that came closest.
func validateAlternatives(alts []*Schema, v any, path string, ps *[]Problem) {
	var best []Problem
	for i, alt := range alts {
		var got []Problem
		validate(alt, v, path, &got)
		if len(got) == 0 {
			return
		}
		if i == 0 || len(got) < len(best) {
			best = got
		}
	}
	*ps = append(*ps, best...)
}

func hasType(t string, v any) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		switch n := v.(type) {
		case int, int32, int64:
			return true
		case float64:
			return n == math.Trunc(n) && !math.IsInf(n, 0)
		}
		return false
	case "number":
		switch v.(type) {
		case int, int32, int64, float32, float64:
			return true
		}
		return false
	}
	return true
}

// TypeOf names the JSON type of a decoded value.
func TypeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int, int32, int64, float32, float64:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

func article(t string) string {
	switch t {
	case "object", "array", "integer":
		return "an " + t
	}
	return "a " + t
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func propertyNames(s *Schema) []string {
	out := make([]string, len(s.Properties))
	for i, p := range s.Properties {
		out[i] = p.Name
	}
	return out
}

// Suggest returns the candidate closest to name when it is close enough to
// be a likely typo, else "". Used for "did you mean" hints everywhere.
func Suggest(name string, candidates []string) string {
	best, bestD := "", 0
	for _, c := range candidates {
		d := distance(strings.ToLower(name), strings.ToLower(c))
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(name)/3) {
		return ""
	}
	return best
}

// distance is the Levenshtein edit distance.
func distance(a, b string) int {
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
