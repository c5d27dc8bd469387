package sandbox_test

// The segments namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listSegments":    func(c *client) (map[string]string, string, any) { return nil, "include_count=true", nil },
		"retrieveSegment": func(c *client) (map[string]string, string, any) { return p("id", segmentID(c)), "", nil },
	})
}
