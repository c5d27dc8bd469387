package intercom

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

var benchBody = []byte(`{"type":"contact","id":"6657a1b2c3d4e5f6a7b8c9d0","email":"someone@example.com","name":"Someone","role":"user"}`)

// BenchmarkDo: parallel calls through the whole stack against a local HTTP
// server (allocations include the server's).
func BenchmarkDo(b *testing.B) {
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
		}
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["X-Ratelimit-Limit"] = []string{"1000000000"}
		h["X-Ratelimit-Remaining"] = []string{"999999999"}
		h["X-Ratelimit-Reset"] = []string{reset}
		h["X-Request-Id"] = []string{"req-1"}
		w.Write(benchBody)
	}))
	defer srv.Close()
	c, err := New(Config{Token: testToken, BaseURL: srv.URL, Concurrency: 16})
	if err != nil {
		b.Fatal(err)
	}
	benchCalls(b, c, 8, // 8×GOMAXPROCS goroutines: exercises the semaphore
		benchCall{"GET", Request{Op: op(b, "ShowContact"), Path: "/contacts/6657a1b2c3d4e5f6a7b8c9d0"}},
		benchCall{"PUT", Request{Op: op(b, "UpdateContact"), Path: "/contacts/6657a1b2c3d4e5f6a7b8c9d0", Body: []byte(`{"name":"x"}`)}},
		benchCall{"POST-create", Request{Op: op(b, "CreateContact"), Body: []byte(`{"email":"x@y.z"}`)}})
}

// benchCall is one sub-benchmark of benchCalls: a request sent again and again.
type benchCall struct {
	name string
	req  Request
}

// benchCalls runs each call as a sub-benchmark of parallel c.Do calls, with
// parallelism×GOMAXPROCS goroutines (1: the default).
func benchCalls(b *testing.B, c *Client, parallelism int, calls ...benchCall) {
	for _, bc := range calls {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(parallelism)
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					req := bc.req
					if _, err := c.Do(ctx, &req); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// fakeRT answers every request in memory: it isolates the client's own cost.
type fakeRT struct{ header http.Header }

func (f fakeRT) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{
		StatusCode:    200,
		Header:        f.header,
		Body:          io.NopCloser(bytes.NewReader(benchBody)),
		ContentLength: int64(len(benchBody)),
		Request:       r,
	}, nil
}

// BenchmarkDoOverhead: the client's own CPU and allocations per call, with
// an in-memory transport (which itself allocates 3 objects per call).
func BenchmarkDoOverhead(b *testing.B) {
	h := http.Header{
		"X-Ratelimit-Limit":     {"1000000000"},
		"X-Ratelimit-Remaining": {"999999999"},
		"X-Ratelimit-Reset":     {strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)},
		"X-Request-Id":          {"req-1"},
	}
	c, err := New(Config{Token: testToken, BaseURL: "https://api.intercom.io", Transport: fakeRT{h}})
	if err != nil {
		b.Fatal(err)
	}
	benchCalls(b, c, 1,
		benchCall{"GET", Request{Op: op(b, "ShowContact"), Path: "/contacts/6657a1b2c3d4e5f6a7b8c9d0"}},
		benchCall{"POST-create", Request{Op: op(b, "CreateContact"), Body: []byte(`{"email":"x@y.z"}`)}})
}
