package search

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzCompile feeds arbitrary JSON to Compile with every FieldSet: it must never panic, must
// fail only with a *QueryError, and a compiled query must match the sample records without
// panicking.
func FuzzCompile(f *testing.F) {
	f.Add([]byte(`{"field":"email","operator":"~","value":"example"}`))
	f.Add([]byte(`{"operator":"AND","value":[{"field":"created_at","operator":">","value":"1306054154"}]}`))
	rec := decode(f, contactJSON)
	recs := []map[string]any{rec, {}, {"tags": []any{nil, 1.0, []any{"x"}}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		var query any
		if json.Unmarshal(data, &query) != nil {
			return
		}
		for _, fs := range []*FieldSet{nil, ContactFields, ConversationFields, TicketFields} {
			m, err := Compile(query, fs)
			if err != nil {
				var qe *QueryError
				if !errors.As(err, &qe) || qe.Code == "" || qe.Message == "" {
					t.Fatalf("error %#v is not a complete *QueryError", err)
				}
				continue
			}
			for _, r := range recs {
				m.Match(r)
			}
			if sortBy, ok := query.(map[string]any); ok {
				_ = Sort(append([]map[string]any(nil), recs...), sortBy, fs)
			}
		}
	})
}
