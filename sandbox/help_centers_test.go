package sandbox_test

// The helpCenters namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"retrieveHelpCenter": func(c *client) (map[string]string, string, any) {
			return p("id", s(c.firstOf("/help_center/help_centers", "data")["id"])), "", nil
		},
		"listHelpCenters": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	})
	addStabilityWriters(map[string]writer{
		"listHelpCenters": nil, // nothing a client can write changes these
	})
}
