package search

import (
	"fmt"
	"strings"
	"time"
)

// Described is one field a search's description accepts: a row of its "Accepted Fields" table
// with the operators its "Accepted Operators" table gives that row (one version's
// catalog.Operation.SearchFields).
type Described struct {
	Name      string   // "email"; a family of fields ends in ".*": "custom_attributes.*"
	Type      string   // "String", "Integer", "Boolean" or "Date (UNIX timestamp)"; a family's may be any
	Operators []string // "=", "!=", "IN", "NIN", ">", ">=", "<", "<=", "~", "!~", "^", "$"
}

// model is what the sandbox needs of one search beyond its description's tables, the same in
// every API version: how the described fields map onto the records the sandbox stores, and the
// rules of the search's prose. The fields, their types and their operators come from the
// tables, per version (ForOperation).
type model struct {
	resource string
	// inclusive: > and < mean ≥ and ≤ (the operator table's "Greater (or equal) than").
	inclusive bool
	// byDay: Date fields match by calendar day ("Searching for Timestamp Fields").
	byDay bool
	// onto maps a described field onto the records: the paths read besides its name, and
	// whether it matches word by word. A family's aliases replace its prefix.
	onto map[string]field
	// families are the families of fields the sandbox accepts beyond the table.
	families []string
}

// models are the sandbox's searches by operationId.
var models = map[string]model{
	"SearchContacts": {resource: "contacts", byDay: true, onto: map[string]field{
		// "Searching by tag_id"; records carry tags.data[].id.
		"tag_id": {aliases: []string{"tags.data.id"}},
		// The table spells it "andoid_sdk_version"; the contact model "android_sdk_version".
		"andoid_sdk_version": {aliases: []string{"android_sdk_version"}},
		// "The contacts phone number normalized to the E164 format" (2.11's contact): the
		// sandbox keeps the phone as given, so it is read as the formatted one.
		"formatted_phone": {aliases: []string{"phone"}},
	}},
	"searchConversations": {resource: "conversations", inclusive: true, onto: map[string]field{
		// "will not be performed against the entire value, but instead against every element".
		"source.body":  {words: true},
		"contact_ids":  {aliases: []string{"contacts.contacts.id"}},
		"teammate_ids": {aliases: []string{"teammates.teammates.id"}},
		"tag_ids":      {aliases: []string{"tags.tags.id"}},
	}, families: []string{"custom_attributes.*"}},
	"searchTickets": {resource: "tickets", inclusive: true, onto: map[string]field{
		"title":              {aliases: []string{"ticket_attributes._default_title_"}},
		"description":        {aliases: []string{"ticket_attributes._default_description_"}},
		"ticket_type_id":     {aliases: []string{"ticket_type.id"}},
		"contact_ids":        {aliases: []string{"contacts.contacts.id"}},
		"teammate_ids":       {aliases: []string{"teammates.teammates.id"}},
		"state":              {aliases: []string{"ticket_state"}},
		"ticket_attribute.*": {aliases: []string{"ticket_attributes."}},
	}},
}

// tableTypes are the types of the "Accepted Fields" tables.
var tableTypes = map[string]fieldType{
	"String": typeString, "Integer": typeInteger, "Boolean": typeBoolean, "Date (UNIX timestamp)": typeDate,
}

// ForOperation is the FieldSet of the search operationID in an API version whose description
// accepts the fields described: only they are searchable, with their types and operators,
// read as the operation's model says. A family of fields (custom attributes) is typed by each
// record's value, as the data attribute's type is no table's, and takes every operator. It is
// nil for an operation the sandbox does not search, and an error for a type or operator the
// sandbox does not know.
func ForOperation(operationID string, described []Described) (*FieldSet, error) {
	md, ok := models[operationID]
	if !ok {
		return nil, nil
	}
	fs := &FieldSet{resource: md.resource, fields: map[string]field{}, prefixes: map[string]field{},
		inclusive: md.inclusive, byDay: md.byDay, loc: time.UTC}
	for _, name := range md.families {
		described = append(described, Described{Name: name})
	}
	for _, d := range described {
		f := md.onto[d.Name]
		if prefix, ok := strings.CutSuffix(d.Name, "*"); ok {
			f.typ, f.ops = typeAny, allOps
			fs.prefixes[prefix] = f
			continue
		}
		if f.typ, ok = tableTypes[d.Type]; !ok {
			return nil, fmt.Errorf("%s: the field %s has the type %q, which the sandbox does not know", operationID, d.Name, d.Type)
		}
		for _, o := range d.Operators {
			op, ok := operators[o]
			if !ok {
				return nil, fmt.Errorf("%s: the field %s takes the operator %q, which the sandbox does not know", operationID, d.Name, o)
			}
			f.ops |= 1 << op
		}
		fs.fields[d.Name] = f
	}
	return fs, nil
}
