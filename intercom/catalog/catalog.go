// Package catalog is the operation catalogue of the Intercom REST API, one
// catalogue per API version (Versions): one entry per operation, generated
// from Intercom's OpenAPI descriptions by ../../internal/gen (go generate)
// plus the hand-kept corrections in its corrections.go.
//
// The default version, 2.10, is generated as Go (catalog_gen.go) and is
// what the package-level Operations, Schemas, ByID, ByJSName, Lookup,
// Namespaces and InNamespace describe. The later versions are embedded as
// gzipped JSON (versions/*.json.gz) and decoded on the first For of that
// version, so a run that stays on 2.10 pays nothing for them.
//
// Everything that knows about operations iterates this table: the JS bindings,
// the sandbox's routing and request checks, REPL completion, `icscript ops`,
// the TypeScript typings and the README's API list. Adding an operation is
// one entry here.
//
// This package must stay a leaf: it imports nothing of icscript's.
package catalog

//go:generate go run ../../internal/gen -o catalog_gen.go

import (
	"bytes"
	"encoding/json"
)

// Pagination is how a list or search operation is paged.
type Pagination string

// The pagination styles of FACTS.md §1.
const (
	PageNone       Pagination = "none"        // unpaginated
	PageCursor     Pagination = "cursor"      // query starting_after=pages.next.starting_after
	PageSearch     Pagination = "search"      // body pagination {per_page, starting_after}
	PageNumber     Pagination = "page"        // query page/per_page, pages.total_pages
	PageScroll     Pagination = "scroll"      // query scroll_param from the previous response
	PageLink       Pagination = "link"        // pages.next is a URL to follow as-is
	PagePagesOnly  Pagination = "pages-only"  // a pages object but no declared paging parameters
	PageNextCursor Pagination = "next-cursor" // query cursor=next_cursor of the previous response, while has_more
)

// Param is a path or query parameter.
type Param struct {
	Name     string   `json:",omitempty"`
	In       string   `json:",omitempty"` // "path" or "query"
	Type     string   `json:",omitempty"` // "string", "integer", "boolean", "number", "object"
	Required bool     `json:",omitempty"`
	Enum     []string `json:",omitempty"`
	// Explode is true for an object query parameter serialised as its own
	// key=value pairs (style: form, explode: true), such as lisDataEvents' filter.
	Explode bool `json:",omitempty"`
	// Schema is an object parameter's schema (lisDataEvents' filter: one of
	// {user_id}, {intercom_user_id}, {email}), which an exploded object's
	// members are checked against; nil for the other types.
	Schema *Schema `json:",omitempty"`
}

// Schema is the part of a JSON schema that icscript checks and types:
// enough for argument checks, sandbox request validation and typings.
type Schema struct {
	Ref        string     `json:",omitempty"` // name of a component schema this one stands for; resolve with Lookup
	Type       string     `json:",omitempty"` // "object", "array", "string", "integer", "number", "boolean" or "" (any)
	Format     string     `json:",omitempty"`
	Nullable   bool       `json:",omitempty"`
	Enum       []string   `json:",omitempty"`
	Properties []Property `json:",omitempty"` // in declaration order
	Required   []string   `json:",omitempty"`
	Items      *Schema    `json:",omitempty"`
	OneOf      []*Schema  `json:",omitempty"`
	AnyOf      []*Schema  `json:",omitempty"`
	AllOf      []*Schema  `json:",omitempty"`
	Closed     bool       `json:",omitempty"` // additionalProperties: false
	MapOf      *Schema    `json:",omitempty"` // additionalProperties given as a schema

	// target is what Ref resolves to in the catalogue the schema belongs to,
	// set when a later version's catalogue is decoded; 2.10's schemas
	// resolve through Schemas.
	target *Schema
}

// Property is one named property of an object schema.
type Property struct {
	Name   string  `json:",omitempty"`
	Schema *Schema `json:",omitempty"`
}

// Operation is one entry of the catalogue.
type Operation struct {
	ID           string     `json:",omitempty"` // operationId as Intercom spells it
	Namespace    string     `json:",omitempty"` // JS namespace under intercom, dot-separated: "contacts", "helpCenters.collections"
	Name         string     `json:",omitempty"` // JS method name: "find"
	Summary      string     `json:",omitempty"` // Intercom's one-line summary
	Tag          string     `json:",omitempty"` // the description's tag
	Method       string     `json:",omitempty"` // HTTP method
	Path         string     `json:",omitempty"` // path template, "/contacts/{id}"
	PathParams   []Param    `json:",omitempty"` // in path order
	Query        []Param    `json:",omitempty"` // query parameters
	Body         *Schema    `json:",omitempty"` // request body schema, nil when none is declared
	BodyRequired bool       `json:",omitempty"` // the description marks the body required
	Pagination   Pagination `json:",omitempty"` // paging style
	ItemsField   string     `json:",omitempty"` // field holding the items of a list page ("data", "conversations", "data.articles")
	Mutates      bool       `json:",omitempty"` // changes state (every non-GET except the read-only POSTs)
	Irreversible bool       `json:",omitempty"` // destroys or sends something that cannot be taken back
	ReadOnlyPOST bool       `json:",omitempty"` // a POST that only reads (searches, companies/list): safe to retry
	Response     string     `json:",omitempty"` // component schema name of the success response, "" when none
	Status       int        `json:",omitempty"` // success status (200, or 202)
	Errors       []int      `json:",omitempty"` // declared error statuses
	Binary       bool       `json:",omitempty"` // the response is not JSON (downloadDataExport)
	Accept       string     `json:",omitempty"` // the media type a Binary response is asked for; "" is application/octet-stream
	Retry        Retry      `json:",omitempty"` // whether a request may be sent again when an attempt's outcome is unknown
	// SearchFields are the fields a search's query may name, from the
	// "Accepted Fields" and "Accepted Operators" tables of its description;
	// nil for an operation without them.
	SearchFields []SearchField `json:",omitempty"`

	cat *Catalog // the catalogue of the operation's version; nil until that catalogue is built
}

// SearchField is one field a search's query may name.
type SearchField struct {
	Name      string   `json:",omitempty"` // "email"; a family of fields ends in a star: "custom_attributes.*"
	Type      string   `json:",omitempty"` // the table's type: "String", "Integer", "Boolean", "Date (UNIX timestamp)"
	Operators []string `json:",omitempty"` // the operators it takes, in the operator table's order
}

// Catalog is the catalogue of the operation's version.
func (op *Operation) Catalog() *Catalog {
	d := defaultCatalog() // builds 2.10's, which sets cat on its operations, before cat is read
	if op.cat == nil {
		return d // an operation made outside a catalogue
	}
	return op.cat
}

// ResponseSchema is the success response's schema, resolved in the
// operation's version; nil when the operation declares none.
func (op *Operation) ResponseSchema() *Schema {
	if op.Response == "" {
		return nil
	}
	return op.Catalog().Lookup(&Schema{Ref: op.Response})
}

// Retry is whether a request of an operation may be sent again after an
// attempt whose outcome is unknown (the connection dropped after the request
// was sent, a timeout, a cut-off answer, a 5xx): whether applying it a
// second time could change anything the first application did not. The
// generator derives it from the method and the per-operation table of
// internal/gen/corrections.go, which says why for every PUT and DELETE.
type Retry struct {
	// Safe: a second application changes nothing (reads, PUTs that set
	// fields, deletes and detaches). Creates and sends are not safe.
	Safe bool `json:",omitempty"`
	// SideEffects are body fields that make a Safe operation unsafe after
	// all: each applied request carrying one adds a record (a ticket or
	// conversation part), so a resend could add it twice. A body without
	// them stays safe.
	SideEffects []string `json:",omitempty"`
	// Gone is set for the operations whose 404 to a resend means an earlier
	// attempt, whose answer was lost, applied the change: "deleted" (the
	// object is deleted) or "detached" (the link is removed).
	Gone string `json:",omitempty"`
	// GoneID is the path parameter naming the object a success answer
	// describes ("id"; "conversation_id" when detaching a contact from a
	// conversation answers the conversation).
	GoneID string `json:",omitempty"`
	// Why is the reason, for messages and `icscript ops`.
	Why string `json:",omitempty"`
}

// RetrySafe reports whether a request of the operation with this JSON body
// may be sent again after an attempt whose outcome is unknown. When it may
// not, fields lists the body's side-effect fields that make it unsafe (none
// for an operation that is never safe to resend). A body that is not a JSON
// object is unsafe for an operation with side-effect fields.
func (op *Operation) RetrySafe(body []byte) (safe bool, fields []string) {
	if !op.Retry.Safe {
		return false, nil
	}
	if len(op.Retry.SideEffects) == 0 || len(bytes.TrimSpace(body)) == 0 {
		return true, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return false, op.Retry.SideEffects
	}
	for _, f := range op.Retry.SideEffects {
		if _, ok := top[f]; ok {
			fields = append(fields, f)
		}
	}
	return len(fields) == 0, fields
}

// JSName is the call as a script writes it: "contacts.find".
func (op *Operation) JSName() string { return op.Namespace + "." + op.Name }

// Listing reports whether the operation returns a Pager in JS: every list
// and search does, including the unpaginated ones (a Pager of one page).
func (op *Operation) Listing() bool { return op.ItemsField != "" }

// Idempotent reports whether every request of the operation may be resent
// without risk of doing the work twice, whatever its body: the reads, and
// the PUTs and DELETEs without side-effect fields (see Retry).
func (op *Operation) Idempotent() bool {
	return op.Retry.Safe && len(op.Retry.SideEffects) == 0
}

// Operations is every operation of API 2.10 (Default), in the description's
// order; Schemas is every component schema of that description, by name.
// Both are filled by catalog_gen.go, so that the generator can build this
// package before the generated file exists. For(v) has the other versions.
var (
	Operations []*Operation
	Schemas    map[string]*Schema
)

// ByID finds an operation of API 2.10 by its operationId.
func ByID(id string) *Operation { return defaultCatalog().ByID(id) }

// ByJSName finds an operation of API 2.10 by "namespace.method".
func ByJSName(name string) *Operation { return defaultCatalog().ByJSName(name) }

// Lookup resolves a schema reference to its definition; other schemas are
// returned as they are. A schema of a later version's catalogue resolves in
// that version; a bare reference resolves in 2.10's (Catalog.Lookup
// resolves one in another version).
func Lookup(s *Schema) *Schema { return defaultCatalog().Lookup(s) }

// Namespaces lists every JS namespace of API 2.10 (see Catalog.Namespaces).
func Namespaces() []string { return defaultCatalog().Namespaces() }

// InNamespace lists the operations of API 2.10 directly in a namespace,
// sorted by name.
func InNamespace(ns string) []*Operation { return defaultCatalog().InNamespace(ns) }
