package main

import (
	"fmt"
	"strings"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/sandbox/search"
)

// describeVerb is `.help conversations.close`: the verb, what it sends and
// the operation it calls in the REPL's API version.
func describeVerb(cat *catalog.Catalog, v *bindings.Verb) string {
	op := cat.ByID(v.Over)
	var b strings.Builder
	fmt.Fprintf(&b, "intercom.%s — %s\n", v.Call(), v.Summary)
	fmt.Fprintf(&b, "  a verb over intercom.%s(%s): %s %s   (operationId %s)\n", op.JSName(), bindings.Signature(op), op.Method, op.Path, op.ID)
	b.WriteString("  changes data (--dry-run prints it instead); the acting admin is --admin, intercom.actAs(id), or the token's own\n")
	args := []string{`"<id>"`}
	switch v.Name {
	case "conversations.snooze":
		args = append(args, "time.daysFromNow(1)")
	case "conversations.assign":
		args = append(args, `"<admin_id>"`)
	}
	fmt.Fprintf(&b, "  example:\n    await intercom.%s(%s)\n", v.Name, strings.Join(args, ", "))
	return b.String()
}

// writeBody lists the body's fields with their types, enums and whether
// they are required; a body of alternatives lists each.
func writeBody(b *strings.Builder, op *catalog.Operation) {
	s := catalog.Lookup(op.Body)
	if s == nil {
		return
	}
	if props := bodyFields(s); props != "" {
		fmt.Fprintf(b, "  body: %s\n", props)
		return
	}
	var alts []string
	for _, alt := range append(append([]*catalog.Schema(nil), s.OneOf...), s.AnyOf...) {
		if props := bodyFields(catalog.Lookup(alt)); props != "" && !contains(alts, props) {
			alts = append(alts, props)
		}
	}
	for i, props := range alts {
		label := "body"
		if len(alts) > 1 && i == 0 {
			label = "body, one of"
		} else if i > 0 {
			label = "          or"
		}
		fmt.Fprintf(b, "  %s: %s\n", label, props)
	}
}

// bodyFields is "name (type, required), …" for an object's properties,
// those of its allOf parts included.
func bodyFields(s *catalog.Schema) string {
	if s == nil {
		return ""
	}
	var list []string
	for _, p := range objectProperties(s) {
		item := p.Name + " (" + schemaType(p.Schema, 0)
		if contains(requiredOf(s), p.Name) {
			item += ", required"
		}
		list = append(list, item+")")
	}
	return strings.Join(list, ", ")
}

func objectProperties(s *catalog.Schema) []catalog.Property {
	out := append([]catalog.Property(nil), s.Properties...)
	for _, part := range s.AllOf {
		if p := catalog.Lookup(part); p != nil {
			out = append(out, objectProperties(p)...)
		}
	}
	return out
}

func requiredOf(s *catalog.Schema) []string {
	out := append([]string(nil), s.Required...)
	for _, part := range s.AllOf {
		if p := catalog.Lookup(part); p != nil {
			out = append(out, requiredOf(p)...)
		}
	}
	return out
}

// schemaType is a schema's type as a person reads it: "string",
// `"open" | "closed"`, "array of string", "object Contact".
func schemaType(s *catalog.Schema, depth int) string {
	name := s.Ref
	r := catalog.Lookup(s)
	if r == nil {
		return "any"
	}
	switch {
	case len(r.Enum) > 0:
		return `"` + strings.Join(r.Enum, `" | "`) + `"`
	case r.Type == "array" && r.Items != nil && depth < 2:
		return "array of " + schemaType(r.Items, depth+1)
	case r.Type == "object" || (r.Type == "" && len(r.Properties) > 0):
		if name != "" {
			return "object " + name
		}
		return "object"
	case r.Type == "" && len(r.OneOf)+len(r.AnyOf) > 0 && depth < 2:
		var alts []string
		for _, a := range append(append([]*catalog.Schema(nil), r.OneOf...), r.AnyOf...) {
			alts = append(alts, schemaType(a, depth+1))
		}
		return strings.Join(alts, " | ")
	case r.Type == "":
		return "any"
	}
	if r.Format != "" {
		return r.Type + " (" + r.Format + ")"
	}
	return r.Type
}

// writeSearchFields lists the fields a search operation accepts, with
// their types and operators (the description's "Accepted Fields").
func writeSearchFields(b *strings.Builder, op *catalog.Operation) {
	fields := search.ForOperation(op.ID).Fields()
	if len(fields) == 0 {
		return
	}
	b.WriteString("  searchable fields (query: {field, operator, value}):\n")
	for _, f := range fields {
		fmt.Fprintf(b, "    %-40s %-22s %s\n", f.Name, f.Type, strings.Join(f.Operators, " "))
	}
}
