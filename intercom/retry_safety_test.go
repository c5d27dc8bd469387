package intercom

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

// retryExpect is what a resend after an attempt whose outcome is unknown may
// do, for every PUT and DELETE of the description. It is read from the
// description, independently of internal/gen/corrections.go (which the
// client's decisions come from), by expectedRetry:
//   - sideEffects: body fields whose every applied request adds a part.
//   - gone: a delete ("deleted") or detach ("detached"), whose resend after
//     a lost answer finds the thing gone: a 404 then means it was applied.
//   - answerID: the path parameter naming the object the 200 answer
//     describes (the conversation, for detachContactFromConversation).
type retryExpect struct {
	sideEffects []string
	gone        string
	answerID    string
}

// retryExceptions are what the description says of a PUT or DELETE beyond
// its method and path (see expectedRetry): its updateTicket example answers
// with a ticket part per state change (even submitted → submitted),
// attribute change, assignment and snooze; its updateConversation example
// with a conversation_attribute_updated_by_admin part per custom attribute;
// detachContactFromConversation answers the conversation, not the contact.
var retryExceptions = map[string]retryExpect{
	"updateConversation":            {sideEffects: []string{"custom_attributes"}},
	"updateTicket":                  {sideEffects: []string{"assignment", "state", "open", "snoozed_until", "ticket_attributes"}},
	"detachContactFromConversation": {gone: "detached", answerID: "conversation_id"},
}

// expectedRetry is what the description says of a PUT or DELETE: a PUT
// sets fields, which a resend sets again; a DELETE of a path with one
// parameter (/tags/{id}) deletes that thing, one with two
// (/contacts/{contact_id}/tags/{id}) detaches the last from the first; the
// answer describes the thing of the path's last parameter. retryExceptions
// overrides it where the description's examples say more.
func expectedRetry(id string, d descOp) retryExpect {
	if x, ok := retryExceptions[id]; ok {
		return x
	}
	if d.method == http.MethodPut {
		return retryExpect{}
	}
	params := regexp.MustCompile(`\{(\w+)\}`).FindAllStringSubmatch(d.path, -1)
	x := retryExpect{gone: "deleted", answerID: params[len(params)-1][1]}
	if len(params) > 1 {
		x.gone = "detached"
	}
	return x
}

// descOp is what the tests read of one operation of the description.
type descOp struct {
	method, path string
	example      map[string]any      // the 200 answer's first example, nil when none
	enums        map[string][]string // the 200 schema's property enums
}

var (
	descOnce sync.Once
	descOps  map[string]descOp
	descErr  error
)

// description reads every PUT and DELETE of the 2.10 description.
func description(t *testing.T) map[string]descOp {
	t.Helper()
	path := testsupport.SharedFile(t, "intercom-2.10.yaml")
	descOnce.Do(func() {
		data, err := os.ReadFile(path)
		if err != nil {
			descErr = err
			return
		}
		var doc struct {
			Paths      map[string]map[string]map[string]any `yaml:"paths"`
			Components struct {
				Schemas map[string]map[string]any `yaml:"schemas"`
			} `yaml:"components"`
		}
		if descErr = yaml.Unmarshal(data, &doc); descErr != nil {
			return
		}
		descOps = map[string]descOp{}
		for p, methods := range doc.Paths {
			for m, x := range methods {
				if m != "put" && m != "delete" {
					continue
				}
				id, _ := x["operationId"].(string)
				d := descOp{method: strings.ToUpper(m), path: p, enums: map[string][]string{}}
				ok200 := dig(x, "responses", "200", "content", "application/json")
				if ex, ok := dig(ok200, "examples").(map[string]any); ok {
					names := make([]string, 0, len(ex))
					for n := range ex {
						names = append(names, n)
					}
					sort.Strings(names)
					d.example, _ = dig(ex, names[0], "value").(map[string]any)
				}
				if ref, ok := dig(ok200, "schema", "$ref").(string); ok {
					props, _ := doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]["properties"].(map[string]any)
					for name, v := range props {
						for _, e := range asList(dig(v, "enum")) {
							d.enums[name] = append(d.enums[name], fmt.Sprint(e))
						}
					}
				}
				descOps[id] = d
			}
		}
	})
	if descErr != nil {
		t.Fatalf("reading the description %s: %v", path, descErr)
	}
	return descOps
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func asList(v any) []any { l, _ := v.([]any); return l }

// TestRetryTableCoversTheDescription: the catalogue has every PUT and
// DELETE of the description, and each exception names one of them.
func TestRetryTableCoversTheDescription(t *testing.T) {
	desc := description(t)
	if len(desc) == 0 {
		t.Fatal("the description has no PUT or DELETE")
	}
	for id, d := range desc {
		if op := catalog.ByID(id); op == nil || op.Method != d.method {
			t.Errorf("%s %s %s: not in the catalogue as such", d.method, d.path, id)
		}
	}
	for id := range retryExceptions {
		if _, ok := desc[id]; !ok {
			t.Errorf("retry exception for %s, not a PUT or DELETE of the description", id)
		}
	}
}

// fault is what the server does to the first attempt, after applying it.
type fault string

const (
	faultDrop     fault = "drop"     // close the connection without answering
	faultTruncate fault = "truncate" // send the status and half the body, then close
	fault500      fault = "500"      // answer 500
)

// applyThen returns a handler that counts attempts, and on the first one
// "applies" it and then fails as f says; later attempts answer what a real
// server answers once the first was applied: a delete or detach finds the
// thing gone (404 error.list), an update succeeds again.
func applyThen(f fault, method string) func(w http.ResponseWriter, r *http.Request, n int64) {
	return func(w http.ResponseWriter, r *http.Request, n int64) {
		if n > 1 {
			if method == http.MethodDelete {
				writeJSON(w, 404, `{"type":"error.list","request_id":"r404","errors":[{"code":"not_found","message":"Resource Not Found"}]}`)
				return
			}
			writeJSON(w, 200, `{"type":"ok","id":"x"}`)
			return
		}
		io.Copy(io.Discard, r.Body)
		switch f {
		case faultDrop:
			dropper(w, r)
		case faultTruncate:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "64")
			w.WriteHeader(200)
			io.WriteString(w, `{"type":"ok","id":`)
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				panic(err)
			}
			buf.Flush()
			conn.Close()
		case fault500:
			writeJSON(w, 500, `{"type":"error.list","errors":[{"code":"server_error","message":"boom"}]}`)
		}
	}
}

// pathValues fills every path parameter with a value naming it.
func pathValues(op *catalog.Operation) (string, map[string]string) {
	vals := map[string]string{}
	var list []string
	for _, p := range op.PathParams {
		vals[p.Name] = "v-" + p.Name
		list = append(list, vals[p.Name])
	}
	return ExpandPath(op, list), vals
}

// TestEveryPutAndDeleteAfterALostAnswer sends every PUT and DELETE of the
// catalogue to a server that applies the first attempt and then loses its
// answer (dropped connection, cut-off body, 500), and checks the outcome
// against the expectations written from the description: a PUT without
// side-effect fields is resent and succeeds; a PUT carrying one is not
// resent and fails ambiguous; a delete or detach is resent, and its 404
// resolves as probably applied with the answer the description declares.
func TestEveryPutAndDeleteAfterALostAnswer(t *testing.T) {
	desc := description(t)
	ctx := context.Background()
	n := 0
	for _, op := range catalog.Operations {
		if op.Method != http.MethodPut && op.Method != http.MethodDelete {
			continue
		}
		n++
		d, ok := desc[op.ID]
		if !ok {
			t.Errorf("%s: not a PUT or DELETE of the description", op.ID)
			continue
		}
		want := expectedRetry(op.ID, d)
		path, vals := pathValues(op)
		type body struct {
			name   string
			json   string
			unsafe []string
		}
		bodies := []body{{"no body", "", nil}, {"plain body", `{"name":"x","is_shared":true,"read":true}`, nil}}
		for _, f := range want.sideEffects {
			bodies = append(bodies, body{"with " + f, fmt.Sprintf(`{"name":"x",%q:{"admin_id":"1"}}`, f), []string{f}})
		}
		if len(want.sideEffects) > 1 {
			bodies = append(bodies, body{"with two", fmt.Sprintf(`{%q:1,%q:2}`, want.sideEffects[0], want.sideEffects[1]), want.sideEffects[:2]})
		}
		for _, f := range []fault{faultDrop, faultTruncate, fault500} {
			for _, b := range bodies {
				t.Run(fmt.Sprintf("%s/%s/%s", op.ID, f, b.name), func(t *testing.T) {
					srv, cnt := serve(t, applyThen(f, op.Method))
					c := newTestClient(t, srv.URL, nil)
					req := &Request{Op: op, Path: path}
					if b.json != "" {
						req.Body = []byte(b.json)
					}
					resp, err := c.Do(ctx, req)
					st := c.Stats()
					switch {
					case b.unsafe != nil:
						e := apiErr(t, err)
						wantStatus := 0
						if f == fault500 {
							wantStatus = 500
						}
						if cnt.n.Load() != 1 || !e.Ambiguous || e.Status != wantStatus || !strings.Contains(e.Error(), "may have been applied") ||
							!strings.Contains(e.Error(), strings.Join(b.unsafe, ", ")) || !strings.Contains(e.Error(), "check in Intercom") {
							t.Errorf("want one attempt, ambiguous, status %d, naming %v: %d attempts: status %d: %v", wantStatus, b.unsafe, cnt.n.Load(), e.Status, e)
						}
						if st.Ambiguous != 1 || st.Failures != 1 || st.Mutations != 0 {
							t.Errorf("stats %+v", st)
						}
					case want.gone != "":
						if err != nil {
							t.Fatalf("a 404 to the resend after a lost answer must resolve as probably applied: %v", err)
						}
						if cnt.n.Load() != 2 || !resp.ProbablyApplied || resp.Status != 404 || resp.Note == "" {
							t.Errorf("attempts %d, response %+v", cnt.n.Load(), resp)
						}
						checkGoneAnswer(t, op.ID, desc[op.ID], want, vals, resp.Body)
						if st.ProbablyApplied != 1 || st.Failures != 0 || st.Ambiguous != 0 || st.Mutations != 1 {
							t.Errorf("stats %+v", st)
						}
						if !strings.Contains(st.String(), "1 deletes or detaches probably applied") || strings.Contains(st.String(), "failed") {
							t.Errorf("summary %q", st)
						}
					default:
						if err != nil || cnt.n.Load() != 2 || resp.Status != 200 || resp.ProbablyApplied {
							t.Errorf("a PUT that only sets fields is resent and succeeds: %d attempts, %+v, %v", cnt.n.Load(), resp, err)
						}
					}
				})
			}
		}
	}
	if n != len(desc) {
		t.Errorf("the catalogue has %d PUTs and DELETEs, the description %d", n, len(desc))
	}
}

// checkGoneAnswer compares a probably-applied answer with the 200 answer
// the description declares: the id of the object it describes, its type or
// object where the schema fixes one value, deleted: true for deletes, and
// nothing else made up; plus ambiguous and a note.
func checkGoneAnswer(t *testing.T, id string, d descOp, want retryExpect, vals map[string]string, body []byte) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%s: answer %s: %v", id, body, err)
	}
	if got["id"] != vals[want.answerID] {
		t.Errorf("%s: id %v, want %s (the %s path parameter)", id, got["id"], vals[want.answerID], want.answerID)
	}
	if got["ambiguous"] != true || !strings.Contains(fmt.Sprint(got["note"]), "probably") || !strings.Contains(fmt.Sprint(got["note"]), "404") {
		t.Errorf("%s: answer %s lacks ambiguous: true and a note", id, body)
	}
	if want.gone == "deleted" {
		if got["deleted"] != true {
			t.Errorf("%s: answer %s lacks deleted: true", id, body)
		}
		if d.example != nil && d.example["deleted"] != true {
			t.Errorf("%s: the description's answer has no deleted: true: %v", id, d.example)
		}
	} else if _, ok := got["deleted"]; ok {
		t.Errorf("%s: a detach answers deleted: %s", id, body)
	}
	for _, k := range []string{"type", "object"} {
		enum := d.enums[k]
		switch {
		case len(enum) == 1:
			if got[k] != enum[0] || (d.example != nil && d.example[k] != nil && d.example[k] != enum[0]) {
				t.Errorf("%s: %s %v, the description says %v (example %v)", id, k, got[k], enum, d.example[k])
			}
		case got[k] != nil:
			t.Errorf("%s: %s %v made up: the description fixes no value", id, k, got[k])
		}
	}
	for k := range got {
		if !slices.Contains([]string{"id", "type", "object", "deleted", "ambiguous", "note"}, k) {
			t.Errorf("%s: unexpected field %s in %s", id, k, body)
		}
	}
}

// TestDelete404 covers the 404s that are not a lost answer's consequence: on
// the first attempt, or after attempts that certainly were not applied (429),
// a 404 stays an error.
func TestDelete404(t *testing.T) {
	ctx := context.Background()
	notFound := `{"type":"error.list","errors":[{"code":"not_found","message":"Resource Not Found"}]}`
	t.Run("first attempt", func(t *testing.T) {
		srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) { writeJSON(w, 404, notFound) })
		c := newTestClient(t, srv.URL, nil)
		_, err := c.Do(ctx, &Request{Op: op(t, "DeleteContact"), Path: "/contacts/abc"})
		e := apiErr(t, err)
		if cnt.n.Load() != 1 || e.Status != 404 || e.Ambiguous {
			t.Errorf("%d attempts: %v", cnt.n.Load(), e)
		}
		if st := c.Stats(); st.ProbablyApplied != 0 || st.Failures != 1 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("after a 429", func(t *testing.T) {
		srv, cnt := serve(t, func(w http.ResponseWriter, r *http.Request, n int64) {
			if n == 1 {
				w.Header().Set("Retry-After", "0")
				writeJSON(w, 429, `{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"slow down"}]}`)
				return
			}
			writeJSON(w, 404, notFound)
		})
		c := newTestClient(t, srv.URL, nil)
		_, err := c.Do(ctx, &Request{Op: op(t, "deleteCompany"), Path: "/companies/abc"})
		if e := apiErr(t, err); cnt.n.Load() != 2 || e.Status != 404 || e.Ambiguous {
			t.Errorf("%d attempts: %v", cnt.n.Load(), e)
		}
	})
	t.Run("raw call matched to the catalogue", func(t *testing.T) {
		srv, cnt := serve(t, applyThen(faultDrop, http.MethodDelete))
		c := newTestClient(t, srv.URL, nil)
		resp, err := c.Do(ctx, &Request{Method: "DELETE", Path: "/contacts/abc"})
		if err != nil || cnt.n.Load() != 2 || !resp.ProbablyApplied || !strings.Contains(string(resp.Body), `"id":"abc"`) {
			t.Errorf("%d attempts: %+v %v", cnt.n.Load(), resp, err)
		}
	})
	t.Run("audit line", func(t *testing.T) {
		srv, _ := serve(t, applyThen(faultTruncate, http.MethodDelete))
		var evs []MutationEvent
		c := newTestClient(t, srv.URL, func(c *Config) { c.OnMutation = func(ev MutationEvent) { evs = append(evs, ev) } })
		if _, err := c.Do(ctx, &Request{Op: op(t, "deleteArticle"), Path: "/articles/7"}); err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[1].Err != nil || evs[1].Status != 404 || !strings.Contains(evs[1].Note, "probably applied") || evs[1].Attempts != 2 {
			t.Errorf("events %+v", evs)
		}
	})
}

// TestUnknownPutNotResent: a raw PUT or DELETE to a path the catalogue does
// not know has unknown effects: after a lost answer it is not resent.
func TestUnknownPutNotResent(t *testing.T) {
	for _, m := range []string{"PUT", "DELETE"} {
		srv, cnt := serve(t, applyThen(faultDrop, m))
		c := newTestClient(t, srv.URL, nil)
		_, err := c.Do(context.Background(), &Request{Method: m, Path: "/not_in_the_catalogue/1", Body: []byte(`{}`)})
		if e := apiErr(t, err); cnt.n.Load() != 1 || !e.Ambiguous || e.Status != 0 {
			t.Errorf("%s: %d attempts: %v", m, cnt.n.Load(), e)
		}
	}
}

// TestCutOffResponse: a body cut off mid-way is a network failure (status
// 0) with a message saying so, whatever the status line said, for every
// kind of call: a read is retried, a create is ambiguous, and a 4xx whose
// body was cut off is not mistaken for that 4xx.
func TestCutOffResponse(t *testing.T) {
	ctx := context.Background()
	cutOff := func(status int) func(w http.ResponseWriter, r *http.Request, n int64) {
		return func(w http.ResponseWriter, r *http.Request, n int64) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Length", "200")
			w.Header().Set("X-Request-Id", "cut1")
			w.WriteHeader(status)
			io.WriteString(w, `{"type":"error.list","errors":[`)
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.Flush()
			conn.Close()
		}
	}
	for _, status := range []int{200, 404, 500} {
		for _, id := range []string{"CreateContact", "ListContacts", "updateTicket"} {
			t.Run(fmt.Sprintf("%s/%d", id, status), func(t *testing.T) {
				srv, cnt := serve(t, cutOff(status))
				c := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 1 })
				o := op(t, id)
				path, _ := pathValues(o)
				_, err := c.Do(ctx, &Request{Op: o, Path: path, Body: map[bool][]byte{true: []byte(`{"assignment":{"admin_id":"1"}}`)}[o.Method != "GET"]})
				e := apiErr(t, err)
				if e.Status != 0 || e.Code != "network_error" || !strings.Contains(e.Message, "cut off") || e.RequestID != "cut1" {
					t.Errorf("status %d code %s request %q: %v", e.Status, e.Code, e.RequestID, e)
				}
				read := o.Method == "GET"
				if read && (e.Ambiguous || cnt.n.Load() != 2) || !read && (!e.Ambiguous || cnt.n.Load() != 1) {
					t.Errorf("ambiguous %v after %d attempts: %v", e.Ambiguous, cnt.n.Load(), e)
				}
			})
		}
	}
}

// TestRetrySafeBodies checks the catalogue's per-body decision on bodies
// that are not plain objects.
func TestRetrySafeBodies(t *testing.T) {
	tk := op(t, "updateTicket")
	for body, want := range map[string]bool{
		``: true, `{}`: true, `{"is_shared":true}`: true, `{"assignment":null}`: false,
		`not json`: false, `[1]`: false, `{"ticket_attributes":{}}`: false,
	} {
		if got, _ := tk.RetrySafe([]byte(body)); got != want {
			t.Errorf("updateTicket %q: safe %v, want %v", body, got, want)
		}
	}
	if ok, _ := op(t, "CreateContact").RetrySafe(nil); ok {
		t.Error("a create is never safe to resend")
	}
	if ok, _ := op(t, "SearchContacts").RetrySafe([]byte(`{"query":{}}`)); !ok {
		t.Error("a search is safe to resend")
	}
}

// TestGaveUpAfterALostAnswer: a mutation that is resent after a lost answer
// and then fails (gives up, another error, cancelled) may be done: it fails
// ambiguous, never as a plain failure. A read that gives up is not ambiguous.
func TestGaveUpAfterALostAnswer(t *testing.T) {
	ctx := context.Background()
	thenFail := func(status int) func(w http.ResponseWriter, r *http.Request, n int64) {
		return func(w http.ResponseWriter, r *http.Request, n int64) {
			if n == 1 {
				dropper(w, r)
				return
			}
			writeJSON(w, status, `{"type":"error.list","errors":[{"code":"x","message":"no"}]}`)
		}
	}
	for _, tc := range []struct {
		id, path  string
		status    int
		ambiguous bool
	}{
		{"UpdateContact", "/contacts/a", 503, true},
		{"UpdateContact", "/contacts/a", 422, true},
		{"deleteArticle", "/articles/1", 503, true},
		{"ListContacts", "/contacts", 503, false},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.id, tc.status), func(t *testing.T) {
			srv, cnt := serve(t, thenFail(tc.status))
			c := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 2 })
			_, err := c.Do(ctx, &Request{Op: op(t, tc.id), Path: tc.path, Body: map[bool][]byte{true: []byte(`{"name":"n"}`)}[tc.id == "UpdateContact"]})
			e := apiErr(t, err)
			if e.Ambiguous != tc.ambiguous || e.Status != tc.status || cnt.n.Load() < 2 {
				t.Errorf("ambiguous %v after %d attempts: %v", e.Ambiguous, cnt.n.Load(), e)
			}
			if tc.ambiguous && !strings.Contains(e.Error(), "an earlier attempt may have been applied (the connection failed after it was sent)") {
				t.Errorf("message: %v", e)
			}
			if st := c.Stats(); st.Ambiguous != map[bool]int64{true: 1}[tc.ambiguous] {
				t.Errorf("stats %+v", st)
			}
		})
	}
}
