// Package search implements Intercom's search query language (API 2.10 and later) for the sandbox's
// POST /contacts/search, /conversations/search and /tickets/search, over records that are
// plain decoded JSON values (map[string]any holding string, float64 or Go integers, bool, nil,
// []any and map[string]any).
//
// It owns parsing and validating the `query` and `sort` members of a search request, matching
// records and sorting them. It does not page, count or render responses, and imports nothing of
// the sandbox: the handlers own the HTTP side and turn a *QueryError into an `error.list`.
//
// Usage: compile once per request, then match every record (Filter does it on every core),
// then sort:
//
//	fields, err := search.ForOperation("SearchContacts", described) // the version's Accepted Fields
//	m, err := search.Compile(req["query"], fields)
//	if err != nil { /* 400 error.list from err.(*search.QueryError) */ }
//	found := search.Filter(contacts, m)
//	err = search.Sort(found, sortMember, fields)
//
// Many searches over the same, unchanged records are served faster by a View: it keeps the
// values of the paths queries and sorts read as columns, built once on every core, matches
// with bitsets (View.Match) and ranks lazily (View.Rank, Ranking.Range: the first pages of a
// sorted result select only what they serve). Its results are exactly those of Filter and Sort.
//
// # Query language
//
// A query is a filter {"field","operator","value"} or a group {"operator":"AND"|"OR","value":[…]}
// (schemas single_filter_search_request and multiple_filter_search_request). Operators are those
// of the schema's enum: = != IN NIN > >= < <= ~ !~ ^ $.
//
// Semantics, and where they come from (descriptions of SearchContacts, searchConversations and
// searchTickets in intercom-2.10.yaml unless said otherwise):
//
//   - Limits ("Nesting & Limitations"): "max 2 nested filters" is read as at most two levels of
//     groups, as in the description's example (1 OR 2) AND (3 OR 4); "max 15 filters for each AND
//     or OR group" caps len(value) of every group. An empty group is rejected too.
//   - IN/NIN: "Values must be in Array". Other operators reject array and object values.
//   - A null value: `=` null matches a missing field, a null or an empty array; `!=` null matches
//     a present, non-null value; IN may list null with the same meaning. Other operators reject null.
//   - Paths are dotted (`location.city`, `custom_attributes.plan`). Where a path passes through an
//     array (`tags.data[].id`), or ends on one (`tag_ids`), the filter looks at every element. The
//     positive operators (= IN > >= < <= ~ ^ $) match if ANY element matches. The negative ones
//     (!= NIN !~) are the exact negation of their positive twin: they match if NO element matches,
//     so a record without the field matches `!=`, NIN and `!~`. (Our choice; it is also what an
//     Elasticsearch must_not clause does.)
//   - Strings: `=`, `!=`, IN and NIN compare exactly (case-sensitive); `~ !~ ^ $` compare
//     case-insensitively (Unicode simple lower-casing). The description says nothing about case;
//     this follows the behaviour of Intercom's search as the sandbox's brief describes it.
//     `~ !~ ^ $` never match a non-string value, but for a number in a String field, which they
//     read in its decimal form (contacts' `owner_id` is a String from 2.16, the records' integer).
//   - Numbers: a string operand that parses as a number ("1663597223") compares numerically with a
//     numeric field (the request example of SearchContacts sends created_at > "1306054154"). A
//     numeric operand compared with a string field value compares with its decimal form for `=`
//     and numerically for the range operators when the value parses. Two strings compare
//     lexicographically (byte order) with the range operators.
//   - Booleans: true/false, or the strings "true"/"false", match with `=`, `!=`, IN and NIN.
//
// With a *FieldSet (ForOperation: one search's fields in one API version) Compile also enforces
// what that version's description says about its resource:
//
//   - Only the fields of its "Accepted Fields" table are searchable, plus `custom_attributes.*`
//     for contacts and conversations and `ticket_attribute.*` for tickets.
//   - Fields the description names but records spell differently are aliases: e.g. contacts'
//     `tag_id` also reads `tags.data[].id`, conversations' `tag_ids` reads `tags.tags[].id`,
//     tickets' `state` reads `ticket_state` (see models).
//   - "The value you search for has to match the accepted type, otherwise the query will fail":
//     a Date or Integer field needs a number or a numeric string, a Boolean field a boolean.
//   - Operators by field, as the catalogue reads them from the "Accepted Operators" table (with
//     its corrections from the prose). In 2.10, for contacts: strings = != IN NIN ~ !~ ^ $; booleans = != IN NIN; integers = != IN NIN < > <= >=;
//     dates = < > only; tag_id = != only. For conversations and tickets: `>`/`<` only on integers
//     and dates, `~ !~ ^ $` only on strings, >=/<= only on tickets' created_at (the
//     "Searching based on created_at" note); custom attributes take any operator.
//   - Contacts' Date fields are matched by calendar day in the workspace's time zone ("Searching
//     for Timestamp Fields"): `=` matches the whole day, `>` matches from the start of the next
//     day, `<` matches before the start of the day. The zone is UTC unless set with
//     FieldSet.InLocation.
//   - Conversations' and tickets' `>` and `<` are "Greater (or equal) than" and "Lower (or equal)
//     than": inclusive.
//   - Conversations' `source.body` "will not be performed against the entire value, but instead
//     against every element": `=`, `!=`, IN and NIN compare the value, case-insensitively, with
//     each word of the body (runs of letters and digits).
//
// With a nil *FieldSet any field and any operator is accepted and values are compared by their
// dynamic type as above, with strict `>`/`<` and no day truncation.
//
// Errors are *QueryError values carrying an Intercom error code (parameter_not_found for a
// missing member, parameter_invalid otherwise; the codes used by 2.10's 400 examples) and a
// message naming the place in the request: `query.value[1].operator: unknown operator "=="`.
package search
