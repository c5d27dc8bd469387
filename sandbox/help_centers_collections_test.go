package sandbox_test

import "fmt"

// The helpCenters.collections namespace: its sweep cases (sweep_test.go) and the writers of
// its paged listings (stability_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listAllCollections": func(c *client) (map[string]string, string, any) { return nil, "", nil },
		"createCollection": func(c *client) (map[string]string, string, any) {
			return nil, "", obj{"name": "Security", "description": "Keeping safe"}
		},
		"retrieveCollection": func(c *client) (map[string]string, string, any) { return p("id", collectionID(c)), "", nil },
		"updateCollection": func(c *client) (map[string]string, string, any) {
			return p("id", collectionID(c)), "", obj{"name": "Renamed"}
		},
		"deleteCollection": func(c *client) (map[string]string, string, any) { return p("id", collectionID(c)), "", nil },
	})
	addStabilityWriters(map[string]writer{
		"listAllCollections": func(c *client, step int, seen, unseen []string) []string {
			c.ok("POST", "/help_center/collections", obj{"name": fmt.Sprintf("New %d", step)})
			return del("/help_center/collections/")(c, seen, unseen)
		},
	})
}
