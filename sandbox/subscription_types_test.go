package sandbox_test

// The subscriptionTypes namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listSubscriptionTypes": func(c *client) (map[string]string, string, any) { return nil, "", nil },
	})
}
