package sandbox_test

// The events namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
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
	})
	addStabilityWriters(map[string]writer{
		"lisDataEvents": func(c *client, step int, seen, unseen []string) []string {
			c.ok("POST", "/events", obj{"event_name": "new", "created_at": fixedNow.Unix(), "id": c.userID()})
			return nil
		},
	})
}
