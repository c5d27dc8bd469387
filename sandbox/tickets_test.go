package sandbox_test

// The tickets namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"replyTicket": func(c *client) (map[string]string, string, any) {
			return p("id", ticketID(c)), "", obj{"message_type": "comment", "type": "admin", "admin_id": c.adminID(), "body": "Working on it"}
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
	})
	addStabilityWriters(map[string]writer{
		"searchTickets": func(c *client, step int, seen, unseen []string) []string {
			update("PUT", "/tickets/", func(int) any { return obj{"state": "submitted"} }, func(int) any { return obj{"state": "in_progress"} })(c, step, seen, unseen)
			return nil
		},
	})
}
