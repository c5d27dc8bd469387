package sandbox_test

// The news.feeds namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listLiveNewsfeedItems": func(c *client) (map[string]string, string, any) { return p("id", newsfeedID(c)), "", nil },
		"listNewsfeeds":         func(c *client) (map[string]string, string, any) { return nil, "", nil },
		"retrieveNewsfeed":      func(c *client) (map[string]string, string, any) { return p("id", newsfeedID(c)), "", nil },
	})
	addStabilityWriters(map[string]writer{
		"listNewsfeeds":         nil, // nothing a client can write changes these
		"listLiveNewsfeedItems": nil, // nothing a client can write changes these
	})
}
