package catalog

import (
	"fmt"
	"slices"
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

// TestValidateWith covers what both modes share (kinds, the choice among
// alternatives, closed schemas) and where Strict differs (null, integers).
func TestValidateWith(t *testing.T) {
	str := &Schema{Type: "string"}
	obj := func(props ...Property) *Schema { return &Schema{Type: "object", Properties: props} }
	nested := obj(Property{"name", str}, Property{"note", &Schema{Type: "string", Nullable: true}}, Property{"any", &Schema{}}, Property{"n", &Schema{Type: "integer"}})
	closed := &Schema{Type: "object", Closed: true, Properties: []Property{{Name: "email", Schema: str}}}
	// oneOf and anyOf on one schema: both must hold.
	both := &Schema{Type: "object",
		OneOf: []*Schema{{Required: []string{"a"}}, {Required: []string{"b"}}},
		AnyOf: []*Schema{{Required: []string{"c"}}, {Required: []string{"d"}}}}
	// Two alternatives lacking the same member are not "one of from, from".
	same := &Schema{Type: "object", OneOf: []*Schema{
		{Type: "object", Required: []string{"from"}, Properties: []Property{{"kind", &Schema{Type: "string", Enum: []string{"a"}}}}},
		{Type: "object", Required: []string{"from"}, Properties: []Property{{"kind", &Schema{Type: "string", Enum: []string{"b"}}}}},
	}}
	type want struct {
		kind  Kind
		text  string   // Problem.String() of the first problem, "" for none
		anyOf []string // its AnyOf
	}
	cases := []struct {
		name        string
		schema      *Schema
		value       any
		lax, strict want
	}{
		{"null body", nested, nil, want{}, want{}},
		{"null member", nested, map[string]any{"name": nil}, want{}, want{Invalid, "name: must be a string, not null", nil}},
		{"null nullable member", nested, map[string]any{"note": nil, "any": nil}, want{}, want{}},
		{"null array item", &Schema{Type: "array", Items: str}, []any{"a", nil}, want{}, want{Invalid, "[1]: must be a string, not null", nil}},
		{"integral float", nested, map[string]any{"n": 3.0}, want{}, want{Invalid, "n: must be an integer, not a number", nil}},
		{"int64", nested, map[string]any{"n": int64(3)}, want{}, want{}},
		{"own type first", nested, []any{"x"}, want{Invalid, "must be an object, not an array", nil}, want{Invalid, "must be an object, not an array", nil}},
		{"missing", ByID("setAwayAdmin").Body, map[string]any{"away_mode_enabled": true},
			want{Missing, "away_mode_reassign: is required", nil}, want{Missing, "away_mode_reassign: is required", nil}},
		{"members before missing ones", ByID("setAwayAdmin").Body, map[string]any{"away_mode_enabled": "yes"},
			want{Invalid, "away_mode_enabled: must be a boolean, not a string", nil}, want{Invalid, "away_mode_enabled: must be a boolean, not a string", nil}},
		{"one of required", ByID("CreateContact").Body, map[string]any{"name": "No Identity"},
			want{Missing, "one of email, external_id, role is required", []string{"email", "external_id", "role"}},
			want{Missing, "one of email, external_id, role is required", []string{"email", "external_id", "role"}}},
		{"one of required, nested alternatives", ByID("replyConversation").Body, map[string]any{"message_type": "comment", "type": "user", "body": "hi"},
			want{Missing, "one of intercom_user_id, email, user_id is required", []string{"intercom_user_id", "email", "user_id"}},
			want{Missing, "one of intercom_user_id, email, user_id is required", []string{"intercom_user_id", "email", "user_id"}}},
		{"alternative by its constant member", ByID("manageConversation").Body, map[string]any{"message_type": "close", "type": "admin"},
			want{Missing, "admin_id: is required", nil}, want{Missing, "admin_id: is required", nil}},
		{"alternative by its required member", ByID("attachContactToConversation").Body, map[string]any{"customer": map[string]any{"email": true}},
			want{Invalid, "customer.email: must be a string, not a boolean", nil}, want{Invalid, "customer.email: must be a string, not a boolean", nil}},
		{"closed", closed, map[string]any{"emial": "x"},
			want{Invalid, `emial: is not a known field (did you mean "email"?)`, nil}, want{Invalid, `emial: is not a known field (did you mean "email"?)`, nil}},
		{"oneOf and anyOf both hold", both, map[string]any{"a": 1.0, "c": 1.0}, want{}, want{}},
		{"oneOf holds, anyOf does not", both, map[string]any{"a": 1.0},
			want{Missing, "one of c, d is required", []string{"c", "d"}}, want{Missing, "one of c, d is required", []string{"c", "d"}}},
		{"same member missing", same, map[string]any{"kind": "b"}, want{Missing, "from: is required", nil}, want{Missing, "from: is required", nil}},
	}
	for _, c := range cases {
		for _, strict := range []bool{false, true} {
			w := c.lax
			if strict {
				w = c.strict
			}
			t.Run(fmt.Sprintf("%s/strict=%v", c.name, strict), func(t *testing.T) {
				ps := ValidateWith(c.schema, c.value, ValidateOptions{Strict: strict})
				if w.text == "" {
					if len(ps) > 0 {
						t.Fatalf("unexpected problems: %v", ps)
					}
					return
				}
				if len(ps) == 0 {
					t.Fatalf("no problem, want %q", w.text)
				}
				p := ps[0]
				if p.String() != w.text || p.Kind != w.kind || !slices.Equal(p.AnyOf, w.anyOf) {
					t.Fatalf("got %s %q (any of %v), want %s %q (any of %v)", p.Kind, p, p.AnyOf, w.kind, w.text, w.anyOf)
				}
				if len(p.AnyOf) > 0 && p.Path != p.AnyOf[0] {
					t.Errorf("Path %q, want the first of %v", p.Path, p.AnyOf)
				}
			})
		}
	}
}

// TestValidateIsLenient: Validate is ValidateWith without Strict.
func TestValidateIsLenient(t *testing.T) {
	s := &Schema{Type: "object", Properties: []Property{{"n", &Schema{Type: "integer"}}, {"s", &Schema{Type: "string"}}}}
	v := map[string]any{"n": 2.0, "s": nil}
	if ps := Validate(s, v); len(ps) > 0 {
		t.Errorf("Validate: %v", ps)
	}
	if ps := ValidateWith(s, v, ValidateOptions{Strict: true}); len(ps) != 2 {
		t.Errorf("strict: got %v, want 2 problems", ps)
	}
}
