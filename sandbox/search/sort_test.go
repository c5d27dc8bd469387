package search

import (
	"errors"
	"reflect"
	"testing"
)

func ids(recs []map[string]any) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i], _ = r["id"].(string)
	}
	return out
}

func TestSort(t *testing.T) {
	records := func() []map[string]any {
		return []map[string]any{
			{"id": "a", "created_at": 3.0, "name": "bob", "tags": map[string]any{"data": []any{map[string]any{"id": "t2"}}}},
			{"id": "b", "created_at": 1.0, "name": "Carl"},
			{"id": "c", "name": nil},
			{"id": "d", "created_at": int64(2), "name": "alice", "tags": map[string]any{"data": []any{map[string]any{"id": "t1"}}}},
			{"id": "e", "created_at": 1, "name": "bob"},
			{"id": "f", "created_at": "x", "name": true},
			{"id": "g", "created_at": nil},
		}
	}
	tests := []struct {
		name string
		sort map[string]any
		fs   *FieldSet
		want []string
	}{
		{"nil sort keeps order", nil, nil, []string{"a", "b", "c", "d", "e", "f", "g"}},
		{"ascending, stable, missing last", map[string]any{"field": "created_at", "order": "ascending"}, nil,
			[]string{"b", "e", "d", "a", "f", "c", "g"}},
		{"order defaults to ascending", map[string]any{"field": "created_at"}, nil,
			[]string{"b", "e", "d", "a", "f", "c", "g"}},
		{"descending, stable, missing last", map[string]any{"field": "created_at", "order": "descending"}, nil,
			[]string{"f", "a", "d", "b", "e", "c", "g"}},
		{"strings byte order, stable", map[string]any{"field": "name", "order": "ascending"}, nil,
			[]string{"b", "d", "a", "e", "f", "c", "g"}},
		{"strings descending", map[string]any{"field": "name", "order": "descending"}, nil,
			[]string{"f", "a", "e", "d", "b", "c", "g"}},
		{"through an alias", map[string]any{"field": "tag_id", "order": "ascending"}, contactFields,
			[]string{"d", "a", "b", "c", "e", "f", "g"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := records()
			if err := Sort(recs, tt.sort, tt.fs); err != nil {
				t.Fatal(err)
			}
			if got := ids(recs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSortErrors(t *testing.T) {
	tests := []struct {
		sort map[string]any
		fs   *FieldSet
		code string
		msg  string
	}{
		{map[string]any{"order": "ascending"}, nil, CodeParameterNotFound, "sort.field: is required"},
		{map[string]any{"field": 1.0}, nil, CodeParameterInvalid, "sort.field: must be a non-empty string, got 1"},
		{map[string]any{"field": ""}, nil, CodeParameterInvalid, `sort.field: must be a non-empty string, got ""`},
		{map[string]any{"field": "name", "order": "up"}, nil, CodeParameterInvalid, `sort.order: must be "ascending" or "descending", got "up"`},
		{map[string]any{"field": "nope"}, contactFields, CodeParameterInvalid, `sort.field: "nope" is not a searchable field for contacts`},
	}
	for _, tt := range tests {
		recs := []map[string]any{{"id": "a"}, {"id": "b"}}
		err := Sort(recs, tt.sort, tt.fs)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Code != tt.code || qe.Message != tt.msg {
			t.Errorf("Sort(%v) = %v, want {%s %q}", tt.sort, err, tt.code, tt.msg)
		}
		if got := ids(recs); !reflect.DeepEqual(got, []string{"a", "b"}) {
			t.Errorf("failed Sort reordered records: %v", got)
		}
	}
}

func TestGet(t *testing.T) {
	rec := decode(t, contactJSON)
	tests := []struct {
		path string
		want []any
	}{
		{"email", []any{"Alice@Example.com"}},
		{"tags.data.id", []any{"t1", "t2"}},
		{"custom_attributes.labels", []any{"alpha", "Beta"}},
		{"location", []any{map[string]any{"city": "Paris", "country": "France"}}},
		{"owner_id", []any{42.0}},
		{"phone", nil},
		{"empty", nil},
		{"nope", nil},
		{"email.x", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Get(rec, tt.path); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Get(%q) = %#v, want %#v", tt.path, got, tt.want)
		}
	}
}

func TestFilterKeepsOrder(t *testing.T) {
	contacts := syntheticContacts(3*parallelMin + 17) // enough for several goroutines
	m, err := Compile(benchQuery(), contactFields)
	if err != nil {
		t.Fatal(err)
	}
	var want []map[string]any
	for _, c := range contacts {
		if m.Match(c) {
			want = append(want, c)
		}
	}
	got := Filter(contacts, m)
	if len(want) == 0 || len(want) == len(contacts) {
		t.Fatalf("query should select some contacts, selects %d of %d", len(want), len(contacts))
	}
	if !reflect.DeepEqual(ids(got), ids(want)) {
		t.Errorf("Filter returned %d records, want the %d sequential matches in order", len(got), len(want))
	}
	if small := Filter(contacts[:10], m); !reflect.DeepEqual(ids(small), ids(appendMatches(nil, contacts[:10], m))) {
		t.Errorf("Filter on a small input differs from a sequential scan")
	}
}

func TestSortBooleans(t *testing.T) {
	recs := []map[string]any{{"id": "a", "open": true}, {"id": "b", "open": false}, {"id": "c"}, {"id": "d", "open": true}}
	if err := Sort(recs, map[string]any{"field": "open", "order": "descending"}, conversationFields); err != nil {
		t.Fatal(err)
	}
	if got, want := ids(recs), []string{"a", "d", "b", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
