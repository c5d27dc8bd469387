package sandbox_test

// The admins namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"identifyAdmin": func(c *client) (map[string]string, string, any) { return nil, "", nil },
		"setAwayAdmin": func(c *client) (map[string]string, string, any) {
			return p("id", c.adminID()), "", obj{"away_mode_enabled": true, "away_mode_reassign": false}
		},
		"listActivityLogs": func(c *client) (map[string]string, string, any) { return nil, "created_at_after=0", nil },
		"listAdmins":       func(c *client) (map[string]string, string, any) { return nil, "", nil },
		"retrieveAdmin":    func(c *client) (map[string]string, string, any) { return p("id", c.adminID()), "", nil },
	})
	addStabilityWriters(map[string]writer{
		"listActivityLogs": nil, // nothing a client can write changes these
	})
}
