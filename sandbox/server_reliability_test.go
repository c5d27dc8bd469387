package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The served sandbox faces clients it does not control (`icscript
// sandbox`): these tests hold it to bounded bodies, bounded slow clients,
// a token check that leaks no timing, and hundreds of concurrent
// connections.

func listen(t *testing.T, sb *Sandbox) string {
	t.Helper()
	base, err := sb.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return strings.TrimPrefix(base, "http://")
}

func newSmallSandbox(t *testing.T) *Sandbox {
	t.Helper()
	sb, err := New(Options{Seed: 11, Contacts: 40, Companies: 5, Conversations: 20})
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

// errorList checks an error.list body and returns its first code.
func errorList(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		Type   string `json:"type"`
		Errors []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Type != "error.list" || len(e.Errors) == 0 || e.Errors[0].Message == "" {
		t.Fatalf("not an error.list with a message: %q", body)
	}
	return e.Errors[0].Code
}

func TestRequestBodyLimit(t *testing.T) {
	sb := newSmallSandbox(t)
	h := sb.Handler()
	big := append([]byte(`{"email":"`), bytes.Repeat([]byte("a"), maxBody)...)
	big = append(big, `"}`...)
	for _, chunked := range []bool{false, true} {
		var body io.Reader = bytes.NewReader(big)
		if chunked {
			body = io.MultiReader(body) // hides the length: no Content-Length
		}
		r := httptest.NewRequest("POST", "/contacts", body)
		if chunked {
			r.ContentLength = -1
		}
		r.Header.Set("Authorization", "Bearer "+sb.Token())
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked=%v: status %d, want 413: %.200s", chunked, w.Code, w.Body.String())
		}
		if code := errorList(t, w.Body.Bytes()); code != codeBodyTooLarge {
			t.Fatalf("code %q", code)
		}
	}
	// Just under the limit is read (and refused for what it says, not its size).
	r := httptest.NewRequest("POST", "/contacts", bytes.NewReader(big[:maxBody]))
	r.Header.Set("Authorization", "Bearer "+sb.Token())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("a body of exactly the limit: status %d, want 400", w.Code)
	}
}

func TestServerHasTimeouts(t *testing.T) {
	srv := newSmallSandbox(t).newServer()
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Fatalf("server without timeouts: %+v", srv)
	}
}

// TestSlowClientsAreCut: a client that stalls in its headers, in its body
// or while idle loses its connection; the server goes on serving others.
func TestSlowClientsAreCut(t *testing.T) {
	sb := newSmallSandbox(t)
	sb.timeouts = serverTimeouts{readHeader: 200 * time.Millisecond, read: 400 * time.Millisecond, idle: 300 * time.Millisecond}
	addr := listen(t, sb)
	auth := "Authorization: Bearer " + sb.Token() + "\r\n"
	cases := map[string]string{
		"stalled headers": "GET /me HTTP/1.1\r\nHost: x\r\n",
		"stalled body":    "POST /contacts HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":",
		"idle keep-alive": "GET /me HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
	}
	for name, send := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, send); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err = io.Copy(io.Discard, conn) // until the server closes
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("the server kept the connection for 10s")
			}
			t.Logf("closed after %s", time.Since(start).Round(time.Millisecond))
		})
	}
	t.Cleanup(func() {
		// Still serving after all that.
		req, _ := http.NewRequest("GET", "http://"+addr+"/me", nil)
		req.Header.Set("Authorization", "Bearer "+sb.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("serving after slow clients: %v %v", resp, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
	})
}

func TestTokenCheck(t *testing.T) {
	sb := newSmallSandbox(t)
	tok := sb.Token()
	flip := []byte(tok)
	flip[len(flip)-1] ^= 1
	cases := map[string]int{
		"Bearer " + tok:              200,
		"bearer " + tok:              401,
		"Bearer " + tok[:len(tok)-1]: 401,
		"Bearer " + tok + "x":        401,
		"Bearer " + string(flip):     401,
		"Bearer ":                    401,
		"":                           401,
		tok:                          401,
	}
	for auth, want := range cases {
		r := httptest.NewRequest("GET", "/me", nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		sb.Handler().ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Authorization %q: %d, want %d", auth, w.Code, want)
		}
		if want == 401 && errorList(t, w.Body.Bytes()) != codeUnauthorized {
			t.Errorf("Authorization %q: not unauthorized", auth)
		}
	}
}

// TestHolds500Connections opens 500 connections to a served sandbox (on
// loopback), holds them all open at once, and sends a mix of reads, searches
// and updates on each: every request must get a complete 200.
func TestHolds500Connections(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: skipped with -short")
	}
	const conns, perConn = 500, 6
	sb := newSmallSandbox(t)
	addr := listen(t, sb)
	contacts := append([]string(nil), sb.st.t(tContacts).ids...)
	var ok, failed atomic.Int64
	var firstErr sync.Once
	var errMsg string
	fail := func(format string, args ...any) {
		failed.Add(1)
		firstErr.Do(func() { errMsg = fmt.Sprintf(format, args...) })
	}
	opened := make(chan net.Conn, conns)
	var dial sync.WaitGroup
	for i := 0; i < conns; i++ {
		dial.Add(1)
		go func() {
			defer dial.Done()
			c, err := net.DialTimeout("tcp", addr, 10*time.Second)
			if err != nil {
				fail("dial: %v", err)
				return
			}
			opened <- c
		}()
	}
	dial.Wait()
	close(opened)
	start := time.Now()
	var work sync.WaitGroup
	i := 0
	for c := range opened {
		work.Add(1)
		go func(n int, c net.Conn) {
			defer work.Done()
			defer c.Close()
			c.SetDeadline(time.Now().Add(60 * time.Second))
			br := bufio.NewReader(c)
			for k := 0; k < perConn; k++ {
				req := loadRequest(n, k, contacts)
				req.Header.Set("Authorization", "Bearer "+sb.Token())
				if err := req.Write(c); err != nil {
					fail("conn %d request %d: write: %v", n, k, err)
					return
				}
				resp, err := http.ReadResponse(br, req)
				if err != nil {
					fail("conn %d request %d: %v", n, k, err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || !json.Valid(body) {
					fail("conn %d %s %s: %d %v %.200s", n, req.Method, req.URL.Path, resp.StatusCode, err, body)
					return
				}
				ok.Add(1)
			}
		}(i, c)
		i++
	}
	work.Wait()
	elapsed := time.Since(start)
	t.Logf("%d connections held at once, %d requests OK in %s (%.0f/s), %d failed", i, ok.Load(), elapsed.Round(time.Millisecond), float64(ok.Load())/elapsed.Seconds(), failed.Load())
	if failed.Load() > 0 || i != conns {
		t.Fatalf("%d of %d connections opened, %d failures; first: %s", i, conns, failed.Load(), errMsg)
	}
}

// loadRequest is request k of connection n: a mix of reads, searches,
// pages and updates.
func loadRequest(n, k int, contacts []string) *http.Request {
	id := contacts[(n*7+k)%len(contacts)]
	var r *http.Request
	switch (n + k) % 4 {
	case 0:
		r, _ = http.NewRequest("GET", "http://sandbox/me", nil)
	case 1:
		r, _ = http.NewRequest("GET", "http://sandbox/contacts?per_page=5", nil)
	case 2:
		r, _ = http.NewRequest("POST", "http://sandbox/contacts/search", strings.NewReader(`{"query":{"field":"role","operator":"=","value":"user"},"pagination":{"per_page":5}}`))
		r.Header.Set("Content-Type", "application/json")
	default:
		r, _ = http.NewRequest("PUT", "http://sandbox/contacts/"+id, strings.NewReader(fmt.Sprintf(`{"name":"Load %d-%d"}`, n, k)))
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Intercom-Version", "2.10")
	return r
}
