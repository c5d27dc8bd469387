package sandbox_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/sandbox"
)

// hostileQueries are query strings no route may answer with a 5xx or a
// dropped connection: overflowing, negative, zero, non-numeric and repeated
// paging values, and cursors that decode to nonsense.
var hostileQueries = []string{
	"page=461168601842738793",
	"page=9223372036854775807",
	"page=99999999999999999999999",
	"page=-1", "page=0", "page=abc", "page=1.5", "page=",
	"per_page=0", "per_page=-5", "per_page=999999999999", "per_page=9223372036854775807", "per_page=ten",
	"page=2&page=3", "per_page=1&per_page=2",
	"page=461168601842738793&per_page=150",
	"page=2&per_page=9223372036854775807",
	"starting_after=%00", "starting_after=" + b64("off:-1"), "starting_after=" + b64("off:99999999999999999999"),
	"starting_after=" + b64("id:"), "starting_after=" + b64("id:x:-9223372036854775808"),
	"starting_after=" + b64("walk:nope:1:1"),
	"scroll_param=x", "scroll_param=%00",
	"order=sideways", "created_at_after=-9223372036854775809", "created_at_before=1e400",
	"%zz=1", "&&&=&&",
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// hostileParams are path parameter values every route must answer sanely.
var hostileParams = []string{"461168601842738793", "99999999999999999999999", "-1", "0", "abc", "%00", "1.5"}

// TestEveryRouteAnswersHostileQueries sends every operation (with the valid
// path parameters and body of its sweep case) each hostile query string, and
// every route each hostile path parameter: each answer is 2xx JSON or a 4xx
// error.list, never a 5xx or a dropped connection.
func TestEveryRouteAnswersHostileQueries(t *testing.T) {
	var c *client
	check := func(op *catalog.Operation, path string, body any) {
		t.Helper()
		req := c.request(op.Method, path, body)
		resp, err := c.http.Do(req)
		if err != nil {
			t.Errorf("%s %s: %v", op.Method, path, err)
			return
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Errorf("%s %s: reading: %v", op.Method, path, err)
			return
		}
		switch {
		case resp.StatusCode >= 500:
			t.Errorf("%s %s: %d %s", op.Method, path, resp.StatusCode, truncate(string(raw), 300))
		case resp.StatusCode >= 400:
			var e struct {
				Type   string `json:"type"`
				Errors []struct{ Code, Message string }
			}
			if json.Unmarshal(raw, &e) != nil || e.Type != "error.list" || len(e.Errors) == 0 || e.Errors[0].Code == "" || e.Errors[0].Message == "" {
				t.Errorf("%s %s: %d without an error.list: %s", op.Method, path, resp.StatusCode, truncate(string(raw), 300))
			}
		case !op.Binary && len(raw) > 0 && !json.Valid(raw):
			t.Errorf("%s %s: %d with invalid JSON", op.Method, path, resp.StatusCode)
		}
	}
	for _, op := range catalog.Operations {
		c = start(t, testOptions())
		params, query, body := sweepCases[op.ID](c)
		path := op.Path
		for k, v := range params {
			path = strings.Replace(path, "{"+k+"}", url.PathEscape(v), 1)
		}
		for _, h := range hostileQueries {
			q := h
			if query != "" {
				q = query + "&" + h
			}
			check(op, path+"?"+q, body)
		}
		for _, pp := range op.PathParams {
			for _, v := range hostileParams {
				bad := strings.Replace(path, url.PathEscape(params[pp.Name]), v, 1)
				if len(params) == 0 || params[pp.Name] == "" {
					bad = strings.Replace(op.Path, "{"+pp.Name+"}", v, 1)
				}
				for k, w := range params { // fill the other parameters
					bad = strings.Replace(bad, "{"+k+"}", url.PathEscape(w), 1)
				}
				check(op, bad, body)
			}
		}
	}
}

// TestDataExportAnswersTheExamplesFields: the description's own 200 examples
// of createDataExport and getDataExport spell the id job_identifier (so do
// the path parameter and the official SDKs), its schema data_export spells it
// job_identfier. The sandbox answers every field the examples show, so
// clients written either way work.
func TestDataExportAnswersTheExamplesFields(t *testing.T) {
	doc, _ := loadDescription(t)
	c := start(t, testOptions())
	created := c.ok("POST", "/export/content/data", obj{"created_at_after": 0, "created_at_before": fixedNow.Unix()})
	id := s(created["job_identifier"])
	if id == "" || s(created["job_identfier"]) != id {
		t.Fatalf("create: want job_identifier and job_identfier alike, got %v", created)
	}
	got := map[string]map[string]any{
		"/export/content/data":                  created,
		"/export/content/data/{job_identifier}": c.ok("GET", "/export/content/data/"+id, nil),
	}
	for path, body := range got {
		var op *openapi3.Operation
		if item := doc.Paths.Find(path); item != nil {
			op = item.Post
			if op == nil {
				op = item.Get
			}
		}
		if op == nil {
			t.Fatalf("%s: not in the description", path)
		}
		examples := op.Responses.Status(200).Value.Content.Get("application/json").Examples
		if len(examples) == 0 {
			t.Fatalf("%s: the description has no 200 example", path)
		}
		for name, ex := range examples {
			for field := range m(ex.Value.Value) {
				if _, ok := body[field]; !ok {
					t.Errorf("%s: example %q has %q, the sandbox's answer lacks it: %v", path, name, field, body)
				}
			}
		}
	}
}

// TestSeedSizesAreBounded: Options sizes beyond the maxima (or negative) are
// refused with an error naming the option and its maximum, not seeded until
// memory runs out.
func TestSeedSizesAreBounded(t *testing.T) {
	for _, tc := range []struct {
		opts sandbox.Options
		want string
	}{
		{sandbox.Options{Contacts: 99999999999}, "Options.Contacts wants 0 (the default) to 1000000"},
		{sandbox.Options{Companies: sandbox.MaxCompanies + 1}, "Options.Companies wants 0 (the default) to 100000"},
		{sandbox.Options{Conversations: -1}, "Options.Conversations wants 0 (the default) to 300000"},
	} {
		_, err := sandbox.New(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want an error saying %q", tc.opts, err, tc.want)
		}
	}
}
