package intercom

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// probeEvery is how often one more request may go out after a window ended
// while no response has yet reported the new window's budget.
const probeEvery = 50 * time.Millisecond

// minPace is the shortest pacing delay worth a sleep.
const minPace = 2 * time.Millisecond

// pacer spends the server's rate-limit budget evenly.
//
// State comes from the X-RateLimit-* headers of every response: the current
// window's end (reset) and the lowest remaining count reported for it
// (responses arrive out of order, and within a window the count only falls).
// Requests admitted and not yet answered (inflight) are counted against it,
// so the budget still free is remaining − inflight. Requests are spaced at
// (time left in the window) / (budget still free), a GCRA schedule with a
// tolerance of `burst` requests: far from the limit nobody waits, near it the
// remaining budget is spread over the time left instead of spent at once.
// When the free budget is zero, senders wait for the reset without holding a
// concurrency slot. After the reset, one probe request goes first (one more
// each probeEvery) until a response reports the new window; then pacing
// resumes from the new budget, so there is no herd at the window boundary.
// A 429 sets a gate that every sender waits for (block).
type pacer struct {
	now   func() time.Time
	burst int

	mu        sync.Mutex
	known     bool // the current window's budget is known
	limit     int
	remaining int
	reset     time.Time
	inflight  int
	tat       time.Time // GCRA theoretical arrival time
	probes    int       // admitted since the window ended
	gate      time.Time
	gateNanos atomic.Int64  // gate, readable without the lock
	changed   chan struct{} // closed when a new window is learnt; nil when nobody waits
}

func newPacer(now func() time.Time, burst int) *pacer {
	if burst < 1 {
		burst = 1
	}
	return &pacer{now: now, burst: burst}
}

// grant is the answer of admit. ok: the request is admitted (counted in
// flight) and may go after delay. !ok: wait up to delay, or until changed is
// closed, then ask again.
type grant struct {
	ok      bool
	delay   time.Duration
	reason  string
	changed <-chan struct{}
}

// gateWait returns how long every sender must still wait after a 429.
func (p *pacer) gateWait() (time.Duration, string) {
	g := p.gateNanos.Load()
	if g == 0 {
		return 0, ""
	}
	if d := time.Duration(g - p.now().UnixNano()); d > 0 {
		return d, "rate limited: waiting for the reset"
	}
	return 0, ""
}

// block makes every sender wait until t.
func (p *pacer) block(t time.Time) {
	p.mu.Lock()
	if t.After(p.gate) {
		p.gate = t
		p.gateNanos.Store(t.UnixNano())
	}
	p.mu.Unlock()
}

func (p *pacer) admit() grant {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if now.Before(p.gate) {
		return grant{delay: p.gate.Sub(now), reason: "rate limited: waiting for the reset"}
	}
	if !p.known {
		p.inflight++
		return grant{ok: true}
	}
	if !now.Before(p.reset) {
		// The window is over and the new one's budget is unknown: probe.
		allowed := 1 + int(now.Sub(p.reset)/probeEvery)
		if p.probes < allowed {
			p.probes++
			p.inflight++
			return grant{ok: true}
		}
		return grant{delay: probeEvery - now.Sub(p.reset)%probeEvery, reason: "rate limit: new window", changed: p.wait()}
	}
	free := p.remaining - p.inflight
	if free <= 0 {
		return grant{delay: p.reset.Sub(now), reason: "rate limit: budget spent, waiting for the reset", changed: p.wait()}
	}
	// Spread the free budget over the time from the next free slot to the reset.
	tat := p.tat
	if tat.Before(now) {
		tat = now
	}
	interval := max(0, p.reset.Sub(tat)) / time.Duration(free)
	slot := tat.Add(-interval * time.Duration(min(p.burst, free)-1))
	p.tat = tat.Add(interval)
	p.inflight++
	// Sleeping costs more than it buys below minPace: run at most minPace
	// ahead of the schedule (the free budget still bounds the window).
	if slot.Sub(now) >= minPace {
		return grant{ok: true, delay: slot.Sub(now), reason: "pacing"}
	}
	return grant{ok: true}
}

func (p *pacer) wait() <-chan struct{} {
	if p.changed == nil {
		p.changed = make(chan struct{})
	}
	return p.changed
}

// done ends an admitted request and learns from its response's headers (nil
// when there was no response).
func (p *pacer) done(h http.Header) {
	var (
		rem, lim int
		rst      time.Time
		have     bool
	)
	if h != nil {
		if r, ok := h["X-Ratelimit-Remaining"]; ok && len(r) > 0 {
			if t, ok := h["X-Ratelimit-Reset"]; ok && len(t) > 0 {
				var err error
				rem, err = strconv.Atoi(r[0])
				rst, have = resetTime(t[0], p.now())
				have = have && err == nil
				if l, ok := h["X-Ratelimit-Limit"]; ok && len(l) > 0 {
					lim, _ = strconv.Atoi(l[0])
				}
			}
		}
	}
	p.mu.Lock()
	if p.inflight > 0 {
		p.inflight--
	}
	if have {
		switch {
		case !p.known || rst.After(p.reset):
			p.known, p.reset, p.remaining, p.limit, p.probes = true, rst, rem, lim, 0
			p.tat = time.Time{}
			p.broadcast()
		case rst.Equal(p.reset):
			if rem < p.remaining {
				p.remaining = rem
			}
			if lim > 0 {
				p.limit = lim
			}
		}
	} else if h != nil && p.known && !p.now().Before(p.reset) {
		// Responses stopped carrying the headers: stop pacing.
		p.known = false
		p.broadcast()
	}
	p.mu.Unlock()
}

func (p *pacer) broadcast() {
	if p.changed != nil {
		close(p.changed)
		p.changed = nil
	}
}

func (p *pacer) snapshot() RateLimit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return RateLimit{Known: p.known, Limit: p.limit, Remaining: p.remaining, Reset: p.reset, InFlight: p.inflight}
}

// bucket is the optional client-side cap (--rate R/window): a GCRA schedule
// of one request per window/R, with a burst of up to `burst` requests.
type bucket struct {
	now      func() time.Time
	interval time.Duration
	tol      time.Duration
	mu       sync.Mutex
	tat      time.Time
}

func newBucket(now func() time.Time, rate int, window time.Duration, burst int) *bucket {
	burst = max(1, min(burst, rate))
	iv := window / time.Duration(rate)
	return &bucket{now: now, interval: iv, tol: iv * time.Duration(burst-1)}
}

// reserve takes the next slot and returns how long to wait for it.
func (b *bucket) reserve() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	tat := b.tat
	if tat.Before(now) {
		tat = now
	}
	b.tat = tat.Add(b.interval)
	if slot := tat.Add(-b.tol); slot.After(now) {
		return slot.Sub(now)
	}
	return 0
}
