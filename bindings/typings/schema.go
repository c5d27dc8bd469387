package typings

import (
	"strconv"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/lazyregexp"
)

// gen holds what the whole generation needs to know about the schemas.
type gen struct {
	// input is the set of component schemas reachable from a request body:
	// their properties are optional unless required. The others describe
	// responses, whose properties are all present.
	input map[string]bool
	cat   *catalog.Catalog // the API version's catalogue
}

func newGen(cat *catalog.Catalog) *gen {
	g := &gen{input: map[string]bool{}, cat: cat}
	for _, op := range cat.Operations {
		g.markInput(op.Body)
	}
	return g
}

// markInput walks a request schema and records the component schemas it uses.
func (g *gen) markInput(s *catalog.Schema) {
	if s == nil {
		return
	}
	if s.Ref != "" {
		if g.input[s.Ref] {
			return
		}
		g.input[s.Ref] = true
		g.markInput(g.cat.Schemas[s.Ref])
		return
	}
	for _, p := range s.Properties {
		g.markInput(p.Schema)
	}
	for _, list := range [][]*catalog.Schema{s.OneOf, s.AnyOf, s.AllOf} {
		for _, sub := range list {
			g.markInput(sub)
		}
	}
	g.markInput(s.Items)
	g.markInput(s.MapOf)
}

// writeSchemas writes one declaration per component schema, sorted by name:
// an interface for plain objects, a type alias for the rest.
func (g *gen) writeSchemas(b *strings.Builder) {
	for _, name := range sortedSchemaNames(g.cat) {
		s := g.cat.Schemas[name]
		input := g.input[name]
		b.WriteString("\n")
		if isPlainObject(s) {
			b.WriteString("  interface " + typeName(name) + " {\n")
			for _, m := range g.members(s, input) {
				b.WriteString("    " + m + ";\n")
			}
			b.WriteString("  }\n")
			continue
		}
		b.WriteString("  type " + typeName(name) + " = " + g.shape(s, input) + ";\n")
	}
}

func isPlainObject(s *catalog.Schema) bool {
	return (s.Type == "object" || (s.Type == "" && len(s.Properties) > 0)) &&
		len(s.Enum) == 0 && len(s.OneOf)+len(s.AnyOf)+len(s.AllOf) == 0
}

// typeOf is the TypeScript type of a schema. input tells whether inline
// objects describe a request (optional properties) or a response.
func (g *gen) typeOf(s *catalog.Schema, input bool) string {
	if s == nil {
		return "any"
	}
	var t string
	if s.Ref != "" {
		if _, ok := g.cat.Schemas[s.Ref]; !ok {
			return "any" // dangling reference
		}
		t = typeName(s.Ref)
	} else {
		t = g.shape(s, input)
	}
	if s.Nullable && t != "any" && t != "unknown" {
		t += " | null"
	}
	return t
}

// shape is the type of a schema that is not a reference, without its nullability.
func (g *gen) shape(s *catalog.Schema, input bool) string {
	if len(s.Enum) > 0 {
		return enumUnion(s.Enum, s.Type)
	}
	alts := g.alternatives(s, input)
	switch s.Type {
	case "array":
		return arrayOf(g.typeOf(s.Items, input))
	case "string", "integer", "number", "boolean":
		if alts != "" {
			return alts
		}
		return primitive(s.Type)
	}
	objectish := s.Type == "object" || len(s.Properties) > 0 || s.MapOf != nil
	var parts []string
	if objectish && (len(s.Properties) > 0 || s.MapOf != nil || (alts == "" && len(s.AllOf) == 0)) {
		parts = append(parts, objectLiteral(g.members(s, input)))
	}
	for _, part := range s.AllOf {
		parts = append(parts, g.typeOf(part, input))
	}
	if alts != "" {
		parts = append(parts, alts)
	}
	if len(parts) == 0 {
		return "any"
	}
	return strings.Join(parts, " & ")
}

// members are the property lines of an object schema, with an index
// signature when the object is open.
func (g *gen) members(s *catalog.Schema, input bool) []string {
	req := set(s.Required)
	var out []string
	for _, p := range s.Properties {
		out = append(out, member(p.Name, g.propertyType(p.Schema, input), !input || req[p.Name]))
	}
	switch {
	case s.MapOf != nil && len(s.Properties) == 0:
		out = append(out, "[key: string]: "+g.typeOf(s.MapOf, input))
	case s.MapOf != nil || !s.Closed:
		out = append(out, "[key: string]: unknown")
	}
	return out
}

// propertyType is typeOf, plus null when the property refers to a
// component schema that is nullable.
func (g *gen) propertyType(s *catalog.Schema, input bool) string {
	t := g.typeOf(s, input)
	if s != nil && s.Ref != "" && !s.Nullable {
		if target, ok := g.cat.Schemas[s.Ref]; ok && target.Nullable {
			t += " | null"
		}
	}
	return t
}

// alternatives is the union of a schema's oneOf and anyOf, or "". An
// alternative that only lists required names ({required: [email]}) takes
// their types from the parent's properties.
func (g *gen) alternatives(s *catalog.Schema, input bool) string {
	alts := append(append([]*catalog.Schema(nil), s.OneOf...), s.AnyOf...)
	if len(alts) == 0 {
		return ""
	}
	var out []string
	for _, alt := range alts {
		var t string
		if alt.Ref == "" && len(alt.Properties) == 0 && len(alt.Required) > 0 && len(alt.OneOf)+len(alt.AnyOf)+len(alt.AllOf) == 0 {
			var ms []string
			for _, name := range alt.Required {
				ms = append(ms, member(name, g.typeOf(property(s, name), input), true))
			}
			t = objectLiteral(ms)
		} else {
			t = g.typeOf(alt, input)
		}
		if !contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return "(" + strings.Join(out, " | ") + ")"
}

func primitive(t string) string {
	switch t {
	case "integer", "number":
		return "number"
	}
	return t
}

func arrayOf(item string) string {
	if identRE.MatchString(item) {
		return item + "[]"
	}
	return "Array<" + item + ">"
}

// enumUnion is a union of literals: strings, or numbers for numeric enums.
func enumUnion(values []string, typ string) string {
	out := make([]string, len(values))
	for i, v := range values {
		_, err := strconv.ParseFloat(v, 64)
		if (typ == "integer" || typ == "number") && err == nil {
			out[i] = v
		} else {
			out[i] = strconv.Quote(v)
		}
	}
	return strings.Join(out, " | ")
}

func member(name, typ string, required bool) string {
	opt := "?"
	if required {
		opt = ""
	}
	return propertyName(name) + opt + ": " + typ
}

func objectLiteral(members []string) string {
	if len(members) == 0 {
		return "{}"
	}
	return "{ " + strings.Join(members, "; ") + " }"
}

var identRE = lazyregexp.New(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

func propertyName(name string) string {
	if identRE.MatchString(name) {
		return name
	}
	return strconv.Quote(name)
}

// reserved are the words a parameter may not be named.
var reserved = set(strings.Fields(`break case catch class const continue debugger default delete do else
	enum export extends false finally for function if import in instanceof new null return super switch
	this throw true try typeof var void while with implements interface let package private protected
	public static yield await arguments eval`))

// ident makes a parameter name out of a path parameter's.
func ident(name string) string {
	var b strings.Builder
	for i, r := range name {
		ok := r == '_' || r == '$' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := b.String()
	if reserved[s] {
		s += "_"
	}
	return s
}

// typeName is a component schema's TypeScript name: "admin_with_app" → "AdminWithApp".
func typeName(schema string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(schema, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
