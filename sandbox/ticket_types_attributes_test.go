package sandbox_test

// The ticketTypes.attributes namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"createTicketTypeAttribute": func(c *client) (map[string]string, string, any) {
			return p("ticket_type_id", ticketTypeID(c)), "", obj{"name": "region", "description": "Region", "data_type": "list", "list_items": "EU,US"}
		},
		"updateTicketTypeAttribute": func(c *client) (map[string]string, string, any) {
			tt := c.firstOf("/ticket_types", "data")
			attr := m(arr(m(tt["ticket_type_attributes"])["ticket_type_attributes"])[0])
			return p("ticket_type_id", s(tt["id"]), "id", s(attr["id"])), "", obj{"description": "Updated"}
		},
	})
}
