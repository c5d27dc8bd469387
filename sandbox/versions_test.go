package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

// shapeOf is a path template with its parameters unnamed.
func shapeOf(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/")
}

// paramNames lists a template's path parameters in order.
func paramNames(path string) []string {
	var out []string
	for _, s := range strings.Split(strings.Trim(path, "/"), "/") {
		if strings.HasPrefix(s, "{") {
			out = append(out, strings.Trim(s, "{}"))
		}
	}
	return out
}

// describedOps is testsupport.DescribedOperationsOf, read once a version.
func describedOps(t testing.TB, v string) []testsupport.DescribedOperation {
	t.Helper()
	describedMu.Lock()
	defer describedMu.Unlock()
	if ops, ok := describedCache[v]; ok {
		return ops
	}
	ops := testsupport.DescribedOperationsOf(t, v)
	describedCache[v] = ops
	return ops
}

var (
	describedMu    sync.Mutex
	describedCache = map[string][]testsupport.DescribedOperation{}
)

// baseOf is the operation of the 2.10 description with the same method and
// path as op, if any.
func baseOf(t testing.TB, method, path string) (testsupport.DescribedOperation, bool) {
	for _, b := range describedOps(t, "2.10") {
		if b.Method == method && shapeOf(b.Path) == shapeOf(path) {
			return b, true
		}
	}
	return testsupport.DescribedOperation{}, false
}

// describedIn lists the versions whose description has the operation
// method path (by shape), oldest first, as the versions' ranges:
// "2.14–2.16", "2.10–2.11".
func describedIn(t testing.TB, method, path string) string {
	t.Helper()
	var have []bool
	versions := testsupport.DescribedVersions(t)
	for _, v := range versions {
		found := false
		for _, d := range describedOps(t, v) {
			found = found || d.Method == method && shapeOf(d.Path) == shapeOf(path)
		}
		have = append(have, found)
	}
	var parts []string
	for i := 0; i < len(versions); i++ {
		if !have[i] {
			continue
		}
		j := i
		for j+1 < len(versions) && have[j+1] {
			j++
		}
		if j == i {
			parts = append(parts, versions[i])
		} else {
			parts = append(parts, versions[i]+"–"+versions[j])
		}
		i = j
	}
	return strings.Join(parts, ", ")
}

// describedSuccess is the status of an operation's success as the
// description declares it: its lowest 2xx answer, else its redirect
// (a call's recording), else 200 (a description that declares errors only).
func describedSuccess(t testing.TB, doc *openapi3.T, method, path string) int {
	t.Helper()
	item := doc.Paths.Find(path)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("the description has no %s %s", method, path)
	}
	best := 0
	for code := range item.GetOperation(method).Responses.Map() {
		n, err := strconv.Atoi(code)
		if err != nil || n < 200 || n >= 400 {
			continue
		}
		if best == 0 || n < best {
			best = n
		}
	}
	if best == 0 {
		return http.StatusOK
	}
	return best
}

// versionRequest builds a request of op of a later version: the 2.10
// sweep case where 2.10 has the operation (its path parameters renamed to
// the version's), else one from the catalogue's schemas (a sample body
// checked against the description, see describedSample, and the required
// query parameters) with path parameters naming records that exist.
func versionRequest(c *client, op *catalog.Operation) (path, query string, body any) {
	if b, ok := baseOf(c.t, op.Method, op.Path); ok && sweepCases[b.ID] != nil {
		params, q, bd := sweepCases[b.ID](c)
		path = op.Path
		for i, name := range paramNames(op.Path) {
			path = strings.Replace(path, "{"+name+"}", url.PathEscape(params[paramNames(b.Path)[i]]), 1)
		}
		return path, q, bd
	}
	segs := strings.Split(strings.Trim(op.Path, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			segs[i] = url.PathEscape(c.idIn(op, "/"+strings.Join(segs[:i], "/"), i == len(segs)-1))
		}
	}
	q := url.Values{}
	for _, p := range op.Query {
		if p.Required {
			q.Set(p.Name, sampleParam(p))
		}
	}
	if q.Has("external_id") && op.Method != http.MethodPost { // the record it names exists
		create := map[string]any{"external_id": q.Get("external_id")}
		c.ok("POST", "/"+strings.Join(segs, "/"), create)
	}
	if op.Body != nil {
		body = describedSample(c.t, c.version, op)
	}
	return "/" + strings.Join(segs, "/"), q.Encode(), body
}

// describedSample is catalog.Sample of op's body, checked by kin-openapi
// against the request body schema of the version's description: a sample
// the description refuses fails the test, so the sweep never calls an
// operation with a body Intercom would not take.
func describedSample(t testing.TB, v string, op *catalog.Operation) any {
	t.Helper()
	body := catalog.Sample(op.Body)
	doc := testsupport.LoadDescription(t, v).Doc
	item := doc.Paths.Find(op.Path)
	if item == nil || item.GetOperation(op.Method) == nil {
		t.Fatalf("%s: the %s description has no %s %s", op.ID, v, op.Method, op.Path)
	}
	rb := item.GetOperation(op.Method).RequestBody
	if rb == nil || rb.Value == nil {
		return body // the catalogue's body is a correction (FACTS.md §6): nothing to check
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		t.Fatalf("%s: the %s description's request body is not JSON", op.ID, v)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var asJSON any // as a request carries it: numbers are float64
	if err := json.Unmarshal(raw, &asJSON); err != nil {
		t.Fatal(err)
	}
	if err := mt.Schema.Value.VisitJSON(asJSON, openapi3.MultiErrors()); err != nil {
		t.Errorf("%s %s: the sample body %s is not a valid request body of the %s description: %v", op.ID, v, raw, v, truncate(err.Error(), 2000))
	}
	return body
}

func sampleParam(p catalog.Param) string {
	switch {
	case len(p.Enum) > 0:
		return p.Enum[0]
	case p.Type == "integer" || p.Type == "number":
		return "1"
	case p.Type == "boolean":
		return "true"
	}
	return "value"
}

// idIn finds the id of a record of the collection at path (concrete up to
// the parameter): one of 2.10's resources, the first of its listing, or one
// created by the version's POST on it.
func (c *client) idIn(op *catalog.Operation, path string, last bool) string {
	switch path {
	case "/contacts":
		return c.userID()
	case "/conversations":
		return c.conversationID()
	case "/tickets":
		return ticketID(c)
	case "/custom_object_instances":
		return "Order"
	case "/contacts/find_by_external_id":
		return s(c.ok("GET", "/contacts/"+c.userID(), nil)["external_id"])
	}
	cat := catalog.MustFor(c.version)
	for _, o := range cat.Operations {
		if o.Method == http.MethodPost && fits(o.Path, path) && o != op {
			var body any = map[string]any{}
			if o.Body != nil {
				body = describedSample(c.t, c.version, o)
			}
			r := c.do("POST", path, body)
			if r.status/100 == 2 {
				// A change to a sub-collection may answer its parent, the
				// sub-collection's records under its name.
				if id := firstID(r.body[path[strings.LastIndexByte(path, '/')+1:]]); id != "" {
					return id
				}
				if id := s(r.body["id"]); id != "" {
					return id
				}
			}
		}
	}
	if r := c.do("GET", path, nil); r.status == 200 {
		if id := firstID(r.body); id != "" {
			return id
		}
	}
	if last {
		return "1" // nothing lists nor creates it: any id names one
	}
	c.t.Fatalf("%s: no record in %s to name", op.ID, path)
	return ""
}

// fits reports whether a concrete path fills a template.
func fits(template, path string) bool {
	a, b := strings.Split(strings.Trim(template, "/"), "/"), strings.Split(strings.Trim(path, "/"), "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.HasPrefix(a[i], "{") && a[i] != b[i] {
			return false
		}
	}
	return true
}

// firstID is the id of the first object of the first array in v.
func firstID(v any) string {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if id := s(m(e)["id"]); id != "" {
				return id
			}
		}
	case map[string]any:
		for _, k := range []string{"data", "items"} {
			if id := firstID(x[k]); id != "" {
				return id
			}
		}
		for _, e := range x {
			if _, ok := e.([]any); ok {
				if id := firstID(e); id != "" {
					return id
				}
			}
			if _, ok := e.(map[string]any); ok {
				if id := firstID(e); id != "" {
					return id
				}
			}
		}
	}
	return ""
}

// described is the catalogue's operation for the description's: by
// operationId, or by method and path where the description gives none.
func described(cat *catalog.Catalog, d testsupport.DescribedOperation) *catalog.Operation {
	for _, op := range cat.Operations {
		if op.Method == d.Method && op.Path == d.Path && (d.ID == "" || op.ID == d.ID) {
			return op
		}
	}
	return nil
}

// TestSweepEveryVersion calls every operation of every later version's
// description against a sandbox, with that version in Intercom-Version, and
// validates each answer against that version's description.
func TestSweepEveryVersion(t *testing.T) {
	for _, v := range testsupport.DescribedVersions(t)[1:] {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			doc, router := loadDescriptionOf(t, v)
			cat := catalog.MustFor(v)
			for _, d := range describedOps(t, v) {
				op := described(cat, d)
				if op == nil {
					t.Errorf("%s %s %s: not in the catalogue of %s", d.ID, d.Method, d.Path, v)
					continue
				}
				t.Run(op.ID, func(t *testing.T) {
					c := start(t, testOptions())
					c.version = v
					c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
					path, query, body := versionRequest(c, op)
					if query != "" {
						path += "?" + query
					}
					req := c.request(op.Method, path, body)
					resp := c.send(req)
					if want := describedSuccess(t, doc, d.Method, d.Path); resp.status != want {
						t.Fatalf("%s %s: want %d, got %s", op.Method, path, want, resp)
					}
					if ex, ok := versionExceptions[v+" "+op.ID]; ok {
						validateAgainst(t, doc, ex, resp)
						return
					}
					validateResponse(t, router, op, req, resp)
				})
			}
		})
	}
}

// versionExceptions are the answers of later versions validated against
// another schema than the declared one, each with the evidence.
var versionExceptions = map[string]exception{}

func init() {
	for _, v := range []string{"2.15", "2.16"} {
		versionExceptions[v+" collectFinVoiceCallByPhoneNumber"] = exception{"ai_call_response",
			"the description declares no success answer for GET /fin_voice/phone_number/{phone_number} (only 401, 404 and default, " +
				"all error), while its summary says it collects the call and its siblings collectFinVoiceCallById and " +
				"collectFinVoiceCallByExternalId answer ai_call_response"}
	}
}

// resourceKinds lists, per collection template that 2.10 lacks, the newest
// version whose description has a create, read, list and delete of it.
func resourceKinds(t *testing.T) map[string]string {
	t.Helper()
	kinds := map[string]string{}
	for _, v := range testsupport.DescribedVersions(t)[1:] {
		ops := describedOps(t, v)
		has := map[string]bool{}
		for _, op := range ops {
			has[op.Method+" "+shapeOf(op.Path)] = true
		}
		for _, op := range ops {
			coll := shapeOf(op.Path)
			if _, in210 := baseOf(t, op.Method, op.Path); op.Method != http.MethodPost || in210 || !has["GET "+coll] ||
				!has["GET "+coll+"/{}"] || !has["DELETE "+coll+"/{}"] {
				continue
			}
			kinds[op.Path] = v
		}
	}
	return kinds
}

// TestVersionResourceRoundTrip creates a record of every resource kind the
// later versions add, reads it, finds it in the listing, deletes it, and
// reads it again (404).
func TestVersionResourceRoundTrip(t *testing.T) {
	kinds := resourceKinds(t)
	if len(kinds) < 5 {
		t.Fatalf("only %d resource kinds found: %v", len(kinds), kinds)
	}
	for tmpl, v := range kinds {
		t.Run(v+tmpl, func(t *testing.T) {
			c := start(t, testOptions())
			c.version = v
			cat := catalog.MustFor(v)
			var create *catalog.Operation
			for _, op := range cat.Operations {
				if op.Method == http.MethodPost && op.Path == tmpl {
					create = op
				}
			}
			path, _, body := versionRequest(c, create)
			if body == nil {
				body = map[string]any{}
			}
			created := c.ok("POST", path, body)
			id := s(created["id"])
			if id == "" {
				t.Fatalf("create answered no id: %v", created)
			}
			got := c.ok("GET", path+"/"+id, nil)
			if s(got["id"]) != id {
				t.Errorf("get %s: id %v", id, got["id"])
			}
			formatted := map[string]bool{} // members whose placeholder sample is no valid date
			doc, _ := loadDescriptionOf(t, v)
			if rb := doc.Paths.Find(tmpl).Post.RequestBody; rb != nil && rb.Value != nil {
				if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					for name, p := range mt.Schema.Value.Properties {
						formatted[name] = p.Value.Format != ""
					}
				}
			}
			for k, want := range body.(map[string]any) {
				if w, ok := want.(string); ok && got[k] != nil && s(got[k]) != w && !formatted[k] {
					t.Errorf("get %s: %s is %v, created with %q", id, k, got[k], w)
				}
			}
			if !strings.Contains(string(c.do("GET", path, nil).raw), `"id":`+jsonID(got["id"])) {
				t.Errorf("the listing of %s lacks %s", path, id)
			}
			if r := c.do("DELETE", path+"/"+id, nil); r.status/100 != 2 {
				t.Fatalf("delete: %s", r)
			}
			if r := c.do("GET", path+"/"+id, nil); r.status != 404 || r.errorCode() != "not_found" {
				t.Errorf("get after delete: want 404 not_found, got %s", r)
			}
		})
	}
}

// jsonID is an id as JSON writes it.
func jsonID(v any) string {
	if x, ok := v.(string); ok {
		return `"` + x + `"`
	}
	return fmt.Sprint(v)
}

// TestVersionSeededResources: a resource the later versions only list and
// read (calls, brands) holds seeded records, the same for the same seed,
// each readable by its id.
func TestVersionSeededResources(t *testing.T) {
	for _, path := range []string{"/calls", "/brands", "/emails"} {
		t.Run(path, func(t *testing.T) {
			var lists [2]string
			for i := range lists {
				c := start(t, testOptions())
				c.version = "2.16"
				r := c.do("GET", path, nil)
				if r.status != 200 {
					t.Fatalf("%s", r)
				}
				lists[i] = string(r.raw)
				data := arr(r.body["data"])
				if len(data) == 0 {
					t.Fatalf("no seeded records: %s", r)
				}
				id := s(m(data[0])["id"])
				if got := c.ok("GET", path+"/"+id, nil); s(got["id"]) != id {
					t.Errorf("get %s: %v", id, got)
				}
			}
			if lists[0] != lists[1] {
				t.Errorf("the same seed gave different records:\n%s\n%s", lists[0], lists[1])
			}
		})
	}
}

// TestVersionRouting: the Intercom-Version header picks the operations;
// 2.10 answers a 2.16-only route with a 404 naming the versions that have
// it, and an unknown version is a 400 listing the served ones.
func TestVersionRouting(t *testing.T) {
	c := start(t, testOptions())
	calls := describedIn(t, "GET", "/calls")
	r := c.do("GET", "/calls", nil)
	if r.status != 404 || r.errorCode() != "not_found" || !strings.Contains(r.String(), "API "+calls+" has it") {
		t.Errorf("2.10 GET /calls: want 404 naming %s, got %s", calls, r)
	}
	macros := describedIn(t, "GET", "/macros")
	r = c.do("GET", "/macros", nil)
	if r.status != 404 || !strings.Contains(r.String(), "API "+macros+" has it") {
		t.Errorf("2.10 GET /macros: want 404 naming %s, got %s", macros, r)
	}
	c.version = "2.16"
	if r := c.do("GET", "/macros", nil); r.status != 200 {
		t.Errorf("2.16 GET /macros: %s", r)
	}
	// The route 2.12 dropped.
	c.version = "2.12"
	rules := describedIn(t, "POST", "/conversations/{id}/run_assignment_rules")
	r = c.do("POST", "/conversations/"+c.conversationID()+"/run_assignment_rules", nil)
	if r.status != 404 || !strings.Contains(r.String(), "API "+rules+" has it") {
		t.Errorf("2.12 run_assignment_rules: want 404 naming %s, got %s", rules, r)
	}
	c.version = "2.9"
	r = c.do("GET", "/me", nil)
	if r.status != 400 || r.errorCode() != "intercom_version_invalid" || !strings.Contains(r.String(), strings.Join(testsupport.DescribedVersions(t), ", ")) {
		t.Errorf("version 2.9: want 400 listing the versions, got %s", r)
	}
	// No header: 2.10.
	req := c.request("GET", "/calls", nil)
	req.Header.Del("Intercom-Version")
	if r := c.send(req); r.status != 404 {
		t.Errorf("no Intercom-Version: GET /calls want 404 (2.10), got %s", r)
	}
	// A body checked against the version's schema: 2.16's createMacro-less
	// office hours need their required members.
	c.version = "2.16"
	if r := c.do("POST", "/office_hours_schedules", map[string]any{}); r.status != 400 {
		t.Errorf("2.16 POST /office_hours_schedules {}: want 400, got %s", r)
	}
}

// TestVersionGenericListsPage: lists of the generic handler page as the
// 2.16 description's parameters say, one record a page: GET /calls by
// page and per_page (pages.total_pages), a contact's merge history by
// cursor, from next_cursor while has_more. Each walk sees the three seeded
// records once and ends.
func TestVersionGenericListsPage(t *testing.T) {
	c := start(t, testOptions())
	c.version = "2.16"
	contact := s(m(arr(c.ok("GET", "/contacts", nil)["data"])[0])["id"])
	walks := map[string]func(step int, prev map[string]any) (string, bool){
		"/calls": func(step int, prev map[string]any) (string, bool) {
			if prev != nil && step > int(m(prev["pages"])["total_pages"].(float64)) {
				return "", false
			}
			return fmt.Sprintf("/calls?per_page=1&page=%d", step), true
		},
		"merge history": func(step int, prev map[string]any) (string, bool) {
			path := "/contacts/" + contact + "/merge_history?per_page=1"
			if prev == nil {
				return path, true
			}
			if prev["has_more"] != true {
				return "", false
			}
			return path + "&cursor=" + url.QueryEscape(s(prev["next_cursor"])), true
		},
	}
	for name, next := range walks {
		t.Run(name, func(t *testing.T) {
			seen := map[string]bool{}
			var prev map[string]any
			for step := 1; ; step++ {
				path, ok := next(step, prev)
				if !ok {
					break
				}
				if step > 10 {
					t.Fatalf("the walk does not end: %v", prev)
				}
				prev = c.ok("GET", path, nil)
				data := arr(prev["data"])
				if len(data) != 1 {
					t.Fatalf("%s: %d records on a page of 1", path, len(data))
				}
				id := s(m(data[0])["id"])
				if seen[id] {
					t.Fatalf("%s: %s seen twice", path, id)
				}
				seen[id] = true
			}
			if len(seen) != 3 {
				t.Errorf("%d records walked, want the 3 seeded", len(seen))
			}
		})
	}
}

// TestVersionGenericPageWalk: a page-number listing of the generic handler
// pages as the 2.10 listings do (see numberPage): a record deleted after page
// 1 moves no other record off the walk, and each record that exists
// throughout is served once.
func TestVersionGenericPageWalk(t *testing.T) {
	c := start(t, testOptions())
	c.version = "2.16"
	var ids []string
	for _, title := range []string{"one", "two", "three"} {
		ids = append(ids, s(c.ok("POST", "/content_snippets", obj{"title": title})["id"]))
	}
	first := arr(c.ok("GET", "/content_snippets?per_page=1&page=1", nil)["data"])
	if len(first) != 1 || s(m(first[0])["id"]) != ids[0] {
		t.Fatalf("page 1: %v, want %s", first, ids[0])
	}
	c.ok("DELETE", "/content_snippets/"+ids[0], nil)
	var got []string
	for page := 2; page <= 3; page++ {
		for _, r := range arr(c.ok("GET", fmt.Sprintf("/content_snippets?per_page=1&page=%d", page), nil)["data"]) {
			got = append(got, s(m(r)["id"]))
		}
	}
	if !slices.Equal(got, ids[1:]) {
		t.Errorf("pages 2-3 after deleting page 1's record: %v, want %v", got, ids[1:])
	}
}
