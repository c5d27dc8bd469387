package stdlib_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/stdlib"
)

func fetchServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/hook", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var decoded any
		_ = json.Unmarshal(body, &decoded)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"method":       r.Method,
			"content_type": r.Header.Get("Content-Type"),
			"auth":         r.Header.Get("Authorization"),
			"query":        r.URL.RawQuery,
			"body":         decoded,
			"raw":          string(body),
		})
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "not here ✗")
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetch(t *testing.T) {
	srv := fetchServer(t)
	h := setup(t, nil)
	h.ok(t, `
const base = `+jsString(srv.URL)+`;
const res = await fetch(base + "/hook?token=s3cr3t", {
	method: "post",
	headers: {Authorization: "Bearer abc"},
	body: {text: "Closed 3 conversations ✓", n: 3},
});
eq(res.status, 201);
eq(res.ok, true);
eq(res.statusText, "Created");
eq(res.url, base + "/hook", "url without the query string");
eq(res.headers["content-type"], "application/json", "lower-case header names");
eq(res.headers["x-multi"], "a, b", "repeated headers joined");
eq(res.headers.get("X-Multi"), "a, b", "headers.get");
eq(res.headers.get("nope"), null);
eq(Object.keys(res.headers).includes("get"), false, "get is not a header");
const got = await res.json();
eq(got.method, "POST");
eq(got.content_type, "application/json", "object bodies are JSON");
eq(got.auth, "Bearer abc");
eq(got.query, "token=s3cr3t");
eq(got.raw, JSON.stringify({text: "Closed 3 conversations ✓", n: 3}), "body sent as JSON, key order kept");
eq(typeof (await res.text()), "string", "text() after json()");

const plain = await fetch(base + "/hook", {method: "PUT", body: "hello", headers: {"content-type": "text/plain"}});
const p = await plain.json();
eq([p.method, p.content_type, p.raw], ["PUT", "text/plain", "hello"], "string bodies as they are");

const nf = await fetch(base + "/text");
eq([nf.status, nf.ok], [404, false], "HTTP errors resolve");
eq(await nf.text(), "not here ✗");
await rejects(nf.json(), "fetch(): GET " + base + "/text: the response is not JSON (status 404");

await rejects(fetch(base + "/slow?key=s3cr3t", {timeout: 50}), "fetch(): GET " + base + "/slow: timed out");
throws(() => fetch("ftp://example.com/x"), "fetch(): wants an http:// or https:// URL, got 'ftp://example.com/x'");
throws(() => fetch("/relative"), "fetch(): wants an http:// or https:// URL");
throws(() => fetch(base, {body: 42}), "fetch(): body must be a string or an object");
throws(() => fetch(base, {headers: "x"}), "fetch(): headers must be an object");
`)
}

func TestFetchNetworkErrorHidesQuery(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	h := setup(t, nil)
	h.ok(t, `
const e = await rejects(fetch(`+jsString(url)+` + "/services/T0/B0/hooksecret?token=s3cr3t"), "fetch(): GET `+url+`/services/…: ");
if (e.message.includes("s3cr3t")) throw new Error("the query string leaked: " + e.message);
if (e.message.includes("hooksecret")) throw new Error("the webhook's secret path leaked: " + e.message);
`)
}

func TestFetchIsCancelledWithTheRun(t *testing.T) {
	srv := fetchServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	vm := runtime.New(ctx, runtime.Options{})
	defer vm.Close()
	if err := stdlib.Install(vm, stdlib.Env{}); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := vm.RunCode(`await fetch(`+jsString(srv.URL+"/slow")+`)`, "fetch.js")
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancellation took %v", d)
	}
	if !errors.Is(err, runtime.ErrInterrupted) && (err == nil || !strings.Contains(err.Error(), "cancel")) {
		t.Fatalf("run error = %v; want an interruption", err)
	}
}
