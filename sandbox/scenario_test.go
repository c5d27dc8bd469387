package sandbox_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
)

func TestContactTagSearchMerge(t *testing.T) {
	c := start(t, testOptions())
	lead := c.ok("POST", "/contacts", obj{"role": "lead", "email": "pat@merge.example", "name": "Pat"})
	user := c.ok("POST", "/contacts", obj{"role": "user", "email": "pat@merge.example", "external_id": "pat-1"})
	tag := c.ok("POST", "/tags", obj{"name": "merge-demo"})
	c.ok("POST", "/contacts/"+s(lead["id"])+"/tags", obj{"id": tag["id"]})

	found := c.ok("POST", "/contacts/search", obj{"query": eq("tag_id", "=", tag["id"])})
	if n(found["total_count"]) != 1 || s(m(arr(found["data"])[0])["id"]) != s(lead["id"]) {
		t.Fatalf("search by tag: %v", found)
	}
	byEmail := c.ok("POST", "/contacts/search", obj{"query": eq("email", "=", "pat@merge.example")})
	if n(byEmail["total_count"]) != 2 {
		t.Fatalf("before merge, want 2 contacts with the email, got %v", byEmail["total_count"])
	}
	merged := c.ok("POST", "/contacts/merge", obj{"from": lead["id"], "into": user["id"]})
	if s(merged["id"]) != s(user["id"]) || n(m(merged["tags"])["total_count"]) != 1 || s(merged["name"]) != "Pat" {
		t.Errorf("merged contact: %v", merged)
	}
	byEmail = c.ok("POST", "/contacts/search", obj{"query": eq("email", "=", "pat@merge.example")})
	if n(byEmail["total_count"]) != 1 {
		t.Errorf("after merge, want 1 contact with the email, got %v", byEmail["total_count"])
	}
	if r := c.do("GET", "/contacts/"+s(lead["id"]), nil); r.status != 404 || r.errorCode() != "not_found" {
		t.Errorf("merged lead: want 404 not_found, got %s", r)
	}
	if r := c.do("POST", "/contacts/merge", obj{"from": user["id"], "into": user["id"]}); r.status != 400 {
		t.Errorf("merge of a user: want 400, got %s", r)
	}
}

func TestConversationStateMachine(t *testing.T) {
	c := start(t, testOptions())
	user, admin := c.userID(), c.adminID()
	msg := c.ok("POST", "/conversations", obj{"from": obj{"type": "user", "id": user}, "body": "Help!"})
	id := s(msg["conversation_id"])
	cv := c.ok("GET", "/conversations/"+id, nil)
	if cv["state"] != "open" || cv["open"] != true || n(cv["waiting_since"]) != fixedNow.Unix() {
		t.Fatalf("new conversation: %v", cv)
	}
	until := fixedNow.Unix() + 3600
	cv = c.ok("POST", "/conversations/"+id+"/parts", obj{"message_type": "snoozed", "admin_id": admin, "snoozed_until": until})
	if cv["state"] != "snoozed" || n(cv["snoozed_until"]) != until {
		t.Fatalf("snoozed: %v %v", cv["state"], cv["snoozed_until"])
	}
	cv = c.ok("POST", "/conversations/"+id+"/reply", obj{"message_type": "comment", "type": "user", "intercom_user_id": user, "body": "Still there?"})
	if cv["state"] != "open" || cv["snoozed_until"] != nil || cv["open"] != true {
		t.Fatalf("a contact's reply must reopen: %v %v", cv["state"], cv["snoozed_until"])
	}
	before := n(m(cv["conversation_parts"])["total_count"])
	cv = c.ok("POST", "/conversations/"+id+"/parts", obj{"message_type": "close", "type": "admin", "admin_id": admin, "body": "Solved"})
	parts := arr(m(cv["conversation_parts"])["conversation_parts"])
	last := m(parts[len(parts)-1])
	if cv["state"] != "closed" || cv["open"] != false || last["part_type"] != "close" || last["body"] != "<p>Solved</p>" ||
		n(m(cv["conversation_parts"])["total_count"]) != before+1 || s(m(last["author"])["id"]) != admin {
		t.Fatalf("close with a body: state %v, last part %v", cv["state"], last)
	}
	if n(cv["updated_at"]) != fixedNow.Unix() {
		t.Errorf("updated_at = %v, want the clock's now", cv["updated_at"])
	}
	cv = c.ok("POST", "/conversations/"+id+"/reply", obj{"message_type": "comment", "type": "user", "intercom_user_id": user, "body": "One more thing"})
	if cv["state"] != "open" || n(m(cv["statistics"])["count_reopens"]) != 1 {
		t.Errorf("reply after close: state %v, stats %v", cv["state"], cv["statistics"])
	}
	team := teamID(c)
	cv = c.ok("POST", "/conversations/"+id+"/parts", obj{"message_type": "assignment", "type": "team", "admin_id": admin, "assignee_id": team})
	if s(cv["team_assignee_id"]) != team {
		t.Errorf("team assignment: %v", cv["team_assignee_id"])
	}
	snap := snapshot(t, c)
	if r := c.do("POST", "/conversations/"+id+"/parts", obj{"message_type": "assignment", "type": "admin", "admin_id": admin, "assignee_id": "1"}); r.status != 404 || r.errorCode() != "assignee_not_found" {
		t.Errorf("unknown assignee: %s", r)
	}
	sameSnapshot(t, c, snap)
	cv = c.ok("POST", "/conversations/"+id+"/reply", obj{"message_type": "note", "type": "admin", "admin_id": admin, "body": "internal"})
	if cv["state"] != "open" {
		t.Errorf("a note must not change the state: %v", cv["state"])
	}
}

func TestDataExportProgressesAndDownloads(t *testing.T) {
	c := start(t, testOptions())
	job := c.ok("POST", "/export/content/data", obj{"created_at_after": fixedNow.Unix() - 90*86400, "created_at_before": fixedNow.Unix()})
	id := s(job["job_identfier"])
	if job["status"] != "pending" {
		t.Fatalf("new job: %v", job)
	}
	if r := c.do("POST", "/export/content/data", obj{"created_at_after": 0, "created_at_before": 10}); r.status != 429 || r.errorCode() != "rate_limit_exceeded" {
		t.Errorf("second pending export: %s", r)
	}
	for _, want := range []string{"in_progress", "completed", "completed"} {
		job = c.ok("GET", "/export/content/data/"+id, nil)
		if job["status"] != want {
			t.Fatalf("status %v, want %s", job["status"], want)
		}
	}
	if s(job["download_url"]) != c.base+"/download/content/data/"+id {
		t.Errorf("download_url %v", job["download_url"])
	}
	req := c.request("GET", "/download/content/data/"+id, nil)
	req.Header.Set("Accept", "application/octet-stream")
	r := c.send(req)
	if r.status != 200 || r.header.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("download: %d %s", r.status, r.header.Get("Content-Type"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || rows[0][0] != "user_id" || len(rows[1]) != len(rows[0]) {
		t.Errorf("CSV: %d rows, header %v", len(rows), rows[0])
	}
	other := c.ok("POST", "/export/content/data", obj{"created_at_after": 0, "created_at_before": 10})
	if got := c.ok("POST", "/export/cancel/"+s(other["job_identfier"]), nil); got["status"] != "canceled" {
		t.Errorf("cancel: %v", got)
	}
}

func TestDeleteTagRefusedWhileAttached(t *testing.T) {
	c := start(t, testOptions())
	tag := s(c.ok("POST", "/tags", obj{"name": "temporary"})["id"])
	user := c.userID()
	c.ok("POST", "/contacts/"+user+"/tags", obj{"id": tag})
	snap := snapshot(t, c)
	if r := c.do("DELETE", "/tags/"+tag, nil); r.status != 400 || r.errorCode() != "tag_has_dependent_objects" {
		t.Fatalf("delete attached tag: %s", r)
	}
	sameSnapshot(t, c, snap)
	c.ok("DELETE", "/contacts/"+user+"/tags/"+tag, nil)
	if r := c.do("DELETE", "/tags/"+tag, nil); r.status != 200 || len(r.raw) != 0 {
		t.Fatalf("delete detached tag: %s", r)
	}
	if r := c.do("GET", "/tags/"+tag, nil); r.status != 404 || r.errorCode() != "tag_not_found" {
		t.Errorf("deleted tag: %s", r)
	}
	// Rename, and tag then untag companies through POST /tags.
	co := companyID(c)
	renamed := c.ok("POST", "/tags", obj{"name": "renamed-vip", "id": c.tagNamed("vip")})
	if renamed["name"] != "renamed-vip" {
		t.Errorf("rename: %v", renamed)
	}
	c.ok("POST", "/tags", obj{"name": "accounts", "companies": []any{obj{"id": co}}})
	company := c.ok("GET", "/companies/"+co, nil)
	if len(arr(m(company["tags"])["tags"])) == 0 {
		t.Errorf("company not tagged: %v", company["tags"])
	}
	c.ok("POST", "/tags", obj{"name": "accounts", "companies": []any{obj{"id": co, "untag": true}}})
	for _, tg := range arr(m(c.ok("GET", "/companies/"+co, nil)["tags"])["tags"]) {
		if m(tg)["name"] == "accounts" {
			t.Errorf("company still tagged after untag")
		}
	}
}

func TestCompaniesAndScroll(t *testing.T) {
	c := start(t, testOptions())
	a := c.ok("POST", "/companies", obj{"company_id": "acme-42", "name": "Acme 42", "plan": "pro"})
	b := c.ok("POST", "/companies", obj{"company_id": "acme-42", "monthly_spend": 99})
	if a["id"] != b["id"] || n(b["monthly_spend"]) != 99 || b["name"] != "Acme 42" || s(m(b["plan"])["name"]) != "pro" {
		t.Fatalf("create or update: %v / %v", a, b)
	}
	user := c.userID()
	before := n(b["user_count"])
	attached := c.ok("POST", "/contacts/"+user+"/companies", obj{"id": a["id"]})
	if n(attached["user_count"]) != before+1 {
		t.Errorf("user_count %v, want %d", attached["user_count"], before+1)
	}
	contacts := c.ok("GET", "/companies/"+s(a["id"])+"/contacts", nil)
	if n(contacts["total_count"]) != 1 || s(m(arr(contacts["data"])[0])["id"]) != user {
		t.Errorf("attached contacts: %v", contacts)
	}
	one := c.ok("GET", "/companies?company_id=acme-42", nil)
	if one["id"] != a["id"] {
		t.Errorf("by company_id: %v", one)
	}
	if r := c.do("GET", "/companies?company_id=nope", nil); r.status != 404 || r.errorCode() != "company_not_found" {
		t.Errorf("unknown company_id: %s", r)
	}
	seen := map[string]bool{}
	first := c.ok("GET", "/companies/scroll", nil)
	param := s(first["scroll_param"])
	total := int(n(first["total_count"]))
	if r := c.do("GET", "/companies/scroll", nil); r.status != 400 || r.errorCode() != "scroll_exists" {
		t.Errorf("second scroll: %s", r)
	}
	for page := first; len(arr(page["data"])) > 0; page = c.ok("GET", "/companies/scroll?scroll_param="+param, nil) {
		for _, co := range arr(page["data"]) {
			if seen[s(m(co)["id"])] {
				t.Fatalf("scroll served %v twice", m(co)["id"])
			}
			seen[s(m(co)["id"])] = true
		}
	}
	if len(seen) != total {
		t.Errorf("scroll served %d companies, total_count %d", len(seen), total)
	}
	// FACTS.md: a scroll_param stays valid until idle for a minute and the
	// last page is empty; asking again after the end is no error. The empty
	// page carries no scroll_param: the official Node SDK asks for more for
	// as long as one comes back.
	for i := 0; i < 2; i++ {
		if r := c.do("GET", "/companies/scroll?scroll_param="+param, nil); r.status != 200 || len(arr(r.body["data"])) != 0 || r.body["scroll_param"] != nil {
			t.Errorf("finished scroll, asked again: %s", r)
		}
	}
	if r := c.do("GET", "/companies/scroll", nil); r.status != 200 || len(arr(r.body["data"])) == 0 {
		t.Errorf("new scroll after a finished one: %s", r)
	}
	pages := c.ok("POST", "/companies/list?per_page=20&page=3", nil)
	pg := m(pages["pages"])
	if n(pg["page"]) != 3 || n(pg["total_pages"]) != int64((total+19)/20) || len(arr(pages["data"])) != total-40 {
		t.Errorf("page 3: %v, %d items", pg, len(arr(pages["data"])))
	}
}

func TestCursorPagingIsStable(t *testing.T) {
	c := start(t, testOptions())
	seen := map[string]bool{}
	path := "/contacts?per_page=30"
	var total int64
	for i := 0; ; i++ {
		body := c.ok("GET", path, nil)
		total = n(body["total_count"])
		items := arr(body["data"])
		for _, it := range items {
			id := s(m(it)["id"])
			if seen[id] {
				t.Fatalf("contact %s served twice", id)
			}
			seen[id] = true
		}
		if i == 1 { // writes between pages: delete one already served, add one
			c.ok("DELETE", "/contacts/"+s(m(items[0])["id"]), nil)
			c.ok("POST", "/contacts", obj{"email": "late@new.example"})
		}
		next := m(m(body["pages"])["next"])
		if next == nil {
			break
		}
		path = "/contacts?per_page=30&starting_after=" + s(next["starting_after"])
	}
	if int64(len(seen)) != total+1 { // one was deleted after it was served
		t.Errorf("served %d contacts, total_count %d", len(seen), total)
	}
	if r := c.do("GET", "/contacts?starting_after=garbage!", nil); r.status != 400 {
		t.Errorf("bad cursor: %s", r)
	}
}

func TestTicketsLifecycle(t *testing.T) {
	c := start(t, testOptions())
	tt := c.ok("POST", "/ticket_types", obj{"name": "Outage", "category": "Customer"})
	c.ok("POST", "/ticket_types/"+s(tt["id"])+"/attributes", obj{"name": "impact", "description": "Impact", "data_type": "integer", "required_to_create": true})
	base := obj{"ticket_type_id": tt["id"], "contacts": []any{obj{"email": "brand-new@ticket.example"}}}
	if r := c.do("POST", "/tickets", base); r.status != 400 || r.errorCode() != "parameter_not_found" {
		t.Errorf("missing required attribute: %s", r)
	}
	base["ticket_attributes"] = obj{"_default_title_": "Down", "impact": 3}
	tk := c.ok("POST", "/tickets", base)
	id := s(tk["id"])
	if tk["ticket_state"] != "submitted" || len(arr(m(tk["contacts"])["contacts"])) != 1 {
		t.Fatalf("new ticket: %v", tk)
	}
	tk = c.ok("PUT", "/tickets/"+id, obj{"state": "waiting_on_customer"})
	parts := arr(m(tk["ticket_parts"])["ticket_parts"])
	if tk["ticket_state"] != "waiting_on_customer" || len(parts) != 1 || m(parts[0])["previous_ticket_state"] != "submitted" {
		t.Fatalf("state update: %v %v", tk["ticket_state"], parts)
	}
	reply := c.ok("POST", "/tickets/"+id+"/reply", obj{"message_type": "comment", "type": "user", "email": "brand-new@ticket.example", "body": "Here you go"})
	if reply["type"] != "ticket_part" || reply["part_type"] != "comment" {
		t.Errorf("reply: %v", reply)
	}
	if got := c.ok("GET", "/tickets/"+id, nil); got["ticket_state"] != "in_progress" {
		t.Errorf("a contact's reply to a waiting ticket: %v", got["ticket_state"])
	}
	found := c.ok("POST", "/tickets/search", obj{"query": obj{"operator": "AND", "value": []any{eq("state", "=", "in_progress"), eq("ticket_type_id", "=", tt["id"])}}})
	if n(found["total_count"]) != 1 {
		t.Errorf("search: %v", found["total_count"])
	}
	if r := c.do("GET", "/tickets/999", nil); r.status != 404 || r.errorCode() != "ticket_not_found" {
		t.Errorf("unknown ticket: %s", r)
	}
}

func TestArticlesVisitorsAttributesEvents(t *testing.T) {
	c := start(t, testOptions())
	res := c.ok("GET", "/articles/search?phrase=invoice&highlight=true", nil)
	arts := arr(m(res["data"])["articles"])
	if len(arts) != 1 || m(arts[0])["title"] != "Understanding your invoice" || len(arr(m(res["data"])["highlights"])) != 1 {
		t.Errorf("article search: %v", res)
	}
	ct := c.ok("POST", "/visitors/convert", obj{"type": "lead", "user": obj{"user_id": "x"}, "visitor": obj{"user_id": visitorUserID}})
	if ct["role"] != "lead" {
		t.Errorf("converted visitor: %v", ct)
	}
	if r := c.do("GET", "/visitors?user_id="+visitorUserID, nil); r.status != 404 {
		t.Errorf("converted visitor still there: %s", r)
	}
	user := c.userID()
	if r := c.do("PUT", "/contacts/"+user, obj{"custom_attributes": obj{"no_such_thing": 1}}); r.status != 400 || r.errorCode() != "parameter_not_found" {
		t.Errorf("unknown custom attribute: %s", r)
	}
	c.ok("POST", "/data_attributes", obj{"name": "shoe_size", "model": "contact", "data_type": "integer"})
	if got := c.ok("PUT", "/contacts/"+user, obj{"custom_attributes": obj{"shoe_size": 44}}); n(m(got["custom_attributes"])["shoe_size"]) != 44 {
		t.Errorf("custom attribute not set: %v", got["custom_attributes"])
	}
	if r := c.do("POST", "/data_attributes", obj{"name": "shoe_size", "model": "contact", "data_type": "string"}); r.status != 400 {
		t.Errorf("duplicate attribute: %s", r)
	}
	countArchived := func(q string) int {
		k := 0
		for _, a := range arr(c.ok("GET", "/data_attributes?model=contact"+q, nil)["data"]) {
			if m(a)["archived"] == true {
				k++
			}
		}
		return k
	}
	if countArchived("") != 0 || countArchived("&include_archived=true") == 0 {
		t.Errorf("archived attributes must be listed only with include_archived")
	}
	c.ok("POST", "/events", obj{"event_name": "did-a-thing", "created_at": fixedNow.Unix(), "id": user})
	c.ok("POST", "/events", obj{"event_name": "did-a-thing", "created_at": fixedNow.Unix(), "id": user}) // duplicate: dropped
	sum := c.ok("GET", "/events?type=user&summary=true&intercom_user_id="+user, nil)
	for _, e := range arr(sum["events"]) {
		if m(e)["name"] == "did-a-thing" && n(m(e)["count"]) != 1 {
			t.Errorf("summary count %v", m(e)["count"])
		}
	}
}

func TestSameSeedSameWorkspace(t *testing.T) {
	snap := func(seed int64) []byte {
		opts := testOptions()
		opts.Seed = seed
		sb, err := sandbox.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		data, err := sb.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	if !bytes.Equal(snap(3), snap(3)) {
		t.Error("the same seed gave two workspaces")
	}
	if bytes.Equal(snap(3), snap(4)) {
		t.Error("two seeds gave the same workspace")
	}
}

func TestStateFileSurvivesRestart(t *testing.T) {
	opts := testOptions()
	opts.StateFile = filepath.Join(t.TempDir(), "state.json")
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := sb.Listen("")
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, sb: sb, base: base, token: sb.Token(), http: httpClient()}
	id := s(c.ok("POST", "/contacts", obj{"email": "kept@state.example"})["id"])
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	c = start(t, opts)
	if got := c.ok("GET", "/contacts/"+id, nil); got["email"] != "kept@state.example" {
		t.Errorf("after restart: %v", got)
	}
	if got := c.ok("POST", "/contacts", obj{"email": "next@state.example"}); s(got["id"]) <= id {
		t.Errorf("ids restarted: %v after %s", got["id"], id)
	}
}

func snapshot(t *testing.T, c *client) []byte {
	t.Helper()
	data, err := c.sb.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func sameSnapshot(t *testing.T, c *client, before []byte) {
	t.Helper()
	if after := snapshot(t, c); !bytes.Equal(before, after) {
		t.Errorf("the store changed")
	}
}

var _ = io.EOF

func TestLookupsFollowUpdates(t *testing.T) {
	c := start(t, testOptions())
	user := c.userID()
	cv := s(c.ok("POST", "/conversations", obj{"from": obj{"type": "user", "id": user}, "body": "hi"})["conversation_id"])
	c.ok("PUT", "/contacts/"+user, obj{"email": "changed@lookup.example", "external_id": "changed-ext"})
	reply := obj{"message_type": "comment", "type": "user", "email": "changed@lookup.example", "body": "by email"}
	if got := c.ok("POST", "/conversations/"+cv+"/reply", reply); got["state"] != "open" {
		t.Errorf("reply by the new email: %v", got["state"])
	}
	reply["email"] = "nobody@lookup.example"
	if r := c.do("POST", "/conversations/"+cv+"/reply", reply); r.status != 404 {
		t.Errorf("reply by an unknown email: %s", r)
	}
	if r := c.do("POST", "/events", obj{"event_name": "x", "created_at": fixedNow.Unix(), "user_id": "changed-ext"}); r.status != 202 {
		t.Errorf("event by the new external_id: %s", r)
	}
	if r := c.do("POST", "/contacts", obj{"role": "user", "external_id": "changed-ext"}); r.status != 409 {
		t.Errorf("duplicate external_id: %s", r)
	}
}

func TestSearchBySegment(t *testing.T) {
	c := start(t, testOptions())
	var seg string
	for _, sg := range arr(c.ok("GET", "/segments", nil)["segments"]) {
		if m(sg)["name"] == "Enterprise plan" {
			seg = s(m(sg)["id"])
		}
	}
	want := 0
	for _, ct := range c.allContacts() {
		if attr(ct, "plan") == "enterprise" {
			want++
		}
	}
	got := c.ok("POST", "/contacts/search", obj{"query": eq("segment_id", "=", seg)})
	if int(n(got["total_count"])) != want || want == 0 {
		t.Errorf("segment search: %v, want %d", got["total_count"], want)
	}
	if sg := c.ok("GET", "/segments/"+seg, nil); int(n(sg["count"])) != want {
		t.Errorf("segment count %v, want %d", sg["count"], want)
	}
}

// A lazily seeded sandbox serves and holds the same workspace as one seeded
// in New, even when its first request comes later on an advancing clock.
func TestSeedLazilySameWorkspace(t *testing.T) {
	type run struct {
		first map[string]any
		snap  []byte
	}
	serve := func(lazy bool) run {
		opts := testOptions()
		var ticks int64
		opts.Now = func() time.Time { ticks++; return fixedNow.Add(time.Duration(ticks) * time.Hour) }
		opts.SeedLazily = lazy
		c := start(t, opts)
		first := c.ok("GET", "/contacts?per_page=5", nil)
		c.ok("PUT", "/contacts/"+s(arr(first["data"])[0].(map[string]any)["id"]), map[string]any{"name": "Lazy Seed"})
		data, err := c.sb.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		return run{first, data}
	}
	eager, lazy := serve(false), serve(true)
	if !reflect.DeepEqual(eager.first, lazy.first) {
		t.Errorf("first answers differ:\neager %v\nlazy  %v", eager.first, lazy.first)
	}
	if !bytes.Equal(eager.snap, lazy.snap) {
		t.Error("a lazily seeded sandbox holds another workspace than one seeded in New")
	}
	// Snapshot seeds too: nothing served yet still gives the seed's workspace.
	opts := testOptions()
	opts.SeedLazily = true
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sb.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	eagerSB, err := sandbox.New(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	want, err := eagerSB.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("Snapshot of an unserved lazy sandbox differs from the seeded workspace")
	}
}

// A lazily seeded sandbox nobody used does not seed on Close to save a
// workspace nobody saw: it writes no state file. One that loaded a state
// file saves it back as it was, whether or not it served a request.
func TestSeedLazilyCloseUnused(t *testing.T) {
	opts := testOptions()
	opts.SeedLazily = true
	opts.StateFile = filepath.Join(t.TempDir(), "state.json")
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(opts.StateFile); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Close of an unused lazy sandbox wrote the state file (%v)", err)
	}

	// Saved state: kept through a lazy sandbox that loads it and serves nothing.
	c := start(t, opts)
	id := s(c.ok("POST", "/contacts", obj{"email": "saved@lazy.example"})["id"])
	if err := c.sb.Close(); err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(opts.StateFile)
	if err != nil {
		t.Fatal(err)
	}
	idle, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := idle.Close(); err != nil {
		t.Fatal(err)
	}
	if again, err := os.ReadFile(opts.StateFile); err != nil || !bytes.Equal(again, saved) {
		t.Fatalf("Close of an unused sandbox changed the saved state (%v)", err)
	}
	c = start(t, opts)
	if got := c.ok("GET", "/contacts/"+id, nil); got["email"] != "saved@lazy.example" {
		t.Errorf("saved contact after an idle restart: %v", got)
	}
}
