package sandbox

// The teams namespace (intercom.teams).
func init() {
	register("teams", map[string]handler{
		"listTeams":    hListTeams,
		"retrieveTeam": hRetrieveTeam,
	})
}

func hListTeams(c *call) (any, *apiError) {
	return record{"type": "team.list", "teams": render(c.st.t(tTeams).all(), copyRecord)}, nil
}

func hRetrieveTeam(c *call) (any, *apiError) {
	t, err := c.lookup(tTeams, c.param("id"))
	if err != nil {
		return nil, err
	}
	return copyRecord(t), nil
}
