package stdlib

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// fetchModule is fetch(url, {method, headers, body, timeout}): a small
// fetch for webhooks (posting a summary to Slack). It resolves to
// {status, statusText, ok, url, headers, text(), json()} for every HTTP
// status; it rejects on network errors, naming the URL without its query
// string or credentials. The request uses the run's context, so Ctrl-C and
// --timeout cancel it.
type fetchModule struct{ s *lib }

func newFetch(s *lib) *fetchModule { return &fetchModule{s: s} }

// maxFetchBody bounds a response body held in memory.
const maxFetchBody = 64 << 20

func defaultHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConns:          10,
		},
	}
}

// fetchRequest is what fetch read from its arguments on the loop.
type fetchRequest struct {
	method  string
	url     *url.URL
	header  http.Header
	body    []byte
	timeout time.Duration
}

type fetchResponse struct {
	status     int
	statusText string
	header     http.Header
	body       []byte
}

func (m *fetchModule) fetch(call goja.FunctionCall) (any, error) {
	req, err := m.request(call)
	if err != nil {
		return nil, err
	}
	where := req.method + " " + redactURL(req.url)
	return m.s.vm.Async(func(ctx context.Context) (any, error) {
		return m.do(ctx, req, where)
	}, func(rt *goja.Runtime, v any) (goja.Value, error) {
		return m.response(where, req.url, v.(*fetchResponse)), nil
	}), nil
}

func (m *fetchModule) request(call goja.FunctionCall) (*fetchRequest, error) {
	raw, err := stringArg("fetch", "the URL", call.Argument(0))
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, typeErrorf("fetch", "wants an http:// or https:// URL, got '%s'", redactRaw(raw))
	}
	opts, err := options("fetch", call.Argument(1))
	if err != nil {
		return nil, err
	}
	req := &fetchRequest{method: http.MethodGet, url: u, header: http.Header{}}
	if mv := option(opts, "method"); !isNullish(mv) {
		req.method = strings.ToUpper(mv.String())
	}
	if err := m.headers(option(opts, "headers"), req.header); err != nil {
		return nil, err
	}
	if err := m.body(option(opts, "body"), req); err != nil {
		return nil, err
	}
	if t := option(opts, "timeout"); !isNullish(t) {
		ms, err := numberArg("fetch", "timeout (milliseconds)", t)
		if err != nil || ms <= 0 || math.IsNaN(ms) {
			return nil, typeErrorf("fetch", "timeout must be a positive number of milliseconds, got %s", describe(t))
		}
		req.timeout = time.Duration(ms * float64(time.Millisecond))
	}
	return req, nil
}

func (m *fetchModule) headers(v goja.Value, h http.Header) error {
	if isNullish(v) {
		return nil
	}
	obj, ok := v.(*goja.Object)
	if !ok || obj.ClassName() == "Array" {
		return typeErrorf("fetch", "headers must be an object like {\"content-type\": \"text/plain\"}, got %s", describe(v))
	}
	for _, k := range obj.Keys() {
		val := obj.Get(k)
		if isNullish(val) {
			continue
		}
		h.Set(k, val.String())
	}
	return nil
}

// body sets the request body: a string as it is, an ArrayBuffer as bytes,
// any other object JSON-encoded (with a JSON content type unless one is set).
func (m *fetchModule) body(v goja.Value, req *fetchRequest) error {
	switch {
	case isNullish(v):
		return nil
	case goja.IsString(v):
		req.body = []byte(v.String())
		return nil
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return typeErrorf("fetch", "body must be a string or an object (sent as JSON), got %s", describe(v))
	}
	if ab, ok := obj.Export().(goja.ArrayBuffer); ok {
		req.body = bytes.Clone(ab.Bytes())
		return nil
	}
	text, err := m.s.stringify("fetch", v, false)
	if err != nil {
		return err
	}
	req.body = []byte(text)
	if req.header.Get("Content-Type") == "" {
		req.header.Set("Content-Type", "application/json")
	}
	return nil
}

func (m *fetchModule) do(ctx context.Context, r *fetchRequest, where string) (*fetchResponse, error) {
	if r.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.timeout)
		defer cancel()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url.String(), body)
	if err != nil {
		return nil, errorf("fetch", "%s: %v", where, unwrapURLError(err))
	}
	req.Header = r.header
	resp, err := m.s.env.HTTPClient.Do(req)
	if err != nil {
		return nil, fetchError(ctx, where, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBody+1))
	if err != nil {
		return nil, fetchError(ctx, where, err)
	}
	if len(data) > maxFetchBody {
		return nil, errorf("fetch", "%s: the response is larger than %d MiB", where, maxFetchBody>>20)
	}
	return &fetchResponse{status: resp.StatusCode, statusText: http.StatusText(resp.StatusCode), header: resp.Header, body: data}, nil
}

func fetchError(ctx context.Context, where string, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return errorf("fetch", "%s: timed out", where)
	case ctx.Err() != nil:
		return errorf("fetch", "%s: cancelled (%v)", where, context.Cause(ctx))
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errorf("fetch", "%s: timed out", where)
	}
	return errorf("fetch", "%s: %v", where, unwrapURLError(err))
}

// unwrapURLError drops url.Error's wrapping, which repeats the full URL
// (query string included).
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redactURL is scheme://host and the first segment of the path: no
// credentials, query or fragment, and not the rest of the path, where
// webhook URLs keep their secret (hooks.slack.com/services/T0/B0/XXXX).
func redactURL(u *url.URL) string {
	path := u.Path
	if first, rest, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/"); ok && rest != "" {
		path = "/" + first + "/…"
	}
	return u.Scheme + "://" + u.Host + path
}

func redactRaw(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return redactURL(u)
	}
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	return raw
}

// response builds the JS response object.
func (m *fetchModule) response(where string, u *url.URL, r *fetchResponse) goja.Value {
	rt := m.s.rt
	obj := rt.NewObject()
	_ = obj.Set("status", r.status)
	_ = obj.Set("statusText", r.statusText)
	_ = obj.Set("ok", r.status >= 200 && r.status < 300)
	_ = obj.Set("url", redactURL(u))
	_ = obj.Set("headers", m.headerObject(r.header))
	_ = obj.Set("text", func(goja.FunctionCall) goja.Value {
		return m.resolved(string(r.body), nil)
	})
	_ = obj.Set("json", func(goja.FunctionCall) goja.Value {
		if len(bytes.TrimSpace(r.body)) == 0 {
			return m.resolved(nil, errorf("fetch", "%s: the response body is empty, not JSON (status %d)", where, r.status))
		}
		v, err := m.s.parseJSON(r.body)
		if err != nil {
			return m.resolved(nil, errorf("fetch", "%s: the response is not JSON (status %d, %v)", where, r.status, err))
		}
		return m.resolved(v, nil)
	})
	return obj
}

// headerObject has lower-case header names as keys, repeated headers
// joined with ", ", and a non-enumerable get(name) as in the web's Headers.
func (m *fetchModule) headerObject(h http.Header) *goja.Object {
	rt := m.s.rt
	obj := rt.NewObject()
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		_ = obj.Set(strings.ToLower(k), strings.Join(h[k], ", "))
	}
	get := rt.ToValue(func(call goja.FunctionCall) goja.Value {
		vs, ok := h[http.CanonicalHeaderKey(call.Argument(0).String())]
		if !ok {
			return goja.Null()
		}
		return rt.ToValue(strings.Join(vs, ", "))
	})
	_ = obj.DefineDataProperty("get", get, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return obj
}

// resolved is a settled promise: text() and json() return promises, as in
// the web's fetch, though the body is already read.
func (m *fetchModule) resolved(v any, err error) goja.Value {
	p, resolve, reject := m.s.rt.NewPromise()
	if err != nil {
		_ = reject(m.s.throwable(err))
	} else {
		_ = resolve(v)
	}
	return m.s.rt.ToValue(p)
}
