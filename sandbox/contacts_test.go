package sandbox_test

import "fmt"

// The contacts namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listCompaniesForAContact":     func(c *client) (map[string]string, string, any) { return p("id", c.userID()), "", nil },
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
	})
	addStabilityWriters(map[string]writer{
		"ListContacts":   contactWrites,
		"SearchContacts": contactWrites,
		"listCompaniesForAContact": func(c *client, step int, seen, unseen []string) []string {
			co := c.ok("POST", "/companies", obj{"company_id": fmt.Sprintf("attach-%d", step), "name": "Attached"})
			c.ok("POST", "/contacts/"+c.userID()+"/companies", obj{"id": co["id"]})
			return del("/contacts/"+c.userID()+"/companies/")(c, seen, unseen)
		},
	})
}
