package intercom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
)

const testToken = "tok_SeCrEt_0123456789abcdefXYZ"

func op(t testing.TB, id string) *catalog.Operation {
	t.Helper()
	o := catalog.ByID(id)
	if o == nil {
		t.Fatalf("no operation %s", id)
	}
	return o
}

// newTestClient returns a client for srv with fast backoff.
func newTestClient(t testing.TB, base string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{Token: testToken, BaseURL: base, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// counter is a handler wrapper counting requests.
type counter struct {
	n atomic.Int64
	h func(w http.ResponseWriter, r *http.Request, n int64)
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := c.n.Add(1)
	c.h(w, r, n)
}

func serve(t testing.TB, h func(w http.ResponseWriter, r *http.Request, n int64)) (*httptest.Server, *counter) {
	t.Helper()
	c := &counter{h: h}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv, c
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func apiErr(t *testing.T, err error) *APIError {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want *APIError, got %T %v", err, err)
	}
	return ae
}

func TestNewValidation(t *testing.T) {
	if _, err := New(Config{}); !errors.Is(err, ErrNoToken) {
		t.Fatalf("no token: %v", err)
	}
	if !strings.Contains(ErrNoToken.Error(), "Config.Token") || strings.Contains(ErrNoToken.Error(), "INTERCOM_") {
		t.Errorf("ErrNoToken should name Config.Token, not a program's variable: %v", ErrNoToken)
	}
	_, err := New(Config{Token: "x", Region: "mars"})
	if err == nil || !strings.Contains(err.Error(), "us, eu, au") {
		t.Errorf("bad region: %v", err)
	}
	if _, err := New(Config{Token: "x", BaseURL: "ftp://x"}); err == nil {
		t.Error("bad base URL accepted")
	}
	if _, err := New(Config{Token: "a b"}); err == nil || strings.Contains(err.Error(), "a b") {
		t.Errorf("token with space: %v", err)
	}
	if c, err := New(Config{Token: " Bearer abc\n"}); err != nil || c.token != "abc" {
		t.Errorf("pasted bearer prefix: %v", err)
	}
	for r, want := range map[Region]string{"": "https://api.intercom.io", "us": "https://api.intercom.io", "EU": "https://api.eu.intercom.io", "au": "https://api.au.intercom.io"} {
		c, err := New(Config{Token: "x", Region: r})
		if err != nil || c.BaseURL() != want {
			t.Errorf("region %q: %v %v", r, c.BaseURL(), err)
		}
	}
	c, _ := New(Config{Token: "x", Region: "eu", BaseURL: "http://127.0.0.1:4010/"})
	if c.BaseURL() != "http://127.0.0.1:4010" {
		t.Errorf("BaseURL override: %s", c.BaseURL())
	}
}

func TestHeaders(t *testing.T) {
	type seen struct {
		method, path, query string
		h                   http.Header
		body                string
	}
	var mu sync.Mutex
	var got []seen
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), string(b)})
		mu.Unlock()
		w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", n))
		writeJSON(w, 200, `{"type":"ok"}`)
	})
	ctx := context.Background()

	c := newTestClient(t, srv.URL+"/prefix/", nil)
	resp, err := c.Do(ctx, &Request{Op: op(t, "ShowContact"), Path: ExpandPath(op(t, "ShowContact"), []string{"a/b c"}), Query: url.Values{"x": {"1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != `{"type":"ok"}` || resp.RequestID != "req-1" || resp.Attempts != 1 {
		t.Errorf("response: %+v", resp)
	}
	if _, err := c.Do(ctx, &Request{Op: op(t, "CreateContact"), Body: []byte(`{"email":"a@b.c"}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(ctx, &Request{Op: op(t, "downloadDataExport"), Path: ExpandPath(op(t, "downloadDataExport"), []string{"job1"})}); err != nil {
		t.Fatal(err)
	}
	c2 := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Version = "2.11"; cfg.UserAgent = "mine/1" })
	if _, err := c2.Do(ctx, &Request{Method: "get", Path: "me"}); err != nil {
		t.Fatal(err)
	}

	if len(got) != 4 {
		t.Fatalf("requests: %d", len(got))
	}
	g := got[0]
	if g.method != "GET" || g.path != "/prefix/contacts/a%2Fb%20c" || g.query != "x=1" {
		t.Errorf("GET line: %s %s ? %s", g.method, g.path, g.query)
	}
	if g.h.Get("Authorization") != "Bearer "+testToken || g.h.Get("Intercom-Version") != "2.10" ||
		g.h.Get("Accept") != "application/json" || !strings.HasPrefix(g.h.Get("User-Agent"), "icscript/") || g.h.Get("Content-Type") != "" {
		t.Errorf("GET headers: %v", g.h)
	}
	g = got[1]
	if g.method != "POST" || g.path != "/prefix/contacts" || g.h.Get("Content-Type") != "application/json" || g.body != `{"email":"a@b.c"}` {
		t.Errorf("POST: %+v", g)
	}
	if got[2].h.Get("Accept") != "application/octet-stream" {
		t.Errorf("binary Accept: %v", got[2].h)
	}
	g = got[3]
	if g.path != "/me" || g.h.Get("Intercom-Version") != "2.11" || g.h.Get("User-Agent") != "mine/1" {
		t.Errorf("custom: %+v", g)
	}
}

func TestAbsoluteLinkStaysOnBase(t *testing.T) {
	var path string
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		path = r.URL.RequestURI()
		writeJSON(w, 200, `{}`)
	})
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), &Request{Path: "https://evil.example.com/contacts?starting_after=abc", Query: url.Values{"per_page": {"5"}}})
	if err != nil {
		t.Fatal(err)
	}
	if path != "/contacts?starting_after=abc&per_page=5" {
		t.Errorf("path: %s", path)
	}
}

func TestErrorParsing(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		switch r.URL.Path {
		case "/list":
			writeJSON(w, 422, `{"type":"error.list","request_id":"body-req","errors":[{"code":"parameter_invalid","message":"email is invalid","field":"email"},{"code":"data_invalid","message":"role missing"}]}`)
		case "/html":
			w.Header().Set("X-Request-Id", "hdr-req")
			w.WriteHeader(404)
			io.WriteString(w, "<html>\n<body>Not   here</body></html>")
		case "/empty":
			w.WriteHeader(404)
		case "/auth":
			w.Header().Set("X-Request-Id", "hdr-401")
			writeJSON(w, 401, `{"type":"error.list","request_id":null,"errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}`)
		}
	})
	c := newTestClient(t, srv.URL, nil)
	ctx := context.Background()

	_, err := c.Do(ctx, &Request{Path: "/list"})
	e := apiErr(t, err)
	if e.Status != 422 || e.Code != "parameter_invalid" || e.Message != "email is invalid" || len(e.Errors) != 2 ||
		e.Errors[0].Field != "email" || e.RequestID != "body-req" || e.Method != "GET" || e.Path != "/list" || e.Ambiguous {
		t.Errorf("error.list: %+v", e)
	}
	if s := e.Error(); !strings.Contains(s, "422 parameter_invalid: email is invalid; data_invalid: role missing") || !strings.Contains(s, "body-req") {
		t.Errorf("Error(): %s", s)
	}

	_, err = c.Do(ctx, &Request{Path: "/html"})
	e = apiErr(t, err)
	if e.Status != 404 || e.Code != "not_found" || e.Message != "Not Found: <html> <body>Not here</body></html>" || e.RequestID != "hdr-req" {
		t.Errorf("html: %+v", e)
	}

	_, err = c.Do(ctx, &Request{Path: "/empty"})
	e = apiErr(t, err)
	if e.Status != 404 || e.Code != "not_found" || e.Message != "Not Found" {
		t.Errorf("empty: %+v", e)
	}

	_, err = c.Do(ctx, &Request{Op: op(t, "identifyAdmin"), Path: "/auth"})
	e = apiErr(t, err)
	if e.Status != 401 || e.Code != "unauthorized" || e.RequestID != "hdr-401" || e.Operation != "identifyAdmin" ||
		e.Hint != "check the access token (Config.Token): it is missing, wrong, revoked, or belongs to a workspace in another region" {
		t.Errorf("401: %+v\n%s", e, e.Error())
	}
	if st := c.Stats(); st.Failures != 4 || st.Requests != 4 || st.Retries != 0 {
		t.Errorf("stats: %+v", st)
	}
}

func TestRetry429ForCreate(t *testing.T) {
	srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			writeJSON(w, 429, `{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"slow down"}]}`)
			return
		}
		writeJSON(w, 200, `{"id":"1"}`)
	})
	c := newTestClient(t, srv.URL, nil)
	resp, err := c.Do(context.Background(), &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	if cnt.n.Load() != 2 || resp.Attempts != 2 {
		t.Errorf("requests %d attempts %d", cnt.n.Load(), resp.Attempts)
	}
	if st := c.Stats(); st.RateLimited != 1 || st.Retries != 1 || st.Requests != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestRetry5xx(t *testing.T) {
	fail := func(times int64) func(w http.ResponseWriter, r *http.Request, n int64) {
		return func(w http.ResponseWriter, r *http.Request, n int64) {
			if n <= times {
				writeJSON(w, 500, `{"type":"error.list","errors":[{"code":"server_error","message":"boom"}]}`)
				return
			}
			writeJSON(w, 200, `{}`)
		}
	}
	ctx := context.Background()
	t.Run("GET retried", func(t *testing.T) {
		srv, cnt := serve(t, fail(2))
		c := newTestClient(t, srv.URL, nil)
		if _, err := c.Do(ctx, &Request{Op: op(t, "ListContacts")}); err != nil {
			t.Fatal(err)
		}
		if cnt.n.Load() != 3 {
			t.Errorf("requests: %d", cnt.n.Load())
		}
	})
	t.Run("create not retried", func(t *testing.T) {
		srv, cnt := serve(t, fail(1))
		c := newTestClient(t, srv.URL, nil)
		_, err := c.Do(ctx, &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)})
		e := apiErr(t, err)
		if cnt.n.Load() != 1 || e.Status != 500 || !e.Ambiguous || !strings.Contains(e.Error(), "POST /contacts may have been applied; not retried because it is not idempotent") {
			t.Errorf("requests %d: %v", cnt.n.Load(), e)
		}
	})
	t.Run("read-only POST retried", func(t *testing.T) {
		srv, cnt := serve(t, fail(1))
		c := newTestClient(t, srv.URL, nil)
		if _, err := c.Do(ctx, &Request{Op: op(t, "SearchContacts"), Body: []byte(`{"query":{}}`)}); err != nil {
			t.Fatal(err)
		}
		if cnt.n.Load() != 2 {
			t.Errorf("requests: %d", cnt.n.Load())
		}
	})
	t.Run("raw search matched to read-only op", func(t *testing.T) {
		srv, cnt := serve(t, fail(1))
		c := newTestClient(t, srv.URL, nil)
		if _, err := c.Do(ctx, &Request{Method: "POST", Path: "/conversations/search", Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		if cnt.n.Load() != 2 {
			t.Errorf("requests: %d", cnt.n.Load())
		}
	})
	t.Run("bounded attempts", func(t *testing.T) {
		srv, cnt := serve(t, fail(1000))
		c := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 2 })
		_, err := c.Do(ctx, &Request{Op: op(t, "ListContacts")})
		e := apiErr(t, err)
		if cnt.n.Load() != 3 || e.Attempts != 3 || e.Status != 500 || e.Ambiguous {
			t.Errorf("requests %d: %+v", cnt.n.Load(), e)
		}
		if st := c.Stats(); st.Retries != 2 || st.Requests != 3 || st.Failures != 1 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("no retries", func(t *testing.T) {
		srv, cnt := serve(t, fail(1000))
		c := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 })
		_, err := c.Do(ctx, &Request{Op: op(t, "ListContacts")})
		if apiErr(t, err).Attempts != 1 || cnt.n.Load() != 1 {
			t.Errorf("requests %d", cnt.n.Load())
		}
	})
}

// dropper hijacks the connection and closes it without answering.
func dropper(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

func TestConnectionDropped(t *testing.T) {
	ctx := context.Background()
	t.Run("create is ambiguous", func(t *testing.T) {
		srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) { dropper(w, r) })
		c := newTestClient(t, srv.URL, nil)
		_, err := c.Do(ctx, &Request{Op: op(t, "CreateContact"), Body: []byte(`{"email":"x@y.z"}`)})
		e := apiErr(t, err)
		if cnt.n.Load() != 1 || !e.Ambiguous || e.Status != 0 || e.Code != "network_error" ||
			!strings.Contains(e.Error(), "POST /contacts may have been applied; not retried because it is not idempotent") {
			t.Errorf("requests %d: %v", cnt.n.Load(), e)
		}
		if st := c.Stats(); st.Ambiguous != 1 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("GET is retried", func(t *testing.T) {
		srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
			if n == 1 {
				dropper(w, r)
				return
			}
			writeJSON(w, 200, `{}`)
		})
		c := newTestClient(t, srv.URL, nil)
		if _, err := c.Do(ctx, &Request{Op: op(t, "ListContacts")}); err != nil {
			t.Fatal(err)
		}
		if cnt.n.Load() != 2 {
			t.Errorf("requests %d", cnt.n.Load())
		}
	})
	t.Run("truncated response to a create", func(t *testing.T) {
		srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			io.WriteString(w, `{"id":`)
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.Flush()
			conn.Close()
		})
		c := newTestClient(t, srv.URL, nil)
		_, err := c.Do(ctx, &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)})
		e := apiErr(t, err)
		// No complete response arrived: a network failure (status 0), not a 200.
		if cnt.n.Load() != 1 || !e.Ambiguous || e.Status != 0 || e.Code != "network_error" || !strings.Contains(e.Message, "cut off") {
			t.Errorf("requests %d: status %d: %v", cnt.n.Load(), e.Status, e)
		}
	})
}

func TestDialErrorRetriedForCreate(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })}
	srv.SetKeepAlivesEnabled(false) // the create dials anew, and is refused
	go srv.Serve(l)
	addr := l.Addr().String()
	c := newTestClient(t, "http://"+addr, func(c *Config) { c.MaxRetries = 2 })
	// The server answered once, then went away: a passing fault, retried.
	if _, err := c.Do(context.Background(), &Request{Path: "/me"}); err != nil {
		t.Fatal(err)
	}
	srv.Close() // nothing listens: connection refused
	_, err = c.Do(context.Background(), &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)})
	e := apiErr(t, err)
	if e.Code != "network_error" || e.Ambiguous || e.Attempts != 3 || e.Status != 0 {
		t.Errorf("%+v", e)
	}
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Errorf("cause not kept: %v", err)
	}
}

// TestRefusedFirstRequestFailsFast: a refused connection before the server
// ever answered is a wrong address: one attempt, the URL and a hint.
func TestRefusedFirstRequestFailsFast(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newTestClient(t, "http://"+addr+"/prefix", func(c *Config) { c.MaxRetries = 4 })
	_, err = c.Do(context.Background(), &Request{Path: "/me"})
	e := apiErr(t, err)
	if e.Attempts != 1 || e.Code != "network_error" {
		t.Errorf("attempts %d code %q, want 1 network_error", e.Attempts, e.Code)
	}
	for _, want := range []string{"cannot reach http://" + addr + "/prefix", "connection refused", "check the base URL (Config.BaseURL or Config.Region)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if st := c.Stats(); st.Requests != 1 || st.Retries != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestTimeout(t *testing.T) {
	ctx := context.Background()
	slow := func(w http.ResponseWriter, r *http.Request, n int64) {
		if n == 1 {
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
			return
		}
		writeJSON(w, 200, `{}`)
	}
	t.Run("create", func(t *testing.T) {
		srv, cnt := serve(t, slow)
		c := newTestClient(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond })
		_, err := c.Do(ctx, &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)})
		e := apiErr(t, err)
		if cnt.n.Load() != 1 || e.Code != "timeout" || !e.Ambiguous || !strings.Contains(e.Error(), "may have been applied") {
			t.Errorf("requests %d: %v", cnt.n.Load(), e)
		}
	})
	t.Run("GET", func(t *testing.T) {
		srv, cnt := serve(t, slow)
		c := newTestClient(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond })
		if _, err := c.Do(ctx, &Request{Op: op(t, "ListContacts")}); err != nil {
			t.Fatal(err)
		}
		if cnt.n.Load() != 2 {
			t.Errorf("requests %d", cnt.n.Load())
		}
	})
}

func TestRetryAfterHonoured(t *testing.T) {
	var first time.Time
	var gap time.Duration
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if n == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"x"}]}`)
			return
		}
		gap = time.Since(first)
		writeJSON(w, 200, `{}`)
	})
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.Do(context.Background(), &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if gap < 990*time.Millisecond || gap > 1500*time.Millisecond {
		t.Errorf("retried after %s, want ~1s", gap)
	}
	if st := c.Stats(); st.Waited < 990*time.Millisecond {
		t.Errorf("waited %s", st.Waited)
	}
}

func TestRetryAfterTooLong(t *testing.T) {
	srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, 429, `{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"daily"}]}`)
	})
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), &Request{Op: op(t, "ListContacts")})
	e := apiErr(t, err)
	if cnt.n.Load() != 1 || e.Status != 429 || !strings.Contains(e.Hint, "1h0m0s") {
		t.Errorf("%d %v", cnt.n.Load(), e)
	}
}

func TestCancelDuringRetryAfter(t *testing.T) {
	srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, `{}`)
	})
	c := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancelledAt := make(chan time.Time, 1)
	go func() {
		time.Sleep(100 * time.Millisecond)
		cancelledAt <- time.Now()
		cancel()
	}()
	_, err := c.Do(ctx, &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)})
	took := time.Since(<-cancelledAt)
	e := apiErr(t, err)
	if e.Code != "cancelled" || !errors.Is(err, context.Canceled) || e.Ambiguous {
		t.Errorf("%+v", e)
	}
	if took > 100*time.Millisecond {
		t.Errorf("returned %s after cancel", took)
	}
	if cnt.n.Load() != 1 {
		t.Errorf("requests %d", cnt.n.Load())
	}
	// The gate is shared: another call waits too, and is cancellable.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	t0 := time.Now()
	_, err = c.Do(ctx2, &Request{Op: op(t, "ListContacts")})
	if apiErr(t, err).Code != "cancelled" || !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > 150*time.Millisecond || cnt.n.Load() != 1 {
		t.Errorf("second call: %v after %s, %d requests", err, time.Since(t0), cnt.n.Load())
	}
}

func TestCancelInFlightCreate(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	c := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)})
	e := apiErr(t, err)
	if e.Code != "cancelled" || !e.Ambiguous {
		t.Errorf("%+v", e)
	}
}

func TestConcurrencyBound(t *testing.T) {
	var cur, peak atomic.Int64
	srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		v := cur.Add(1)
		for {
			p := peak.Load()
			if v <= p || peak.CompareAndSwap(p, v) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		cur.Add(-1)
		writeJSON(w, 200, `{}`)
	})
	c := newTestClient(t, srv.URL, func(c *Config) { c.Concurrency = 4 })
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for range 10 {
				if _, err := c.Do(context.Background(), &Request{Op: op(t, "ListContacts")}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if peak.Load() > 4 || peak.Load() < 2 || cnt.n.Load() != 320 {
		t.Errorf("peak in flight %d, requests %d", peak.Load(), cnt.n.Load())
	}
}

func TestRateCap(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) { writeJSON(w, 200, `{}`) })
	c := newTestClient(t, srv.URL, func(c *Config) { c.Rate = 20; c.RateWindow = 200 * time.Millisecond; c.Concurrency = 1 })
	t0 := time.Now()
	for range 21 {
		if _, err := c.Do(context.Background(), &Request{Op: op(t, "ListContacts")}); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(t0); d < 190*time.Millisecond || d > 400*time.Millisecond {
		t.Errorf("21 calls at 20/200ms took %s", d)
	}
}

func TestDryRunAndAudit(t *testing.T) {
	srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("X-Request-Id", fmt.Sprintf("r%d", n))
		if r.Method == "DELETE" {
			writeJSON(w, 404, `{"type":"error.list","request_id":"del-404","errors":[{"code":"not_found","message":"Contact not found"}]}`)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	var mu sync.Mutex
	var evs []MutationEvent
	hook := func(e MutationEvent) { mu.Lock(); evs = append(evs, e); mu.Unlock() }
	ctx := context.Background()

	dry := newTestClient(t, srv.URL, func(c *Config) { c.DryRun = true; c.OnMutation = hook })
	resp, err := dry.Do(ctx, &Request{Op: op(t, "CreateContact"), Body: []byte(`{"email":"a@b.c"}`)})
	if err != nil || !resp.DryRun || cnt.n.Load() != 0 {
		t.Fatalf("dry create: %+v %v, %d sent", resp, err, cnt.n.Load())
	}
	resp, err = dry.Do(ctx, &Request{Method: "DELETE", Path: "/contacts/abc"}) // raw, matched to DeleteContact
	if err != nil || !resp.DryRun || cnt.n.Load() != 0 {
		t.Fatalf("dry raw delete: %+v %v", resp, err)
	}
	if resp, err = dry.Do(ctx, &Request{Op: op(t, "SearchContacts"), Body: []byte(`{}`)}); err != nil || resp.DryRun || cnt.n.Load() != 1 {
		t.Fatalf("dry read-only POST should be sent: %+v %v", resp, err)
	}
	if resp, err = dry.Do(ctx, &Request{Op: op(t, "ListContacts")}); err != nil || resp.DryRun || cnt.n.Load() != 2 {
		t.Fatalf("dry GET should be sent: %+v %v", resp, err)
	}
	if st := dry.Stats(); st.DryRunSkipped != 2 || st.Requests != 2 {
		t.Errorf("stats %+v", st)
	}
	if len(evs) != 4 || evs[0].Phase != "start" || evs[1].Phase != "done" || !evs[0].DryRun || evs[0].Operation != "CreateContact" ||
		string(evs[0].Body) != `{"email":"a@b.c"}` || evs[2].Operation != "DeleteContact" || evs[3].Path != "/contacts/abc" {
		t.Errorf("dry events: %+v", evs)
	}

	evs = nil
	live := newTestClient(t, srv.URL, func(c *Config) { c.OnMutation = hook })
	if _, err := live.Do(ctx, &Request{Op: op(t, "UpdateContact"), Path: "/contacts/abc", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	_, err = live.Do(ctx, &Request{Op: op(t, "DeleteContact"), Path: "/contacts/zzz"})
	if apiErr(t, err).Status != 404 {
		t.Fatal(err)
	}
	live.Do(ctx, &Request{Op: op(t, "ListContacts")}) // not audited
	if len(evs) != 4 {
		t.Fatalf("events: %+v", evs)
	}
	if e := evs[1]; e.Phase != "done" || e.Status != 200 || e.RequestID != "r3" || e.Err != nil || e.Method != "PUT" || e.Attempts != 1 || e.DryRun {
		t.Errorf("done ok: %+v", e)
	}
	if e := evs[3]; e.Phase != "done" || e.Status != 404 || e.RequestID != "del-404" || e.Err == nil || e.Operation != "DeleteContact" {
		t.Errorf("done failed: %+v", e)
	}
	if !evs[2].Time.Before(evs[3].Time) && !evs[2].Time.Equal(evs[3].Time) {
		t.Errorf("times: %v %v", evs[2].Time, evs[3].Time)
	}
}

func TestTokenRedaction(t *testing.T) {
	var flaky atomic.Int64
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		switch r.URL.Path {
		case "/echo-html":
			w.WriteHeader(400)
			fmt.Fprintf(w, "bad request; you sent: %v", r.Header)
		case "/echo-json":
			writeJSON(w, 400, fmt.Sprintf(`{"type":"error.list","request_id":"x","errors":[{"code":"bad_request","message":"header was %s","field":"%s"}]}`,
				r.Header.Get("Authorization"), r.URL.Query().Get("k")))
		case "/unauth":
			writeJSON(w, 401, `{"type":"error.list","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}`)
		case "/drop":
			dropper(w, r)
		case "/flaky":
			if flaky.Add(1) == 1 {
				writeJSON(w, 503, "")
				return
			}
			writeJSON(w, 200, `{}`)
		}
	})
	var logs strings.Builder
	var mu sync.Mutex
	logf := func(f string, a ...any) { mu.Lock(); fmt.Fprintf(&logs, f+"\n", a...); mu.Unlock() }
	var audit strings.Builder
	c := newTestClient(t, srv.URL, func(c *Config) {
		c.Logf = logf
		c.OnMutation = func(e MutationEvent) { mu.Lock(); fmt.Fprintf(&audit, "%+v %v\n", e, e.Err); mu.Unlock() }
	})
	ctx := context.Background()
	var errs []error
	for _, p := range []string{"/echo-html", "/echo-json?k=" + testToken, "/unauth", "/flaky", "/contacts/" + testToken} {
		_, err := c.Do(ctx, &Request{Path: p})
		errs = append(errs, err)
	}
	_, err := c.Do(ctx, &Request{Method: "POST", Path: "/drop?t=" + testToken, Body: []byte(`{"note":"` + testToken + `"}`)})
	errs = append(errs, err)
	c2 := newTestClient(t, "http://127.0.0.1:1", func(c *Config) { c.Logf = logf; c.MaxRetries = 1 })
	_, err = c2.Do(ctx, &Request{Path: "/x?token=" + testToken})
	errs = append(errs, err)

	nerr := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		nerr++
		for e := err; e != nil; e = errors.Unwrap(e) {
			if strings.Contains(e.Error(), testToken) || strings.Contains(fmt.Sprintf("%+v", e), testToken) {
				t.Errorf("token in error: %s", e.Error())
			}
		}
		var ae *APIError
		if errors.As(err, &ae) {
			if strings.Contains(fmt.Sprintf("%#v", *ae), testToken) {
				t.Errorf("token in APIError fields: %#v", *ae)
			}
		}
	}
	if nerr != 5 {
		t.Errorf("want 5 errors, got %d: %v", nerr, errs)
	}
	if strings.Contains(logs.String(), testToken) || strings.Contains(audit.String(), testToken) {
		t.Errorf("token in logs:\n%s\n%s", logs.String(), audit.String())
	}
	if !strings.Contains(logs.String(), redacted) || strings.Count(logs.String(), "\n") < 8 {
		t.Errorf("logs:\n%s", logs.String())
	}
	if s := c.Stats().String(); strings.Contains(s, testToken) {
		t.Error(s)
	}
	t.Logf("log:\n%s", logs.String())
}

func TestLogLines(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("X-Request-Id", fmt.Sprintf("r%d", n))
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			writeJSON(w, 429, `{}`)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	var lines []string
	var mu sync.Mutex
	c := newTestClient(t, srv.URL, func(c *Config) {
		c.Logf = func(f string, a ...any) { mu.Lock(); lines = append(lines, fmt.Sprintf(f, a...)); mu.Unlock() }
	})
	if _, err := c.Do(context.Background(), &Request{Op: op(t, "CreateContact"), Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "POST /contacts 429 ") || !strings.Contains(lines[0], "retrying in") ||
		!strings.Contains(lines[0], "req=r1") || !strings.HasPrefix(lines[1], "POST /contacts 200 ") || !strings.Contains(lines[1], "attempt 2/5") ||
		!strings.Contains(lines[1], "waited") {
		t.Errorf("lines:\n%s", strings.Join(lines, "\n"))
	}
	t.Log(strings.Join(lines, "\n"))
}

func TestMatchOperation(t *testing.T) {
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/contacts/abc", "ShowContact"},
		{"POST", "/contacts/search", "SearchContacts"},
		{"POST", "/contacts", "CreateContact"},
		{"post", "/contacts/", "CreateContact"},
		{"DELETE", "/contacts/abc/tags/7?x=1", "detachTagFromContact"},
		{"POST", "/companies/list", "listAllCompanies"},
		{"GET", "/nope", ""},
		{"GET", "/contacts//tags", ""},
	} {
		got := MatchOperation(tc.method, tc.path)
		id := ""
		if got != nil {
			id = got.ID
		}
		if id != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.method, tc.path, id, tc.want)
		}
	}
}

func TestExpandPath(t *testing.T) {
	o := &catalog.Operation{Path: "/contacts/{contact_id}/tags/{id}"}
	if got := ExpandPath(o, []string{"a b", "x/y"}); got != "/contacts/a%20b/tags/x%2Fy" {
		t.Error(got)
	}
	if got := ExpandPath(o, []string{"a"}); got != "/contacts/a/tags/{id}" {
		t.Error(got)
	}
	if got := ExpandPath(&catalog.Operation{Path: "/me"}, nil); got != "/me" {
		t.Error(got)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{}
	if _, ok := retryAfter(h, now); ok {
		t.Error("empty")
	}
	h.Set("Retry-After", "7")
	if d, ok := retryAfter(h, now); !ok || d != 7*time.Second {
		t.Error(d)
	}
	h.Set("Retry-After", now.Add(3*time.Second).Format(http.TimeFormat))
	if d, ok := retryAfter(h, now); !ok || d != 3*time.Second {
		t.Error(d)
	}
	h.Set("Retry-After-Ms", "250")
	if d, ok := retryAfter(h, now); !ok || d != 250*time.Millisecond {
		t.Error(d)
	}
	if r, ok := resetTime("1735689610", now); !ok || !r.Equal(now.Add(10*time.Second)) {
		t.Error(r)
	}
	if r, ok := resetTime("5", now); !ok || !r.Equal(now.Add(5*time.Second)) {
		t.Error(r)
	}
	b := backoff{base: 100 * time.Millisecond, max: time.Second}
	for a := 1; a < 10; a++ {
		d := b.delay(a)
		hi := min(100*time.Millisecond<<(a-1), time.Second)
		if d < hi/2 || d > hi {
			t.Errorf("attempt %d: %s", a, d)
		}
	}
}

// TestHints: a program's Hints replace the client's own advice, which
// names Config's fields; empty fields keep it.
func TestHints(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		writeJSON(w, 401, `{"type":"error.list","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}`)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String()
	l.Close()
	hints := Hints{Unauthorized: "set MY_TOKEN", MalformedToken: "from MY_TOKEN", Unreachable: "check --url", Version: func(v string) string { return "use --v " + v }}

	for _, c := range []struct {
		hints                       Hints
		unauthorized, gone, version string
	}{
		{Hints{}, defaultUnauthorized, defaultUnreachable, `set Config.Version to "2.16"`},
		{hints, "set MY_TOKEN", "check --url", "use --v 2.16"},
	} {
		cl := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Hints = c.hints })
		_, err := cl.Do(context.Background(), &Request{Path: "/me"})
		if e := apiErr(t, err); e.Hint != c.unauthorized || !strings.HasSuffix(strings.TrimSuffix(e.Error(), " [request "+e.RequestID+"]"), " — "+c.unauthorized) {
			t.Errorf("401 hint %q in %q, want %q", e.Hint, e.Error(), c.unauthorized)
		}
		cl = newTestClient(t, refused, func(cfg *Config) { cfg.Hints = c.hints })
		_, err = cl.Do(context.Background(), &Request{Path: "/me"})
		if e := apiErr(t, err); e.Hint != "nothing answered there on the first request, so it was not retried: "+c.gone {
			t.Errorf("unreachable hint %q, want it to end with %q", e.Hint, c.gone)
		}
		if got := cl.Hints().Version("2.16"); got != c.version {
			t.Errorf("version hint %q, want %q", got, c.version)
		}
	}

	_, err = New(Config{Token: "two words"})
	if err == nil || err.Error() != "intercom: the access token contains spaces or non-printable characters" {
		t.Errorf("malformed token, no hints: %v", err)
	}
	_, err = New(Config{Token: "two words", Hints: hints})
	if err == nil || err.Error() != "intercom: the access token contains spaces or non-printable characters (from MY_TOKEN)" {
		t.Errorf("malformed token, with hints: %v", err)
	}
}

// TestCancelledCallSendsNothing: a call whose context has ended sends no
// request, every time (a select between a free concurrency slot and the
// cancellation would send about half of them).
func TestCancelledCallSendsNothing(t *testing.T) {
	srv, got := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) { writeJSON(w, 200, `{}`) })
	c := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 200 {
		if _, err := c.Do(ctx, &Request{Op: op(t, "ListContacts")}); !errors.Is(err, context.Canceled) {
			t.Fatalf("Do with a cancelled context: %v", err)
		}
	}
	if n, st := got.n.Load(), c.Stats(); n != 0 || st.Requests != 0 {
		t.Errorf("%d requests reached the server, %d counted, after the context ended", n, st.Requests)
	}
}
