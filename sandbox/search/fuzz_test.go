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
	recs = append(recs, oddRecords(f)...)
	f.Fuzz(func(t *testing.T, data []byte) {
		var query any
		if json.Unmarshal(data, &query) != nil {
			return
		}
		for _, fs := range []*FieldSet{nil, contactFields, conversationFields, ticketFields} {
			m, err := Compile(query, fs)
			if err != nil {
				var qe *QueryError
				if !errors.As(err, &qe) || qe.Code == "" || qe.Message == "" {
					t.Fatalf("error %#v is not a complete *QueryError", err)
				}
				continue
			}
			view := NewView(recs)
			got := view.Match(m, view.All())
			for i, r := range recs {
				if m.Match(r) != (got[i/64]&(1<<(i%64)) != 0) {
					t.Fatalf("View and Match disagree on record %d", i)
				}
			}
			if sortBy, ok := query.(map[string]any); ok {
				sorted := append([]map[string]any(nil), recs...)
				if Sort(sorted, sortBy, fs) == nil {
					o, _ := CompileSort(sortBy, fs)
					ranked := view.Rank(allPositions(len(recs)), o).Range(0, len(recs))
					for i, p := range ranked {
						if ptr(view.Record(p)) != ptr(sorted[i]) {
							t.Fatalf("View and Sort disagree at rank %d", i)
						}
					}
				}
			}
		}
	})
}

func allPositions(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i)
	}
	return out
}
