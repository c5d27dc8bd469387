package sandbox_test

import "fmt"

// The news.items namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listNewsItems": func(c *client) (map[string]string, string, any) { return nil, "", nil },
		"createNewsItem": func(c *client) (map[string]string, string, any) {
			var feed int64
			fmt.Sscan(newsfeedID(c), &feed)
			return nil, "", obj{"title": "Sweep news", "body": "Body", "sender_id": c.adminNum(), "state": "live", "newsfeed_assignments": []any{obj{"newsfeed_id": feed, "published_at": fixedNow.Unix()}}}
		},
		"retrieveNewsItem": func(c *client) (map[string]string, string, any) { return p("id", newsItemID(c)), "", nil },
		"updateNewsItem": func(c *client) (map[string]string, string, any) {
			return p("id", newsItemID(c)), "", obj{"title": "Renamed", "sender_id": c.adminNum()}
		},
		"deleteNewsItem": func(c *client) (map[string]string, string, any) { return p("id", newsItemID(c)), "", nil },
	})
	addStabilityWriters(map[string]writer{
		"listNewsItems": func(c *client, step int, seen, unseen []string) []string {
			return del("/news/news_items/")(c, seen, unseen)
		},
	})
}
