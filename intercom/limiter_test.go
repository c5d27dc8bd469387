package intercom

import (
	"context"
	"maps"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// windowServer enforces `limit` requests per fixed window aligned on unix
// time (as Intercom does), reporting X-RateLimit-* on every response and
// answering 429 over the limit.
type windowServer struct {
	limit   int
	window  time.Duration // a whole number of seconds: Reset is in unix seconds
	latency time.Duration

	mu          sync.Mutex
	cur         int64 // window index
	count       int
	perWin      map[int64]int // 2xx per window
	ok, tooMany atomic.Int64
}

func (s *windowServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.latency > 0 {
		time.Sleep(s.latency)
	}
	now := time.Now()
	idx := now.UnixNano() / int64(s.window)
	end := time.Unix(0, (idx+1)*int64(s.window))
	s.mu.Lock()
	if idx != s.cur {
		s.cur, s.count = idx, 0
	}
	over := s.count >= s.limit
	if !over {
		s.count++
		if s.perWin == nil {
			s.perWin = map[int64]int{}
		}
		s.perWin[idx]++
	}
	remaining := s.limit - s.count
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(end.Unix(), 10))
	if over {
		s.tooMany.Add(1)
		writeJSON(w, 429, `{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"Rate Limit Exceeded"}]}`)
		return
	}
	s.ok.Add(1)
	writeJSON(w, 200, `{"type":"contact","id":"1"}`)
}

// TestPacing: 16 workers doing ~4 windows' worth of calls against a server
// allowing `limit` per 1s window: no failures, at most 1% 429s, and the
// server sees at least 90% of its limit in every full window of the run.
// TestPacing: workers sharing one client against a server enforcing a
// per-second budget all succeed, with no 429 storm (at most 1%: the pacer
// reads the budget from every answer and spreads the calls). How close the
// pace comes to the budget depends on the machine, so it is measured by
// BenchmarkPacing, not asserted here; TestPacingSpreads checks the pacer's
// schedule on a fake clock.
func TestPacing(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 4s")
	}
	for _, tc := range pacingCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runPacing(t, tc.limit, tc.latency)
			t.Logf("%d calls in %s; 429s %d; %.0f%% of the budget; per window: %v", r.total, r.elapsed.Round(time.Millisecond), r.tooMany, 100*r.utilization, r.perWindow)
			if r.failed != 0 || r.ok != int64(r.total) {
				t.Errorf("failed %d, ok %d", r.failed, r.ok)
			}
			if float64(r.tooMany) > 0.01*float64(r.total) {
				t.Errorf("%d 429s, more than 1%%", r.tooMany)
			}
		})
	}
}

// BenchmarkPacing reports how much of the server's budget the pacer uses
// (budget-used: calls per full window over the limit; 1 is the most it
// may) and how often it was refused (429s/call).
func BenchmarkPacing(b *testing.B) {
	for _, tc := range pacingCases {
		b.Run(tc.name, func(b *testing.B) {
			var util, refused float64
			for range b.N {
				r := runPacing(b, tc.limit, tc.latency)
				util += r.utilization
				refused += float64(r.tooMany) / float64(r.total)
			}
			b.ReportMetric(util/float64(b.N), "budget-used")
			b.ReportMetric(refused/float64(b.N), "429s/call")
		})
	}
}

var pacingCases = []struct {
	name    string
	limit   int
	latency time.Duration
}{
	{"fast server", 200, 0},
	{"15ms latency", 150, 15 * time.Millisecond},
}

type pacingResult struct {
	total, tooMany int
	ok, failed     int64
	elapsed        time.Duration
	utilization    float64
	perWindow      map[int64]int
}

// runPacing sends 4 windows' worth of calls from 16 workers through one
// client to a server allowing limit calls a second.
func runPacing(t testing.TB, limit int, latency time.Duration) pacingResult {
	const workers = 16
	total := 4 * limit
	ws := &windowServer{limit: limit, window: time.Second, latency: latency}
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) { ws.ServeHTTP(w, r) })
	c := newTestClient(t, srv.URL, func(c *Config) { c.Concurrency = workers; c.BackoffBase = 100 * time.Millisecond })

	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(total); i = next.Add(1) {
				// A mix of reads and creates: creates are retried on 429 too.
				o := op(t, "ListContacts")
				var body []byte
				if i%3 == 0 {
					o, body = op(t, "CreateContact"), []byte(`{"email":"a@b.c"}`)
				}
				if _, err := c.Do(context.Background(), &Request{Op: o, Body: body}); err != nil {
					failed.Add(1)
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	ws.mu.Lock()
	defer ws.mu.Unlock()
	// The budget used is the mean of the windows the run filled from start
	// to end (the first and last are partial).
	first, last := start.UnixNano()/int64(ws.window), ws.cur
	used, full := 0.0, 0
	for w := first + 1; w < last; w++ {
		used += float64(ws.perWin[w]) / float64(limit)
		full++
	}
	if full > 0 {
		used /= float64(full)
	}
	return pacingResult{
		total: total, tooMany: int(ws.tooMany.Load()), ok: ws.ok.Load(), failed: failed.Load(),
		elapsed: elapsed, utilization: used, perWindow: maps.Clone(ws.perWin),
	}
}

// TestPacingSpreads: with latency well below the pace, requests are spread
// over the window instead of spending the budget at once.
func TestPacingSpreads(t *testing.T) {
	p := newPacer(time.Now, 4)
	h := http.Header{}
	now := time.Now()
	h.Set("X-RateLimit-Limit", "100")
	h.Set("X-RateLimit-Remaining", "10")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(10*time.Second).Unix(), 10))
	p.admit()
	p.done(h)
	var delays []time.Duration
	for range 10 {
		g := p.admit()
		if !g.ok {
			t.Fatalf("not admitted: %+v", g)
		}
		delays = append(delays, g.delay)
	}
	// 10 left over ~10s: the first 4 (burst) at once, then ~1s apart, the
	// last ~1s before the reset.
	if delays[3] != 0 || delays[4] < 800*time.Millisecond || delays[4] > 1100*time.Millisecond ||
		delays[9] < 8*time.Second || delays[9] > 9500*time.Millisecond {
		t.Errorf("delays %v", delays)
	}
	if g := p.admit(); g.ok || g.delay < 8*time.Second {
		t.Errorf("budget spent, want a wait for the reset: %+v", g)
	}
	// A stale response (older window) changes nothing; a lower count in the
	// same window lowers the budget.
	h2 := http.Header{}
	h2.Set("X-RateLimit-Remaining", "1")
	h2.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(-10*time.Second).Unix(), 10))
	p.done(h2)
	if rl := p.snapshot(); rl.Remaining != 10 || rl.InFlight != 9 || rl.Limit != 100 {
		t.Errorf("after stale: %+v", rl)
	}
}

// TestAfterResetProbe: when the window ends, one request goes first; the
// others follow once it reports the new window.
func TestAfterResetProbe(t *testing.T) {
	var now atomic.Int64
	base := time.Unix(1_700_000_000, 0)
	now.Store(base.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	p := newPacer(clock, 16)
	h := http.Header{}
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(base.Add(time.Second).Unix(), 10))
	p.admit()
	p.done(h)
	g := p.admit()
	if g.ok || g.delay != time.Second || g.changed == nil {
		t.Fatalf("spent: %+v", g)
	}
	now.Store(base.Add(time.Second).UnixNano())
	if g := p.admit(); !g.ok || g.delay != 0 {
		t.Fatalf("probe: %+v", g)
	}
	g = p.admit()
	if g.ok || g.changed == nil {
		t.Fatalf("second before the probe answered: %+v", g)
	}
	h.Set("X-RateLimit-Remaining", "99")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(base.Add(2*time.Second).Unix(), 10))
	p.done(h)
	select {
	case <-g.changed:
	default:
		t.Fatal("waiters not woken by the new window")
	}
	n := 0
	for {
		g := p.admit()
		if !g.ok {
			break
		}
		n++
		if n > 200 {
			t.Fatal("no bound")
		}
	}
	if n != 99 {
		t.Errorf("admitted %d in the new window, want 99", n)
	}
}

func TestGateShared(t *testing.T) {
	p := newPacer(time.Now, 4)
	p.block(time.Now().Add(200 * time.Millisecond))
	if d, _ := p.gateWait(); d < 150*time.Millisecond {
		t.Errorf("gate %s", d)
	}
	if g := p.admit(); g.ok {
		t.Errorf("admitted through the gate")
	}
	p.block(time.Now().Add(50 * time.Millisecond)) // an earlier gate does not shorten it
	if d, _ := p.gateWait(); d < 100*time.Millisecond {
		t.Errorf("gate shortened: %s", d)
	}
}

// TestGateAfter429: after one 429 with Retry-After, every sender waits for the
// same instant; nobody keeps hitting the server meanwhile. The transport
// counts the requests that start while the gate is closed: only those
// admitted before it closed may, at most one per other worker. The bound is a
// count against the client's own gate, not a time window, so a slow machine
// cannot fail it and a gate that lets senders through cannot pass it.
func TestGateAfter429(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if n == 20 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{}`)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	var c *Client
	var whileClosed atomic.Int64
	inner := NewTransport(8)
	t.Cleanup(inner.CloseIdleConnections)
	c = newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Concurrency = 8
		cfg.Transport = roundTripper(func(r *http.Request) (*http.Response, error) {
			if d, _ := c.pace.gateWait(); d > 0 {
				whileClosed.Add(1)
			}
			return inner.RoundTrip(r)
		})
	})
	const workers = 8
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range 10 {
				if _, err := c.Do(context.Background(), &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n, most := whileClosed.Load(), int64(workers-1); n > most {
		t.Errorf("%d requests started while the gate was closed, more than the %d admitted before it closed", n, most)
	}
	if st := c.Stats(); st.RateLimited != 1 || st.Requests != 81 || st.Waited == 0 {
		t.Errorf("stats %+v", st)
	}
}

// roundTripper is an http.RoundTripper from a function.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
