package sandbox

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// decodeJSON decodes data keeping integers exact (json.Number), for normalize.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// normalize turns json.Number into int64 (or float64 when not integral), recursively,
// so stored values have one shape whatever their origin.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
		return x
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	}
	return v
}

// str returns r[key] as a string; numbers are formatted, anything else is "".
func str(r record, key string) string {
	return asString(r[key])
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	}
	return ""
}

// num returns r[key] as an int64; strings holding an integer are parsed.
func num(r record, key string) int64 {
	n, _ := asInt(r[key])
	return n
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case float64:
		return int64(x), x == math.Trunc(x)
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func boolean(r record, key string) bool {
	b, _ := r[key].(bool)
	return b
}

// obj returns r[key] as an object, nil if it is not one.
func obj(r record, key string) record {
	m, _ := r[key].(map[string]any)
	return m
}

// list returns r[key] as an array.
func list(r record, key string) []any {
	a, _ := r[key].([]any)
	return a
}

// strs returns the strings of an array value.
func strs(v any) []string {
	a, _ := v.([]any)
	out := make([]string, 0, len(a))
	for _, e := range a {
		out = append(out, asString(e))
	}
	return out
}

// nullable returns v, or nil for the zero string.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// copyRecord is a shallow copy without the sandbox's own "_" keys.
func copyRecord(r record) record {
	out := make(record, len(r)+8)
	for k, v := range r {
		if len(k) > 0 && k[0] == '_' {
			continue
		}
		out[k] = v
	}
	return out
}

// deepCopy copies a JSON value.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// idsOf lists the "id" members of the objects of an array.
func idsOf(items []any) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, asString(m["id"]))
		}
	}
	return out
}

// withoutID removes the objects whose "id" is id; it reports whether one was removed.
func withoutID(items []any, id string) ([]any, bool) {
	out := make([]any, 0, len(items))
	removed := false
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && asString(m["id"]) == id {
			removed = true
			continue
		}
		out = append(out, it)
	}
	return out, removed
}

func hasID(items []any, id string) bool {
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && asString(m["id"]) == id {
			return true
		}
	}
	return false
}

func deepCopyRecord(r record) record { return deepCopy(copyRecord(r)).(record) }
