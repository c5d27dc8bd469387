package sandbox_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"

	"sync/atomic"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
)

// Benchmarks over a 100,000-contact workspace, on real HTTP over loopback:
//
//	go test ./sandbox -run '^$' -bench . -benchtime 5s -cpu 2
const benchContacts = 100000

func BenchmarkSeed100k(b *testing.B) {
	for b.Loop() {
		if _, err := sandbox.New(sandbox.Options{Seed: 1, Contacts: benchContacts}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchClient(b *testing.B) (*client, []string) {
	c := start(b, sandbox.Options{Seed: 1, Contacts: benchContacts})
	c.http = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	var ids []string
	for _, it := range arr(c.ok("GET", "/contacts?per_page=150", nil)["data"]) {
		ids = append(ids, s(m(it)["id"]))
	}
	return c, ids
}

func BenchmarkGetContact(b *testing.B) {
	c, ids := benchClient(b)
	var i atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := ids[int(i.Add(1))%len(ids)]
			req := c.request("GET", "/contacts/"+id, nil)
			resp, err := c.http.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkSearchContacts measures one client searching 100,000 contacts: the
// time of a first page (50 contacts and total_count), each query different so
// that every page is a full scan.
func BenchmarkSearchContacts(b *testing.B) {
	benchSearch(b, func(i int) string {
		return fmt.Sprintf(`{"query":{"operator":"AND","value":[{"field":"role","operator":"=","value":"user"},{"field":"custom_attributes.plan","operator":"IN","value":["pro","enterprise"]},{"field":"custom_attributes.seats","operator":">","value":%d}]},"pagination":{"per_page":50}}`, i%50)
	})
}

// BenchmarkSearchContactsNextPage measures the following pages of one search:
// the hits are kept while the store is unchanged, so pages after the first
// cost no scan.
func BenchmarkSearchContactsNextPage(b *testing.B) {
	query := `{"operator":"AND","value":[{"field":"role","operator":"=","value":"user"},{"field":"email","operator":"~","value":"mail"}]}`
	benchSearch(b, func(i int) string {
		return fmt.Sprintf(`{"query":%s,"pagination":{"per_page":50,"starting_after":%q}}`, query, base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "off:%d", 50*(i%100))))
	})
}

// BenchmarkSearchContactsSorted is BenchmarkSearchContacts with a sort: a
// first page of a new search ordered by a date.
func BenchmarkSearchContactsSorted(b *testing.B) {
	benchSearch(b, func(i int) string {
		return fmt.Sprintf(`{"query":{"operator":"AND","value":[{"field":"role","operator":"=","value":"user"},{"field":"custom_attributes.seats","operator":">","value":%d}]},"sort":{"field":"created_at","order":"descending"},"pagination":{"per_page":50}}`, i%50)
	})
}

// BenchmarkSearchContactsAfterWrite measures the first page of a search that
// follows a write (a contact update, not timed): the first search of a
// changed store.
func BenchmarkSearchContactsAfterWrite(b *testing.B) {
	c, ids := benchClient(b)
	benchSearchWith(b, c, func(i int) string {
		return fmt.Sprintf(`{"query":{"operator":"AND","value":[{"field":"role","operator":"=","value":"user"},{"field":"custom_attributes.plan","operator":"IN","value":["pro","enterprise"]},{"field":"custom_attributes.seats","operator":">","value":%d}]},"pagination":{"per_page":50}}`, i%50)
	}, func(i int) {
		c.ok("PUT", "/contacts/"+ids[i%len(ids)], map[string]any{"name": fmt.Sprintf("Renamed %d", i)})
	})
}

func benchSearch(b *testing.B, body func(i int) string) {
	c, _ := benchClient(b)
	benchSearchWith(b, c, body, nil)
}

// benchSearchWith times searches; before (untimed) runs ahead of each one.
func benchSearchWith(b *testing.B, c *client, body func(i int) string, before func(i int)) {
	b.ReportAllocs()
	var worst, total time.Duration
	i := 0
	for b.Loop() {
		if before != nil {
			b.StopTimer()
			before(i)
			b.StartTimer()
		}
		t0 := time.Now()
		resp, err := c.http.Do(c.request("POST", "/contacts/search", body(i)))
		i++
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
		worst = max(worst, time.Since(t0))
		total += time.Since(t0)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/page")
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}
