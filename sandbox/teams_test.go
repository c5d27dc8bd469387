package sandbox_test

// The teams namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listTeams": func(c *client) (map[string]string, string, any) { return nil, "", nil },
		"retrieveTeam": func(c *client) (map[string]string, string, any) {
			return p("id", teamID(c)), "", nil
		},
	})
}
