package bindings_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/runtime/runtimetest"
)

const testToken = "tok_test_0123456789"

// recorded is one request a test server saw.
type recorded struct {
	Method, Path, RawPath string
	Query                 url.Values
	Header                http.Header
	Body                  []byte
}

// recorder is a test server that records requests and answers with reply.
type recorder struct {
	mu    sync.Mutex
	reqs  []recorded
	reply func(r *http.Request, n int) (int, []byte)
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{r.Method, r.URL.Path, r.URL.EscapedPath(), r.URL.Query(), r.Header.Clone(), body})
	n := len(rec.reqs)
	rec.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	status, out := rec.reply(r, n)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", n))
	w.WriteHeader(status)
	w.Write(out)
}

func (rec *recorder) requests() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

// newVM gives a VM with the bindings installed against a test server,
// acting as admin 991.
func newVM(t *testing.T, h http.Handler, opts ...func(*intercom.Config)) *runtime.VM {
	t.Helper()
	return newVMWithAdmin(t, h, "991", opts...)
}

func newVMWithAdmin(t *testing.T, h http.Handler, admin string, opts ...func(*intercom.Config)) *runtime.VM {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := intercom.Config{Token: testToken, BaseURL: srv.URL, MaxRetries: 1}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := intercom.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	vm := runtimetest.New(t)
	if _, err := bindings.Install(vm, bindings.Options{Client: c, Admin: admin}); err != nil {
		t.Fatal(err)
	}
	return vm
}

// callPlan is how the sweep calls one operation and what it expects sent.
type callPlan struct {
	op        *catalog.Operation
	args      []any
	wantPath  string
	wantQuery url.Values
	wantBody  map[string]any
}

func planCall(op *catalog.Operation) callPlan {
	p := callPlan{op: op, wantQuery: url.Values{}, args: []any{}}
	var params []string
	for i, pp := range op.PathParams {
		if pp.Type == "integer" {
			p.args = append(p.args, 40+i)
			params = append(params, fmt.Sprint(40+i))
			continue
		}
		v := fmt.Sprintf("%s/%d x", pp.Name, i)
		p.args = append(p.args, v)
		params = append(params, v)
	}
	p.wantPath = intercom.ExpandPath(op, params)
	fields := map[string]any{}
	for _, q := range op.Query {
		if !q.Required {
			continue
		}
		if q.Explode {
			fields[q.Name] = map[string]any{"user_id": "u1"}
			p.wantQuery.Set("user_id", "u1")
			continue
		}
		v := "value"
		if len(q.Enum) > 0 {
			v = q.Enum[0]
		}
		fields[q.Name] = v
		p.wantQuery.Set(q.Name, v)
	}
	if op.Body != nil {
		if body, ok := catalog.Sample(op.Body).(map[string]any); ok && len(body) > 0 {
			p.wantBody = body
			for k, v := range body {
				fields[k] = v
			}
		}
	}
	if len(fields) > 0 {
		p.args = append(p.args, fields)
	}
	return p
}

// reply answers like Intercom would, enough for the bindings to decode.
func reply(op *catalog.Operation) (int, []byte) {
	switch {
	case op.Binary:
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte("id,body\n1,hello\n"))
		zw.Close()
		return 200, b.Bytes()
	case op.Status == 202:
		return 202, nil
	case op.Listing():
		items := []any{map[string]any{"type": "thing", "id": "i1"}}
		var v any = items
		parts := strings.Split(op.ItemsField, ".")
		for i := len(parts) - 1; i >= 0; i-- {
			v = map[string]any{parts[i]: v}
		}
		body := v.(map[string]any)
		body["type"] = "list"
		out, _ := json.Marshal(body)
		return 200, out
	}
	return 200, []byte(`{"type":"thing","id":"t1"}`)
}

// TestEveryOperation calls every binding from JS and checks what reached
// the server: method, escaped path, query, JSON body and headers.
func TestEveryOperation(t *testing.T) {
	plans := make([]callPlan, len(catalog.Operations))
	calls := make([]any, len(catalog.Operations))
	for i, op := range catalog.Operations {
		plans[i] = planCall(op)
		calls[i] = []any{op.JSName(), plans[i].args}
	}
	rec := &recorder{}
	rec.reply = func(r *http.Request, n int) (int, []byte) { return reply(catalog.Operations[n-1]) }
	vm := newVM(t, rec)
	script, _ := json.Marshal(calls)
	out, err := runtimetest.Run(t, vm, `
const calls = `+string(script)+`;
const kinds = [];
for (const [name, args] of calls) {
  const parts = name.split(".");
  const fn = parts.reduce((o, k) => o[k], intercom);
  const r = fn(...args);
  if (r && typeof r.first === "function") { const item = await r.first(); if (!item || item.id !== "i1") throw new Error(name + ": pager item " + JSON.stringify(item)); kinds.push("pager"); }
  else { const v = await r; kinds.push(v === null ? "null" : (v.text ? "binary:" + v.text().trim() : v.id)); }
}
console.log(kinds.filter(k => k === "pager").length, kinds.filter(k => k === "null").length, kinds.find(k => k.startsWith("binary")));
`)
	if err != nil {
		t.Fatalf("script failed: %v", err)
	}
	var listings int
	for _, op := range catalog.Operations {
		if op.Listing() {
			listings++
		}
	}
	if want := fmt.Sprintf("%d 1 binary:id,body\n1,hello\n", listings); strings.TrimSpace(out) != strings.TrimSpace(want) {
		t.Errorf("script printed %q, want %q", out, want)
	}
	reqs := rec.requests()
	if len(reqs) != len(plans) {
		t.Fatalf("server saw %d requests, want %d", len(reqs), len(plans))
	}
	for i, p := range plans {
		checkRequest(t, p, reqs[i])
	}
}

func checkRequest(t *testing.T, p callPlan, got recorded) {
	t.Helper()
	op := p.op
	if got.Method != op.Method || got.RawPath != p.wantPath {
		t.Errorf("%s: sent %s %s, want %s %s", op.ID, got.Method, got.RawPath, op.Method, p.wantPath)
	}
	for k := range p.wantQuery {
		if got.Query.Get(k) != p.wantQuery.Get(k) {
			t.Errorf("%s: query %s=%q, want %q", op.ID, k, got.Query.Get(k), p.wantQuery.Get(k))
		}
	}
	if p.wantBody != nil {
		var body map[string]any
		if err := json.Unmarshal(got.Body, &body); err != nil {
			t.Errorf("%s: body is not JSON: %q", op.ID, got.Body)
		}
		want, _ := json.Marshal(p.wantBody)
		var wantBody map[string]any
		json.Unmarshal(want, &wantBody)
		if !reflect.DeepEqual(body, wantBody) {
			t.Errorf("%s: body %s, want %s", op.ID, got.Body, want)
		}
		if ct := got.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", op.ID, ct)
		}
	}
	wantAccept := "application/json"
	if op.Binary {
		wantAccept = "application/octet-stream"
	}
	for h, want := range map[string]string{"Authorization": "Bearer " + testToken, "Intercom-Version": "2.10", "Accept": wantAccept} {
		if got.Header.Get(h) != want {
			t.Errorf("%s: header %s = %q, want %q", op.ID, h, got.Header.Get(h), want)
		}
	}
	if !strings.Contains(got.Header.Get("User-Agent"), "icscript") {
		t.Errorf("%s: User-Agent %q does not name icscript", op.ID, got.Header.Get("User-Agent"))
	}
}
