package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

// TestEveryPagedListIsAPager reads every version's description: each
// operation whose success response holds one array of items (or a data
// object holding one) beside a pages object answers a Pager in that
// version's catalogue, with the items field and the style the description
// states (FACTS.md §1's legend): a body with pagination is a search, a
// scroll_param a scroll, pages.next declared as a string a link, a
// starting_after query parameter a cursor, a page query parameter page
// numbers, else pages-only. An operation 2.10 also has keeps 2.10's rules
// (FACTS.md §1 corrects what the descriptions get wrong there).
func TestEveryPagedListIsAPager(t *testing.T) {
	checked := 0
	for _, v := range testsupport.DescribedVersions(t) {
		cat := catalog.MustFor(v)
		doc := testsupport.LoadDescription(t, v).Doc
		for path, item := range doc.Paths.Map() {
			for method, dop := range item.Operations() {
				props := successProps(dop)
				if props["pages"] == nil {
					continue
				}
				items := itemsOf(props)
				if items == "" {
					continue
				}
				op := matchOp(cat, method, path)
				if op == nil {
					t.Errorf("%s: %s %s is not in the catalogue", v, method, path)
					continue
				}
				checked++
				wantStyle, wantItems := describedStyle(dop, props), items
				if old := catalog.ByID(op.ID); old != nil && old.Listing() {
					wantStyle, wantItems = old.Pagination, old.ItemsField
				}
				if !op.Listing() || op.ItemsField != wantItems || op.Pagination != wantStyle {
					t.Errorf("%s: %s (%s %s) is %s over %q (Pager %t), want %s over %q", v, op.JSName(), method, path,
						op.Pagination, op.ItemsField, op.Listing(), wantStyle, wantItems)
				}
			}
		}
	}
	if checked < 40 {
		t.Fatalf("only %d paged operations found in the descriptions", checked)
	}
}

func matchOp(cat *catalog.Catalog, method, path string) *catalog.Operation {
	for _, op := range cat.Operations {
		if op.Method == method && op.Path == path {
			return op
		}
	}
	return nil
}

// successProps are the properties of an operation's 2xx JSON response,
// its allOf parts' included.
func successProps(dop *openapi3.Operation) map[string]*openapi3.Schema {
	for code, r := range dop.Responses.Map() {
		if !strings.HasPrefix(code, "2") || r.Value == nil {
			continue
		}
		if mt := r.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
			return propsOf(mt.Schema.Value)
		}
	}
	return nil
}

func propsOf(s *openapi3.Schema) map[string]*openapi3.Schema {
	out := map[string]*openapi3.Schema{}
	if s == nil {
		return out
	}
	for name, p := range s.Properties {
		out[name] = p.Value
	}
	for _, a := range s.AllOf {
		for name, p := range propsOf(a.Value) {
			out[name] = p
		}
	}
	return out
}

// itemsOf names the one array of items of a list response: a top-level
// array property, or "data.X" for a data object holding one; "" when the
// response has none or more than one.
func itemsOf(props map[string]*openapi3.Schema) string {
	var arrays []string
	for name, p := range props {
		switch {
		case p != nil && p.Type.Is("array"):
			arrays = append(arrays, name)
		case name == "data" && p != nil && p.Type.Is("object"):
			for inner, q := range propsOf(p) {
				if q != nil && q.Type.Is("array") {
					arrays = append(arrays, "data."+inner)
				}
			}
		}
	}
	if len(arrays) != 1 {
		return ""
	}
	return arrays[0]
}

func describedStyle(dop *openapi3.Operation, props map[string]*openapi3.Schema) catalog.Pagination {
	query := func(name string) bool {
		return slices.ContainsFunc(dop.Parameters, func(p *openapi3.ParameterRef) bool {
			return p.Value != nil && p.Value.In == "query" && p.Value.Name == name
		})
	}
	if rb := dop.RequestBody; rb != nil && rb.Value != nil {
		if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && propsOf(mt.Schema.Value)["pagination"] != nil {
			return catalog.PageSearch
		}
	}
	next := propsOf(props["pages"])["next"]
	switch {
	case props["scroll_param"] != nil:
		return catalog.PageScroll
	case next != nil && next.Type.Is("string"):
		return catalog.PageLink
	case query("starting_after"):
		return catalog.PageCursor
	case query("page"):
		return catalog.PageNumber
	}
	return catalog.PagePagesOnly
}
