package sandbox

import "fmt"

// handler answers one operation. It runs with the store locked, and must make
// every check before its first change, so that a refused request changes nothing.
type handler func(c *call) (any, *apiError)

// handlers maps operationIds to their handlers: every operation of 2.10's
// catalogue (New refuses to start otherwise), and the operations of later
// versions that 2.10 lacks but that act on 2.10's own resources, which the
// generic resource handler (hGeneric) does not hold; a later operation whose
// handler is not registered here is answered by hGeneric (see newAPIVersion).
//
// Each namespace of the catalogue (catalog.Operation.Namespace) has its own
// file, named after it (helpCenters.collections: help_centers_collections.go),
// which registers its table from init, beside its handlers. A test checks the
// layout.
var handlers = map[string]handler{}

// register adds the table of one namespace to handlers.
func register(namespace string, table map[string]handler) {
	for id, h := range table {
		if _, dup := handlers[id]; dup {
			panic(fmt.Sprintf("sandbox: %s registers %s, which has a handler already", namespace, id))
		}
		handlers[id] = h
	}
}

// lookup is the record of table t with id, or the 404 Intercom answers when
// there is none: every handler opens with it rather than with its own copy
// of the check.
func (c *call) lookup(t, id string) (record, *apiError) {
	if r := c.st.t(t).get(id); r != nil {
		return r, nil
	}
	if err := notFoundIn[t]; err != nil {
		return nil, err
	}
	return nil, errResource
}
