package search_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/icscript/icscript/sandbox/search"
)

func Example() {
	var body map[string]any
	_ = json.Unmarshal([]byte(`{
		"query": {"operator": "AND", "value": [
			{"field": "custom_attributes.plan", "operator": "=", "value": "pro"},
			{"operator": "OR", "value": [
				{"field": "email", "operator": "~", "value": "EXAMPLE.COM"},
				{"field": "tag_id", "operator": "=", "value": "17"}
			]}
		]},
		"sort": {"field": "name", "order": "ascending"}
	}`), &body)
	var contacts []map[string]any
	_ = json.Unmarshal([]byte(`[
		{"id": "1", "name": "Zoe", "email": "zoe@example.com", "custom_attributes": {"plan": "pro"}},
		{"id": "2", "name": "Al", "email": "al@acme.io", "custom_attributes": {"plan": "pro"},
		 "tags": {"type": "list", "data": [{"type": "tag", "id": "17"}]}},
		{"id": "3", "name": "Bo", "email": "bo@example.com", "custom_attributes": {"plan": "free"}}
	]`), &contacts)

	// The contact search's fields as a description's tables give them (the
	// sandbox reads them from the catalogue of the request's version).
	strs := []string{"=", "!=", "IN", "NIN", "~", "!~", "^", "$"}
	contactFields, err := search.ForOperation("SearchContacts", []search.Described{
		{Name: "name", Type: "String", Operators: strs},
		{Name: "email", Type: "String", Operators: strs},
		{Name: "tag_id", Type: "String", Operators: []string{"=", "!="}},
		{Name: "created_at", Type: "Date (UNIX timestamp)", Operators: []string{"=", ">", "<"}},
		{Name: "custom_attributes.*", Type: "String", Operators: strs},
	})
	if err != nil {
		panic(err)
	}
	m, err := search.Compile(body["query"], contactFields)
	if err != nil {
		panic(err)
	}
	var found []map[string]any
	for _, c := range contacts {
		if m.Match(c) {
			found = append(found, c)
		}
	}
	sortBy, _ := body["sort"].(map[string]any)
	if err := search.Sort(found, sortBy, contactFields); err != nil {
		panic(err)
	}
	for _, c := range found {
		fmt.Println(c["id"], c["name"])
	}

	_, err = search.Compile(map[string]any{"field": "created_at", "operator": "!=", "value": 0}, contactFields)
	var qe *search.QueryError
	if errors.As(err, &qe) {
		fmt.Println(qe.Code, "—", qe.Message)
	}
	// Output:
	// 2 Al
	// 1 Zoe
	// parameter_invalid — query.operator: operator "!=" is not supported on field "created_at" (Date (UNIX timestamp))
}
