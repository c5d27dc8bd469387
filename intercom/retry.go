package intercom

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
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
	// gone: a 404 to a resent delete or detach after an attempt whose answer
	// was lost; the call succeeds as probably applied.
	gone bool
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
		wrongAddress := !c.answered.Load() && unreachable(res.err)
		if wrongAddress {
			permanent = true
		}
		if errors.Is(res.err, io.EOF) || errors.Is(res.err, io.ErrUnexpectedEOF) {
			msg = "the connection closed before a complete response (" + msg + ")"
		}
		if res.timedOut {
			msg = fmt.Sprintf("no complete response within %s (the per-attempt timeout)", c.timeout)
		}
		if res.readErr {
			msg = fmt.Sprintf("the response was cut off: the connection closed after status %d, before the end of the body (%v)", res.readStatus, res.err)
			if res.timedOut {
				msg = fmt.Sprintf("the response was cut off: status %d arrived but not the whole body within %s (the per-attempt timeout)", res.readStatus, c.timeout)
			}
		}
		if safe && !permanent && canRetry {
			d.retry, d.wait, d.why = true, c.backoff.delay(attempt), code
			return d
		}
		// Status 0 whatever the transport saw: no complete response arrived.
		e := &APIError{Status: 0, Code: code, Message: msg, cause: res.err}
		if res.readErr {
			e.RequestID = res.header.Get("X-Request-Id")
		}
		switch {
		case !safe:
			e.Ambiguous = true
			what := "the connection failed after the request was sent"
			if res.timedOut {
				what = "the request timed out"
			} else if res.readErr {
				what = "the response was cut off"
			}
			e.Hint = ambiguousHint(cl, what)
			d.why = notResentWhy(cl)
		case wrongAddress:
			e.Message = fmt.Sprintf("cannot reach %s: %s", withoutUserinfo(c.base), msg)
			e.Hint = "nothing answered there on the first request, so it was not retried: " + c.hints.Unreachable
			d.why = "the first request could not connect"
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
			d.why = notResentWhy(cl)
		case !cl.idempotent:
			d.why = notResentWhy(cl)
		default:
			d.why = fmt.Sprintf("gave up after %d attempts", attempt)
		}
		return d
	case s == http.StatusNotFound && cl.lost != "" && cl.op != nil && cl.op.Retry.Gone != "" && cl.method == cl.op.Method:
		// A resent delete or detach finds the thing gone: the attempt whose
		// answer was lost probably removed it.
		d.gone, d.why = true, "probably applied by an earlier attempt ("+cl.lost+")"
		return d
	default:
		d.err = c.statusError(cl, s, res.header, res.body)
		return d
	}
}

// maybeApplied says how an attempt may have been applied although no
// complete success answer came back: the request reached the server and the
// connection then failed, timed out or was cut off, or a 5xx came back (the
// server may have applied it before failing). "" when it certainly was not
// applied or succeeded: a 2xx-4xx answer (429 and 408 mean not processed), a
// failure before anything was sent.
func maybeApplied(res *result) string {
	switch {
	case res.err != nil:
		if !res.wrote || notSent(res.err) || isPermanent(res.err) {
			return ""
		}
		switch {
		case res.readErr:
			return "its response was cut off"
		case res.timedOut:
			return "it timed out"
		}
		return "the connection failed after it was sent"
	case res.status >= 500:
		return fmt.Sprintf("it was answered %d", res.status)
	}
	return ""
}

// notResentWhy is the log's reason for not resending a call.
func notResentWhy(cl *call) string {
	if len(cl.sideEffects) > 0 {
		return "its " + strings.Join(cl.sideEffects, ", ") + " would be applied twice"
	}
	return "not idempotent"
}

// goneAnswer is the answer of a delete or detach that was probably applied:
// the success answer the operation declares, with what is known of it (the
// id from the path, the object or type its schema fixes, deleted: true for a
// delete), plus "ambiguous": true and a note saying what happened.
func goneAnswer(cl *call) ([]byte, string) {
	op := cl.op
	id := pathParam(op.Path, cl.path, op.Retry.GoneID)
	what := "deleted"
	if op.Retry.Gone == "detached" {
		what = "removed"
	}
	note := fmt.Sprintf("probably applied: an earlier attempt's answer was lost (%s) and the retry answered 404 not found, so that attempt most likely %s it; check by hand if it matters", cl.lost, what)
	var b bytes.Buffer
	b.WriteByte('{')
	field := func(k string, v any) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	deleted := false
	if op.Response != "" {
		for _, p := range op.ResponseSchema().Properties {
			ps := op.Catalog().Lookup(p.Schema)
			switch {
			case p.Name == "id":
				field("id", id)
				id = ""
			case (p.Name == "type" || p.Name == "object") && ps != nil && len(ps.Enum) == 1:
				field(p.Name, ps.Enum[0])
			case p.Name == "deleted" && op.Retry.Gone == "deleted":
				field("deleted", true)
				deleted = true
			}
		}
	}
	if id != "" {
		field("id", id)
	}
	if op.Retry.Gone == "deleted" && !deleted {
		field("deleted", true)
	}
	field("ambiguous", true)
	field("note", note)
	b.WriteByte('}')
	return b.Bytes(), note
}

// pathParam is the value of a path template's parameter in an expanded path
// ("/contacts/{id}", "/contacts/abc", "id" → "abc"); "" when absent.
func pathParam(tmpl, path, name string) string {
	ts := strings.Split(strings.Trim(tmpl, "/"), "/")
	ps := strings.Split(strings.Trim(path, "/"), "/")
	for i, t := range ts {
		if t == "{"+name+"}" && i < len(ps) {
			if v, err := url.PathUnescape(ps[i]); err == nil {
				return v
			}
			return ps[i]
		}
	}
	return ""
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

// unreachable reports a refused connection or an unknown host: before any
// answer from the server, the address is wrong rather than the network
// briefly down.
func unreachable(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// withoutUserinfo is a URL fit for a message: any user:pass@ left out.
func withoutUserinfo(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the base URL"
	}
	u.User = nil
	return u.String()
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
