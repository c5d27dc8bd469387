package sandbox_test

// The messages namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"createMessage": func(c *client) (map[string]string, string, any) {
			return nil, "", obj{"message_type": "email", "subject": "Hi", "body": "Hello", "template": "plain",
				"from": obj{"type": "admin", "id": c.adminNum()}, "to": obj{"type": "user", "id": c.userID()},
				"create_conversation_without_contact_reply": true}
		},
	})
}
