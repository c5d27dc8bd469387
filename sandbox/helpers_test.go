package sandbox_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// fixedNow is the clock of the tests' workspaces.
var fixedNow = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

func testOptions() sandbox.Options {
	return sandbox.Options{Seed: 7, Now: func() time.Time { return fixedNow }}
}

// client sends raw HTTP to a sandbox.
type client struct {
	t     testing.TB
	sb    *sandbox.Sandbox
	base  string
	token string
	http  *http.Client
	// version is the Intercom-Version the client sends: "2.10" unless a
	// test asks for another.
	version string
}

func start(t testing.TB, opts sandbox.Options) *client {
	t.Helper()
	sb, base := sandboxtest.Start(t, opts)
	return &client{t: t, sb: sb, base: base, token: sb.Token(), http: httpClient(), version: "2.10"}
}

func httpClient() *http.Client { return &http.Client{Timeout: 30 * time.Second} }

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r *response) String() string {
	return fmt.Sprintf("%d %s", r.status, truncate(string(r.raw), 600))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// errorCode is the first error code of an error.list.
func (r *response) errorCode() string {
	errs, _ := r.body["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	m, _ := errs[0].(map[string]any)
	s, _ := m["code"].(string)
	return s
}

func (c *client) request(method, path string, body any) *http.Request {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Intercom-Version", c.version)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func (c *client) send(req *http.Request) *response {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading: %v", req.Method, req.URL.Path, err)
	}
	out := &response{status: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && len(raw) > 0 && raw[0] != '[' {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			c.t.Fatalf("%s %s: bad JSON: %v", req.Method, req.URL.Path, err)
		}
	}
	return out
}

func (c *client) do(method, path string, body any) *response {
	c.t.Helper()
	return c.send(c.request(method, path, body))
}

// ok sends a request that must answer 2xx and returns its body.
func (c *client) ok(method, path string, body any) map[string]any {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.status/100 != 2 {
		c.t.Fatalf("%s %s: want 2xx, got %s", method, path, r)
	}
	return r.body
}

// Helpers over decoded JSON.

func m(v any) map[string]any { x, _ := v.(map[string]any); return x }

func arr(v any) []any { x, _ := v.([]any); return x }

func s(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return fmt.Sprintf("%.0f", x)
	}
	return ""
}

func n(v any) int64 { f, _ := v.(float64); return int64(f) }

// firstOf returns the first item of a listing.
func (c *client) firstOf(path, field string) map[string]any {
	c.t.Helper()
	items := arr(c.ok("GET", path, nil)[field])
	if len(items) == 0 {
		c.t.Fatalf("GET %s: no %s", path, field)
	}
	return m(items[0])
}

func (c *client) searchOne(path string, query map[string]any, field string) map[string]any {
	c.t.Helper()
	items := arr(c.ok("POST", path, map[string]any{"query": query, "pagination": map[string]any{"per_page": 1}})[field])
	if len(items) == 0 {
		c.t.Fatalf("POST %s %v: nothing found", path, query)
	}
	return m(items[0])
}

func eq(field, op string, value any) map[string]any {
	return map[string]any{"field": field, "operator": op, "value": value}
}

// ids of the seeded workspace that the tests use.
func (c *client) userID() string {
	return s(c.searchOne("/contacts/search", eq("role", "=", "user"), "data")["id"])
}

func (c *client) leadID() string {
	return s(c.searchOne("/contacts/search", eq("role", "=", "lead"), "data")["id"])
}

func (c *client) adminID() string { return s(c.ok("GET", "/me", nil)["id"]) }

func (c *client) adminNum() int64 {
	var v int64
	fmt.Sscan(c.adminID(), &v)
	return v
}

func (c *client) conversationID() string {
	return s(c.firstOf("/conversations?per_page=1", "conversations")["id"])
}

func (c *client) tagNamed(name string) string {
	for _, t := range arr(c.ok("GET", "/tags", nil)["data"]) {
		if s(m(t)["name"]) == name {
			return s(m(t)["id"])
		}
	}
	c.t.Fatalf("no tag %q", name)
	return ""
}

// allContacts pages through GET /contacts.
func (c *client) allContacts() []map[string]any {
	var out []map[string]any
	path := "/contacts?per_page=150"
	for {
		body := c.ok("GET", path, nil)
		for _, it := range arr(body["data"]) {
			out = append(out, m(it))
		}
		next := m(m(body["pages"])["next"])
		if next == nil {
			return out
		}
		path = "/contacts?per_page=150&starting_after=" + s(next["starting_after"])
	}
}
