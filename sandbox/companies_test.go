package sandbox_test

import "fmt"

// The companies namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
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
		"detachContactFromACompany": func(c *client) (map[string]string, string, any) {
			u, co := c.userID(), companyID(c)
			c.ok("POST", "/contacts/"+u+"/companies", obj{"id": co})
			return p("contact_id", u, "id", co), "", nil
		},
	})
	addStabilityWriters(map[string]writer{
		"listAllCompanies":       companyWrites,
		"retrieveCompany":        companyWrites,
		"scrollOverAllCompanies": companyWrites,
		"ListAttachedContacts": func(c *client, step int, seen, unseen []string) []string {
			ct := c.ok("POST", "/contacts", obj{"email": fmt.Sprintf("attached-%d@new.example", step)})
			c.ok("POST", "/contacts/"+s(ct["id"])+"/companies", obj{"id": stabilityCompany(c)})
			return del("/contacts/")(c, seen, unseen)
		},
	})
}
