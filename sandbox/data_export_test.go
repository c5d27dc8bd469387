package sandbox_test

// The dataExport namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"createDataExport": func(c *client) (map[string]string, string, any) {
			return nil, "", obj{"created_at_after": 0, "created_at_before": fixedNow.Unix()}
		},
		"getDataExport":      func(c *client) (map[string]string, string, any) { return p("job_identifier", exportJob(c, 1)), "", nil },
		"cancelDataExport":   func(c *client) (map[string]string, string, any) { return p("job_identifier", exportJob(c, 0)), "", nil },
		"downloadDataExport": func(c *client) (map[string]string, string, any) { return p("job_identifier", exportJob(c, 2)), "", nil },
	})
}
