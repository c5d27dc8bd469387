package search

import (
	"cmp"
	"slices"
	"strings"
)

// Sort orders records in place by the request's optional `sort` member,
// {"field": "created_at", "order": "ascending"|"descending"} (order defaults to ascending).
// A nil sort leaves records as they are. The sort is stable. A record is keyed by the first
// non-null scalar at the field's paths (see Get); numbers sort before strings before booleans,
// and records without a value come last in both orders. fields restricts the sortable fields
// as Compile restricts the searchable ones; nil allows any. Errors are *QueryError.
func Sort(records []map[string]any, sortBy map[string]any, fields *FieldSet) error {
	o, err := CompileSort(sortBy, fields)
	if err != nil || o == nil {
		return err
	}
	keys := make([]sortKey, len(records))
	var buf []any
	for i, rec := range records {
		keys[i], buf = keyOf(rec, o.paths, buf)
		keys[i].pos = int32(i)
	}
	// An unstable sort with the original position as the last tie-breaker is stable, and much
	// faster than a stable sort on 100,000 records.
	slices.SortFunc(keys, o.cmp)
	orig := slices.Clone(records)
	for i := range keys {
		records[i] = orig[keys[i].pos]
	}
	return nil
}

// An Order is a validated `sort` member: the field's record paths and the direction.
type Order struct {
	names      []string   // dotted paths, the field's own name first
	paths      [][]string // the same, pre-split
	descending bool
}

// CompileSort validates a request's `sort` member as Sort does, and returns nil for a nil sort.
// Errors are *QueryError.
func CompileSort(sortBy map[string]any, fields *FieldSet) (*Order, error) {
	if sortBy == nil {
		return nil, nil
	}
	rawField, ok := sortBy["field"]
	if !ok || rawField == nil {
		return nil, errorf(CodeParameterNotFound, "sort.field", "is required")
	}
	name, ok := rawField.(string)
	if !ok || name == "" {
		return nil, errorf(CodeParameterInvalid, "sort.field", "must be a non-empty string, got %s", compact(rawField))
	}
	_, paths, ok := fields.lookup(name)
	if !ok {
		return nil, errorf(CodeParameterInvalid, "sort.field", "%q is not a searchable field for %s", name, fields.Resource())
	}
	o := &Order{names: paths, paths: make([][]string, len(paths))}
	switch order := sortBy["order"]; order {
	case nil, "ascending":
	case "descending":
		o.descending = true
	default:
		return nil, errorf(CodeParameterInvalid, "sort.order", `must be "ascending" or "descending", got %s`, compact(order))
	}
	for i, p := range paths {
		o.paths[i] = strings.Split(p, ".")
	}
	return o, nil
}

// cmp is the total order of a sort: by key, then by position (which makes it stable).
func (o *Order) cmp(a, b sortKey) int {
	if c := a.compare(&b, o.descending); c != 0 {
		return c
	}
	return cmp.Compare(a.pos, b.pos)
}

const (
	classNumber uint8 = iota
	classString
	classBool
	classMissing
)

// sortKey is kept small (32 bytes): the sort moves keys, not records.
type sortKey struct {
	num   float64
	str   string
	pos   int32 // index in the input
	class uint8
	b     bool
}

// compare orders two keys for the requested order; records without a value come last either way.
func (a *sortKey) compare(b *sortKey, descending bool) int {
	if a.class == classMissing || b.class == classMissing {
		return cmp.Compare(a.class, b.class)
	}
	c := cmp.Compare(a.class, b.class)
	if c == 0 {
		switch a.class {
		case classNumber:
			c = cmp.Compare(a.num, b.num)
		case classString:
			c = strings.Compare(a.str, b.str)
		case classBool:
			c = cmp.Compare(boolInt(a.b), boolInt(b.b))
		}
	}
	if descending {
		return -c
	}
	return c
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func keyOf(rec map[string]any, paths [][]string, buf []any) (sortKey, []any) {
	for _, p := range paths {
		buf = collect(buf[:0], rec, p)
		for _, v := range buf {
			switch x := v.(type) {
			case string:
				return sortKey{class: classString, str: x}, buf
			case bool:
				return sortKey{class: classBool, b: x}, buf
			}
			if n, ok := number(v); ok {
				return sortKey{class: classNumber, num: n}, buf
			}
		}
	}
	return sortKey{class: classMissing}, buf
}
