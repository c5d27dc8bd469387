package sandbox_test

// The visitors namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"updateVisitor": func(c *client) (map[string]string, string, any) {
			return nil, "", obj{"user_id": visitorUserID, "name": "Visiting Vera"}
		},
		"retrieveVisitorWithUserId": func(c *client) (map[string]string, string, any) { return nil, "user_id=" + visitorUserID, nil },
		"convertVisitor": func(c *client) (map[string]string, string, any) {
			return nil, "", obj{"type": "user", "user": obj{"user_id": "converted-1", "email": "converted@new.example"}, "visitor": obj{"user_id": visitorUserID}}
		},
	})
}
