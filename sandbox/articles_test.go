package sandbox_test

import "fmt"

// The articles namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listArticles": func(c *client) (map[string]string, string, any) { return nil, "per_page=5", nil },
		"createArticle": func(c *client) (map[string]string, string, any) {
			var col int64
			fmt.Sscan(collectionID(c), &col)
			return nil, "", obj{"title": "Sweep", "author_id": c.adminNum(), "state": "published", "parent_id": col, "body": "Hello"}
		},
		"retrieveArticle": func(c *client) (map[string]string, string, any) { return p("id", articleID(c)), "", nil },
		"updateArticle": func(c *client) (map[string]string, string, any) {
			return p("id", articleID(c)), "", obj{"title": "Renamed", "state": "draft"}
		},
		"deleteArticle":  func(c *client) (map[string]string, string, any) { return p("id", articleID(c)), "", nil },
		"searchArticles": func(c *client) (map[string]string, string, any) { return nil, "phrase=invoice&highlight=true", nil },
	})
	addStabilityWriters(map[string]writer{
		"listArticles":   articleWrites,
		"searchArticles": articleWrites,
	})
}
