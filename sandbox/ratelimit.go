package sandbox

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Intercom's default private-app limit, reported when nothing is enforced.
const (
	defaultRateLimit  = 10000
	defaultRateWindow = time.Minute
)

// limiter counts requests in fixed windows aligned on the clock (a window of a
// minute ends on the minute), as X-RateLimit-Reset reports.
type limiter struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	enforce bool
	start   time.Time
	used    int
}

func newLimiter(limit int, window time.Duration) *limiter {
	l := &limiter{limit: limit, window: window, enforce: limit > 0}
	if l.limit <= 0 {
		l.limit = defaultRateLimit
	}
	if l.window <= 0 {
		l.window = defaultRateWindow
	}
	return l
}

// take counts one request (when consume) and reports what is left and when the
// window ends; ok is false when the request is over an enforced limit.
func (l *limiter) take(now time.Time, consume bool) (remaining int, reset time.Time, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	start := now.Truncate(l.window)
	if !start.Equal(l.start) {
		l.start, l.used = start, 0
	}
	reset = start.Add(l.window)
	if consume {
		if l.enforce && l.used >= l.limit {
			return 0, reset, false
		}
		l.used++
	}
	return max(l.limit-l.used, 0), reset, true
}

// rateLimit sets the X-RateLimit-* headers and reports whether the request may go on.
func (s *Sandbox) rateLimit(h http.Header, consume bool) bool {
	now := time.Now()
	remaining, reset, ok := s.limiter.take(now, consume)
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limiter.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if !ok {
		s.rateLimited.Add(1)
		wait := int(math.Ceil(reset.Sub(now).Seconds()))
		h.Set("Retry-After", strconv.Itoa(max(wait, 1)))
	}
	return ok
}

func (s *Sandbox) rateLimitError() *apiError {
	return newError(http.StatusTooManyRequests, codeRateLimited, fmt.Sprintf(msgRateLimited, s.limiter.limit, s.limiter.window))
}
