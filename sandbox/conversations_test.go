package sandbox_test

// The conversations namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
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
	})
	addStabilityWriters(map[string]writer{
		"listConversations":   conversationWrites,
		"searchConversations": conversationWrites,
	})
}

func conversationWrites(c *client, step int, seen, unseen []string) []string {
	c.ok("POST", "/conversations", obj{"from": obj{"type": "user", "id": c.userID()}, "body": "new"})
	update("PUT", "/conversations/", func(int) any { return obj{"read": false} }, func(int) any { return obj{"read": true} })(c, step, seen, unseen)
	return nil
}
