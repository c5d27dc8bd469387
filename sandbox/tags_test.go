package sandbox_test

// The tags namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"attachTagToContact": func(c *client) (map[string]string, string, any) {
			return p("contact_id", c.userID()), "", obj{"id": tagID(c)}
		},
		"detachTagFromContact": func(c *client) (map[string]string, string, any) {
			u, tg := c.userID(), tagID(c)
			c.ok("POST", "/contacts/"+u+"/tags", obj{"id": tg})
			return p("contact_id", u, "id", tg), "", nil
		},
		"attachTagToConversation": func(c *client) (map[string]string, string, any) {
			return p("conversation_id", c.conversationID()), "", obj{"id": tagID(c), "admin_id": c.adminID()}
		},
		"detachTagFromConversation": func(c *client) (map[string]string, string, any) {
			cv, tg, a := c.conversationID(), tagID(c), c.adminID()
			c.ok("POST", "/conversations/"+cv+"/tags", obj{"id": tg, "admin_id": a})
			return p("conversation_id", cv, "id", tg), "", obj{"admin_id": a}
		},
		"listTags":  func(c *client) (map[string]string, string, any) { return nil, "", nil },
		"createTag": func(c *client) (map[string]string, string, any) { return nil, "", obj{"name": "sweep-tag"} },
		"findTag":   func(c *client) (map[string]string, string, any) { return p("id", tagID(c)), "", nil },
		"deleteTag": func(c *client) (map[string]string, string, any) { return p("id", c.tagNamed("unused")), "", nil },
		"attachTagToTicket": func(c *client) (map[string]string, string, any) {
			return p("ticket_id", ticketID(c)), "", obj{"id": tagID(c), "admin_id": c.adminID()}
		},
		"detachTagFromTicket": func(c *client) (map[string]string, string, any) {
			tk, tg, a := ticketID(c), tagID(c), c.adminID()
			c.ok("POST", "/tickets/"+tk+"/tags", obj{"id": tg, "admin_id": a})
			return p("ticket_id", tk, "id", tg), "", obj{"admin_id": a}
		},
	})
}
