package sandbox_test

// The dataAttributes namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"lisDataAttributes": func(c *client) (map[string]string, string, any) {
			return nil, "model=contact&include_archived=true", nil
		},
		"createDataAttribute": func(c *client) (map[string]string, string, any) {
			return nil, "", obj{"name": "favourite_colour", "model": "contact", "data_type": "string", "description": "Colour"}
		},
		"updateDataAttribute": func(c *client) (map[string]string, string, any) {
			return p("id", customAttributeID(c)), "", obj{"description": "Updated"}
		},
	})
}
