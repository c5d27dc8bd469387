package sandbox_test

// The notes namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listNotes": func(c *client) (map[string]string, string, any) { return p("id", c.userID()), "", nil },
		"createNote": func(c *client) (map[string]string, string, any) {
			return p("id", c.userID()), "", obj{"body": "Called them", "admin_id": c.adminID()}
		},
		"retrieveNote": func(c *client) (map[string]string, string, any) {
			note := c.ok("POST", "/contacts/"+c.userID()+"/notes", obj{"body": "A note"})
			return p("id", s(note["id"])), "", nil
		},
	})
	addStabilityWriters(map[string]writer{
		"listNotes": func(c *client, step int, seen, unseen []string) []string {
			c.ok("POST", "/contacts/"+c.userID()+"/notes", obj{"body": "new", "admin_id": c.adminID()})
			return nil
		},
	})
}
