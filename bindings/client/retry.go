package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff is exponential backoff with jitter: attempt n waits a random
// duration in [d/2, d] where d = base·2^(n-1), capped at max.
type backoff struct{ base, max time.Duration }

func (b backoff) delay(attempt int) time.Duration {
	d := b.base
	for i := 1; i < attempt && d < b.max; i++ {
		d *= 2
	}
	if d > b.max {
		d = b.max
	}
	half := d / 2
	return half + rand.N(half+1)
}

// retryAfter parses Retry-After (delay-seconds or HTTP-date) and the
// non-standard retry-after-ms. ok is false when neither is present.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s < 0 {
			s = 0
		}
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// resetTime parses X-RateLimit-Reset: unix seconds, or (a small value) seconds
// from now, as some proxies send.
func resetTime(v string, now time.Time) (time.Time, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false
	}
	if n < 1e9 {
		return now.Add(time.Duration(n) * time.Second), true
	}
	return time.Unix(n, 0), true
}

// decision is what to do after an attempt.
type decision struct {
	retry  bool
	shared bool          // wait at the shared gate (429) instead of alone
	wait   time.Duration // before the next attempt
	why    string        // reason, for the log
	err    *APIError     // the error to return when not retrying (or on success: nil)
}

// decide classifies an attempt's result.
func (c *Client) decide(ctx context.Context, cl *call, res *result, attempt int) (d decision) {
	canRetry := attempt <= c.maxRetries
	if res.err != nil {
		if err := ctx.Err(); err != nil {
			amb := !cl.idempotent && res.wrote
			d.err = c.cancelled(cl, err, attempt, amb)
			return d
		}
		code := errCode(res)
		safe := cl.idempotent || !res.wrote || notSent(res.err)
		permanent := isPermanent(res.err)
		msg := res.err.Error()
		if errors.Is(res.err, io.EOF) || errors.Is(res.err, io.ErrUnexpectedEOF) {
			msg = "the connection closed before a complete response (" + msg + ")"
		}
		if res.timedOut {
			msg = fmt.Sprintf("no complete response within %s (the per-attempt timeout)", c.timeout)
		}
		if res.readErr {
			msg = fmt.Sprintf("status %d received but the response was cut short: %v", res.status, res.err)
		}
		if safe && !permanent && canRetry {
			d.retry, d.wait, d.why = true, c.backoff.delay(attempt), code
			return d
		}
		e := &APIError{Status: 0, Code: code, Message: msg, cause: res.err}
		if res.readErr {
			e.Status = res.status
		}
		switch {
		case !safe:
			e.Ambiguous = true
			what := "the connection failed after the request was sent"
			if res.timedOut {
				what = "the request timed out"
			} else if res.readErr {
				what = "the response was cut short"
			}
			e.Hint = ambiguousHint(cl, what)
			d.why = "not idempotent"
		case permanent:
			d.why = "permanent"
		default:
			d.why = fmt.Sprintf("gave up after %d attempts", attempt)
		}
		d.err = c.newError(cl, e)
		return d
	}

	switch s := res.status; {
	case s < 400:
		return d
	case s == http.StatusTooManyRequests:
		now := c.now()
		wait, ok := retryAfter(res.header, now)
		why := "429 rate limited (Retry-After)"
		if !ok {
			if t, ok2 := resetTime(res.header.Get("X-RateLimit-Reset"), now); ok2 && t.After(now) {
				wait, ok = t.Sub(now), true
				why = "429 rate limited (until X-RateLimit-Reset)"
			}
		}
		if !ok {
			wait, why = c.backoff.delay(attempt), "429 rate limited (backoff)"
		}
		if wait < 10*time.Millisecond {
			wait = 10 * time.Millisecond
		}
		switch {
		case wait > c.maxWait:
			d.err = c.statusError(cl, s, res.header, res.body)
			d.err.Hint = fmt.Sprintf("Intercom asks to wait %s before retrying, longer than the %s the client waits", wait.Round(time.Second), c.maxWait)
			d.why = "wait too long"
		case canRetry:
			d.retry, d.shared, d.wait, d.why = true, true, wait, why
		default:
			d.err = c.statusError(cl, s, res.header, res.body)
			d.why = fmt.Sprintf("gave up after %d attempts", attempt)
		}
		return d
	case s >= 500 || s == http.StatusRequestTimeout:
		if cl.idempotent && canRetry {
			wait := c.backoff.delay(attempt)
			if ra, ok := retryAfter(res.header, c.now()); ok && ra > wait && ra <= c.maxWait {
				wait = ra
			}
			d.retry, d.wait, d.why = true, wait, fmt.Sprintf("%d %s", s, strings.ToLower(http.StatusText(s)))
			return d
		}
		d.err = c.statusError(cl, s, res.header, res.body)
		switch {
		case !cl.idempotent && s >= 500:
			d.err.Ambiguous = true
			d.err.Hint = ambiguousHint(cl, fmt.Sprintf("Intercom answered %d", s))
			d.why = "not idempotent"
		case !cl.idempotent:
			d.why = "not idempotent"
		default:
			d.why = fmt.Sprintf("gave up after %d attempts", attempt)
		}
		return d
	default:
		d.err = c.statusError(cl, s, res.header, res.body)
		return d
	}
}

// errCode names a transport failure: "timeout" or "network_error".
func errCode(res *result) string {
	if res.timedOut {
		return "timeout"
	}
	var ne net.Error
	if errors.As(res.err, &ne) && ne.Timeout() {
		return "timeout"
	}
	return "network_error"
}

// notSent reports whether err certainly happened before any byte of the
// request reached the server: a DNS failure or a failed dial.
func notSent(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Op == "dial" || op.Op == "proxyconnect"
	}
	return false
}

// isPermanent reports errors that retrying cannot fix: certificate and TLS
// configuration problems, malformed requests.
func isPermanent(err error) bool {
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return true
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return true // an http:// server behind an https:// base URL, or vice versa
	}
	return strings.Contains(err.Error(), "unsupported protocol scheme")
}
