package search

import (
	"runtime"
	"sync"
)

// parallelMin is the number of records below which Filter does not start goroutines.
const parallelMin = 8192

// Filter returns the records m matches, in their original order. Large inputs are scanned by
// up to GOMAXPROCS goroutines in contiguous chunks: matching 100,000 decoded contacts is bound
// by memory latency (map lookups), so it scales with cores.
func Filter(records []map[string]any, m Matcher) []map[string]any {
	workers := min(runtime.GOMAXPROCS(0), len(records)/parallelMin)
	if workers <= 1 {
		return appendMatches(nil, records, m)
	}
	parts := make([][]map[string]any, workers)
	chunk := (len(records) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range parts {
		lo, hi := w*chunk, min((w+1)*chunk, len(records))
		wg.Go(func() { parts[w] = appendMatches(nil, records[lo:hi], m) })
	}
	wg.Wait()
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]map[string]any, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func appendMatches(out, records []map[string]any, m Matcher) []map[string]any {
	for _, r := range records {
		if m.Match(r) {
			out = append(out, r)
		}
	}
	return out
}
