package sandbox_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

// sweepCase builds a valid request for one operation against a fresh seeded
// workspace; it may prepare state with other requests first.
type sweepCase func(c *client) (params map[string]string, query string, body any)

func p(kv ...string) map[string]string {
	out := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

type obj = map[string]any

// Helpers that fetch or prepare what a case needs.
func companyID(c *client) string { return s(c.firstOf("/companies?per_page=1", "data")["id"]) }
func teamID(c *client) string    { return s(c.firstOf("/teams", "teams")["id"]) }
func tagID(c *client) string     { return s(c.firstOf("/tags", "data")["id"]) }
func ticketID(c *client) string {
	return s(c.searchOne("/tickets/search", eq("open", "=", true), "tickets")["id"])
}
func ticketTypeID(c *client) string { return s(c.firstOf("/ticket_types", "data")["id"]) }
func articleID(c *client) string    { return s(c.firstOf("/articles", "data")["id"]) }
func collectionID(c *client) string { return s(c.firstOf("/help_center/collections", "data")["id"]) }
func newsItemID(c *client) string   { return s(c.firstOf("/news/news_items", "data")["id"]) }
func newsfeedID(c *client) string   { return s(c.firstOf("/news/newsfeeds", "data")["id"]) }
func segmentID(c *client) string    { return s(c.firstOf("/segments", "segments")["id"]) }
func subscriptionID(c *client) string {
	return s(c.firstOf("/subscription_types", "data")["id"])
}
func customAttributeID(c *client) string {
	for _, a := range arr(c.ok("GET", "/data_attributes?model=contact", nil)["data"]) {
		if m(a)["custom"] == true {
			return s(m(a)["id"])
		}
	}
	c.t.Fatal("no custom data attribute")
	return ""
}
func exportJob(c *client, polls int) string {
	id := s(c.ok("POST", "/export/content/data", obj{"created_at_after": 0, "created_at_before": fixedNow.Unix()})["job_identfier"])
	for i := 0; i < polls; i++ {
		c.ok("GET", "/export/content/data/"+id, nil)
	}
	return id
}

const visitorUserID = "sandbox-visitor-0001"

var sweepCases = map[string]sweepCase{
	"identifyAdmin": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"setAwayAdmin": func(c *client) (map[string]string, string, any) {
		return p("id", c.adminID()), "", obj{"away_mode_enabled": true, "away_mode_reassign": false}
	},
	"listActivityLogs": func(c *client) (map[string]string, string, any) { return nil, "created_at_after=0", nil },
	"listAdmins":       func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"retrieveAdmin":    func(c *client) (map[string]string, string, any) { return p("id", c.adminID()), "", nil },
	"listArticles":     func(c *client) (map[string]string, string, any) { return nil, "per_page=5", nil },
	"createArticle": func(c *client) (map[string]string, string, any) {
		var col int64
		fmt.Sscan(collectionID(c), &col)
		return nil, "", obj{"title": "Sweep", "author_id": c.adminNum(), "state": "published", "parent_id": col, "body": "Hello"}
	},
	"retrieveArticle": func(c *client) (map[string]string, string, any) { return p("id", articleID(c)), "", nil },
	"updateArticle": func(c *client) (map[string]string, string, any) {
		return p("id", articleID(c)), "", obj{"title": "Renamed", "state": "draft"}
	},
	"deleteArticle":      func(c *client) (map[string]string, string, any) { return p("id", articleID(c)), "", nil },
	"searchArticles":     func(c *client) (map[string]string, string, any) { return nil, "phrase=invoice&highlight=true", nil },
	"listAllCollections": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"createCollection": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"name": "Security", "description": "Keeping safe"}
	},
	"retrieveCollection": func(c *client) (map[string]string, string, any) { return p("id", collectionID(c)), "", nil },
	"updateCollection": func(c *client) (map[string]string, string, any) {
		return p("id", collectionID(c)), "", obj{"name": "Renamed"}
	},
	"deleteCollection": func(c *client) (map[string]string, string, any) { return p("id", collectionID(c)), "", nil },
	"retrieveHelpCenter": func(c *client) (map[string]string, string, any) {
		return p("id", s(c.firstOf("/help_center/help_centers", "data")["id"])), "", nil
	},
	"listHelpCenters": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"createOrUpdateCompany": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"company_id": "sweep-1", "name": "Sweep Ltd", "plan": "pro", "size": 10, "custom_attributes": obj{"tier": "premium"}}
	},
	"retrieveCompany":      func(c *client) (map[string]string, string, any) { return nil, "per_page=5&page=2", nil },
	"RetrieveACompanyById": func(c *client) (map[string]string, string, any) { return p("id", companyID(c)), "", nil },
	"UpdateCompany": func(c *client) (map[string]string, string, any) {
		return p("id", companyID(c)), "", obj{"name": "Renamed", "monthly_spend": 42}
	},
	"deleteCompany":        func(c *client) (map[string]string, string, any) { return p("id", companyID(c)), "", nil },
	"ListAttachedContacts": func(c *client) (map[string]string, string, any) { return p("id", companyID(c)), "", nil },
	"ListAttachedSegmentsForCompanies": func(c *client) (map[string]string, string, any) {
		return p("id", companyID(c)), "", nil
	},
	"listAllCompanies":       func(c *client) (map[string]string, string, any) { return nil, "per_page=10&order=desc", nil },
	"scrollOverAllCompanies": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"attachContactToACompany": func(c *client) (map[string]string, string, any) {
		return p("id", c.userID()), "", obj{"id": companyID(c)}
	},
	"listCompaniesForAContact": func(c *client) (map[string]string, string, any) { return p("id", c.userID()), "", nil },
	"detachContactFromACompany": func(c *client) (map[string]string, string, any) {
		u, co := c.userID(), companyID(c)
		c.ok("POST", "/contacts/"+u+"/companies", obj{"id": co})
		return p("contact_id", u, "id", co), "", nil
	},
	"listNotes": func(c *client) (map[string]string, string, any) { return p("id", c.userID()), "", nil },
	"createNote": func(c *client) (map[string]string, string, any) {
		return p("id", c.userID()), "", obj{"body": "Called them", "admin_id": c.adminID()}
	},
	"listSegmentsForAContact":      func(c *client) (map[string]string, string, any) { return p("contact_id", c.userID()), "", nil },
	"listSubscriptionsForAContact": func(c *client) (map[string]string, string, any) { return p("contact_id", c.userID()), "", nil },
	"attachSubscriptionTypeToContact": func(c *client) (map[string]string, string, any) {
		return p("contact_id", c.userID()), "", obj{"id": subscriptionID(c), "consent_type": "opt_in"}
	},
	"detachSubscriptionTypeToContact": func(c *client) (map[string]string, string, any) {
		u, sub := c.userID(), subscriptionID(c)
		c.ok("POST", "/contacts/"+u+"/subscriptions", obj{"id": sub, "consent_type": "opt_in"})
		return p("contact_id", u, "id", sub), "", nil
	},
	"listTagsForAContact": func(c *client) (map[string]string, string, any) { return p("contact_id", c.userID()), "", nil },
	"attachTagToContact": func(c *client) (map[string]string, string, any) {
		return p("contact_id", c.userID()), "", obj{"id": tagID(c)}
	},
	"detachTagFromContact": func(c *client) (map[string]string, string, any) {
		u, tg := c.userID(), tagID(c)
		c.ok("POST", "/contacts/"+u+"/tags", obj{"id": tg})
		return p("contact_id", u, "id", tg), "", nil
	},
	"UpdateContact": func(c *client) (map[string]string, string, any) {
		return p("id", c.userID()), "", obj{"name": "Renamed", "custom_attributes": obj{"seats": 3}}
	},
	"ShowContact":   func(c *client) (map[string]string, string, any) { return p("id", c.userID()), "", nil },
	"DeleteContact": func(c *client) (map[string]string, string, any) { return p("id", c.userID()), "", nil },
	"MergeContact": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"from": c.leadID(), "into": c.userID()}
	},
	"SearchContacts": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"query": obj{"operator": "AND", "value": []any{eq("role", "=", "user"), eq("custom_attributes.plan", "IN", []any{"pro", "enterprise"})}}, "pagination": obj{"per_page": 5}}
	},
	"ListContacts": func(c *client) (map[string]string, string, any) { return nil, "per_page=5", nil },
	"CreateContact": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"email": "sweep@new.example", "role": "user", "external_id": "sweep-1", "custom_attributes": obj{"plan": "pro"}}
	},
	"ArchiveContact": func(c *client) (map[string]string, string, any) { return p("id", c.userID()), "", nil },
	"UnarchiveContact": func(c *client) (map[string]string, string, any) {
		u := c.userID()
		c.ok("POST", "/contacts/"+u+"/archive", nil)
		return p("id", u), "", nil
	},
	"attachTagToConversation": func(c *client) (map[string]string, string, any) {
		return p("conversation_id", c.conversationID()), "", obj{"id": tagID(c), "admin_id": c.adminID()}
	},
	"detachTagFromConversation": func(c *client) (map[string]string, string, any) {
		cv, tg, a := c.conversationID(), tagID(c), c.adminID()
		c.ok("POST", "/conversations/"+cv+"/tags", obj{"id": tg, "admin_id": a})
		return p("conversation_id", cv, "id", tg), "", obj{"admin_id": a}
	},
	"listConversations": func(c *client) (map[string]string, string, any) { return nil, "per_page=5", nil },
	"createConversation": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"from": obj{"type": "user", "id": c.userID()}, "body": "Hello there"}
	},
	"retrieveConversation": func(c *client) (map[string]string, string, any) { return p("id", c.conversationID()), "", nil },
	"updateConversation": func(c *client) (map[string]string, string, any) {
		return p("id", c.conversationID()), "", obj{"read": true}
	},
	"searchConversations": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"query": obj{"operator": "OR", "value": []any{eq("state", "=", "open"), eq("state", "=", "snoozed")}}, "pagination": obj{"per_page": 5}}
	},
	"replyConversation": func(c *client) (map[string]string, string, any) {
		return p("id", c.conversationID()), "", obj{"message_type": "comment", "type": "admin", "admin_id": c.adminID(), "body": "On it"}
	},
	"manageConversation": func(c *client) (map[string]string, string, any) {
		return p("id", c.conversationID()), "", obj{"message_type": "close", "type": "admin", "admin_id": c.adminID(), "body": "Closing"}
	},
	"autoAssignConversation": func(c *client) (map[string]string, string, any) { return p("id", c.conversationID()), "", nil },
	"attachContactToConversation": func(c *client) (map[string]string, string, any) {
		return p("id", c.conversationID()), "", obj{"admin_id": c.adminID(), "customer": obj{"intercom_user_id": c.leadID()}}
	},
	"detachContactFromConversation": func(c *client) (map[string]string, string, any) {
		cv, lead, a := c.conversationID(), c.leadID(), c.adminID()
		c.ok("POST", "/conversations/"+cv+"/customers", obj{"admin_id": a, "customer": obj{"intercom_user_id": lead}})
		return p("conversation_id", cv, "contact_id", lead), "", obj{"admin_id": a}
	},
	"redactConversation": func(c *client) (map[string]string, string, any) {
		cv := c.conversationID()
		parts := arr(m(c.ok("POST", "/conversations/"+cv+"/reply", obj{"message_type": "comment", "type": "admin", "admin_id": c.adminID(), "body": "secret"})["conversation_parts"])["conversation_parts"])
		part := s(m(parts[len(parts)-1])["id"])
		return nil, "", obj{"type": "conversation_part", "conversation_id": cv, "conversation_part_id": part}
	},
	"convertConversationToTicket": func(c *client) (map[string]string, string, any) {
		return p("id", c.conversationID()), "", obj{"ticket_type_id": ticketTypeID(c)}
	},
	"lisDataAttributes": func(c *client) (map[string]string, string, any) {
		return nil, "model=contact&include_archived=true", nil
	},
	"createDataAttribute": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"name": "favourite_colour", "model": "contact", "data_type": "string", "description": "Colour"}
	},
	"updateDataAttribute": func(c *client) (map[string]string, string, any) {
		return p("id", customAttributeID(c)), "", obj{"description": "Updated"}
	},
	"createDataEvent": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"event_name": "sweep-event", "created_at": fixedNow.Unix(), "id": c.userID(), "metadata": obj{"k": "v"}}
	},
	"lisDataEvents": func(c *client) (map[string]string, string, any) {
		return nil, "type=user&per_page=2&intercom_user_id=" + c.userID(), nil
	},
	"dataEventSummaries": func(c *client) (map[string]string, string, any) {
		u := c.ok("GET", "/contacts/"+c.userID(), nil)
		return nil, "", obj{"user_id": s(u["external_id"]), "event_summaries": obj{"event_name": "logged-in", "count": 3, "first": 1700000000, "last": 1700100000}}
	},
	"createDataExport": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"created_at_after": 0, "created_at_before": fixedNow.Unix()}
	},
	"getDataExport":      func(c *client) (map[string]string, string, any) { return p("job_identifier", exportJob(c, 1)), "", nil },
	"cancelDataExport":   func(c *client) (map[string]string, string, any) { return p("job_identifier", exportJob(c, 0)), "", nil },
	"downloadDataExport": func(c *client) (map[string]string, string, any) { return p("job_identifier", exportJob(c, 2)), "", nil },
	"createMessage": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"message_type": "email", "subject": "Hi", "body": "Hello", "template": "plain",
			"from": obj{"type": "admin", "id": c.adminNum()}, "to": obj{"type": "user", "id": c.userID()},
			"create_conversation_without_contact_reply": true}
	},
	"listNewsItems": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"createNewsItem": func(c *client) (map[string]string, string, any) {
		var feed int64
		fmt.Sscan(newsfeedID(c), &feed)
		return nil, "", obj{"title": "Sweep news", "body": "Body", "sender_id": c.adminNum(), "state": "live", "newsfeed_assignments": []any{obj{"newsfeed_id": feed, "published_at": fixedNow.Unix()}}}
	},
	"retrieveNewsItem": func(c *client) (map[string]string, string, any) { return p("id", newsItemID(c)), "", nil },
	"updateNewsItem": func(c *client) (map[string]string, string, any) {
		return p("id", newsItemID(c)), "", obj{"title": "Renamed", "sender_id": c.adminNum()}
	},
	"deleteNewsItem":        func(c *client) (map[string]string, string, any) { return p("id", newsItemID(c)), "", nil },
	"listLiveNewsfeedItems": func(c *client) (map[string]string, string, any) { return p("id", newsfeedID(c)), "", nil },
	"listNewsfeeds":         func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"retrieveNewsfeed":      func(c *client) (map[string]string, string, any) { return p("id", newsfeedID(c)), "", nil },
	"retrieveNote": func(c *client) (map[string]string, string, any) {
		note := c.ok("POST", "/contacts/"+c.userID()+"/notes", obj{"body": "A note"})
		return p("id", s(note["id"])), "", nil
	},
	"listSegments":          func(c *client) (map[string]string, string, any) { return nil, "include_count=true", nil },
	"retrieveSegment":       func(c *client) (map[string]string, string, any) { return p("id", segmentID(c)), "", nil },
	"listSubscriptionTypes": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"createPhoneSwitch": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"phone": "+353871234567"}
	},
	"listTags":  func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"createTag": func(c *client) (map[string]string, string, any) { return nil, "", obj{"name": "sweep-tag"} },
	"findTag":   func(c *client) (map[string]string, string, any) { return p("id", tagID(c)), "", nil },
	"deleteTag": func(c *client) (map[string]string, string, any) { return p("id", c.tagNamed("unused")), "", nil },
	"listTeams": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"retrieveTeam": func(c *client) (map[string]string, string, any) {
		return p("id", teamID(c)), "", nil
	},
	"createTicketTypeAttribute": func(c *client) (map[string]string, string, any) {
		return p("ticket_type_id", ticketTypeID(c)), "", obj{"name": "region", "description": "Region", "data_type": "list", "list_items": "EU,US"}
	},
	"updateTicketTypeAttribute": func(c *client) (map[string]string, string, any) {
		tt := c.firstOf("/ticket_types", "data")
		attr := m(arr(m(tt["ticket_type_attributes"])["ticket_type_attributes"])[0])
		return p("ticket_type_id", s(tt["id"]), "id", s(attr["id"])), "", obj{"description": "Updated"}
	},
	"listTicketTypes": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	"createTicketType": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"name": "Onboarding", "description": "New customers", "category": "Customer"}
	},
	"getTicketType": func(c *client) (map[string]string, string, any) { return p("id", ticketTypeID(c)), "", nil },
	"updateTicketType": func(c *client) (map[string]string, string, any) {
		return p("id", ticketTypeID(c)), "", obj{"description": "Updated"}
	},
	"replyTicket": func(c *client) (map[string]string, string, any) {
		return p("id", ticketID(c)), "", obj{"message_type": "comment", "type": "admin", "admin_id": c.adminID(), "body": "Working on it"}
	},
	"attachTagToTicket": func(c *client) (map[string]string, string, any) {
		return p("ticket_id", ticketID(c)), "", obj{"id": tagID(c), "admin_id": c.adminID()}
	},
	"detachTagFromTicket": func(c *client) (map[string]string, string, any) {
		tk, tg, a := ticketID(c), tagID(c), c.adminID()
		c.ok("POST", "/tickets/"+tk+"/tags", obj{"id": tg, "admin_id": a})
		return p("ticket_id", tk, "id", tg), "", obj{"admin_id": a}
	},
	"createTicket": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"ticket_type_id": ticketTypeID(c), "contacts": []any{obj{"id": c.userID()}}, "ticket_attributes": obj{"_default_title_": "Broken"}}
	},
	"updateTicket": func(c *client) (map[string]string, string, any) {
		return p("id", ticketID(c)), "", obj{"state": "resolved", "assignment": obj{"admin_id": c.adminID(), "assignee_id": c.adminID()}}
	},
	"getTicket": func(c *client) (map[string]string, string, any) { return p("id", ticketID(c)), "", nil },
	"searchTickets": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"query": eq("open", "=", true)}
	},
	"updateVisitor": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"user_id": visitorUserID, "name": "Visiting Vera"}
	},
	"retrieveVisitorWithUserId": func(c *client) (map[string]string, string, any) { return nil, "user_id=" + visitorUserID, nil },
	"convertVisitor": func(c *client) (map[string]string, string, any) {
		return nil, "", obj{"type": "user", "user": obj{"user_id": "converted-1", "email": "converted@new.example"}, "visitor": obj{"user_id": visitorUserID}}
	},
}

// exception is a response the sweep validates against another schema of the
// description than the one its operation declares.
type exception struct {
	schema string // component schema the answer is validated against instead
	why    string // the FACTS.md reason
}

// validationExceptions: where the 2.10 description contradicts Intercom's
// documented behaviour, the sandbox follows the behaviour and the sweep checks
// the answer against the schema that describes it. Keep in step with the README.
var validationExceptions = map[string]exception{
	"lisDataEvents": {"data_event_list", "FACTS.md §1: the declared 200 schema is data_event_summary (type event.summary, no pages), " +
		"but a listing answers event.list with events and pages.next a URL, as the example shows; summary=true answers data_event_summary and validates as declared"},
	"listConversations": {"conversation_list", "FACTS.md §1: the declared schema is paginated_response (items in data, news items), a copy-paste bug; " +
		"the example, 2.14 and the node SDK use conversation_list (items in conversations). The answer also passes the declared schema, whose members are all optional"},
}

// variantCases are second requests of some operations, validated as declared
// unless an exception says otherwise.
var variantCases = []struct {
	op, query string
	exception
}{
	{"retrieveCompany", "company_id=c-00001", exception{"company", "FACTS.md §1/§6: with company_id or name GET /companies answers one company, while the declared schema is company_list"}},
	{"retrieveCompany", "name=Northwind%20Logistics", exception{"company", "as above"}},
	{"lisDataEvents", "type=user&summary=true", exception{}},
	{"listCompaniesForAContact", "per_page=1", exception{}},
}

// TestEveryOperationHasACase: every operation of the 2.10 description (read
// from the YAML, not from the catalogue) is in the catalogue, so that the
// sandbox routes it, and has a sweep case; and every case is of an operation
// the description has.
func TestEveryOperationHasACase(t *testing.T) {
	described := testsupport.DescribedOperations(t)
	if len(described) == 0 {
		t.Fatal("the description lists no operation")
	}
	ids := map[string]bool{}
	for _, d := range described {
		ids[d.ID] = true
		if catalog.ByID(d.ID) == nil {
			t.Errorf("%s (%s %s): not in the catalogue", d.ID, d.Method, d.Path)
		}
		if sweepCases[d.ID] == nil {
			t.Errorf("%s: no sweep case", d.ID)
		}
	}
	for id := range sweepCases {
		if !ids[id] {
			t.Errorf("sweep case %s: not an operation of the description", id)
		}
	}
	if len(catalog.Operations) != len(described) {
		t.Errorf("the catalogue has %d operations, the description %d", len(catalog.Operations), len(described))
	}
}

func TestSweepEveryOperation(t *testing.T) {
	doc, router := loadDescription(t)
	for _, op := range catalog.Operations {
		t.Run(op.ID, func(t *testing.T) {
			t.Parallel()
			c := start(t, testOptions())
			params, query, body := sweepCases[op.ID](c)
			path := op.Path
			for k, v := range params {
				path = strings.Replace(path, "{"+k+"}", url.PathEscape(v), 1)
			}
			if strings.Contains(path, "{") {
				t.Fatalf("unfilled path %s", path)
			}
			if query != "" {
				path += "?" + query
			}
			req := c.request(op.Method, path, body)
			if op.Binary {
				req.Header.Set("Accept", "application/octet-stream")
			}
			resp := c.send(req)
			if resp.status != op.Status {
				t.Fatalf("%s %s: want %d, got %s", op.Method, path, op.Status, resp)
			}
			if resp.header.Get("X-Icscript-Sandbox") != "1" || resp.header.Get("X-Request-Id") == "" {
				t.Errorf("missing sandbox headers: %v", resp.header)
			}
			checkKeyFields(t, op, resp)
			if op.Binary {
				checkGzipCSV(t, resp.raw)
				return
			}
			if ex, ok := validationExceptions[op.ID]; ok {
				validateAgainst(t, doc, ex, resp)
				if op.ID != "listConversations" {
					return
				}
			}
			validateResponse(t, router, op, req, resp)
		})
	}
}

func TestSweepVariants(t *testing.T) {
	doc, router := loadDescription(t)
	for _, v := range variantCases {
		op := catalog.ByID(v.op)
		t.Run(v.op+"?"+v.query, func(t *testing.T) {
			c := start(t, testOptions())
			path := op.Path
			path = strings.Replace(path, "{id}", c.userID(), 1)
			if op.ID == "lisDataEvents" {
				v.query += "&intercom_user_id=" + c.userID()
			}
			req := c.request(op.Method, path+"?"+v.query, nil)
			resp := c.send(req)
			if resp.status != 200 {
				t.Fatalf("%s", resp)
			}
			if v.schema != "" {
				validateAgainst(t, doc, v.exception, resp)
				return
			}
			validateResponse(t, router, op, req, resp)
		})
	}
}

// validateAgainst validates an answer against a component schema.
func validateAgainst(t *testing.T, doc *openapi3.T, ex exception, resp *response) {
	t.Helper()
	ref := doc.Components.Schemas[ex.schema]
	if ref == nil || ref.Value == nil {
		t.Fatalf("no schema %s in the description", ex.schema)
	}
	var v any
	if err := json.Unmarshal(resp.raw, &v); err != nil {
		t.Fatal(err)
	}
	if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("answer does not validate against %s: %v", ex.schema, truncate(err.Error(), 2000))
	}
}

// checkKeyFields asserts what the sparse "required" lists of the description
// leave out: type and id when the response schema has them, and the items array.
func checkKeyFields(t *testing.T, op *catalog.Operation, resp *response) {
	t.Helper()
	if op.Response == "" {
		return
	}
	sch := catalog.Lookup(catalog.Schemas[op.Response])
	for _, prop := range sch.Properties {
		switch prop.Name {
		case "type", "id":
			if s(resp.body[prop.Name]) == "" && resp.body[prop.Name] == nil {
				t.Errorf("%s: response has no %s: %s", op.ID, prop.Name, resp)
			}
		}
	}
	if op.ItemsField != "" {
		var v any = resp.body
		for _, part := range strings.Split(op.ItemsField, ".") {
			v = m(v)[part]
		}
		if _, ok := v.([]any); !ok {
			t.Errorf("%s: no %s array: %s", op.ID, op.ItemsField, resp)
		}
	}
}

func checkGzipCSV(t *testing.T, data []byte) {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("download is not gzip: %v", err)
	}
	csv, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(csv), "user_id,user_external_id,company_id") {
		t.Errorf("download is not the export CSV: %q", truncate(string(csv), 200))
	}
}

// loadDescription loads the 2.10 description (testsupport.LoadDescription).
func loadDescription(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	return loadDescriptionOf(t, "2.10")
}

// loadDescriptionOf loads the description of API version v
// (testsupport.LoadDescription).
func loadDescriptionOf(t *testing.T, v string) (*openapi3.T, routers.Router) {
	t.Helper()
	d := testsupport.LoadDescription(t, v)
	return d.Doc, d.Router
}

func validateResponse(t *testing.T, router routers.Router, op *catalog.Operation, req *http.Request, resp *response) {
	t.Helper()
	vreq := req.Clone(context.Background())
	vreq.URL.Scheme, vreq.URL.Host, vreq.Host = "http", "sandbox.invalid", "sandbox.invalid"
	route, pathParams, err := router.FindRoute(vreq)
	if err != nil {
		t.Fatalf("no route in the description for %s %s: %v", req.Method, req.URL.Path, err)
	}
	if route.Operation.OperationID != op.ID && route.Operation.OperationID != "" {
		t.Fatalf("the description routes %s %s to %s, not %s", req.Method, req.URL.Path, route.Operation.OperationID, op.ID)
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: pathParams, Route: route},
		Status:                 resp.status,
		Header:                 resp.header,
		Options:                &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	input.SetBodyBytes(resp.raw)
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		t.Errorf("response does not validate: %v\n%s", truncate(err.Error(), 3000), truncate(string(resp.raw), 1500))
	}
}
