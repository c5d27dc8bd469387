package sandbox_test

// The phoneCallRedirects namespace: its sweep cases (sweep_test.go).
func init() {
	addSweepCases(map[string]sweepCase{
		"createPhoneSwitch": func(c *client) (map[string]string, string, any) {
			return nil, "", obj{"phone": "+353871234567"}
		},
	})
}
