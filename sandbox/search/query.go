package search

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Limits stated under "Nesting & Limitations" in the search operations' descriptions.
const (
	MaxGroupDepth   = 2  // "There's a limit of max 2 nested filters"
	MaxGroupFilters = 15 // "There's a limit of max 15 filters for each AND or OR group"
)

// Intercom error codes carried by a QueryError (2.10's 400 examples use these).
const (
	CodeParameterNotFound = "parameter_not_found" // a required member is missing
	CodeParameterInvalid  = "parameter_invalid"   // anything else wrong with the query or sort
)

// QueryError is a malformed search request. The sandbox answers it with HTTP 400 and an
// error.list holding {code: Code, message: Message, field: Field}.
type QueryError struct {
	Code    string // CodeParameterNotFound or CodeParameterInvalid
	Field   string // where in the request body: "query.value[1].operator"
	Message string // Field, a colon and the problem: `query.value[1].operator: unknown operator "=="`
}

func (e *QueryError) Error() string { return e.Message }

func errorf(code, at, format string, args ...any) *QueryError {
	return &QueryError{Code: code, Field: at, Message: at + ": " + fmt.Sprintf(format, args...)}
}

// Matcher reports whether a record satisfies a compiled query. Matchers are immutable and safe
// for concurrent use; Match does not allocate.
type Matcher interface {
	Match(rec map[string]any) bool
}

type op uint8

const (
	opEq op = iota + 1
	opNe
	opIn
	opNin
	opGt
	opGe
	opLt
	opLe
	opContains
	opNotContains
	opPrefix
	opSuffix
	opDay // internal: lo <= v < hi (a calendar day)
)

type opSet uint16

func (s opSet) has(o op) bool { return s&(1<<o) != 0 }

var operators = map[string]op{
	"=": opEq, "!=": opNe, "IN": opIn, "NIN": opNin, ">": opGt, ">=": opGe, "<": opLt, "<=": opLe,
	"~": opContains, "!~": opNotContains, "^": opPrefix, "$": opSuffix,
}

// negation maps each negative operator to the positive one it negates.
var negation = map[op]op{opNe: opEq, opNin: opIn, opNotContains: opContains}

// Compile validates query (the decoded `query` member of a search request) and returns its
// Matcher. fields restricts and types the searchable fields; nil allows any field. Errors are
// always *QueryError.
func Compile(query any, fields *FieldSet) (Matcher, error) {
	c := compiler{fs: fields}
	m, err := c.node(query, "query", 0)
	if err != nil {
		return nil, err
	}
	return m, nil
}

type compiler struct{ fs *FieldSet }

func (c *compiler) node(q any, at string, depth int) (Matcher, *QueryError) {
	if q == nil {
		return nil, errorf(CodeParameterNotFound, at, "is required")
	}
	obj, ok := q.(map[string]any)
	if !ok {
		return nil, errorf(CodeParameterInvalid, at, "must be an object, got %s", kind(q))
	}
	rawOp, ok := obj["operator"]
	if !ok || rawOp == nil {
		return nil, errorf(CodeParameterNotFound, at+".operator", "is required")
	}
	opName, ok := rawOp.(string)
	if !ok {
		return nil, errorf(CodeParameterInvalid, at+".operator", "must be a string, got %s", kind(rawOp))
	}
	if opName == "AND" || opName == "OR" {
		return c.group(obj, opName, at, depth+1)
	}
	return c.filter(obj, opName, at)
}

func (c *compiler) group(obj map[string]any, opName, at string, depth int) (Matcher, *QueryError) {
	if depth > MaxGroupDepth {
		return nil, errorf(CodeParameterInvalid, at, "too deeply nested: at most %d levels of AND/OR groups are allowed", MaxGroupDepth)
	}
	raw, ok := obj["value"]
	if !ok || raw == nil {
		return nil, errorf(CodeParameterNotFound, at+".value", "is required")
	}
	items, ok := raw.([]any)
	if !ok {
		return nil, errorf(CodeParameterInvalid, at+".value", "an %s group needs an array of filters, got %s", opName, kind(raw))
	}
	if len(items) == 0 {
		return nil, errorf(CodeParameterInvalid, at+".value", "an %s group needs at least one filter", opName)
	}
	if len(items) > MaxGroupFilters {
		return nil, errorf(CodeParameterInvalid, at+".value", "an %s group may hold at most %d filters, got %d", opName, MaxGroupFilters, len(items))
	}
	ms := make([]Matcher, len(items))
	for i, item := range items {
		m, err := c.node(item, at+".value["+strconv.Itoa(i)+"]", depth)
		if err != nil {
			return nil, err
		}
		ms[i] = m
	}
	if len(ms) == 1 {
		return ms[0], nil
	}
	if opName == "AND" {
		return and(ms), nil
	}
	return or(ms), nil
}

func (c *compiler) filter(obj map[string]any, opName, at string) (Matcher, *QueryError) {
	o, ok := operators[opName]
	if !ok {
		return nil, errorf(CodeParameterInvalid, at+".operator", "unknown operator %q", opName)
	}
	rawField, ok := obj["field"]
	if !ok || rawField == nil {
		return nil, errorf(CodeParameterNotFound, at+".field", "is required")
	}
	name, ok := rawField.(string)
	if !ok {
		return nil, errorf(CodeParameterInvalid, at+".field", "must be a string, got %s", kind(rawField))
	}
	if name == "" {
		return nil, errorf(CodeParameterInvalid, at+".field", "must not be empty")
	}
	value, ok := obj["value"]
	if !ok {
		return nil, errorf(CodeParameterNotFound, at+".value", "is required")
	}
	fd, paths, ok := c.fs.lookup(name)
	if !ok {
		return nil, errorf(CodeParameterInvalid, at+".field", "%q is not a searchable field for %s", name, c.fs.Resource())
	}
	if !c.fs.opsFor(fd).has(o) {
		return nil, errorf(CodeParameterInvalid, at+".operator", "operator %q is not supported on field %q (%s)", opName, name, fd.typ)
	}
	f := &filter{names: paths, paths: make([][]string, len(paths)), words: fd.words, text: fd.typ == typeString}
	for i, p := range paths {
		f.paths[i] = strings.Split(p, ".")
	}
	if pos, ok := negation[o]; ok {
		o, f.negate = pos, true
	}
	f.op = o
	if err := c.operands(f, fd, name, opName, value, at+".value"); err != nil {
		return nil, err
	}
	c.adjustRange(f, fd)
	return f, nil
}

// operands parses value into f.vals, checking its shape against the operator and its type
// against the field.
func (c *compiler) operands(f *filter, fd field, name, opName string, value any, at string) *QueryError {
	if f.op == opIn {
		items, ok := value.([]any)
		if !ok {
			return errorf(CodeParameterInvalid, at, "operator %s needs an array value, got %s", opName, kind(value))
		}
		f.vals = make([]operand, 0, len(items))
		for i, item := range items {
			if item == nil {
				f.matchMissing = true
				continue
			}
			v, err := c.operand(fd, name, opName, item, at+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return err
			}
			f.vals = append(f.vals, v)
		}
		return nil
	}
	if value == nil {
		if f.op != opEq {
			return errorf(CodeParameterInvalid, at, "operator %s does not accept null", opName)
		}
		f.matchMissing = true
		return nil
	}
	v, err := c.operand(fd, name, opName, value, at)
	if err != nil {
		return err
	}
	if f.op == opContains || f.op == opPrefix || f.op == opSuffix {
		if !v.isStr {
			return errorf(CodeParameterInvalid, at, "operator %s needs a string, got %s", opName, kind(value))
		}
	}
	if f.op >= opGt && f.op <= opLe && !v.isStr && !v.isNum {
		return errorf(CodeParameterInvalid, at, "operator %s needs a number or a string, got %s", opName, kind(value))
	}
	f.vals = []operand{v}
	return nil
}

// operand parses one scalar operand and checks it against the field's type.
func (c *compiler) operand(fd field, name, opName string, value any, at string) (operand, *QueryError) {
	v, ok := newOperand(value)
	if !ok {
		return v, errorf(CodeParameterInvalid, at, "operator %s needs a scalar value, got %s", opName, kind(value))
	}
	bad := false
	switch fd.typ {
	case typeInteger, typeDate:
		bad = !v.isNum
	case typeBoolean:
		bad = !v.isBool
	case typeString:
		bad = !v.isStr
	}
	if bad {
		return v, errorf(CodeParameterInvalid, at, "%s is not a valid value for %s (%s)", compact(value), name, fd.typ)
	}
	if fd.typ == typeInteger || fd.typ == typeDate {
		v.quoted = false // "1663597223" is a number here: compare numerically
	}
	return v, nil
}

// adjustRange applies the resource's rules for range operators on numeric fields: calendar days
// for contacts' Date fields, inclusive bounds for conversations and tickets.
func (c *compiler) adjustRange(f *filter, fd field) {
	if c.fs == nil || len(f.vals) != 1 {
		return
	}
	if c.fs.byDay && fd.typ == typeDate {
		lo, hi := dayOf(f.vals[0].num, c.fs.loc)
		switch f.op {
		case opEq:
			f.op, f.lo, f.hi = opDay, lo, hi
		case opGt: // "matches from the start of the next day"
			f.op, f.vals[0].num = opGe, hi
		case opLt: // "matches everything before the start of that day"
			f.vals[0].num = lo
		}
		return
	}
	if c.fs.inclusive {
		switch f.op {
		case opGt:
			f.op = opGe
		case opLt:
			f.op = opLe
		}
	}
}

// dayOf returns the unix seconds of the start of the day holding ts in loc and of the next day.
func dayOf(ts float64, loc *time.Location) (lo, hi float64) {
	if loc == nil {
		loc = time.UTC
	}
	sec := int64(math.Floor(math.Max(math.Min(ts, 1<<53), -(1 << 53))))
	y, m, d := time.Unix(sec, 0).In(loc).Date()
	return float64(time.Date(y, m, d, 0, 0, 0, 0, loc).Unix()), float64(time.Date(y, m, d+1, 0, 0, 0, 0, loc).Unix())
}

// operand is a scalar query value with every interpretation it admits precomputed.
type operand struct {
	str    string // string form: the string itself, a number's decimal form, "true"/"false"
	lower  string // lower-cased str, for the case-insensitive operators
	num    float64
	b      bool
	isStr  bool // the value can be compared as a string (a string or a number)
	isNum  bool // a number, or a string that parses as one
	isBool bool // a boolean, or "true"/"false"
	quoted bool // the value came as a JSON string
}

// newOperand returns false for values that are not scalars.
func newOperand(value any) (operand, bool) {
	var v operand
	switch x := value.(type) {
	case string:
		v.str, v.isStr, v.quoted = x, true, true
		if n, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && !math.IsNaN(n) && !math.IsInf(n, 0) {
			v.num, v.isNum = n, true
		}
		if x == "true" || x == "false" {
			v.b, v.isBool = x == "true", true
		}
	case bool:
		v.b, v.isBool = x, true
		v.str = strconv.FormatBool(x)
	default:
		n, ok := number(value)
		if !ok {
			return v, false
		}
		v.num, v.isNum, v.isStr = n, true, true
		v.str = formatNumber(value, n)
	}
	v.lower = toLower(v.str)
	return v, true
}

// number converts Go's and encoding/json's numeric types to float64.
func number(value any) (float64, bool) {
	switch x := value.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case float32:
		f := float64(x)
		return f, !math.IsNaN(f) && !math.IsInf(f, 0)
	case json.Number:
		f, err := x.Float64()
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return 0, false
}

func formatNumber(value any, n float64) string {
	switch x := value.(type) {
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case json.Number:
		return x.String()
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	if _, ok := number(v); ok {
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

// compact renders a value for a message, as JSON when it can.
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil || len(b) > 80 {
		return kind(v)
	}
	return string(b)
}
