package catalog

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	contact := ByID("CreateContact").Body
	tag := ByID("createTag").Body
	closed := &Schema{Type: "object", Closed: true, Properties: []Property{{Name: "email", Schema: &Schema{Type: "string"}}}}
	cases := []struct {
		name   string
		schema *Schema
		value  any
		want   string // substring of the first problem, "" for none
	}{
		{"contact ok", contact, map[string]any{"email": "a@b.c", "role": "user"}, ""},
		{"wrong type", contact, map[string]any{"email": 42.0}, "email: must be a string, not a number"},
		{"bad enum", ByID("manageConversation").Body, map[string]any{"message_type": "shut", "admin_id": "1", "type": "admin"}, "must be one of"},
		{"tag companies", tag, map[string]any{"name": "vip", "companies": []any{map[string]any{"id": "1"}}}, ""},
		{"closed unknown", closed, map[string]any{"emial": "x"}, `emial: is not a known field (did you mean "email"?)`},
		{"integer from float", &Schema{Type: "integer"}, 3.0, ""},
		{"not integer", &Schema{Type: "integer"}, 3.5, "must be an integer"},
		{"array items", &Schema{Type: "array", Items: &Schema{Type: "string"}}, []any{"a", int64(1)}, "[1]: must be a string"},
		{"null anywhere", contact, nil, ""},
		{"required", ByID("setAwayAdmin").Body, map[string]any{"away_mode_enabled": true}, "away_mode_reassign: is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := Validate(c.schema, c.value)
			if c.want == "" {
				if len(ps) > 0 {
					t.Fatalf("unexpected problems: %v", ps)
				}
				return
			}
			if len(ps) == 0 || !strings.Contains(ps[0].String(), c.want) {
				t.Fatalf("got %v, want %q", ps, c.want)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"find", "list", "search", "update"}
	for in, want := range map[string]string{"fnd": "find", "serch": "search", "lst": "list", "zzzzzz": ""} {
		if got := Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSampleBodiesAreValid: every operation's sample body passes its own
// schema, so tests that call every operation send valid requests.
func TestSampleBodiesAreValid(t *testing.T) {
	for _, op := range Operations {
		if op.Body == nil {
			continue
		}
		if ps := Validate(op.Body, Sample(op.Body)); len(ps) > 0 {
			t.Errorf("%s: sample body fails its schema: %v", op.ID, ps)
		}
	}
}
