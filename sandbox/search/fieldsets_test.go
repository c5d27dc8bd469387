package search

import "github.com/icscript/icscript/intercom/catalog"

// The field sets of the package's tests: the sandbox's in 2.10, made from
// the catalogue's fields as the sandbox makes them.
var (
	contactFields      = fieldSetOf("2.10", "SearchContacts")
	conversationFields = fieldSetOf("2.10", "searchConversations")
	ticketFields       = fieldSetOf("2.10", "searchTickets")
)

func fieldSetOf(version, operationID string) *FieldSet {
	var described []Described
	for _, f := range catalog.MustFor(version).ByID(operationID).SearchFields {
		described = append(described, Described{Name: f.Name, Type: f.Type, Operators: f.Operators})
	}
	fs, err := ForOperation(operationID, described)
	if err != nil || fs == nil {
		panic(operationID + ": no field set")
	}
	return fs
}
