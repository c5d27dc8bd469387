package search

import (
	"sort"
	"strings"
	"time"
)

// fieldType is a field's type in an "Accepted Fields" table.
type fieldType uint8

const (
	typeAny fieldType = iota // custom attributes: typed by the record's value
	typeString
	typeInteger
	typeBoolean
	typeDate
)

func (t fieldType) String() string {
	switch t {
	case typeString:
		return "String"
	case typeInteger:
		return "Integer"
	case typeBoolean:
		return "Boolean"
	case typeDate:
		return "Date (UNIX timestamp)"
	}
	return "any"
}

// field describes one searchable field.
type field struct {
	typ fieldType
	ops opSet // the operators it takes
	// aliases are record paths read in addition to the field's own name.
	aliases []string
	// words: =, !=, IN and NIN compare with each word of the value (conversations' source.body).
	words bool
}

// A FieldSet is the allow-list and typing of one search's fields in one API version: the fields,
// types and operators of its description's "Accepted Fields" and "Accepted Operators" tables
// (ForOperation), with what the sandbox's records need beyond them (models). Compile and Sort
// accept a nil *FieldSet, which allows any field with dynamic typing. A FieldSet is read-only;
// InLocation returns a modified copy.
type FieldSet struct {
	resource string
	fields   map[string]field
	// prefixes allow every field under a prefix ("custom_attributes."); the value's aliases are
	// replacement prefixes ("ticket_attribute." also reads "ticket_attributes.").
	prefixes map[string]field
	// inclusive makes > and < mean ≥ and ≤ ("Greater (or equal) than").
	inclusive bool
	// byDay matches Date fields by calendar day in loc.
	byDay bool
	loc   *time.Location
}

// Resource is the name used in messages: "contacts", "conversations" or "tickets".
func (fs *FieldSet) Resource() string {
	if fs == nil {
		return "any resource"
	}
	return fs.resource
}

// InLocation returns a copy of fs whose calendar-day matching of Date fields (contacts) uses the
// workspace time zone loc instead of UTC. A nil fs stays nil.
func (fs *FieldSet) InLocation(loc *time.Location) *FieldSet {
	if fs == nil {
		return nil
	}
	c := *fs
	c.loc = loc
	return &c
}

// Allows reports whether field is searchable in fs (always true for a nil fs).
func (fs *FieldSet) Allows(name string) bool {
	_, _, ok := fs.lookup(name)
	return ok
}

// lookup returns the field's description and the record paths to read, field's own name first.
func (fs *FieldSet) lookup(name string) (field, []string, bool) {
	if fs == nil {
		return field{}, []string{name}, name != ""
	}
	if f, ok := fs.fields[name]; ok {
		return f, append([]string{name}, f.aliases...), true
	}
	for prefix, f := range fs.prefixes {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || rest == "" {
			continue
		}
		paths := []string{name}
		for _, a := range f.aliases {
			paths = append(paths, a+rest)
		}
		return f, paths, true
	}
	return field{}, nil, false
}

// opsFor returns the operators fs accepts on f.
func (fs *FieldSet) opsFor(f field) opSet {
	if fs == nil {
		return allOps
	}
	return f.ops
}

const allOps = 1<<opEq | 1<<opNe | 1<<opIn | 1<<opNin | 1<<opContains | 1<<opNotContains |
	1<<opPrefix | 1<<opSuffix | 1<<opGt | 1<<opLt | 1<<opGe | 1<<opLe

// FieldInfo is one searchable field with its type and operators, to compare
// with the catalogue's SearchFields (what `.help` shows).
type FieldInfo struct {
	Name      string   // "email", or a prefix with a star: "custom_attributes.*"
	Type      string   // the "Accepted Fields" table's type: String, Integer, Boolean, Date (UNIX timestamp), any
	Operators []string // the operators it accepts, in the table's order
}

// operatorOrder is the order operators are listed in.
var operatorOrder = []string{"=", "!=", "IN", "NIN", ">", ">=", "<", "<=", "~", "!~", "^", "$"}

// Fields lists fs's fields by name, then its prefixes (a nil fs lists none).
func (fs *FieldSet) Fields() []FieldInfo {
	if fs == nil {
		return nil
	}
	info := func(name string, f field) FieldInfo {
		fi := FieldInfo{Name: name, Type: f.typ.String()}
		ops := fs.opsFor(f)
		for _, o := range operatorOrder {
			if ops.has(operators[o]) {
				fi.Operators = append(fi.Operators, o)
			}
		}
		return fi
	}
	var out []FieldInfo
	for name, f := range fs.fields {
		out = append(out, info(name, f))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	var pre []FieldInfo
	for prefix, f := range fs.prefixes {
		pre = append(pre, info(prefix+"*", f))
	}
	sort.Slice(pre, func(i, j int) bool { return pre[i].Name < pre[j].Name })
	return append(out, pre...)
}
