package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/icscript/icscript/intercom/catalog"
)

// fuzzSandbox is one small workspace per fuzzing process: requests change
// it as they go, as a real client's would.
var fuzzSandbox = sync.OnceValue(func() *Sandbox {
	sb, err := New(Options{Seed: 5, Contacts: 30, Companies: 5, Conversations: 20})
	if err != nil {
		panic(err)
	}
	return sb
})

// FuzzHandler: any JSON body (or any bytes) to any operation's route, with
// any path parameter and any query string, is answered 2xx with JSON or 4xx
// with an error.list; never 5xx, never a panic. Its seed corpus is under
// testdata/fuzz/ (huge, negative and repeated page numbers among them).
func FuzzHandler(f *testing.F) {
	sb := fuzzSandbox()
	contact := sb.st.t(tContacts).ids[0]
	for i, op := range catalog.Operations {
		body := []byte{}
		if op.Body != nil {
			body, _ = json.Marshal(catalog.Sample(op.Body))
		}
		f.Add(uint(i), contact, "", body)
		if op.Listing() {
			f.Add(uint(i), contact, "page=461168601842738793&per_page=150", body)
		}
	}
	f.Add(uint(0), "", "", []byte(`{"query":{"operator":"AND","value":[{"operator":"OR","value":[]}]}}`))
	f.Add(uint(1), "../..", "page=-1&page=2", []byte(`[1,2,3]`))
	f.Add(uint(2), "%00", "per_page=0&starting_after=%00", []byte(`{"a":{"b":{"c":{"d":[{"e":null}]}}}}`))
	f.Fuzz(func(t *testing.T, opIndex uint, id, query string, body []byte) {
		op := catalog.Operations[opIndex%uint(len(catalog.Operations))]
		if id == "" {
			id = contact
		}
		path := op.Path
		for _, p := range op.PathParams {
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(id))
		}
		if q, err := url.ParseQuery(query); err == nil {
			path += "?" + q.Encode()
		} else if query != "" { // not a query string: send it as one value
			path += "?" + url.QueryEscape(query)
		}
		r := httptest.NewRequest(op.Method, path, bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+sb.Token())
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		sb.Handler().ServeHTTP(w, r)
		out := w.Body.Bytes()
		switch {
		case w.Code >= 500:
			t.Fatalf("%s %s %q: %d %s", op.Method, path, body, w.Code, out)
		case w.Code >= 400:
			var e struct {
				Type   string `json:"type"`
				Errors []struct {
					Code, Message string
				} `json:"errors"`
			}
			if json.Unmarshal(out, &e) != nil || e.Type != "error.list" || len(e.Errors) == 0 || e.Errors[0].Code == "" || e.Errors[0].Message == "" {
				t.Fatalf("%s %s %q: %d without an error.list: %q", op.Method, path, body, w.Code, out)
			}
		case strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") && len(out) > 0 && !json.Valid(out):
			t.Fatalf("%s %s %q: %d with invalid JSON: %q", op.Method, path, body, w.Code, out)
		}
	})
}
