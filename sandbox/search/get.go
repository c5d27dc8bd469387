package search

import "strings"

// Get returns the non-null values found at a dotted path in rec. Wherever the path meets an
// array, on the way or at its end, it continues into every element, so
// Get(contact, "tags.data.id") lists every tag id. Objects at the end of the path are returned
// as they are. Missing fields, nulls and empty arrays contribute nothing.
func Get(rec map[string]any, path string) []any {
	if path == "" {
		return nil
	}
	return collect(nil, rec, strings.Split(path, "."))
}

func collect(out []any, v any, segs []string) []any {
	switch x := v.(type) {
	case nil:
		return out
	case map[string]any:
		if len(segs) == 0 {
			return append(out, x)
		}
		child, ok := x[segs[0]]
		if !ok {
			return out
		}
		return collect(out, child, segs[1:])
	case []any:
		for _, e := range x {
			out = collect(out, e, segs)
		}
		return out
	}
	if len(segs) == 0 {
		out = append(out, v)
	}
	return out
}
