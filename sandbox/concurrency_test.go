package sandbox_test

import (
	"fmt"
	"sync"
	"testing"
)

// 32 goroutines create and update contacts at once; nothing may be lost.
func TestConcurrentCreatesAndUpdates(t *testing.T) {
	c := start(t, testOptions())
	const workers, each = 32, 10
	before := int(n(c.ok("GET", "/contacts?per_page=1", nil)["total_count"]))
	var wg sync.WaitGroup
	ids := make([][]string, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := c.do("POST", "/contacts", obj{"email": fmt.Sprintf("w%d-%d@race.example", w, i), "role": "user"})
				if r.status != 200 {
					t.Errorf("create: %s", r)
					return
				}
				id := s(r.body["id"])
				ids[w] = append(ids[w], id)
				if r := c.do("PUT", "/contacts/"+id, obj{"name": fmt.Sprintf("Worker %d #%d", w, i), "custom_attributes": obj{"seats": w}}); r.status != 200 {
					t.Errorf("update: %s", r)
				}
				c.do("GET", "/contacts?per_page=5", nil)
			}
		}()
	}
	wg.Wait()
	all := c.allContacts()
	if len(all) != before+workers*each {
		t.Fatalf("have %d contacts, want %d", len(all), before+workers*each)
	}
	byID := map[string]map[string]any{}
	for _, ct := range all {
		byID[s(ct["id"])] = ct
	}
	for w := range workers {
		for i, id := range ids[w] {
			ct := byID[id]
			if ct == nil || ct["name"] != fmt.Sprintf("Worker %d #%d", w, i) || n(attr(ct, "seats")) != int64(w) {
				t.Errorf("contact %s lost its update: %v", id, ct)
			}
		}
	}
}
