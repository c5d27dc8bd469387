package search

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// syntheticContacts builds n contacts shaped like decoded API JSON (numbers are float64).
func syntheticContacts(n int) []map[string]any {
	r := rand.New(rand.NewPCG(1, 2))
	domains := []string{"example.com", "Gmail.com", "acme.io", "intercom.io", "corp.example.org"}
	plans := []string{"free", "Pro", "enterprise"}
	cities := []string{"Paris", "London", "Dublin", "San Francisco", "Berlin"}
	out := make([]map[string]any, n)
	for i := range out {
		tags := make([]any, r.IntN(3))
		for j := range tags {
			tags[j] = map[string]any{"type": "tag", "id": fmt.Sprint(r.IntN(50))}
		}
		out[i] = map[string]any{
			"type": "contact", "id": fmt.Sprintf("6657ac%018d", i), "role": "user",
			"email":      fmt.Sprintf("user%d@%s", i, domains[r.IntN(len(domains))]),
			"name":       fmt.Sprintf("User Number %d", i),
			"owner_id":   float64(r.IntN(20)),
			"created_at": float64(1577836800 + r.IntN(4*365*86400)),
			"updated_at": float64(1700000000 + r.IntN(86400*30)),
			"location":   map[string]any{"type": "location", "city": cities[r.IntN(len(cities))], "country": "X"},
			"custom_attributes": map[string]any{
				"plan": plans[r.IntN(len(plans))], "seats": float64(r.IntN(100)),
			},
			"tags": map[string]any{"type": "list", "data": tags},
		}
	}
	return out
}

var benchContacts []map[string]any

func benchQuery() any {
	return group("AND",
		group("OR", q("email", "~", "EXAMPLE"), q("custom_attributes.plan", "~", "pro")),
		q("created_at", ">", "1600000000"),
		group("OR", q("location.city", "^", "d"), q("tag_id", "=", "7"), q("custom_attributes.seats", ">", 90)),
	)
}

// BenchmarkSearch100k scans 100,000 contacts with a nested AND/OR query using ~ and >
// (ns/op is one whole scan; ns/record per contact).
func BenchmarkSearch100k(b *testing.B) {
	if benchContacts == nil {
		benchContacts = syntheticContacts(100_000)
	}
	m, err := Compile(benchQuery(), contactFields)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	hits := 0
	for b.Loop() {
		hits = 0
		for _, c := range benchContacts {
			if m.Match(c) {
				hits++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(benchContacts)), "ns/record")
	b.ReportMetric(float64(hits), "hits")
}

// BenchmarkFilter100k is the same scan through Filter, which uses every core (-cpu=2 for the
// sandbox's target machine).
func BenchmarkFilter100k(b *testing.B) {
	if benchContacts == nil {
		benchContacts = syntheticContacts(100_000)
	}
	m, err := Compile(benchQuery(), contactFields)
	if err != nil {
		b.Fatal(err)
	}
	var found []map[string]any
	for b.Loop() {
		found = Filter(benchContacts, m)
	}
	b.ReportMetric(float64(len(found)), "hits")
}

func BenchmarkCompile(b *testing.B) {
	query := benchQuery()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(query, contactFields); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSort100k(b *testing.B) {
	if benchContacts == nil {
		benchContacts = syntheticContacts(100_000)
	}
	recs := make([]map[string]any, len(benchContacts))
	sortBy := map[string]any{"field": "created_at", "order": "descending"}
	b.ReportAllocs()
	for b.Loop() {
		copy(recs, benchContacts)
		if err := Sort(recs, sortBy, contactFields); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkViewFirstMatch100k is a first query on a new View: its columns are built, then
// matched (the first search after the store changed).
func BenchmarkViewFirstMatch100k(b *testing.B) {
	if benchContacts == nil {
		benchContacts = syntheticContacts(100_000)
	}
	m, err := Compile(benchQuery(), contactFields)
	if err != nil {
		b.Fatal(err)
	}
	var hits int
	for b.Loop() {
		v := NewView(benchContacts)
		hits = v.Match(m, v.All()).Count()
	}
	b.ReportMetric(float64(hits), "hits")
}

// BenchmarkViewMatch100k is a new query on a View whose columns are built.
func BenchmarkViewMatch100k(b *testing.B) {
	if benchContacts == nil {
		benchContacts = syntheticContacts(100_000)
	}
	m, err := Compile(benchQuery(), contactFields)
	if err != nil {
		b.Fatal(err)
	}
	v := NewView(benchContacts)
	v.Warm(m, nil)
	var hits int
	for b.Loop() {
		hits = v.Match(m, v.All()).Count()
	}
	b.ReportMetric(float64(hits), "hits")
}

// BenchmarkViewRankFirstPage100k ranks every record by a date and serves the first page.
func BenchmarkViewRankFirstPage100k(b *testing.B) {
	if benchContacts == nil {
		benchContacts = syntheticContacts(100_000)
	}
	o, err := CompileSort(map[string]any{"field": "created_at", "order": "descending"}, contactFields)
	if err != nil {
		b.Fatal(err)
	}
	v := NewView(benchContacts)
	hits := v.All().Positions()
	for b.Loop() {
		v.Rank(hits, o).Range(0, 50)
	}
}
