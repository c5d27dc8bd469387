package sandbox_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestBadInputChangesNothing(t *testing.T) {
	c := start(t, testOptions())
	user, admin, cv := c.userID(), c.adminID(), c.conversationID()
	cases := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"malformed JSON", "POST", "/contacts", `{"email": "x@y.z",`, 400, "bad_request"},
		{"body not an object", "POST", "/contacts", `[1,2]`, 400, "bad_request"},
		{"missing required field", "POST", "/tags", obj{}, 400, "parameter_not_found"},
		{"none of anyOf", "POST", "/contacts", obj{"name": "No Identity"}, 400, "parameter_not_found"},
		{"wrong type", "PUT", "/admins/" + admin + "/away", obj{"away_mode_enabled": "yes", "away_mode_reassign": false}, 400, "parameter_invalid"},
		{"wrong enum", "POST", "/conversations/" + cv + "/parts", obj{"message_type": "explode", "admin_id": admin}, 400, "parameter_invalid"},
		{"oneOf dispatch: close without admin_id", "POST", "/conversations/" + cv + "/parts", obj{"message_type": "close", "type": "admin"}, 400, "parameter_not_found"},
		{"nested wrong type", "POST", "/contacts/search", obj{"query": eq("role", "=", "user"), "pagination": obj{"per_page": "ten"}}, 400, "parameter_invalid"},
		{"query parameter type", "GET", "/companies?per_page=many", nil, 400, "parameter_invalid"},
		{"missing query parameter", "GET", "/admins/activity_logs", nil, 400, "parameter_not_found"},
		{"unknown path", "GET", "/no/such/thing", nil, 404, "not_found"},
		{"method not allowed", "PATCH", "/contacts/" + user, obj{}, 405, "method_not_allowed"},
		{"unknown contact", "GET", "/contacts/000000000000000000000000", nil, 404, "not_found"},
		{"unknown contact on update", "PUT", "/contacts/nope", obj{"name": "x"}, 404, "not_found"},
		{"unknown company", "GET", "/companies/nope", nil, 404, "company_not_found"},
		{"unknown tag", "POST", "/contacts/" + user + "/tags", obj{"id": "1"}, 404, "tag_not_found"},
		{"unknown admin", "GET", "/admins/1", nil, 404, "admin_not_found"},
		{"unknown team", "GET", "/teams/1", nil, 404, "team_not_found"},
		{"unknown ticket", "PUT", "/tickets/1", obj{"open": false}, 404, "ticket_not_found"},
		{"unknown conversation", "POST", "/conversations/1/reply", obj{"message_type": "comment", "type": "admin", "admin_id": admin, "body": "x"}, 404, "not_found"},
		{"unknown part", "POST", "/conversations/redact", obj{"type": "conversation_part", "conversation_id": cv, "conversation_part_id": "1"}, 404, "conversation_part_or_message_not_found"},
		{"last customer", "DELETE", "/conversations/" + cv + "/customers/" + firstContactOf(c, cv), obj{"admin_id": admin}, 422, "parameter_invalid"},
		{"unknown data attribute", "PUT", "/data_attributes/1", obj{"description": "x"}, 404, "field_not_found"},
		{"user email conflict", "POST", "/contacts", obj{"role": "user", "email": s(c.ok("GET", "/contacts/"+user, nil)["email"])}, 409, "conflict"},
		{"bad phone", "POST", "/phone_call_redirects", obj{"phone": "12"}, 400, "parameter_invalid"},
		{"bad Intercom-Version", "GET", "/me", nil, 400, "intercom_version_invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, c)
			req := c.request(tc.method, tc.path, tc.body)
			if tc.code == "intercom_version_invalid" {
				req.Header.Set("Intercom-Version", "latest please")
			}
			r := c.send(req)
			if r.status != tc.status || r.errorCode() != tc.code {
				t.Fatalf("want %d %s, got %s", tc.status, tc.code, r)
			}
			checkErrorList(t, r)
			sameSnapshot(t, c, before)
		})
	}
}

func firstContactOf(c *client, cv string) string {
	return s(m(arr(m(c.ok("GET", "/conversations/"+cv, nil)["contacts"])["contacts"])[0])["id"])
}

func checkErrorList(t *testing.T, r *response) {
	t.Helper()
	if r.body["type"] != "error.list" || s(r.body["request_id"]) == "" || len(arr(r.body["errors"])) != 1 {
		t.Errorf("not an error.list: %s", r)
	}
	if r.header.Get("X-Request-Id") != s(r.body["request_id"]) {
		t.Errorf("X-Request-Id %q, body request_id %v", r.header.Get("X-Request-Id"), r.body["request_id"])
	}
	if msg := s(m(arr(r.body["errors"])[0])["message"]); msg == "" {
		t.Errorf("no message: %s", r)
	}
}

func TestAuth(t *testing.T) {
	c := start(t, testOptions())
	for name, auth := range map[string]string{"no token": "", "bad token": "Bearer nope", "basic": "Basic " + c.token} {
		t.Run(name, func(t *testing.T) {
			before := snapshot(t, c)
			req := c.request("POST", "/contacts", obj{"email": "a@b.example"})
			req.Header.Del("Authorization")
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			r := c.send(req)
			if r.status != http.StatusUnauthorized || r.errorCode() != "unauthorized" {
				t.Fatalf("want 401 unauthorized, got %s", r)
			}
			checkErrorList(t, r)
			if r.header.Get("X-RateLimit-Limit") == "" || r.header.Get("X-Icscript-Sandbox") != "1" {
				t.Errorf("headers: %v", r.header)
			}
			sameSnapshot(t, c, before)
		})
	}
	req := c.request("GET", "/me", nil)
	req.Header.Del("Intercom-Version")
	if r := c.send(req); r.status != 200 || r.body["name"] != "Ana Silva" || s(m(r.body["app"])["name"]) != "Acme (sandbox)" {
		t.Errorf("GET /me without Intercom-Version: %s", r)
	}
}

// TestNotFoundAnswers: each kind of record a by-id operation reads answers a
// missing id with its own 404, byte for byte: Intercom's code and message,
// the request id, and nothing else.
func TestNotFoundAnswers(t *testing.T) {
	c := start(t, testOptions())
	const resource = `"code":"not_found","message":"Resource Not Found"`
	cases := []struct{ op, path, item string }{
		{"retrieveAdmin", "/admins/0", `"code":"admin_not_found","message":"Admin not found"`},
		{"retrieveTeam", "/teams/0", `"code":"team_not_found","message":"Team not found"`},
		{"ShowContact", "/contacts/0", `"code":"not_found","message":"User Not Found"`},
		{"listNotes", "/contacts/0/notes", `"code":"not_found","message":"User Not Found"`},
		{"RetrieveACompanyById", "/companies/0", `"code":"company_not_found","message":"Company Not Found"`},
		{"retrieveConversation", "/conversations/0", `"code":"not_found","message":"Conversation not found"`},
		{"findTag", "/tags/0", `"code":"tag_not_found","message":"Tag not found"`},
		{"getTicket", "/tickets/0", `"code":"ticket_not_found","message":"Ticket not found"`},
		{"retrieveArticle", "/articles/0", resource},
		{"retrieveCollection", "/help_center/collections/0", resource},
		{"retrieveHelpCenter", "/help_center/help_centers/0", resource},
		{"retrieveNewsItem", "/news/news_items/0", resource},
		{"retrieveNewsfeed", "/news/newsfeeds/0", resource},
		{"listLiveNewsfeedItems", "/news/newsfeeds/0/items", resource},
		{"retrieveNote", "/notes/0", resource},
		{"retrieveSegment", "/segments/0", resource},
		{"getTicketType", "/ticket_types/0", resource},
		{"getDataExport", "/export/content/data/0", resource},
		{"retrieveVisitorWithUserId", "/visitors?user_id=nobody", `"code":"not_found","message":"Visitor Not Found"`},
	}
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			r := c.do("GET", tc.path, nil)
			want := `{"errors":[{` + tc.item + `}],"request_id":"` + r.header.Get("X-Request-Id") + `","type":"error.list"}`
			if r.status != http.StatusNotFound || strings.TrimSpace(string(r.raw)) != want {
				t.Errorf("GET %s: want 404 %s, got %s", tc.path, want, r)
			}
		})
	}
}
