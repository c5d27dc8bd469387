package sandbox_test

// The ticketTypes namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"listTicketTypes": func(c *client) (map[string]string, string, any) { return nil, "", nil },
		"createTicketType": func(c *client) (map[string]string, string, any) {
			return nil, "", obj{"name": "Onboarding", "description": "New customers", "category": "Customer"}
		},
		"getTicketType": func(c *client) (map[string]string, string, any) { return p("id", ticketTypeID(c)), "", nil },
		"updateTicketType": func(c *client) (map[string]string, string, any) {
			return p("id", ticketTypeID(c)), "", obj{"description": "Updated"}
		},
	})
}
