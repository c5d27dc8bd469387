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
	t := c.st.t(tTeams).get(c.param("id"))
	if t == nil {
		return nil, errTeam
	}
	return copyRecord(t), nil
}
