package suggest

import "testing"

// TestClosest holds the typos the project's hints are tested with (flags,
// commands, fields, script flags), and names too far from any to guess.
func TestClosest(t *testing.T) {
	methods := []string{"find", "list", "search", "update"}
	commands := []string{"ops", "check", "types", "init", "sandbox", "listen", "trigger", "replay", "completion", "version", "help"}
	cases := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"fnd", methods, "find"},
		{"serch", methods, "search"},
		{"lst", methods, "list"},
		{"zzzzzz", methods, ""},
		{"opps", commands, "ops"},
		{"sandbx", commands, "sandbox"},
		{"bsh", []string{"bash", "zsh", "fish"}, "bash"},
		{"concurency", []string{"concurrency", "dry-run", "yes"}, "concurrency"},
		{"dyas", []string{"days", "tag-name"}, "days"},
		{"tagname", []string{"days", "tag-name"}, "tag-name"},
		{"emial", []string{"name", "email", "phone"}, "email"},
		{"Emial", []string{"name", "email", "phone"}, "email"}, // case is ignored
		{"sbb", []string{"prod", "sb"}, "sb"},
		{"cöntact", []string{"contact"}, "contact"}, // one edit, not two bytes
		{"x", nil, ""},
		{"", []string{"abc"}, ""},
		{"ab", []string{"ba", "ab2"}, "ab2"}, // the closer, not the first
		{"abcd", []string{"abce", "abcf"}, "abce"},
	}
	for _, c := range cases {
		if got := Closest(c.name, c.candidates); got != c.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", c.name, c.candidates, got, c.want)
		}
	}
}
