package search

import (
	"errors"
	"testing"
)

func TestCompileErrors(t *testing.T) {
	ok := q("email", "=", "x")
	sixteen := make([]any, 16)
	for i := range sixteen {
		sixteen[i] = ok
	}
	const (
		missing = CodeParameterNotFound
		invalid = CodeParameterInvalid
	)
	tests := []struct {
		name  string
		fs    *FieldSet
		query any
		code  string
		msg   string
	}{
		{"no query", nil, nil, missing, "query: is required"},
		{"query not an object", nil, "email", invalid, "query: must be an object, got a string"},
		{"query an array", nil, []any{ok}, invalid, "query: must be an object, got an array"},
		{"no operator", nil, map[string]any{"field": "email", "value": "x"}, missing, "query.operator: is required"},
		{"empty operator", nil, q("email", "", nil), invalid, `query.operator: unknown operator ""`},
		{"null operator", nil, map[string]any{"field": "email", "operator": nil, "value": "x"}, missing, "query.operator: is required"},
		{"operator not a string", nil, map[string]any{"field": "email", "operator": 5.0, "value": "x"}, invalid, "query.operator: must be a string, got a number"},
		{"unknown operator", nil, q("email", "==", "x"), invalid, `query.operator: unknown operator "=="`},
		{"lower-case group operator", nil, map[string]any{"operator": "and", "value": []any{ok}}, invalid, `query.operator: unknown operator "and"`},
		{"lower-case IN", nil, q("email", "in", []any{"x"}), invalid, `query.operator: unknown operator "in"`},
		{"no field", nil, map[string]any{"operator": "=", "value": "x"}, missing, "query.field: is required"},
		{"field not a string", nil, q("", "=", "x"), invalid, "query.field: must not be empty"},
		{"field a number", nil, map[string]any{"field": 3.0, "operator": "=", "value": "x"}, invalid, "query.field: must be a string, got a number"},
		{"no value", nil, map[string]any{"field": "email", "operator": "="}, missing, "query.value: is required"},
		{"IN without array", nil, q("email", "IN", "x"), invalid, "query.value: operator IN needs an array value, got a string"},
		{"NIN with object", nil, q("email", "NIN", map[string]any{}), invalid, "query.value: operator NIN needs an array value, got an object"},
		{"IN with null", nil, q("email", "IN", nil), invalid, "query.value: operator IN needs an array value, got null"},
		{"IN with nested array", nil, q("email", "IN", []any{"a", []any{"b"}}), invalid, "query.value[1]: operator IN needs a scalar value, got an array"},
		{"= with array", nil, q("email", "=", []any{"a"}), invalid, "query.value: operator = needs a scalar value, got an array"},
		{"= with object", nil, q("email", "=", map[string]any{"a": 1.0}), invalid, "query.value: operator = needs a scalar value, got an object"},
		{"~ with null", nil, q("email", "~", nil), invalid, "query.value: operator ~ does not accept null"},
		{"!= is fine with null, > is not", nil, q("email", ">", nil), invalid, "query.value: operator > does not accept null"},
		{"!~ with boolean", nil, q("email", "!~", true), invalid, "query.value: operator !~ needs a string, got a boolean"},
		{"^ with boolean", nil, q("email", "^", false), invalid, "query.value: operator ^ needs a string, got a boolean"},
		{"> with boolean", nil, q("owner_id", ">", true), invalid, "query.value: operator > needs a number or a string, got a boolean"},
		{"group without value", nil, map[string]any{"operator": "AND"}, missing, "query.value: is required"},
		{"group with object", nil, map[string]any{"operator": "AND", "value": map[string]any{}}, invalid, "query.value: an AND group needs an array of filters, got an object"},
		{"group with string", nil, map[string]any{"operator": "OR", "value": "x"}, invalid, "query.value: an OR group needs an array of filters, got a string"},
		{"empty group", nil, group("AND"), invalid, "query.value: an AND group needs at least one filter"},
		{"16 filters", nil, group("OR", sixteen...), invalid, "query.value: an OR group may hold at most 15 filters, got 16"},
		{"16 filters nested", nil, group("AND", ok, group("OR", sixteen...)), invalid, "query.value[1].value: an OR group may hold at most 15 filters, got 16"},
		{"three levels", nil, group("AND", group("OR", group("AND", ok))), invalid,
			"query.value[0].value[0]: too deeply nested: at most 2 levels of AND/OR groups are allowed"},
		{"bad item in group", nil, group("AND", ok, "x"), invalid, "query.value[1]: must be an object, got a string"},
		{"null item in group", nil, group("AND", ok, nil), missing, "query.value[1]: is required"},
		{"path of a nested error", nil, group("AND", ok, group("OR", ok, q("email", "==", "x"))), invalid,
			`query.value[1].value[1].operator: unknown operator "=="`},

		// Allow-lists and types.
		{"unknown contact field", contactFields, q("nope", "=", "x"), invalid, `query.field: "nope" is not a searchable field for contacts`},
		{"bare custom_attributes", contactFields, q("custom_attributes.", "=", "x"), invalid, `query.field: "custom_attributes." is not a searchable field for contacts`},
		{"conversation field on tickets", ticketFields, q("source.body", "=", "x"), invalid, `query.field: "source.body" is not a searchable field for tickets`},
		{"contact date !=", contactFields, q("created_at", "!=", 1), invalid, `query.operator: operator "!=" is not supported on field "created_at" (Date (UNIX timestamp))`},
		{"contact date IN", contactFields, q("updated_at", "IN", []any{1.0}), invalid, `query.operator: operator "IN" is not supported on field "updated_at" (Date (UNIX timestamp))`},
		{"contact date >=", contactFields, q("created_at", ">=", 1), invalid, `query.operator: operator ">=" is not supported on field "created_at" (Date (UNIX timestamp))`},
		{"contact date foobar", contactFields, q("created_at", "=", "foorbar"), invalid, `query.value: "foorbar" is not a valid value for created_at (Date (UNIX timestamp))`},
		{"contact tag_id ~", contactFields, q("tag_id", "~", "x"), invalid, `query.operator: operator "~" is not supported on field "tag_id" (String)`},
		{"contact tag_id IN", contactFields, q("tag_id", "IN", []any{"x"}), invalid, `query.operator: operator "IN" is not supported on field "tag_id" (String)`},
		{"contact string >", contactFields, q("email", ">", "a"), invalid, `query.operator: operator ">" is not supported on field "email" (String)`},
		{"contact boolean ~", contactFields, q("has_hard_bounced", "~", "t"), invalid, `query.operator: operator "~" is not supported on field "has_hard_bounced" (Boolean)`},
		{"contact boolean value", contactFields, q("has_hard_bounced", "=", "yes"), invalid, `query.value: "yes" is not a valid value for has_hard_bounced (Boolean)`},
		{"contact integer value", contactFields, q("owner_id", "IN", []any{1.0, "two"}), invalid, `query.value[1]: "two" is not a valid value for owner_id (Integer)`},
		{"contact string value", contactFields, q("email", "=", true), invalid, `query.value: true is not a valid value for email (String)`},
		{"conversation string >", conversationFields, q("state", ">", "a"), invalid, `query.operator: operator ">" is not supported on field "state" (String)`},
		{"conversation >=", conversationFields, q("created_at", ">=", 1), invalid, `query.operator: operator ">=" is not supported on field "created_at" (Date (UNIX timestamp))`},
		{"ticket updated_at <=", ticketFields, q("updated_at", "<=", 1), invalid, `query.operator: operator "<=" is not supported on field "updated_at" (Date (UNIX timestamp))`},
		{"nested allow-list error", conversationFields, group("OR", q("open", "=", true), group("AND", q("email", "=", "x"))), invalid,
			`query.value[1].value[0].field: "email" is not a searchable field for conversations`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.query, tt.fs)
			if err == nil {
				t.Fatalf("Compile succeeded (%T), want error %q", m, tt.msg)
			}
			if m != nil {
				t.Errorf("Compile returned a Matcher with its error")
			}
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("error is %T, want *QueryError", err)
			}
			if qe.Code != tt.code || qe.Message != tt.msg || err.Error() != tt.msg {
				t.Errorf("got {%s %q}, want {%s %q}", qe.Code, qe.Message, tt.code, tt.msg)
			}
			if want := tt.msg[:len(qe.Field)]; qe.Field != want || tt.msg[len(qe.Field):len(qe.Field)+2] != ": " {
				t.Errorf("Field = %q does not prefix the message %q", qe.Field, tt.msg)
			}
		})
	}
}

func TestCompileLimitsAccepted(t *testing.T) {
	ok := q("email", "=", "x")
	fifteen := make([]any, 15)
	for i := range fifteen {
		fifteen[i] = ok
	}
	for name, query := range map[string]any{
		"15 filters":        group("OR", fifteen...),
		"two levels":        group("AND", group("OR", fifteen...), group("OR", ok)),
		"single filter":     ok,
		"!= null":           q("email", "!=", nil),
		"IN of mixed types": q("email", "IN", []any{"a", 1.0, true, nil}),
	} {
		if _, err := Compile(query, nil); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
