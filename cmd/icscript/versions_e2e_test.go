package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

// recorded is one request as the recording server saw it.
type recordedRequest struct {
	method, uri string
	header      http.Header
	body        []byte
}

// recordingServer answers every request with an empty JSON object and
// keeps what it was sent.
func recordingServer(t *testing.T) (*httptest.Server, func() []recordedRequest) {
	var mu sync.Mutex
	var got []recordedRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, recordedRequest{r.Method, r.RequestURI, r.Header.Clone(), body})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	return srv, func() []recordedRequest {
		mu.Lock()
		defer mu.Unlock()
		return append([]recordedRequest(nil), got...)
	}
}

// TestEveryOperationOfEveryVersion calls every operation of every API
// version through the binary, pinned with --api-version, against a
// recording server, and checks each request against that version's
// description with kin-openapi's request validator: the route exists in
// the description, the parameters and body are valid, Intercom-Version
// names the version, and every operation the description has was called.
func TestEveryOperationOfEveryVersion(t *testing.T) {
	dir := t.TempDir()
	for _, v := range testsupport.DescribedVersions(t) {
		t.Run(v, func(t *testing.T) {
			cat, err := catalog.For(v)
			if err != nil {
				t.Fatal(err)
			}
			desc := testsupport.LoadDescription(t, v)
			var calls []any
			for _, op := range cat.Operations {
				calls = append(calls, []any{op.JSName(), testsupport.CallArgs(desc, op)})
			}
			data, _ := json.Marshal(calls)
			script := filepath.Join(dir, "every-"+v+".js")
			src := "const calls = " + string(data) + `;
for (const [name, args] of calls) {
  const fn = name.split(".").reduce((o, k) => o[k], intercom);
  try {
    const r = fn(...args);
    if (r && typeof r.first === "function") await r.first(); else await r;
  } catch (e) {
    if (!(e instanceof IntercomError) || e.status === 0 && !/not JSON|items|field/.test(e.message)) console.log("FAILED " + name + ": " + e.message);
  }
}
`
			if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			srv, requests := recordingServer(t)
			res := icscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=tok"}, "--base-url", srv.URL, "--api-version", v, "--yes", "--quiet", "--no-audit", script)
			if strings.Contains(res.stdout, "FAILED") || res.code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
			}
			hit := map[string]bool{}
			for _, r := range requests() {
				if got := r.header.Get("Intercom-Version"); got != v {
					t.Errorf("%s %s: Intercom-Version %q, want %s", r.method, r.uri, got, v)
				}
				req, _ := http.NewRequest(r.method, "http://sandbox.invalid"+r.uri, strings.NewReader(string(r.body)))
				req.Header = r.header
				route, params, err := desc.Router.FindRoute(req)
				if err != nil {
					t.Errorf("%s %s: no route in the %s description: %v", r.method, r.uri, v, err)
					continue
				}
				hit[r.method+" "+route.Path] = true
				in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
					Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
						// kin-openapi cannot decode lisDataEvents' filter, an
						// exploded object parameter whose schema is a oneOf
						// ("filter is required" for any query).
						ExcludeRequestQueryParams: route.Operation.OperationID == "lisDataEvents"}}
				if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
					t.Errorf("%s %s (%s) is not a valid request of %s: %v\nbody: %s", r.method, r.uri, route.Operation.OperationID, v, err, r.body)
				}
			}
			for _, d := range testsupport.DescribedOperationsOf(t, v) {
				if !hit[d.Method+" "+d.Path] {
					t.Errorf("%s: %s %s (%s) was never called", v, d.Method, d.Path, d.ID)
				}
			}
		})
	}
}
