package sandbox

import "testing"

// TestValueFits pins which values each attribute data type takes, for
// data attributes and ticket type attributes alike.
func TestValueFits(t *testing.T) {
	cases := []struct {
		dataType string
		v        any
		ok       bool
	}{
		{"integer", int64(3), true}, {"integer", 3.5, false}, {"integer", "3", false},
		{"date", int64(1700000000), true}, {"date", "2024-01-01", false},
		{"float", int64(3), true}, {"float", 3.5, true}, {"float", "3.5", false},
		{"decimal", 3.5, true}, {"decimal", true, false},
		{"boolean", true, true}, {"boolean", "true", false},
		{"datetime", int64(1700000000), true}, {"datetime", "2024-01-01T00:00:00Z", true}, {"datetime", 1.5, false},
		{"files", []any{"a"}, true}, {"files", "a", false},
		{"string", "x", true}, {"list", "x", true}, {"string", int64(1), false},
	}
	for _, c := range cases {
		if got := valueFits(c.dataType, c.v); got != c.ok {
			t.Errorf("valueFits(%q, %#v) = %v, want %v", c.dataType, c.v, got, c.ok)
		}
	}
}
