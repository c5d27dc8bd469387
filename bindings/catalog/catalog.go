// Package catalog is the operation catalogue of the Intercom REST API 2.10:
// one entry per operation, generated from Intercom's OpenAPI description by
// ../../internal/gen (go generate) plus the hand-kept corrections in
// corrections.go.
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
	"sort"
	"strings"
	"sync"
)

// Pagination is how a list or search operation is paged.
type Pagination string

// The pagination styles of FACTS.md §1.
const (
	PageNone      Pagination = "none"       // unpaginated
	PageCursor    Pagination = "cursor"     // query starting_after=pages.next.starting_after
	PageSearch    Pagination = "search"     // body pagination {per_page, starting_after}
	PageNumber    Pagination = "page"       // query page/per_page, pages.total_pages
	PageScroll    Pagination = "scroll"     // query scroll_param from the previous response
	PageLink      Pagination = "link"       // pages.next is a URL to follow as-is
	PagePagesOnly Pagination = "pages-only" // a pages object but no declared paging parameters
)

// Param is a path or query parameter.
type Param struct {
	Name     string
	In       string // "path" or "query"
	Type     string // "string", "integer", "boolean", "number", "object"
	Required bool
	Enum     []string
	// Explode is true for an object query parameter serialised as its own
	// key=value pairs (style: form, explode: true), such as lisDataEvents' filter.
	Explode bool
}

// Schema is the part of a JSON schema that icscript checks and types:
// enough for argument checks, sandbox request validation and typings.
type Schema struct {
	Ref        string // name of a component schema this one stands for; resolve with Lookup
	Type       string // "object", "array", "string", "integer", "number", "boolean" or "" (any)
	Format     string
	Nullable   bool
	Enum       []string
	Properties []Property // in declaration order
	Required   []string
	Items      *Schema
	OneOf      []*Schema
	AnyOf      []*Schema
	AllOf      []*Schema
	Closed     bool    // additionalProperties: false
	MapOf      *Schema // additionalProperties given as a schema
}

// Property is one named property of an object schema.
type Property struct {
	Name   string
	Schema *Schema
}

// Operation is one entry of the catalogue.
type Operation struct {
	ID           string     // operationId as Intercom spells it
	Namespace    string     // JS namespace under intercom, dot-separated: "contacts", "helpCenters.collections"
	Name         string     // JS method name: "find"
	Summary      string     // Intercom's one-line summary
	Tag          string     // the description's tag
	Method       string     // HTTP method
	Path         string     // path template, "/contacts/{id}"
	PathParams   []Param    // in path order
	Query        []Param    // query parameters
	Body         *Schema    // request body schema, nil when none is declared
	BodyRequired bool       // the description marks the body required
	Pagination   Pagination // paging style
	ItemsField   string     // field holding the items of a list page ("data", "conversations", "data.articles")
	Mutates      bool       // changes state (every non-GET except the read-only POSTs)
	Irreversible bool       // destroys or sends something that cannot be taken back
	ReadOnlyPOST bool       // a POST that only reads (searches, companies/list): safe to retry
	Response     string     // component schema name of the success response, "" when none
	Status       int        // success status (200, or 202)
	Errors       []int      // declared error statuses
	Binary       bool       // the response is not JSON (downloadDataExport)
	Retry        Retry      // whether a request may be sent again when an attempt's outcome is unknown
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
	Safe bool
	// SideEffects are body fields that make a Safe operation unsafe after
	// all: each applied request carrying one adds a record (a ticket or
	// conversation part), so a resend could add it twice. A body without
	// them stays safe.
	SideEffects []string
	// Gone is set for the operations whose 404 to a resend means an earlier
	// attempt, whose answer was lost, applied the change: "deleted" (the
	// object is deleted) or "detached" (the link is removed).
	Gone string
	// GoneID is the path parameter naming the object a success answer
	// describes ("id"; "conversation_id" when detaching a contact from a
	// conversation answers the conversation).
	GoneID string
	// Why is the reason, for messages and `icscript ops`.
	Why string
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

// Operations is every operation of API 2.10, in the description's order;
// Schemas is every component schema of the description, by name. Both are
// filled by catalog_gen.go, so that the generator can build this package
// before the generated file exists.
var (
	Operations []*Operation
	Schemas    map[string]*Schema
)

var (
	indexOnce  sync.Once
	byID, byJS map[string]*Operation
)

func index() {
	byID = make(map[string]*Operation, len(Operations))
	byJS = make(map[string]*Operation, len(Operations))
	for _, op := range Operations {
		byID[op.ID] = op
		byJS[op.JSName()] = op
	}
}

// ByID finds an operation by its operationId.
func ByID(id string) *Operation {
	indexOnce.Do(index)
	return byID[id]
}

// ByJSName finds an operation by "namespace.method".
func ByJSName(name string) *Operation {
	indexOnce.Do(index)
	return byJS[name]
}

// Lookup resolves a schema reference to its definition; other schemas are
// returned as they are.
func Lookup(s *Schema) *Schema {
	for s != nil && s.Ref != "" {
		next, ok := Schemas[s.Ref]
		if !ok {
			return &Schema{} // dangling reference: any value
		}
		s = next
	}
	return s
}

// Namespaces lists every JS namespace, sorted, including parents of nested
// ones ("helpCenters" for "helpCenters.collections").
func Namespaces() []string {
	seen := map[string]bool{}
	for _, op := range Operations {
		parts := strings.Split(op.Namespace, ".")
		for i := range parts {
			seen[strings.Join(parts[:i+1], ".")] = true
		}
	}
	out := make([]string, 0, len(seen))
	for ns := range seen {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out
}

// InNamespace lists the operations directly in a namespace, sorted by name.
func InNamespace(ns string) []*Operation {
	var out []*Operation
	for _, op := range Operations {
		if op.Namespace == ns {
			out = append(out, op)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
