package search

import (
	"sort"
	"strings"
	"time"
)

// fieldType is a field's type in an "Accepted Fields" table.
type fieldType uint8

const (
	typeAny fieldType = iota // custom attributes: typed by the record's value
	typeString
	typeInteger
	typeBoolean
	typeDate
)

func (t fieldType) String() string {
	switch t {
	case typeString:
		return "String"
	case typeInteger:
		return "Integer"
	case typeBoolean:
		return "Boolean"
	case typeDate:
		return "Date (UNIX timestamp)"
	}
	return "any"
}

// field describes one searchable field.
type field struct {
	typ fieldType
	// ops overrides the resource's operators for typ (contacts' tag_id); 0 = use the resource's.
	ops opSet
	// aliases are record paths read in addition to the field's own name.
	aliases []string
	// words: =, !=, IN and NIN compare with each word of the value (conversations' source.body).
	words bool
}

// A FieldSet is the allow-list and typing of one resource's searchable fields, derived from the
// "Accepted Fields" and "Accepted Operators" sections of its search operation's description.
// Compile and Sort accept a nil *FieldSet, which allows any field with dynamic typing. The
// package's FieldSets are read-only; InLocation returns a modified copy.
type FieldSet struct {
	resource string
	fields   map[string]field
	// prefixes allow every field under a prefix ("custom_attributes."); the value's aliases are
	// replacement prefixes ("ticket_attribute." also reads "ticket_attributes.").
	prefixes map[string]field
	typeOps  map[fieldType]opSet
	// inclusive makes > and < mean ≥ and ≤ ("Greater (or equal) than").
	inclusive bool
	// byDay matches Date fields by calendar day in loc.
	byDay bool
	loc   *time.Location
}

// Resource is the name used in messages: "contacts", "conversations" or "tickets".
func (fs *FieldSet) Resource() string {
	if fs == nil {
		return "any resource"
	}
	return fs.resource
}

// InLocation returns a copy of fs whose calendar-day matching of Date fields (contacts) uses the
// workspace time zone loc instead of UTC. A nil fs stays nil.
func (fs *FieldSet) InLocation(loc *time.Location) *FieldSet {
	if fs == nil {
		return nil
	}
	c := *fs
	c.loc = loc
	return &c
}

// Allows reports whether field is searchable in fs (always true for a nil fs).
func (fs *FieldSet) Allows(name string) bool {
	_, _, ok := fs.lookup(name)
	return ok
}

// lookup returns the field's description and the record paths to read, field's own name first.
func (fs *FieldSet) lookup(name string) (field, []string, bool) {
	if fs == nil {
		return field{}, []string{name}, name != ""
	}
	if f, ok := fs.fields[name]; ok {
		return f, append([]string{name}, f.aliases...), true
	}
	for prefix, f := range fs.prefixes {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || rest == "" {
			continue
		}
		paths := []string{name}
		for _, a := range f.aliases {
			paths = append(paths, a+rest)
		}
		return f, paths, true
	}
	return field{}, nil, false
}

// opsFor returns the operators fs accepts on f.
func (fs *FieldSet) opsFor(f field) opSet {
	if fs == nil {
		return allOps
	}
	if f.ops != 0 {
		return f.ops
	}
	if ops, ok := fs.typeOps[f.typ]; ok {
		return ops
	}
	return allOps
}

const (
	equalityOps = 1<<opEq | 1<<opNe | 1<<opIn | 1<<opNin
	textOps     = 1<<opContains | 1<<opNotContains | 1<<opPrefix | 1<<opSuffix
	strictRange = 1<<opGt | 1<<opLt
	closedRange = 1<<opGe | 1<<opLe
	allOps      = equalityOps | textOps | strictRange | closedRange
)

// typed builds a field map from name→type pairs.
func typed(t fieldType, names ...string) map[string]field {
	m := make(map[string]field, len(names))
	for _, n := range names {
		m[n] = field{typ: t}
	}
	return m
}

func merge(ms ...map[string]field) map[string]field {
	out := map[string]field{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// ContactFields: SearchContacts' "Accepted Fields" table, plus custom_attributes.*.
var ContactFields = &FieldSet{
	resource: "contacts",
	fields: merge(
		typed(typeString, "id", "role", "name", "avatar", "email", "email_domain", "phone",
			"external_id", "language_override", "browser", "browser_language", "os",
			"location.country", "location.region", "location.city",
			"ios_app_version", "ios_device", "ios_app_device", "ios_os_version", "ios_app_name",
			"ios_sdk_version", "android_app_version", "android_device", "android_app_name",
			"segment_id"),
		typed(typeInteger, "owner_id"),
		typed(typeBoolean, "unsubscribed_from_emails", "marked_email_as_spam", "has_hard_bounced"),
		typed(typeDate, "created_at", "signed_up_at", "updated_at", "last_seen_at",
			"last_contacted_at", "last_replied_at", "last_email_opened_at", "last_email_clicked_at",
			"ios_last_seen_at", "android_last_seen_at"),
		map[string]field{
			// "Searching by tag_id supports only the = and != operators"; records carry tags.data[].id.
			"tag_id": {typ: typeString, ops: 1<<opEq | 1<<opNe, aliases: []string{"tags.data.id"}},
			// The table spells it "andoid_sdk_version"; the contact model "android_sdk_version".
			"andoid_sdk_version":  {typ: typeString, aliases: []string{"android_sdk_version"}},
			"android_sdk_version": {typ: typeString},
		},
	),
	prefixes: map[string]field{"custom_attributes.": {typ: typeAny}},
	typeOps: map[fieldType]opSet{
		typeString:  equalityOps | textOps,
		typeBoolean: equalityOps,
		typeInteger: equalityOps | strictRange | closedRange,
		typeDate:    1<<opEq | strictRange,
	},
	byDay: true,
	loc:   time.UTC,
}

// conversationTypeOps: "you cannot search with > for a given string value as it's only
// compatible for integer's and dates"; >= and <= are not in the operator table.
var conversationTypeOps = map[fieldType]opSet{
	typeString:  equalityOps | textOps,
	typeBoolean: equalityOps,
	typeInteger: equalityOps | strictRange,
	typeDate:    equalityOps | strictRange,
}

// ConversationFields: searchConversations' "Accepted Fields" table, plus custom_attributes.*.
var ConversationFields = &FieldSet{
	resource: "conversations",
	fields: merge(
		typed(typeString, "id", "source.type", "source.id", "source.delivered_as", "source.subject",
			"source.author.id", "source.author.type", "source.author.name", "source.author.email",
			"source.url", "channel_initiated", "state", "priority", "statistics.last_closed_by_id",
			"conversation_rating.remark", "conversation_rating.contact_id",
			"conversation_rating.admin_d", "ai_agent.resolution_state", "ai_agent.last_answer_type",
			"ai_agent.rating_remark", "ai_agent.source_type", "ai_agent.source_title"),
		typed(typeInteger, "admin_assignee_id", "team_assignee_id",
			"statistics.time_to_assignment", "statistics.time_to_admin_reply",
			"statistics.time_to_first_close", "statistics.time_to_last_close",
			"statistics.median_time_to_reply", "statistics.count_reopens",
			"statistics.count_assignments", "statistics.count_conversation_parts",
			"conversation_rating.score", "ai_agent.rating"),
		typed(typeBoolean, "open", "read", "ai_agent_participated"),
		typed(typeDate, "created_at", "updated_at", "waiting_since", "snoozed_until",
			"statistics.first_contact_reply_at", "statistics.first_assignment_at",
			"statistics.first_admin_reply_at", "statistics.first_close_at",
			"statistics.last_assignment_at", "statistics.last_assignment_admin_reply_at",
			"statistics.last_contact_reply_at", "statistics.last_admin_reply_at",
			"statistics.last_close_at", "conversation_rating.requested_at",
			"conversation_rating.replied_at"),
		map[string]field{
			"source.body":  {typ: typeString, words: true},
			"contact_ids":  {typ: typeString, aliases: []string{"contacts.contacts.id"}},
			"teammate_ids": {typ: typeString, aliases: []string{"teammates.teammates.id"}},
			"tag_ids":      {typ: typeString, aliases: []string{"tags.tags.id"}},
		},
	),
	prefixes:  map[string]field{"custom_attributes.": {typ: typeAny}},
	typeOps:   conversationTypeOps,
	inclusive: true,
}

// TicketFields: searchTickets' "Accepted Fields" table, plus ticket_attribute.* (read from the
// record's ticket_attributes).
var TicketFields = &FieldSet{
	resource: "tickets",
	fields: merge(
		typed(typeString, "id", "category", "admin_assignee_id", "team_assignee_id"),
		typed(typeBoolean, "open"),
		typed(typeDate, "updated_at", "snoozed_until"),
		map[string]field{
			// "You may use the <= or >= operators to search by created_at."
			"created_at":     {typ: typeDate, ops: equalityOps | strictRange | closedRange},
			"title":          {typ: typeString, aliases: []string{"ticket_attributes._default_title_"}},
			"description":    {typ: typeString, aliases: []string{"ticket_attributes._default_description_"}},
			"ticket_type_id": {typ: typeString, aliases: []string{"ticket_type.id"}},
			"contact_ids":    {typ: typeString, aliases: []string{"contacts.contacts.id"}},
			"teammate_ids":   {typ: typeString, aliases: []string{"teammates.teammates.id"}},
			"state":          {typ: typeString, aliases: []string{"ticket_state"}},
		},
	),
	prefixes:  map[string]field{"ticket_attribute.": {typ: typeAny, aliases: []string{"ticket_attributes."}}},
	typeOps:   conversationTypeOps,
	inclusive: true,
}

// FieldInfo is one searchable field with its type and operators, to compare
// with the catalogue's SearchFields (what `.help` shows).
type FieldInfo struct {
	Name      string   // "email", or a prefix with a star: "custom_attributes.*"
	Type      string   // the "Accepted Fields" table's type: String, Integer, Boolean, Date (UNIX timestamp), any
	Operators []string // the operators it accepts, in the table's order
}

// operatorOrder is the order operators are listed in.
var operatorOrder = []string{"=", "!=", "IN", "NIN", ">", ">=", "<", "<=", "~", "!~", "^", "$"}

// Fields lists fs's fields by name, then its prefixes (a nil fs lists none).
func (fs *FieldSet) Fields() []FieldInfo {
	if fs == nil {
		return nil
	}
	info := func(name string, f field) FieldInfo {
		fi := FieldInfo{Name: name, Type: f.typ.String()}
		ops := fs.opsFor(f)
		for _, o := range operatorOrder {
			if ops.has(operators[o]) {
				fi.Operators = append(fi.Operators, o)
			}
		}
		return fi
	}
	var out []FieldInfo
	for name, f := range fs.fields {
		out = append(out, info(name, f))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	var pre []FieldInfo
	for prefix, f := range fs.prefixes {
		pre = append(pre, info(prefix+"*", f))
	}
	sort.Slice(pre, func(i, j int) bool { return pre[i].Name < pre[j].Name })
	return append(out, pre...)
}

// ForOperation is the FieldSet of a search operation by operationId, nil for others.
func ForOperation(operationID string) *FieldSet {
	switch operationID {
	case "SearchContacts":
		return ContactFields
	case "searchConversations":
		return ConversationFields
	case "searchTickets":
		return TicketFields
	}
	return nil
}
