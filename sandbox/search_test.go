package sandbox_test

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/search"
)

// The expected answers are computed by plain Go predicates over the records the
// API lists, not by the sandbox's search code.

type searchCase struct {
	name  string
	query obj
	want  func(r map[string]any) bool
}

func attr(r map[string]any, name string) any { return m(r["custom_attributes"])[name] }

func tagIDs(r map[string]any) []string {
	var out []string
	for _, t := range arr(m(r["tags"])["data"]) {
		out = append(out, s(m(t)["id"]))
	}
	return out
}

func has(list []string, v string) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

// dayStart is the UTC midnight of a unix time: contacts' dates match by day.
func dayStart(t int64) int64 {
	return time.Unix(t, 0).UTC().Truncate(24 * time.Hour).Unix()
}

func TestSearchContactsOverTheSeed(t *testing.T) {
	c := start(t, testOptions())
	contacts := c.allContacts()
	if len(contacts) != 200 {
		t.Fatalf("seeded %d contacts, want 200", len(contacts))
	}
	vip := c.tagNamed("vip")
	pivot := n(contacts[100]["created_at"])
	lower := func(r map[string]any, k string) string { return strings.ToLower(s(r[k])) }
	cases := []searchCase{
		{"= role", eq("role", "=", "lead"), func(r map[string]any) bool { return r["role"] == "lead" }},
		{"!= role", eq("role", "!=", "lead"), func(r map[string]any) bool { return r["role"] != "lead" }},
		{"IN plan", eq("custom_attributes.plan", "IN", []any{"pro", "enterprise"}), func(r map[string]any) bool {
			p := attr(r, "plan")
			return p == "pro" || p == "enterprise"
		}},
		{"NIN plan", eq("custom_attributes.plan", "NIN", []any{"free"}), func(r map[string]any) bool { return attr(r, "plan") != "free" }},
		{"> seats", eq("custom_attributes.seats", ">", 40), func(r map[string]any) bool { return n(attr(r, "seats")) > 40 }},
		{"< seats", eq("custom_attributes.seats", "<", 5), func(r map[string]any) bool { return n(attr(r, "seats")) < 5 }},
		{"~ email", eq("email", "~", "MAIL"), func(r map[string]any) bool { return strings.Contains(lower(r, "email"), "mail") }},
		{"!~ email", eq("email", "!~", "corp"), func(r map[string]any) bool { return !strings.Contains(lower(r, "email"), "corp") }},
		{"^ name", eq("name", "^", "a"), func(r map[string]any) bool { return strings.HasPrefix(lower(r, "name"), "a") }},
		{"$ email", eq("email", "$", "post.example"), func(r map[string]any) bool { return strings.HasSuffix(lower(r, "email"), "post.example") }},
		{"= boolean", eq("custom_attributes.trial", "=", true), func(r map[string]any) bool { return attr(r, "trial") == true }},
		{"tag_id =", eq("tag_id", "=", vip), func(r map[string]any) bool { return has(tagIDs(r), vip) }},
		{"tag_id !=", eq("tag_id", "!=", vip), func(r map[string]any) bool { return !has(tagIDs(r), vip) }},
		{"nested location", eq("location.city", "=", "Dublin"), func(r map[string]any) bool { return m(r["location"])["city"] == "Dublin" }},
		{"= null phone", eq("phone", "=", nil), func(r map[string]any) bool { return r["phone"] == nil }},
		{"created_at > (by day)", eq("created_at", ">", pivot), func(r map[string]any) bool {
			return n(r["created_at"]) >= dayStart(pivot)+86400
		}},
		{"created_at < (by day)", eq("created_at", "<", pivot), func(r map[string]any) bool {
			return n(r["created_at"]) < dayStart(pivot)
		}},
		{"AND", obj{"operator": "AND", "value": []any{eq("role", "=", "user"), eq("custom_attributes.seats", ">", 25)}},
			func(r map[string]any) bool { return r["role"] == "user" && n(attr(r, "seats")) > 25 }},
		{"OR", obj{"operator": "OR", "value": []any{eq("location.country", "=", "Japan"), eq("custom_attributes.plan", "=", "free")}},
			func(r map[string]any) bool {
				return m(r["location"])["country"] == "Japan" || attr(r, "plan") == "free"
			}},
		{"(a OR b) AND (c OR d)", obj{"operator": "AND", "value": []any{
			obj{"operator": "OR", "value": []any{eq("role", "=", "lead"), eq("custom_attributes.trial", "=", true)}},
			obj{"operator": "OR", "value": []any{eq("email", "~", "inbox"), eq("custom_attributes.seats", "<", 10)}},
		}}, func(r map[string]any) bool {
			return (r["role"] == "lead" || attr(r, "trial") == true) &&
				(strings.Contains(lower(r, "email"), "inbox") || n(attr(r, "seats")) < 10)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, r := range contacts {
				if tc.want(r) {
					want = append(want, s(r["id"]))
				}
			}
			got := c.searchAll("/contacts/search", "data", tc.query, 37)
			if len(want) == 0 || len(want) == len(contacts) {
				t.Logf("degenerate case: %d of %d", len(want), len(contacts))
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("got %d ids, want %d\n got %v\nwant %v", len(got), len(want), got, want)
			}
		})
	}
}

func TestSearchConversationsOverTheSeed(t *testing.T) {
	c := start(t, testOptions())
	var all []map[string]any
	path := "/conversations?per_page=150"
	for {
		body := c.ok("GET", path, nil)
		for _, it := range arr(body["conversations"]) {
			all = append(all, m(it))
		}
		next := m(m(body["pages"])["next"])
		if next == nil {
			break
		}
		path = "/conversations?per_page=150&starting_after=" + s(next["starting_after"])
	}
	if len(all) != 300 {
		t.Fatalf("seeded %d conversations, want 300", len(all))
	}
	admin := c.adminID()
	pivot := n(all[150]["updated_at"])
	tagged := func(r map[string]any) []string {
		var out []string
		for _, tg := range arr(m(r["tags"])["tags"]) {
			out = append(out, s(m(tg)["id"]))
		}
		return out
	}
	firstTag := ""
	for _, r := range all {
		if ids := tagged(r); len(ids) > 0 {
			firstTag = ids[0]
			break
		}
	}
	cases := []searchCase{
		{"state", eq("state", "=", "snoozed"), func(r map[string]any) bool { return r["state"] == "snoozed" }},
		{"open false", eq("open", "=", false), func(r map[string]any) bool { return r["open"] == false }},
		{"admin_assignee_id", eq("admin_assignee_id", "=", admin), func(r map[string]any) bool { return s(r["admin_assignee_id"]) == admin }},
		{"updated_at > (inclusive)", eq("updated_at", ">", pivot), func(r map[string]any) bool { return n(r["updated_at"]) >= pivot }},
		{"tag_ids", eq("tag_ids", "=", firstTag), func(r map[string]any) bool { return has(tagged(r), firstTag) }},
		{"source.subject ~", eq("source.subject", "~", "plan"), func(r map[string]any) bool {
			return strings.Contains(strings.ToLower(s(m(r["source"])["subject"])), "plan")
		}},
		{"OR priority", obj{"operator": "OR", "value": []any{eq("priority", "=", "priority"), eq("state", "=", "snoozed")}},
			func(r map[string]any) bool { return r["priority"] == "priority" || r["state"] == "snoozed" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, r := range all {
				if tc.want(r) {
					want = append(want, s(r["id"]))
				}
			}
			sort.Strings(want)
			got := c.searchAll("/conversations/search", "conversations", tc.query, 40)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("got %d, want %d\n got %v\nwant %v", len(got), len(want), got, want)
			}
		})
	}
}

func TestInvalidSearchQueries(t *testing.T) {
	c := start(t, testOptions())
	for _, q := range []obj{
		eq("role", "==", "user"),
		eq("no_such_field", "=", "x"),
		eq("role", "IN", "user"),
		{"operator": "AND", "value": []any{}},
		{"operator": "AND", "value": []any{obj{"operator": "OR", "value": []any{obj{"operator": "AND", "value": []any{eq("role", "=", "user")}}}}}},
	} {
		r := c.do("POST", "/contacts/search", obj{"query": q})
		if r.status != 400 || (r.errorCode() != "parameter_invalid" && r.errorCode() != "parameter_not_found") {
			t.Errorf("query %v: %s", q, r)
		}
	}
	if r := c.do("POST", "/contacts/search", obj{}); r.status != 400 || r.errorCode() != "parameter_not_found" {
		t.Errorf("no query: %s", r)
	}
}

// searchAll pages a search through its body cursor and returns the ids served.
func (c *client) searchAll(path, field string, query obj, per int) []string {
	c.t.Helper()
	var ids []string
	after := ""
	for {
		pg := obj{"per_page": per}
		if after != "" {
			pg["starting_after"] = after
		}
		body := c.ok("POST", path, obj{"query": query, "pagination": pg})
		items := arr(body[field])
		if len(items) > per {
			c.t.Fatalf("page of %d items, per_page %d", len(items), per)
		}
		for _, it := range items {
			ids = append(ids, s(m(it)["id"]))
		}
		next := m(m(body["pages"])["next"])
		if next == nil {
			if int64(len(ids)) != n(body["total_count"]) {
				c.t.Fatalf("served %d items, total_count %v", len(ids), body["total_count"])
			}
			return ids
		}
		after = s(next["starting_after"])
	}
}

// TestSearchFieldSetsFollowTheCatalogue: the fields each search of every
// version's catalogue accepts (read from the description's "Accepted
// Fields" and "Accepted Operators" tables, which `.help` shows) are the
// fields the sandbox's search accepts in that version, with the same
// operators, and it accepts no other field but a family of fields it types
// by each record's value (custom_attributes.*), which takes at least the
// described operators. (TestSearchFieldsFollowEachDescription asks the
// sandbox over HTTP with expectations from the description itself.)
func TestSearchFieldSetsFollowTheCatalogue(t *testing.T) {
	for _, v := range catalog.Versions() {
		for _, op := range catalog.MustFor(v).Operations {
			_, searched := searchPaths[op.ID]
			switch {
			case len(op.SearchFields) == 0 && searched:
				// The generator read no "Accepted Fields" table: a
				// description that moved it would otherwise pass unseen
				// (and the sandbox, having no fields, refuses the search).
				t.Errorf("%s %s: the sandbox searches it, the catalogue lists no searchable field", v, op.ID)
				continue
			case len(op.SearchFields) == 0:
				continue
			}
			fs, err := sandbox.SearchFieldsOf(v, op.ID)
			if fs == nil {
				t.Errorf("%s %s: the catalogue lists searchable fields, the sandbox's search has no field set (%v)", v, op.ID, err)
				continue
			}
			served := map[string]search.FieldInfo{}
			for _, f := range fs.Fields() {
				served[f.Name] = f
			}
			for _, f := range op.SearchFields {
				name := strings.TrimSuffix(f.Name, "*") + "x"
				if !strings.HasSuffix(f.Name, ".*") {
					name = f.Name
				}
				if !fs.Allows(name) {
					t.Errorf("%s %s: the sandbox does not accept the field %s", v, op.ID, f.Name)
					continue
				}
				got, want := served[f.Name].Operators, f.Operators
				if served[f.Name].Type == "any" {
					if missing := slices.DeleteFunc(slices.Clone(want), func(o string) bool { return slices.Contains(got, o) }); len(missing) > 0 {
						t.Errorf("%s %s: the sandbox refuses the operators %v on %s", v, op.ID, missing, f.Name)
					}
					continue
				}
				if served[f.Name].Type != f.Type || !slices.Equal(got, want) {
					t.Errorf("%s %s: %s is %s taking %v in the sandbox, %s taking %v in the description", v, op.ID, f.Name,
						served[f.Name].Type, got, f.Type, want)
				}
			}
			for name, f := range served {
				if f.Type != "any" && !slices.ContainsFunc(op.SearchFields, func(d catalog.SearchField) bool { return d.Name == name }) {
					t.Errorf("%s %s: the sandbox accepts %s, which the description does not list", v, op.ID, name)
				}
			}
		}
	}
}
