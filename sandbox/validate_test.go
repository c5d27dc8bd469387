package sandbox

import (
	"testing"

	"github.com/icscript/icscript/intercom/catalog"
)

// TestValidateAnswers: the first catalog.Problem of a body, answered as
// Intercom does: Missing as parameter_not_found with its constant message,
// anything else as parameter_invalid.
func TestValidateAnswers(t *testing.T) {
	body := func(id string) *catalog.Schema { return catalog.ByID(id).Body }
	cases := []struct {
		name   string
		schema *catalog.Schema
		value  any
		at     string
		want   *apiError // nil for none
	}{
		{"valid", body("setAwayAdmin"), map[string]any{"away_mode_enabled": true, "away_mode_reassign": false}, "", nil},
		{"missing", body("createTag"), map[string]any{}, "",
			&apiError{400, codeParamNotFound, "name is a required parameter", "name"}},
		{"one of", body("CreateContact"), map[string]any{"name": "No Identity"}, "",
			&apiError{400, codeParamNotFound, "One of email, external_id, role is required", "email"}},
		{"wrong type", body("setAwayAdmin"), map[string]any{"away_mode_enabled": "yes", "away_mode_reassign": false}, "",
			&apiError{400, codeParamInvalid, "away_mode_enabled must be a boolean, not a string", "away_mode_enabled"}},
		{"null where not nullable", body("setAwayAdmin"), map[string]any{"away_mode_enabled": nil, "away_mode_reassign": false}, "",
			&apiError{400, codeParamInvalid, "away_mode_enabled must be a boolean, not null", "away_mode_enabled"}},
		{"integer as float", body("SearchContacts"), map[string]any{"query": map[string]any{"field": "role", "operator": "=", "value": "user"}, "pagination": map[string]any{"per_page": 1.5}}, "",
			&apiError{400, codeParamInvalid, "pagination.per_page must be an integer, not a number", "pagination.per_page"}},
		{"oneOf dispatch", body("manageConversation"), map[string]any{"message_type": "close", "type": "admin"}, "",
			&apiError{400, codeParamNotFound, "admin_id is a required parameter", "admin_id"}},
		{"wrong enum", body("manageConversation"), map[string]any{"message_type": "explode", "admin_id": "1", "type": "admin"}, "",
			&apiError{400, codeParamInvalid, `message_type must be one of "close", not "explode"`, "message_type"}},
		{"the body itself", &catalog.Schema{Type: "object"}, []any{}, "",
			&apiError{400, codeParamInvalid, "the request body must be an object, not an array", ""}},
		{"under a name", body("createTag"), map[string]any{}, "tag",
			&apiError{400, codeParamNotFound, "tag.name is a required parameter", "tag.name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := validate(c.value, c.schema, c.at)
			if c.want == nil || got == nil {
				if got != c.want {
					t.Fatalf("got %v, want %v", got, c.want)
				}
				return
			}
			if *got != *c.want {
				t.Fatalf("got %+v, want %+v", *got, *c.want)
			}
		})
	}
}
