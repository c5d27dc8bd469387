package bindings

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/lazyregexp"
)

// What the bindings tell a person about a call: its signature, and the
// help `icscript ops` and the REPL's `.help` print (they only print it).

// Signature is the JS parameter list of an operation: "id, fields".
func Signature(op *catalog.Operation) string {
	var parts []string
	for _, p := range op.PathParams {
		parts = append(parts, p.Name)
	}
	if op.Body != nil || len(op.Query) > 0 {
		parts = append(parts, "fields")
	}
	return strings.Join(parts, ", ")
}

// Traits is the short column of `icscript ops`: paging and safety
// ("Pager", "mutates", "irreversible", "-").
func Traits(op *catalog.Operation) string {
	var t []string
	if op.Listing() {
		t = append(t, "Pager")
	}
	if op.Irreversible {
		t = append(t, "irreversible")
	} else if op.Mutates {
		t = append(t, "mutates")
	}
	if len(t) == 0 {
		return "-"
	}
	return strings.Join(t, ",")
}

// HelpTopics are the names `.help` describes in cat: its namespaces, its
// operations and the verbs, by JS name.
func HelpTopics(cat *catalog.Catalog) []string {
	topics := cat.Namespaces()
	for _, op := range cat.Operations {
		topics = append(topics, op.JSName())
	}
	for _, v := range Verbs {
		topics = append(topics, v.Name)
	}
	return topics
}

// Describe is the help of a name of cat (without "intercom."): an
// operation ("contacts.search"), a verb ("conversations.close") or a
// namespace ("contacts"); false when cat has nothing of that name.
func Describe(cat *catalog.Catalog, name string) (string, bool) {
	if op := cat.ByJSName(name); op != nil {
		return Help(op), true
	}
	if v := VerbByName(name); v != nil {
		return v.Help(cat), true
	}
	if ops := cat.InNamespace(name); len(ops) > 0 || isNamespace(cat, name) {
		return namespaceHelp(cat, name, ops), true
	}
	return "", false
}

func isNamespace(cat *catalog.Catalog, name string) bool {
	for _, ns := range cat.Namespaces() {
		if ns == name {
			return true
		}
	}
	return false
}

// namespaceHelp lists a namespace's child namespaces, operations and verbs.
func namespaceHelp(cat *catalog.Catalog, name string, ops []*catalog.Operation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "intercom.%s\n", name)
	for _, ns := range cat.Namespaces() {
		if strings.HasPrefix(ns, name+".") && !strings.Contains(ns[len(name)+1:], ".") {
			fmt.Fprintf(&b, "  intercom.%s.…\n", ns)
		}
	}
	for _, op := range ops {
		fmt.Fprintf(&b, "  intercom.%s(%s)  %s %s  %s\n", op.JSName(), Signature(op), op.Method, op.Path, op.Summary)
	}
	for _, v := range Verbs {
		if strings.TrimSuffix(v.Name, v.Name[strings.LastIndex(v.Name, "."):]) == name {
			fmt.Fprintf(&b, "  intercom.%s  %s\n", v.Call(), v.Summary)
		}
	}
	return b.String()
}

// Help is `.help contacts.search`: how to call the operation, its route,
// what it returns, whether it changes data, its parameters, its body's
// fields, the fields a search accepts, and an example.
func Help(op *catalog.Operation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "intercom.%s(%s)", op.JSName(), Signature(op))
	if op.Summary != "" {
		fmt.Fprintf(&b, " — %s", op.Summary)
	}
	fmt.Fprintf(&b, "\n  %s %s   (operationId %s)\n", op.Method, op.Path, op.ID)
	if op.Listing() {
		paging := string(op.Pagination) + " pagination"
		if op.Pagination == catalog.PageNone {
			paging = "one page"
		}
		fmt.Fprintf(&b, "  returns a Pager over %q (%s): for…of, .first(n), .toArray({limit}), .forEach(fn, {concurrency})\n", op.ItemsField, paging)
	} else if op.Response != "" {
		fmt.Fprintf(&b, "  returns a Promise of %s\n", op.Response)
	}
	switch {
	case op.Irreversible:
		b.WriteString("  changes data, irreversibly: on a real workspace it asks once for confirmation (--yes skips it)\n")
	case op.Mutates:
		b.WriteString("  changes data (--dry-run prints it instead)\n")
	default:
		b.WriteString("  read-only\n")
	}
	writeParams(&b, "path", op.PathParams)
	writeParams(&b, "query", op.Query)
	writeBody(&b, op)
	writeSearchFields(&b, op)
	b.WriteString("  example:\n    " + exampleCall(op) + "\n")
	return b.String()
}

// Help is `.help conversations.close`: the verb, what it sends and the
// operation of cat (the API version in use) it calls.
func (v Verb) Help(cat *catalog.Catalog) string {
	op := cat.ByID(v.Over)
	var b strings.Builder
	fmt.Fprintf(&b, "intercom.%s — %s\n", v.Call(), v.Summary)
	fmt.Fprintf(&b, "  a verb over intercom.%s(%s): %s %s   (operationId %s)\n", op.JSName(), Signature(op), op.Method, op.Path, op.ID)
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

func writeParams(b *strings.Builder, label string, params []catalog.Param) {
	if len(params) == 0 {
		return
	}
	var list []string
	for _, p := range params {
		s := p.Name + " (" + p.Type
		if p.Required {
			s += ", required"
		}
		list = append(list, s+")")
	}
	fmt.Fprintf(b, "  %s: %s\n", label, strings.Join(list, ", "))
}

// writeBody lists the body's fields with their types, enums and whether
// they are required; a body of alternatives lists each. Schemas are those
// of the operation's own API version.
func writeBody(b *strings.Builder, op *catalog.Operation) {
	cat := op.Catalog()
	s := cat.Lookup(op.Body)
	if s == nil {
		return
	}
	if props := bodyFields(cat, s); props != "" {
		fmt.Fprintf(b, "  body: %s\n", props)
		return
	}
	var alts []string
	for _, alt := range append(append([]*catalog.Schema(nil), s.OneOf...), s.AnyOf...) {
		if props := bodyFields(cat, cat.Lookup(alt)); props != "" && !slicesContains(alts, props) {
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
func bodyFields(cat *catalog.Catalog, s *catalog.Schema) string {
	if s == nil {
		return ""
	}
	var list []string
	for _, p := range objectProperties(cat, s) {
		item := p.Name + " (" + schemaType(cat, p.Schema, 0)
		if slicesContains(requiredOf(cat, s), p.Name) {
			item += ", required"
		}
		list = append(list, item+")")
	}
	return strings.Join(list, ", ")
}

func objectProperties(cat *catalog.Catalog, s *catalog.Schema) []catalog.Property {
	out := append([]catalog.Property(nil), s.Properties...)
	for _, part := range s.AllOf {
		if p := cat.Lookup(part); p != nil {
			out = append(out, objectProperties(cat, p)...)
		}
	}
	return out
}

func requiredOf(cat *catalog.Catalog, s *catalog.Schema) []string {
	out := append([]string(nil), s.Required...)
	for _, part := range s.AllOf {
		if p := cat.Lookup(part); p != nil {
			out = append(out, requiredOf(cat, p)...)
		}
	}
	return out
}

// schemaType is a schema's type as a person reads it: "string",
// `"open" | "closed"`, "array of string", "object Contact".
func schemaType(cat *catalog.Catalog, s *catalog.Schema, depth int) string {
	name := s.Ref
	r := cat.Lookup(s)
	if r == nil {
		return "any"
	}
	switch {
	case len(r.Enum) > 0:
		return `"` + strings.Join(r.Enum, `" | "`) + `"`
	case r.Type == "array" && r.Items != nil && depth < 2:
		return "array of " + schemaType(cat, r.Items, depth+1)
	case r.Type == "object" || (r.Type == "" && len(r.Properties) > 0):
		if name != "" {
			return "object " + name
		}
		return "object"
	case r.Type == "" && len(r.OneOf)+len(r.AnyOf) > 0 && depth < 2:
		var alts []string
		for _, a := range append(append([]*catalog.Schema(nil), r.OneOf...), r.AnyOf...) {
			alts = append(alts, schemaType(cat, a, depth+1))
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
	fields := op.SearchFields
	if len(fields) == 0 {
		return
	}
	b.WriteString("  searchable fields (query: {field, operator, value}):\n")
	for _, f := range fields {
		fmt.Fprintf(b, "    %-40s %-22s %s\n", f.Name, f.Type, strings.Join(f.Operators, " "))
	}
}

// sampleBody is catalog.Sample of the body, in JS notation; when no field
// is required, it shows the first one.
func sampleBody(op *catalog.Operation) string {
	if op.Body == nil {
		return ""
	}
	v := catalog.Sample(op.Body)
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		s := op.Catalog().Lookup(op.Body)
		for s != nil && len(s.Properties) == 0 && len(s.OneOf)+len(s.AnyOf) > 0 {
			s = op.Catalog().Lookup(append(s.OneOf, s.AnyOf...)[0])
		}
		if s != nil && len(s.Properties) > 0 {
			p := s.Properties[0]
			v = map[string]any{p.Name: catalog.Sample(p.Schema)}
		}
	}
	body, err := json.Marshal(v)
	if err != nil || string(body) == "null" || string(body) == "{}" {
		return ""
	}
	return jsonKey.ReplaceAllStringFunc(string(body), func(m string) string {
		sub := jsonKey.FindStringSubmatch(m)
		if sub[1] != "" {
			return ", " + sub[2] + ": "
		}
		return sub[2] + ": "
	})
}

// jsonKey is a quoted object key that JS writes without quotes (and after
// a comma, a space). Compiled on first use: no regexp at package init.
var jsonKey = lazyregexp.New(`(,?)"([A-Za-z_$][A-Za-z0-9_$]*)":`)

// exampleCall builds a call from placeholders for the path parameters and
// catalog.Sample of the body.
func exampleCall(op *catalog.Operation) string {
	var args []string
	for _, p := range op.PathParams {
		args = append(args, fmt.Sprintf("%q", "<"+p.Name+">"))
	}
	if op.Pagination == catalog.PageSearch {
		args = append(args, `{query: {field: "created_at", operator: ">", value: 1700000000}}`)
	} else if body := sampleBody(op); body != "" {
		args = append(args, body)
	}
	call := "intercom." + op.JSName() + "(" + strings.Join(args, ", ") + ")"
	if op.Listing() {
		return call + ".first(3)"
	}
	return "await " + call
}
