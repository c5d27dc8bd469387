package search

import (
	"encoding/json"
	"testing"
	"time"
)

// q builds a single filter.
func q(field, operator string, value any) map[string]any {
	return map[string]any{"field": field, "operator": operator, "value": value}
}

func group(operator string, items ...any) map[string]any {
	return map[string]any{"operator": operator, "value": items}
}

// decode parses JSON the way the sandbox's handlers do.
func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

const contactJSON = `{
	"type": "contact", "id": "c1", "role": "user",
	"email": "Alice@Example.com", "name": "Ärger Ünal Smith", "phone": null,
	"owner_id": 42, "created_at": 1577869200,
	"unsubscribed_from_emails": false,
	"location": {"city": "Paris", "country": "France"},
	"custom_attributes": {"plan": "Pro", "seats": 10, "beta": true, "flag": "true", "code": "10",
		"labels": ["alpha", "Beta"], "ratio": 0.5},
	"tags": {"type": "list", "data": [{"type": "tag", "id": "t1"}, {"type": "tag", "id": "t2"}]},
	"companies": {"type": "list", "data": [{"id": "co1"}]},
	"empty": []
}`

func TestMatchDynamic(t *testing.T) {
	rec := decode(t, contactJSON)
	tests := []struct {
		name  string
		query any
		want  bool
	}{
		// Strings: =, !=, IN, NIN are exact; ~ !~ ^ $ ignore case.
		{"string = exact", q("email", "=", "Alice@Example.com"), true},
		{"string = is case-sensitive", q("email", "=", "alice@example.com"), false},
		{"string != other case", q("email", "!=", "alice@example.com"), true},
		{"string != same", q("email", "!=", "Alice@Example.com"), false},
		{"string IN hit", q("email", "IN", []any{"x", "Alice@Example.com"}), true},
		{"string IN miss", q("email", "IN", []any{"x"}), false},
		{"string IN empty", q("email", "IN", []any{}), false},
		{"string NIN miss", q("email", "NIN", []any{"x"}), true},
		{"string NIN hit", q("email", "NIN", []any{"Alice@Example.com"}), false},
		{"string NIN empty", q("email", "NIN", []any{}), true},
		{"string ~ ignores case", q("email", "~", "EXAMPLE"), true},
		{"string ~ miss", q("email", "~", "nope"), false},
		{"string ~ empty", q("email", "~", ""), true},
		{"string !~ miss", q("email", "!~", "nope"), true},
		{"string !~ hit ignores case", q("email", "!~", "example"), false},
		{"string ^ hit", q("email", "^", "aLiCe@"), true},
		{"string ^ miss", q("email", "^", "example"), false},
		{"string ^ longer than value", q("role", "^", "users"), false},
		{"string $ hit", q("email", "$", ".COM"), true},
		{"string $ miss", q("email", "$", "alice"), false},
		{"string $ longer than value", q("role", "$", "a user"), false},
		{"unicode ~", q("name", "~", "ärger"), true},
		{"unicode ^", q("name", "^", "äRGER ü"), true},
		{"unicode $", q("name", "$", "ünal SMITH"), true},
		{"unicode ~ middle", q("name", "~", "ÜNAL"), true},
		{"string > lexicographic", q("email", ">", "Aa"), true},
		{"string > is byte order", q("email", ">", "b"), false},
		{"string < lexicographic", q("email", "<", "B"), true},
		{"string >= equal", q("email", ">=", "Alice@Example.com"), true},
		{"string <= equal", q("email", "<=", "Alice@Example.com"), true},
		{"string > equal", q("email", ">", "Alice@Example.com"), false},
		{"string < equal", q("email", "<", "Alice@Example.com"), false},
		{"string = number operand", q("custom_attributes.code", "=", 10.0), true},

		// Numbers, and numeric strings compared numerically.
		{"number =", q("owner_id", "=", 42.0), true},
		{"number = int", q("owner_id", "=", 42), true},
		{"number = numeric string", q("owner_id", "=", "42"), true},
		{"number = other", q("owner_id", "=", 43), false},
		{"number != same", q("owner_id", "!=", 42), false},
		{"number != other", q("owner_id", "!=", "43"), true},
		{"number IN", q("owner_id", "IN", []any{1.0, "42"}), true},
		{"number IN miss", q("owner_id", "IN", []any{1.0, "43"}), false},
		{"number NIN", q("owner_id", "NIN", []any{42.0}), false},
		{"number > below", q("created_at", ">", 1577869199), true},
		{"number > numeric string", q("created_at", ">", "1577869199"), true},
		{"number > equal", q("created_at", ">", 1577869200), false},
		{"number >= equal", q("created_at", ">=", 1577869200), true},
		{"number < above", q("created_at", "<", "1577869201"), true},
		{"number < equal", q("created_at", "<", 1577869200), false},
		{"number <= equal", q("created_at", "<=", 1577869200), true},
		{"number fraction", q("custom_attributes.ratio", "<", 0.75), true},
		{"number > non-numeric string", q("owner_id", ">", "abc"), false},
		{"number ~ never", q("owner_id", "~", "4"), false},
		{"number !~ always", q("owner_id", "!~", "4"), true},
		{"numeric string field > number", q("custom_attributes.code", ">", 9), true},
		{"numeric string field > string", q("custom_attributes.code", ">", "9"), false},
		{"string field > number, not numeric", q("email", ">", 1), false},
		{"number = string field", q("custom_attributes.seats", "=", "10"), true},

		// Booleans.
		{"bool = false", q("unsubscribed_from_emails", "=", false), true},
		{"bool = string false", q("unsubscribed_from_emails", "=", "false"), true},
		{"bool = true", q("unsubscribed_from_emails", "=", true), false},
		{"bool != true", q("unsubscribed_from_emails", "!=", true), true},
		{"bool IN", q("custom_attributes.beta", "IN", []any{true}), true},
		{"bool NIN", q("custom_attributes.beta", "NIN", []any{true}), false},
		{"bool > never", q("custom_attributes.beta", ">", 0), false},
		{"bool ~ never", q("custom_attributes.beta", "~", "t"), false},
		{"string true = bool", q("custom_attributes.flag", "=", true), true},
		{"bool = 1 is not true", q("custom_attributes.beta", "=", 1), false},

		// Nulls, missing fields, empty arrays.
		{"= null on null", q("phone", "=", nil), true},
		{"= null on missing", q("nope", "=", nil), true},
		{"= null on empty array", q("empty", "=", nil), true},
		{"= null on value", q("email", "=", nil), false},
		{"= null on object", q("location", "=", nil), false},
		{"!= null on null", q("phone", "!=", nil), false},
		{"!= null on missing", q("nope", "!=", nil), false},
		{"!= null on value", q("email", "!=", nil), true},
		{"IN with null on null", q("phone", "IN", []any{nil, "x"}), true},
		{"IN with null on value", q("email", "IN", []any{nil, "x"}), false},
		{"NIN with null on value", q("email", "NIN", []any{nil}), true},
		{"NIN with null on null", q("phone", "NIN", []any{nil}), false},
		{"= on missing", q("nope", "=", "x"), false},
		{"!= on missing", q("nope", "!=", "x"), true},
		{"~ on missing", q("nope", "~", "x"), false},
		{"!~ on missing", q("nope", "!~", "x"), true},
		{"> on missing", q("nope", ">", 1), false},

		// Nested fields and arrays: any element for positive operators, no element for negative.
		{"nested =", q("location.city", "=", "Paris"), true},
		{"nested ~", q("location.city", "~", "par"), true},
		{"object is not a scalar", q("location", "=", "Paris"), false},
		{"path through scalar", q("email.domain", "=", "x"), false},
		{"path past end", q("location.city.name", "=", "Paris"), false},
		{"array of objects = any", q("tags.data.id", "=", "t2"), true},
		{"array of objects = none", q("tags.data.id", "=", "t3"), false},
		{"array of objects != some element", q("tags.data.id", "!=", "t2"), false},
		{"array of objects != no element", q("tags.data.id", "!=", "t3"), true},
		{"array of objects IN", q("tags.data.id", "IN", []any{"t3", "t1"}), true},
		{"array of objects NIN hit", q("tags.data.id", "NIN", []any{"t1"}), false},
		{"array of objects NIN miss", q("tags.data.id", "NIN", []any{"t3"}), true},
		{"array of strings =", q("custom_attributes.labels", "=", "Beta"), true},
		{"array of strings ~", q("custom_attributes.labels", "~", "bet"), true},
		{"array of strings !~ some", q("custom_attributes.labels", "!~", "alp"), false},
		{"array of strings !~ none", q("custom_attributes.labels", "!~", "gamma"), true},
		{"array of strings ^", q("custom_attributes.labels", "^", "AL"), true},
		{"companies", q("companies.data.id", "=", "co1"), true},

		// Groups, two levels.
		{"AND true", group("AND", q("email", "~", "example"), q("owner_id", ">", 40)), true},
		{"AND false", group("AND", q("email", "~", "example"), q("owner_id", ">", 50)), false},
		{"OR true", group("OR", q("email", "=", "x"), q("owner_id", "=", 42)), true},
		{"OR false", group("OR", q("email", "=", "x"), q("owner_id", "=", 41)), false},
		{"single-item group", group("AND", q("role", "=", "user")), true},
		{"(F OR T) AND (T OR F)", group("AND",
			group("OR", q("role", "=", "lead"), q("location.country", "=", "France")),
			group("OR", q("tags.data.id", "=", "t1"), q("owner_id", "<", 0))), true},
		{"(F OR F) AND (T OR F)", group("AND",
			group("OR", q("role", "=", "lead"), q("location.country", "=", "Spain")),
			group("OR", q("tags.data.id", "=", "t1"), q("owner_id", "<", 0))), false},
		{"(F AND T) OR (T AND T)", group("OR",
			group("AND", q("role", "=", "lead"), q("location.country", "=", "France")),
			group("AND", q("tags.data.id", "=", "t1"), q("owner_id", ">", 0))), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.query, nil)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if got := m.Match(rec); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

// Go callers may build records with Go integers rather than float64.
func TestMatchGoIntegers(t *testing.T) {
	rec := map[string]any{"a": int64(1663597223), "b": 7, "c": int32(-3), "d": json.Number("12.5")}
	tests := []struct {
		query any
		want  bool
	}{
		{q("a", "=", "1663597223"), true},
		{q("a", ">", 1663597222.5), true},
		{q("a", "IN", []any{int64(1663597223)}), true},
		{q("b", "<", 8), true},
		{q("b", "=", 7.0), true},
		{q("c", "<", 0), true},
		{q("d", ">", "12"), true},
		{q("d", "=", 12.5), true},
	}
	for _, tt := range tests {
		m, err := Compile(tt.query, nil)
		if err != nil {
			t.Fatalf("%v: %v", tt.query, err)
		}
		if got := m.Match(rec); got != tt.want {
			t.Errorf("%v: Match = %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestMatchFieldSets(t *testing.T) {
	contact := decode(t, contactJSON) // created_at 1577869200 = 2020-01-01T09:00:00Z
	conversation := decode(t, `{
		"type": "conversation", "id": "498", "created_at": 1717021858, "waiting_since": null,
		"admin_assignee_id": 991267715, "open": false, "state": "closed",
		"source": {"type": "conversation", "body": "<p>I need Support, now!</p>",
			"author": {"type": "admin", "email": "admin180@email.com"}},
		"contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "6657aca1"}]},
		"teammates": {"type": "admin.list", "teammates": [{"type": "admin", "id": "99"}]},
		"tags": {"type": "tag.list", "tags": [{"type": "tag", "id": "7", "name": "vip"}]},
		"statistics": {"count_reopens": 2},
		"custom_attributes": {"issue": "Billing"}
	}`)
	legacyConversation := decode(t, `{"tag_ids": ["8"], "contact_ids": ["x"]}`)
	ticket := decode(t, `{
		"type": "ticket", "id": "614", "category": "Customer", "ticket_state": "submitted",
		"ticket_attributes": {"_default_title_": "Printer is broken", "_default_description_": null,
			"priority_level": "high"},
		"ticket_type": {"type": "ticket_type", "id": "119"},
		"contacts": {"type": "contact.list", "contacts": [{"id": "c9"}]},
		"created_at": 1717022086, "updated_at": 1717022090, "open": true
	}`)
	est := time.FixedZone("EST", -5*3600)
	early := map[string]any{"created_at": 1577844000.0} // 2020-01-01T02:00Z = 2019-12-31T21:00 EST

	contacts216 := fieldSetOf("2.16", "SearchContacts")
	tests := []struct {
		name  string
		fs    *FieldSet
		rec   map[string]any
		query any
		want  bool
	}{
		// Contacts: Date fields by calendar day (UTC by default).
		{"date = midnight of the day", contactFields, contact, q("created_at", "=", 1577836800), true},
		{"date = other instant same day", contactFields, contact, q("created_at", "=", "1577919599"), true},
		{"date = next day", contactFields, contact, q("created_at", "=", 1577923200), false},
		{"date > same day starts next day", contactFields, contact, q("created_at", ">", 1577836800), false},
		{"date > an hour before, same day", contactFields, contact, q("created_at", ">", 1577865600), false},
		{"date > previous day", contactFields, contact, q("created_at", ">", 1577750400), true},
		{"date < next day", contactFields, contact, q("created_at", "<", 1577923200), true},
		{"date < later same day", contactFields, contact, q("created_at", "<", 1577890000), false},
		{"date = null on present", contactFields, contact, q("last_seen_at", "=", nil), true},
		{"date = in UTC", contactFields, early, q("created_at", "=", 1577880000), true},
		{"date = in workspace zone", contactFields.InLocation(est), early, q("created_at", "=", 1577880000), false},
		{"date = in workspace zone, previous day", contactFields.InLocation(est), early, q("created_at", "=", 1577800000), true},
		{"integer > strict", contactFields, contact, q("owner_id", ">", 42), false},
		{"integer >=", contactFields, contact, q("owner_id", ">=", "42"), true},
		{"boolean", contactFields, contact, q("unsubscribed_from_emails", "=", false), true},
		{"tag_id alias", contactFields, contact, q("tag_id", "=", "t2"), true},
		{"tag_id != alias", contactFields, contact, q("tag_id", "!=", "t2"), false},
		{"custom attribute", contactFields, contact, q("custom_attributes.plan", "~", "pr"), true},
		{"location", contactFields, contact, q("location.country", "^", "fr"), true},

		// Conversations: > and < are inclusive; source.body by word; id lists by alias.
		{"conv > inclusive", conversationFields, conversation, q("created_at", ">", 1717021858), true},
		{"conv < inclusive", conversationFields, conversation, q("created_at", "<", "1717021858"), true},
		{"conv > above", conversationFields, conversation, q("created_at", ">", 1717021859), false},
		{"conv date != allowed", conversationFields, conversation, q("created_at", "!=", 1717021858), false},
		{"conv integer", conversationFields, conversation, q("admin_assignee_id", "=", "991267715"), true},
		{"conv nested integer", conversationFields, conversation, q("statistics.count_reopens", ">", 2), true},
		{"conv waiting_since null", conversationFields, conversation, q("waiting_since", "=", nil), true},
		{"body word", conversationFields, conversation, q("source.body", "=", "support"), true},
		{"body word ignores case", conversationFields, conversation, q("source.body", "=", "NOW"), true},
		{"body phrase", conversationFields, conversation, q("source.body", "=", "need support"), false},
		{"body partial word", conversationFields, conversation, q("source.body", "=", "supp"), false},
		{"body != word", conversationFields, conversation, q("source.body", "!=", "need"), false},
		{"body IN", conversationFields, conversation, q("source.body", "IN", []any{"x", "i"}), true},
		{"body ~ whole value", conversationFields, conversation, q("source.body", "~", "need supp"), true},
		{"author email", conversationFields, conversation, q("source.author.email", "$", "@EMAIL.com"), true},
		{"tag_ids alias", conversationFields, conversation, q("tag_ids", "=", "7"), true},
		{"tag_ids literal", conversationFields, legacyConversation, q("tag_ids", "IN", []any{"8"}), true},
		{"contact_ids alias", conversationFields, conversation, q("contact_ids", "=", "6657aca1"), true},
		{"teammate_ids alias", conversationFields, conversation, q("teammate_ids", "NIN", []any{"99"}), false},
		{"conv custom attribute", conversationFields, conversation, q("custom_attributes.issue", "=", "Billing"), true},

		// Tickets.
		{"ticket state alias", ticketFields, ticket, q("state", "=", "submitted"), true},
		{"ticket title alias", ticketFields, ticket, q("title", "~", "BROKEN"), true},
		{"ticket description null", ticketFields, ticket, q("description", "=", nil), true},
		{"ticket type id", ticketFields, ticket, q("ticket_type_id", "=", "119"), true},
		{"ticket attribute", ticketFields, ticket, q("ticket_attribute.priority_level", "=", "high"), true},
		{"ticket created_at >=", ticketFields, ticket, q("created_at", ">=", 1717022086), true},
		{"ticket created_at <=", ticketFields, ticket, q("created_at", "<=", 1717022085), false},
		{"ticket > inclusive", ticketFields, ticket, q("updated_at", ">", 1717022090), true},
		{"ticket contact_ids", ticketFields, ticket, q("contact_ids", "=", "c9"), true},
		{"ticket group", ticketFields, ticket, group("AND", q("open", "=", true),
			group("OR", q("category", "=", "Tracker"), q("category", "=", "Customer"))), true},

		// 2.16's owner_id is a String; records hold 2.10's integer.
		{"string field = a number's decimal form", contacts216, contact, q("owner_id", "=", "42"), true},
		{"string field ~ a number's decimal form", contacts216, contact, q("owner_id", "~", "2"), true},
		{"string field ^ a number's decimal form", contacts216, contact, q("owner_id", "^", "2"), false},
		{"string field !~ a number's decimal form", contacts216, contact, q("owner_id", "!~", "4"), false},
		{"string field $ a number's decimal form", contacts216, contact, q("owner_id", "$", "42"), true},
		{"formatted_phone reads the phone", contacts216, map[string]any{"phone": "+33612345678"}, q("formatted_phone", "=", "+33612345678"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.query, tt.fs)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if got := m.Match(tt.rec); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	rec := decode(t, contactJSON)
	query := group("AND",
		group("OR", q("email", "~", "EXAMPLE"), q("name", "$", "smith")),
		group("OR", q("created_at", ">", "1500000000"), q("tag_id", "!=", "t9")),
		q("custom_attributes.code", ">", 9), q("phone", "=", nil))
	for _, fs := range []*FieldSet{nil, contactFields} {
		m, err := Compile(query, fs)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Match(rec) {
			t.Fatal("query should match")
		}
		if n := testing.AllocsPerRun(100, func() { m.Match(rec) }); n != 0 {
			t.Errorf("Match allocates %v times per run", n)
		}
	}
}

func TestAllows(t *testing.T) {
	tests := []struct {
		fs    *FieldSet
		field string
		want  bool
	}{
		{nil, "anything.at.all", true},
		{nil, "", false},
		{contactFields, "email", true},
		{contactFields, "custom_attributes.plan", true},
		{contactFields, "custom_attributes.", false},
		{contactFields, "custom_attributes", false},
		{contactFields, "source.body", false},
		{contactFields, "andoid_sdk_version", true},
		{conversationFields, "source.body", true},
		{conversationFields, "custom_attributes.x", true},
		{conversationFields, "email", false},
		{ticketFields, "ticket_attribute.42", true},
		{ticketFields, "custom_attributes.x", false},
		{ticketFields, "ticket_type_id", true},
	}
	for _, tt := range tests {
		name := "<nil>"
		if tt.fs != nil {
			name = tt.fs.Resource()
		}
		if got := tt.fs.Allows(tt.field); got != tt.want {
			t.Errorf("%s.Allows(%q) = %v, want %v", name, tt.field, got, tt.want)
		}
	}
}
