package main

import (
	"slices"

	"github.com/icscript/icscript/intercom/catalog"
)

// listMeta are the properties a list response has beside its items.
var listMeta = []string{"type", "pages", "total_count", "page", "per_page", "total_pages", "scroll_param", "has_more", "next_cursor"}

// inferPaging derives how an operation that neither paging (2.10's rules)
// nor laterPaging names is paged, from its description (FACTS.md §1's
// styles): its success response lists items when it has one array property
// (or a data object holding one) and either a pages object or nothing but
// list metadata beside it. Then, in order: a body with pagination is a
// search; a scroll_param in the response a scroll; pages.next declared as a
// string a link; a starting_after query parameter a cursor; a page query
// parameter page numbers; a pages object alone pages-only; else none, with
// the items field still set so that the call answers a Pager.
func inferPaging(op *catalog.Operation, schemas map[string]*catalog.Schema) (catalog.Pagination, string) {
	if op.Response == "" || op.Binary {
		return catalog.PageNone, ""
	}
	props := properties(&catalog.Schema{Ref: op.Response}, schemas)
	items, pages := "", false
	for _, p := range props {
		switch {
		case p.Name == "pages":
			pages = true
		case isArray(p.Schema, schemas):
			if items != "" {
				return catalog.PageNone, "" // two lists: an object, not a page
			}
			items = p.Name
		case p.Name == "data" && resolve(p.Schema, schemas).Type == "object":
			var inner []string
			for _, q := range properties(p.Schema, schemas) {
				if isArray(q.Schema, schemas) {
					inner = append(inner, q.Name)
				}
			}
			if len(inner) != 1 || items != "" {
				return catalog.PageNone, ""
			}
			items = "data." + inner[0]
		case !slices.Contains(listMeta, p.Name):
			if !pages && !hasPages(props) {
				return catalog.PageNone, "" // an object that has a list among its fields
			}
		}
	}
	if items == "" {
		return catalog.PageNone, ""
	}
	query := func(name string) bool {
		return slices.ContainsFunc(op.Query, func(q catalog.Param) bool { return q.Name == name })
	}
	var next *catalog.Schema
	for _, p := range props {
		if p.Name == "pages" {
			for _, q := range properties(p.Schema, schemas) {
				if q.Name == "next" {
					next = resolve(q.Schema, schemas)
				}
			}
		}
	}
	switch {
	case op.Body != nil && slices.ContainsFunc(properties(op.Body, schemas), func(p catalog.Property) bool { return p.Name == "pagination" }):
		return catalog.PageSearch, items
	case slices.ContainsFunc(props, func(p catalog.Property) bool { return p.Name == "scroll_param" }):
		return catalog.PageScroll, items
	case next != nil && next.Type == "string":
		return catalog.PageLink, items
	case query("starting_after"):
		return catalog.PageCursor, items
	case query("page"):
		return catalog.PageNumber, items
	case pages:
		return catalog.PagePagesOnly, items
	}
	return catalog.PageNone, items
}

func hasPages(props []catalog.Property) bool {
	return slices.ContainsFunc(props, func(p catalog.Property) bool { return p.Name == "pages" })
}

func isArray(s *catalog.Schema, schemas map[string]*catalog.Schema) bool {
	return resolve(s, schemas).Type == "array"
}

// resolve follows a schema's $refs among the component schemas.
func resolve(s *catalog.Schema, schemas map[string]*catalog.Schema) *catalog.Schema {
	for i := 0; s != nil && s.Ref != "" && i < 32; i++ {
		s = schemas[s.Ref]
	}
	if s == nil {
		return &catalog.Schema{}
	}
	return s
}

// properties are an object schema's properties, its allOf parts' included.
func properties(s *catalog.Schema, schemas map[string]*catalog.Schema) []catalog.Property {
	s = resolve(s, schemas)
	out := slices.Clone(s.Properties)
	for _, a := range s.AllOf {
		out = append(out, properties(a, schemas)...)
	}
	return out
}
