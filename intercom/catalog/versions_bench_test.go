package catalog

import "testing"

// BenchmarkDecodeNewest is what the first use of the newest version costs:
// decoding its embedded catalogue (2.10's is Go and costs nothing here).
func BenchmarkDecodeNewest(b *testing.B) {
	v := versions[len(versions)-1]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decode(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDefaultCatalog is the first use of 2.10's: indexing the
// generated tables.
func BenchmarkDefaultCatalog(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		newCatalog(Default, Operations, Schemas)
	}
}
