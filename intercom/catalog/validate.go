package catalog

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/icscript/icscript/internal/suggest"
)

// Kind says how a value fails its schema.
type Kind int

const (
	// Invalid: the value is there but wrong (type, enum, unknown field).
	Invalid Kind = iota
	// Missing: a required member is absent.
	Missing
)

func (k Kind) String() string {
	if k == Missing {
		return "missing"
	}
	return "invalid"
}

// Problem is one way a value fails its schema.
type Problem struct {
	Kind    Kind
	Path    string // where, as a dotted path from the value ("customer.email", "tags[2]"); "" for the value itself
	Message string // what, read after the path: "must be a string, not a number"
	// AnyOf is set for a Missing problem that any one of several members
	// would solve (alternatives that each lack one member, each another): it
	// lists their paths, Path is the first of them, and Message names them
	// all ("one of email, external_id, role is required").
	AnyOf []string
}

func (p Problem) String() string {
	if p.Path == "" || len(p.AnyOf) > 0 {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ValidateOptions tune ValidateWith.
type ValidateOptions struct {
	// Strict reads the value as JSON decoded with integers kept apart from
	// other numbers (json.Number turned into int64, as the sandbox does):
	//   - null passes only for the value itself or where the schema is
	//     nullable or untyped;
	//   - an integer must be an int, int32 or int64: a float64 is never an
	//     integer, not even 3.0, since the decoder would have made it an int64.
	// Without Strict (Validate), null passes anywhere, as Intercom accepts
	// it, and an integral float64 counts as an integer, as every number
	// exported from JavaScript is a float64.
	Strict bool
	// ClosedObjects reads an object schema that declares properties as
	// closed, as if it said additionalProperties: false, which Intercom's
	// description rarely says: a member it does not declare is reported
	// ("is not a known field", with a did-you-mean). Members declared by the
	// schema's allOf, oneOf or anyOf parts, or by the schemas it is a part
	// of, count as declared. Objects with no declared properties, or with
	// additionalProperties given as a schema, stay free-form
	// (custom_attributes, metadata). Argument checks set it, to catch a
	// misspelt field before it is sent and silently ignored.
	ClosedObjects bool
}

// Validate checks a decoded JSON value (or a value exported from JS: int64,
// float64, string, bool, nil, []any, map[string]any) against a schema and
// returns what is wrong, most relevant first. It is lenient where Intercom
// is: null is accepted anywhere, unknown fields only fail where the schema
// is closed, and oneOf is read as anyOf (one fitting alternative is enough).
// It is ValidateWith without Strict.
func Validate(s *Schema, v any) []Problem {
	return ValidateWith(s, v, ValidateOptions{})
}

// ValidateWith checks v against s and returns what is wrong, most relevant
// first: for each value its own type, then its members in declaration order,
// then its missing required members, then undeclared members (checked
// against additionalProperties), then allOf, oneOf and anyOf. A value that
// fails every alternative of a oneOf or anyOf gets the problems of the
// alternative it resembles most (see alternatives). The sandbox answers
// the first problem; argument checks show the first few.
func ValidateWith(s *Schema, v any, opts ValidateOptions) []Problem {
	var ps []Problem
	validator{opts}.validate(s, v, "", &ps, nil)
	return ps
}

type validator struct{ ValidateOptions }

// validate checks v against s. outer lists the members declared by the
// schemas s is a part of (allOf, oneOf, anyOf), which s's own closed check
// accepts.
func (c validator) validate(s *Schema, v any, path string, ps *[]Problem, outer []string) {
	s = Lookup(s)
	if s == nil {
		return
	}
	if v == nil {
		if c.Strict && !s.Nullable && s.Type != "" && path != "" {
			*ps = append(*ps, typeProblem(s.Type, v, path))
		}
		return
	}
	if s.Type != "" && !c.hasType(s.Type, v) {
		*ps = append(*ps, typeProblem(s.Type, v, path))
		return
	}
	switch x := v.(type) {
	case string:
		if len(s.Enum) > 0 && !contains(s.Enum, x) {
			*ps = append(*ps, Problem{Kind: Invalid, Path: path, Message: fmt.Sprintf("must be one of %s, not %q", strings.Join(quoteAll(s.Enum), ", "), x)})
		}
	case []any:
		for i, item := range x {
			c.validate(s.Items, item, fmt.Sprintf("%s[%d]", path, i), ps, nil)
		}
	case map[string]any:
		c.validateObject(s, x, path, ps, outer)
	}
	if len(s.AllOf)+len(s.OneOf)+len(s.AnyOf) == 0 {
		return
	}
	if _, isObj := v.(map[string]any); isObj && c.ClosedObjects {
		outer = append(append(outer[:len(outer):len(outer)], propertyNames(s)...), partNames(s.AllOf, 0)...)
	}
	for _, sub := range s.AllOf {
		c.validate(sub, v, path, ps, outer)
	}
	if len(s.OneOf) > 0 {
		c.alternatives(s.OneOf, v, path, ps, outer)
	}
	if len(s.AnyOf) > 0 {
		c.alternatives(s.AnyOf, v, path, ps, outer)
	}
}

// MemberNames are the members an object schema declares, its allOf, oneOf
// and anyOf parts' included, in declaration order, each once.
func MemberNames(s *Schema) []string {
	var out []string
	for _, n := range partNames([]*Schema{s}, 0) {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// partNames lists the members declared by schemas and, recursively, by
// their allOf, oneOf and anyOf parts.
func partNames(parts []*Schema, depth int) []string {
	var out []string
	if depth > 8 {
		return out
	}
	for _, p := range parts {
		p = Lookup(p)
		if p == nil {
			continue
		}
		out = append(out, propertyNames(p)...)
		for _, sub := range [][]*Schema{p.AllOf, p.OneOf, p.AnyOf} {
			out = append(out, partNames(sub, depth+1)...)
		}
	}
	return out
}

// closed reports whether members s does not declare are refused.
func (c validator) closed(s *Schema) bool {
	return s.MapOf == nil && (s.Closed || c.ClosedObjects && len(s.Properties) > 0)
}

func typeProblem(t string, v any, path string) Problem {
	return Problem{Kind: Invalid, Path: path, Message: fmt.Sprintf("must be %s, not %s", article(t), TypeOf(v))}
}

func (c validator) validateObject(s *Schema, obj map[string]any, path string, ps *[]Problem, outer []string) {
	for _, p := range s.Properties {
		if v, ok := obj[p.Name]; ok {
			c.validate(p.Schema, v, join(path, p.Name), ps, nil)
		}
	}
	for _, name := range s.Required {
		if _, ok := obj[name]; !ok {
			*ps = append(*ps, Problem{Kind: Missing, Path: join(path, name), Message: "is required"})
		}
	}
	if s.MapOf == nil && !c.closed(s) {
		return
	}
	var known []string
	if s.MapOf == nil {
		known = append(append(propertyNames(s), outer...), partNames([]*Schema{s}, 0)...)
	}
	var rest []string
	for k := range obj {
		if !declared(s, k) && !contains(known, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		if s.MapOf != nil {
			c.validate(s.MapOf, obj[k], join(path, k), ps, nil)
			continue
		}
		msg := "is not a known field"
		if guess := suggest.Closest(k, known); guess != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", guess)
		}
		*ps = append(*ps, Problem{Kind: Invalid, Path: join(path, k), Message: msg})
	}
}

func declared(s *Schema, name string) bool {
	for _, p := range s.Properties {
		if p.Name == name {
			return true
		}
	}
	return false
}

// alternatives accepts v when any alternative fits. Otherwise:
//   - when each alternative lacks exactly one member, and a different one
//     (contacts need an email, an external_id or a role), it reports that
//     one of those members is required;
//   - when every alternative is a bare list of required members, it reports
//     the members missing from the one that lacks fewest;
//   - else it reports the problems of the alternative v resembles most
//     (oneOf bodies dispatch on a member such as message_type or type, pinned
//     to one value per alternative), the first on a tie.
func (c validator) alternatives(alts []*Schema, v any, path string, ps *[]Problem, outer []string) {
	got := make([][]Problem, len(alts))
	for i, alt := range alts {
		c.validate(alt, v, path, &got[i], outer)
		if len(got[i]) == 0 {
			return
		}
	}
	if p, ok := oneOfRequired(got); ok {
		*ps = append(*ps, p)
		return
	}
	if p, ok := oneOfTypes(got, path); ok {
		*ps = append(*ps, p)
		return
	}
	lists := requiredLists(alts)
	obj, _ := v.(map[string]any)
	best, bestScore := 0, 0
	for i, alt := range alts {
		score := 0 // required lists: the one missing fewest members
		if !lists {
			score = resemblance(obj, alt)
		}
		if i == 0 || score > bestScore || lists && len(got[i]) < len(got[best]) {
			best, bestScore = i, score
		}
	}
	*ps = append(*ps, got[best]...)
}

// oneOfRequired makes the problems of alternatives that each lack exactly
// one member, each another, into one: any one of those members would do.
func oneOfRequired(got [][]Problem) (Problem, bool) {
	if len(got) < 2 {
		return Problem{}, false
	}
	var names []string
	for _, g := range got {
		if len(g) != 1 || g[0].Kind != Missing {
			return Problem{}, false
		}
		for _, n := range append([]string{g[0].Path}, g[0].AnyOf...) {
			if !contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(names) < len(got) {
		return Problem{}, false // two alternatives lack the same member
	}
	return Problem{Kind: Missing, Path: names[0], AnyOf: names,
		Message: fmt.Sprintf("one of %s is required", strings.Join(names, ", "))}, true
}

// oneOfTypes makes the problems of alternatives that each refuse the
// value's type into one naming every type that would do ("must be a string,
// an integer or an array, not an object"), instead of the first
// alternative's alone.
func oneOfTypes(got [][]Problem, path string) (Problem, bool) {
	var types []string
	got0 := ""
	for _, g := range got {
		if len(g) != 1 || g[0].Path != path || !strings.HasPrefix(g[0].Message, "must be ") || strings.HasPrefix(g[0].Message, "must be one of") {
			return Problem{}, false
		}
		want, was, ok := strings.Cut(strings.TrimPrefix(g[0].Message, "must be "), ", not ")
		if !ok || got0 != "" && was != got0 {
			return Problem{}, false
		}
		got0 = was
		if !contains(types, want) {
			types = append(types, want)
		}
	}
	if len(types) < 2 {
		return Problem{}, false
	}
	list := strings.Join(types[:len(types)-1], ", ") + " or " + types[len(types)-1]
	return Problem{Kind: Invalid, Path: path, Message: "must be " + list + ", not " + got0}, true
}

// requiredLists reports whether every alternative only lists required members.
func requiredLists(alts []*Schema) bool {
	for _, a := range alts {
		a = Lookup(a)
		if a == nil || len(a.Required) == 0 || a.Type != "" || len(a.Properties) > 0 || a.MapOf != nil || a.Closed ||
			len(a.AllOf)+len(a.OneOf)+len(a.AnyOf)+len(a.Enum) > 0 || a.Items != nil {
			return false
		}
	}
	return true
}

// resemblance scores how much obj looks like an instance of alt: 10 for each
// member alt pins to a set of strings (a single-value enum such as
// message_type: "close") that obj has with one of them, -10 when obj has it
// with another value, and 1 for each required member of alt that obj has;
// its allOf parts add up, and its own oneOf or anyOf counts as the closest
// of its alternatives.
func resemblance(obj map[string]any, alt *Schema) int {
	alt = Lookup(alt)
	if alt == nil {
		return 0
	}
	score := 0
	for _, sub := range alt.AllOf {
		score += resemblance(obj, sub)
	}
	for _, alts := range [][]*Schema{alt.OneOf, alt.AnyOf} {
		best := 0
		for i, sub := range alts { // nested alternatives count as the closest one
			if sc := resemblance(obj, sub); i == 0 || sc > best {
				best = sc
			}
		}
		score += best
	}
	for _, p := range alt.Properties {
		ps := Lookup(p.Schema)
		if sv, ok := obj[p.Name].(string); ok && ps != nil && len(ps.Enum) > 0 {
			if contains(ps.Enum, sv) {
				score += 10
			} else {
				score -= 10
			}
		}
	}
	for _, r := range alt.Required {
		if _, ok := obj[r]; ok {
			score++
		}
	}
	return score
}

func (c validator) hasType(t string, v any) bool {
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
			return !c.Strict && n == math.Trunc(n) && !math.IsInf(n, 0)
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
