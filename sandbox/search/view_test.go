package search

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
)

// ptr is a record's identity.
func ptr(r map[string]any) uintptr { return reflect.ValueOf(r).Pointer() }

// oddRecords are shapes the columns must read exactly as walk and collect do.
func oddRecords(t testing.TB) []map[string]any {
	return []map[string]any{
		decode(t, contactJSON),
		{},
		{"tags": []any{nil, 1.0, []any{"x"}}},
		{"id": "n1", "created_at": math.NaN(), "owner_id": int64(7), "custom_attributes": map[string]any{"seats": int32(5), "plan": nil}},
		{"id": "n2", "created_at": "x", "name": true, "location": []any{map[string]any{"city": "Paris"}, map[string]any{"city": "Dublin"}}},
		{"id": "n3", "location": "Paris", "custom_attributes": []any{map[string]any{"plan": "pro"}, nil, []any{map[string]any{"plan": "free"}}}},
		{"id": "n4", "location": map[string]any{"city": map[string]any{"name": "Paris"}}, "email": []any{}, "role": []any{"user", "lead"}},
		{"id": "n5", "tags": map[string]any{"data": []any{map[string]any{"id": "7"}, map[string]any{"id": 7.0}, map[string]any{"id": nil}}}},
		{"id": "n6", "custom_attributes": map[string]any{"seats": "95", "plan": []any{[]any{}, "Pro"}}, "created_at": uint64(1600000001)},
		{"id": "n7", "role": nil, "email": "MAIL@x.io", "created_at": []any{1.0, 2.0}, "name": []any{map[string]any{}}},
	}
}

var viewQueries = []string{
	`{"field":"role","operator":"=","value":"user"}`,
	`{"field":"role","operator":"!=","value":"user"}`,
	`{"field":"role","operator":"=","value":null}`,
	`{"field":"role","operator":"!=","value":null}`,
	`{"field":"email","operator":"~","value":"EXAMPLE"}`,
	`{"field":"email","operator":"!~","value":"mail"}`,
	`{"field":"email","operator":"$","value":".io"}`,
	`{"field":"name","operator":"^","value":"user number 1"}`,
	`{"field":"custom_attributes.plan","operator":"IN","value":["Pro","enterprise",null]}`,
	`{"field":"custom_attributes.plan","operator":"NIN","value":["free"]}`,
	`{"field":"custom_attributes.seats","operator":">","value":90}`,
	`{"field":"custom_attributes.seats","operator":"<=","value":"5"}`,
	`{"field":"custom_attributes.labels","operator":"=","value":"Beta"}`,
	`{"field":"created_at","operator":">","value":"1600000000"}`,
	`{"field":"created_at","operator":"=","value":1577869200}`,
	`{"field":"created_at","operator":"<","value":1600000000}`,
	`{"field":"owner_id","operator":"IN","value":[7,3,"12"]}`,
	`{"field":"tag_id","operator":"=","value":"7"}`,
	`{"field":"tag_id","operator":"!=","value":"7"}`,
	`{"field":"location.city","operator":"=","value":"Paris"}`,
	`{"field":"location.city","operator":"!=","value":"Paris"}`,
	`{"field":"unsubscribed_from_emails","operator":"=","value":false}`,
	`{"operator":"AND","value":[
		{"operator":"OR","value":[{"field":"email","operator":"~","value":"EXAMPLE"},{"field":"custom_attributes.plan","operator":"~","value":"pro"}]},
		{"field":"created_at","operator":">","value":"1600000000"},
		{"operator":"OR","value":[{"field":"location.city","operator":"^","value":"d"},{"field":"tag_id","operator":"=","value":"7"},{"field":"custom_attributes.seats","operator":">","value":90}]}]}`,
	`{"operator":"OR","value":[{"field":"role","operator":"=","value":"lead"},{"operator":"AND","value":[{"field":"custom_attributes.seats","operator":"<","value":10},{"field":"email","operator":"!~","value":"gmail"}]}]}`,
}

var viewSorts = []string{
	`{"field":"created_at","order":"descending"}`,
	`{"field":"created_at"}`,
	`{"field":"name","order":"ascending"}`,
	`{"field":"tag_id","order":"descending"}`,
	`{"field":"custom_attributes.plan","order":"descending"}`,
	`{"field":"custom_attributes.seats"}`,
	`{"field":"owner_id","order":"descending"}`,
	`{"field":"role"}`,
}

// TestViewAgreesWithFilterAndSort checks a View against the record-walking Filter and Sort,
// serially (small) and on every core (above parallelMin), reading ranks page by page.
func TestViewAgreesWithFilterAndSort(t *testing.T) {
	for _, n := range []int{200, 3 * parallelMin} {
		recs := append(oddRecords(t), syntheticContacts(n)...)
		view := NewView(recs)
		at := make(map[uintptr]int32, len(recs))
		for i, r := range recs {
			at[ptr(r)] = int32(i)
		}
		fieldSets, sorts := []*FieldSet{nil, contactFields}, viewSorts
		if n > parallelMin { // the parallel paths; fewer combinations
			fieldSets, sorts = []*FieldSet{contactFields}, viewSorts[:3]
		}
		for _, fs := range fieldSets {
			for _, qs := range viewQueries {
				m, err := Compile(decode(t, qs), fs)
				if err != nil {
					t.Fatalf("%s: %v", qs, err)
				}
				want := Filter(recs, m)
				hits := view.Match(m, view.All()).Positions()
				if len(hits) != len(want) {
					t.Fatalf("n=%d %s %s: %d hits, want %d", n, fs.Resource(), qs, len(hits), len(want))
				}
				for i, r := range want {
					if hits[i] != at[ptr(r)] {
						t.Fatalf("n=%d %s %s: hit %d at %d, want %d", n, fs.Resource(), qs, i, hits[i], at[ptr(r)])
					}
				}
				for _, ss := range sorts {
					sortBy := decode(t, ss)
					sorted := slices.Clone(want)
					if err := Sort(sorted, sortBy, fs); err != nil {
						t.Fatal(err)
					}
					o, err := CompileSort(sortBy, fs)
					if err != nil {
						t.Fatal(err)
					}
					pers := []int{1, 7, 50, 150}
					if n > parallelMin {
						pers = []int{7, 50}
					}
					for _, per := range pers {
						rank := view.Rank(hits, o)
						if per == 7 {
							rank = view.RankRecords(hits, o)
						}
						var got []map[string]any
						for from := 0; from < rank.Len() && from < 3000; from += per {
							for _, p := range rank.Range(from, from+per) {
								got = append(got, view.Record(p))
							}
						}
						for i := range got {
							if ptr(got[i]) != ptr(sorted[i]) {
								t.Fatalf("n=%d %s %s sort %s per %d: rank %d is %v, want %v", n, fs.Resource(), qs, ss, per, i, got[i]["id"], sorted[i]["id"])
							}
						}
					}
					// Random access after partial selection, then everything; by columns and by records.
					rank := view.Rank(hits, o)
					if len(hits)%2 == 1 {
						rank = view.RankRecords(hits, o)
					}
					_ = rank.Range(0, 3)
					all := rank.Range(0, rank.Len())
					for i, p := range all {
						if ptr(view.Record(p)) != ptr(sorted[i]) {
							t.Fatalf("n=%d %s %s sort %s: full rank %d differs", n, fs.Resource(), qs, ss, i)
						}
					}
				}
			}
		}
	}
}

func TestViewMask(t *testing.T) {
	recs := syntheticContacts(parallelMin*2 + 5)
	view := NewView(recs)
	odd := view.Mask("odd", func(r map[string]any) bool { return r["owner_id"].(float64) > 10 })
	m, _ := Compile(decode(t, `{"field":"role","operator":"=","value":"user"}`), contactFields)
	got := view.Match(m, odd).Positions()
	var want []int32
	for i, r := range recs {
		if r["owner_id"].(float64) > 10 {
			want = append(want, int32(i))
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %d positions, want %d", len(got), len(want))
	}
	if c := view.All().Count(); c != len(recs) {
		t.Fatalf("All has %d, want %d", c, len(recs))
	}
}

func TestViewForgetsColumnsBeyondItsBound(t *testing.T) {
	recs := syntheticContacts(100)
	view := NewView(recs)
	for i := range maxColumns + 10 {
		m, err := Compile(decode(t, fmt.Sprintf(`{"field":"custom_attributes.a%d","operator":"=","value":null}`, i)), contactFields)
		if err != nil {
			t.Fatal(err)
		}
		if got := view.Match(m, view.All()).Count(); got != len(recs) {
			t.Fatalf("matched %d, want %d", got, len(recs))
		}
		if len(view.cols) > maxColumns {
			t.Fatalf("%d columns kept, bound %d", len(view.cols), maxColumns)
		}
	}
}
