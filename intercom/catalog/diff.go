package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// Diff is what changes from one version's catalogue to another's: what
// `icscript api diff` prints.
type Diff struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Added   []DiffOp `json:"added"`
	Removed []DiffOp `json:"removed"`
	Changed []DiffOp `json:"changed"`
}

// DiffOp is one call; Changes only for a changed one.
type DiffOp struct {
	Name    string       `json:"name"` // "contacts.find"
	ID      string       `json:"operationId"`
	Method  string       `json:"method"`
	Path    string       `json:"path"`
	Changes []DiffChange `json:"changes,omitempty"`
}

// DiffChange is one difference of a call present in both versions.
type DiffChange struct {
	Where  string `json:"where"`  // "route", "param", "body", "response"
	Field  string `json:"field"`  // parameter name or dotted field path; "" for the route
	Change string `json:"change"` // "added", "removed", "type"
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
}

func diffOpOf(op *Operation) DiffOp {
	return DiffOp{Name: op.JSName(), ID: op.ID, Method: op.Method, Path: op.Path}
}

// Compare says what changes from catalogue a to catalogue b. Calls are
// matched by JS name, which an operation keeps across versions; fields are
// compared by dotted path ("from.id", "tags[].name") and type in a word.
func Compare(a, b *Catalog) *Diff {
	d := &Diff{From: a.Version, To: b.Version, Added: []DiffOp{}, Removed: []DiffOp{}, Changed: []DiffOp{}}
	for _, op := range b.Operations {
		if a.ByJSName(op.JSName()) == nil {
			d.Added = append(d.Added, diffOpOf(op))
		}
	}
	for _, op := range a.Operations {
		nb := b.ByJSName(op.JSName())
		if nb == nil {
			d.Removed = append(d.Removed, diffOpOf(op))
			continue
		}
		if ch := DiffOperation(op, nb); len(ch) > 0 {
			o := diffOpOf(nb)
			o.Changes = ch
			d.Changed = append(d.Changed, o)
		}
	}
	for _, l := range [][]DiffOp{d.Added, d.Removed, d.Changed} {
		slices.SortFunc(l, func(x, y DiffOp) int { return strings.Compare(x.Name, y.Name) })
	}
	return d
}

func DiffOperation(a, b *Operation) []DiffChange {
	var out []DiffChange
	if a.Method != b.Method || a.Path != b.Path {
		out = append(out, DiffChange{Where: "route", Change: "type", From: a.Method + " " + a.Path, To: b.Method + " " + b.Path})
	}
	params := func(op *Operation) map[string]string {
		m := map[string]string{}
		for _, p := range append(slices.Clone(op.PathParams), op.Query...) {
			m[p.Name] = p.In + " " + p.Type
		}
		return m
	}
	out = append(out, diffFields("param", params(a), params(b))...)
	out = append(out, diffFields("body", fieldTypes(a.Catalog(), a.Body), fieldTypes(b.Catalog(), b.Body))...)
	out = append(out, diffFields("response", fieldTypes(a.Catalog(), a.ResponseSchema()), fieldTypes(b.Catalog(), b.ResponseSchema()))...)
	return out
}

func diffFields(where string, a, b map[string]string) []DiffChange {
	var out []DiffChange
	names := map[string]bool{}
	for k := range a {
		names[k] = true
	}
	for k := range b {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	for _, k := range sorted {
		ta, ina := a[k]
		tb, inb := b[k]
		switch {
		case !ina:
			out = append(out, DiffChange{Where: where, Field: k, Change: "added", To: tb})
		case !inb:
			out = append(out, DiffChange{Where: where, Field: k, Change: "removed", From: ta})
		case ta != tb:
			out = append(out, DiffChange{Where: where, Field: k, Change: "type", From: ta, To: tb})
		}
	}
	return out
}

// fieldTypes flattens a schema into dotted field paths and their types, a
// few levels deep ("from.id": "string", "tags[].name": "string").
func fieldTypes(cat *Catalog, s *Schema) map[string]string {
	out := map[string]string{}
	var walk func(s *Schema, prefix string, depth int)
	walk = func(s *Schema, prefix string, depth int) {
		s = cat.Lookup(s)
		if s == nil || depth > 4 {
			return
		}
		for _, p := range s.Properties {
			name := prefix + p.Name
			out[name] = diffTypeName(cat, p.Schema)
			walk(p.Schema, name+".", depth+1)
			if ps := cat.Lookup(p.Schema); ps != nil && ps.Items != nil {
				walk(ps.Items, name+"[].", depth+1)
			}
		}
		for _, g := range [][]*Schema{s.AllOf, s.OneOf, s.AnyOf} {
			for _, alt := range g {
				walk(alt, prefix, depth+1)
			}
		}
	}
	walk(s, "", 0)
	return out
}

// diffTypeName is a field's type in a word: "string", "array of integer",
// "object", "one of 3".
func diffTypeName(cat *Catalog, s *Schema) string {
	s = cat.Lookup(s)
	switch {
	case s == nil:
		return "any"
	case s.Type == "array" && s.Items != nil:
		return "array of " + diffTypeName(cat, s.Items)
	case s.Type != "":
		return s.Type
	case len(s.OneOf) > 0:
		return fmt.Sprintf("one of %d", len(s.OneOf))
	case len(s.AnyOf) > 0:
		return fmt.Sprintf("any of %d", len(s.AnyOf))
	case len(s.AllOf) > 0 || len(s.Properties) > 0:
		return "object"
	}
	return "any"
}
