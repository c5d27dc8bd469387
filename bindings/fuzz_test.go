package bindings

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/runtime"
)

// The fuzz targets of the bindings: what a script passes (any JSON-shaped
// arguments to any operation) and what a server answers (any status, any
// bytes) must give a request, a value or a clear error; never a panic.
// Their seed corpora are under testdata/fuzz/.

// undefinedMarker, as a JSON string, stands for a JS undefined argument.
const undefinedMarker = "\x00undefined"

// fuzzArgs turns JSON into what exportArgs gives for the same JS values:
// whole numbers that fit are int64 (goja exports them so), the others
// float64; the marker string is undefined.
func fuzzArgs(v any) any {
	switch x := v.(type) {
	case json.Number:
		return numbers(x)
	case string:
		if x == undefinedMarker {
			return undefined{}
		}
	case []any:
		for i := range x {
			x[i] = fuzzArgs(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = fuzzArgs(x[k])
		}
	}
	return v
}

func fuzzOp(i uint) *catalog.Operation {
	return catalog.Operations[i%uint(len(catalog.Operations))]
}

// FuzzBuildRequest: any arguments to any operation give a request whose
// path is expanded and whose body is JSON, or an error naming the call.
func FuzzBuildRequest(f *testing.F) {
	for i, op := range catalog.Operations {
		var args []any
		for range op.PathParams {
			args = append(args, "abc123")
		}
		if op.Body != nil {
			args = append(args, catalog.Sample(op.Body))
		}
		if data, err := json.Marshal(args); err == nil {
			f.Add(uint(i), data)
		}
	}
	f.Fuzz(func(t *testing.T, opIndex uint, data []byte) {
		op := fuzzOp(opIndex)
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var raw []any
		if dec.Decode(&raw) != nil {
			return
		}
		args := fuzzArgs(raw).([]any)
		req, err := buildRequest(op, args)
		if err != nil {
			prefix := "intercom." + op.JSName() + "("
			if !strings.HasPrefix(err.Error(), prefix) || len(err.Error()) <= len(prefix)+2 {
				t.Fatalf("error %q does not name the call %s", err, prefix)
			}
			return
		}
		if req.Op != op || req.Method != op.Method || !strings.HasPrefix(req.Path, "/") {
			t.Fatalf("request %+v for %s", req, op.ID)
		}
		for _, p := range op.PathParams {
			if strings.Contains(req.Path, "{"+p.Name+"}") {
				t.Fatalf("path %q keeps {%s}", req.Path, p.Name)
			}
		}
		if req.Body != nil && !json.Valid(req.Body) {
			t.Fatalf("body is not JSON: %q", req.Body)
		}
	})
}

// fuzzTransport answers every request with one status and body.
type fuzzTransport struct {
	status        int
	body          []byte
	contentLength bool
}

func (ft *fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	cl := int64(-1)
	if ft.contentLength {
		cl = int64(len(ft.body))
	}
	h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req-fuzz"}}
	return &http.Response{StatusCode: ft.status, Status: strconv.Itoa(ft.status), Header: h,
		Body: io.NopCloser(bytes.NewReader(ft.body)), ContentLength: cl, Request: r}, nil
}

const fuzzToken = "tok_fuzz_SECRET_0123456789"

var fuzzBindings = sync.OnceValue(func() *Bindings {
	vm := runtime.New(context.Background(), runtime.Options{})
	c, err := intercom.New(intercom.Config{Token: fuzzToken, BaseURL: "http://fuzz.invalid"})
	if err != nil {
		panic(err)
	}
	b, err := Install(vm, Options{Client: c})
	if err != nil {
		panic(err)
	}
	return b
})

// FuzzDecodeResponse: any status and body, through the client (no retries)
// and then the bindings' decoding and the Pager's next-page logic, give a
// value or an *APIError with a message; never a panic or the token.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(uint(0), 200, []byte(`{"type":"list","data":[{"id":"1"}],"pages":{"next":{"starting_after":"abc"}}}`), true)
	f.Add(uint(5), 200, []byte(`{"data":[{"id":"1"}],"pages":{"page":1,"total_pages":3}}`), true)
	f.Add(uint(9), 200, []byte(`{"conversations":[{}],"pages":{"next":"http://other.host/conversations?starting_after=x"}}`), false)
	f.Add(uint(3), 200, []byte(`{"data":[1],"scroll_param":"s"}`), true)
	f.Add(uint(7), 404, []byte(`{"type":"error.list","request_id":"r1","errors":[{"code":"not_found","message":"gone"}]}`), true)
	f.Add(uint(2), 500, []byte(`<html>oops</html>`), true)
	f.Add(uint(1), 200, []byte(`{"data":[`), true)
	f.Add(uint(4), 201, []byte{}, true)
	f.Add(uint(6), 429, []byte(`{"type":"error.list","errors":"not a list"}`), false)
	f.Add(uint(8), 200, []byte("\x1f\x8b\x08\x00garbage"), true)
	f.Fuzz(func(t *testing.T, opIndex uint, status int, body []byte, contentLength bool) {
		op := fuzzOp(opIndex)
		status = 100 + int(math.Abs(float64(status%900)))
		ft := &fuzzTransport{status: status, body: body, contentLength: contentLength}
		c, err := intercom.New(intercom.Config{Token: fuzzToken, BaseURL: "http://fuzz.invalid", Transport: ft, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		params := make([]string, len(op.PathParams))
		for i := range params {
			params[i] = "id" + strconv.Itoa(i)
		}
		req := &intercom.Request{Op: op, Path: intercom.ExpandPath(op, params)}
		if op.Body != nil {
			req.Body = []byte(`{}`)
		}
		resp, err := c.Do(context.Background(), req)
		if err != nil {
			var ae *intercom.APIError
			if !errors.As(err, &ae) || ae.Code == "" || err.Error() == "" {
				t.Fatalf("error %v (%T) is not an *APIError with a code", err, err)
			}
			if status >= 400 && ae.Status != status {
				t.Fatalf("status %d reported as %d: %v", status, ae.Status, err)
			}
			if strings.Contains(err.Error(), fuzzToken) {
				t.Fatalf("the token leaked into %q", err)
			}
			b := fuzzBindings()
			if v := b.errorValue(b.wrapError(err)); v == nil {
				t.Fatal("no IntercomError for", err)
			}
			return
		}
		if next := nextRequest(op, req, resp, op.ItemsField); next != nil {
			if next.Path == "" || next.Op != op {
				t.Fatalf("next request %+v", next)
			}
		}
		b := fuzzBindings()
		if v, err := b.decode(op, req, resp); err != nil {
			if !strings.Contains(err.Error(), "not JSON") {
				t.Fatalf("decode error %q does not say what is wrong", err)
			}
		} else if v == nil {
			t.Fatal("decode returned nil without an error")
		}
		if op.Listing() {
			src := &pageSource{b: b, op: op, first: req, items: op.ItemsField}
			if _, err := src.toJS(page{resp: resp}); err != nil && !strings.Contains(err.Error(), "not JSON") {
				t.Fatalf("page error %q does not say what is wrong", err)
			}
		}
	})
}
