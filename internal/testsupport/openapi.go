package testsupport

import (
	"fmt"
	"os"
	"regexp"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// Description is one version's OpenAPI description loaded by kin-openapi,
// with a router over it, for tests that validate requests and responses
// against the description itself.
type Description struct {
	Doc    *openapi3.T
	Router routers.Router
}

var (
	descMu sync.Mutex
	descs  = map[string]*Description{}
)

var schemaRef = lazyregexp.New(`"\$ref": "#/components/schemas/([^"]+)"`)

// LoadDescription loads the description of API version v (see
// DescriptionOf) once per test binary. Its server is http://sandbox.invalid.
// Dangling schema references (2.10's custom_attributes, FACTS.md §6, and
// later versions' like it) are defined as free-form objects, and what
// kin-openapi's document validation refuses and that says nothing about
// requests or responses is repaired (RepairDescription). It fails, never
// skips, when the description cannot be found or loaded.
func LoadDescription(t testing.TB, v string) *Description {
	t.Helper()
	descMu.Lock()
	defer descMu.Unlock()
	if d, ok := descs[v]; ok {
		return d
	}
	d, err := loadDescription(DescriptionOf(t, v))
	if err != nil {
		t.Fatalf("loading the OpenAPI description of %s (set ICSCRIPT_OPENAPI / ICSCRIPT_OPENAPI_DIR): %v", v, err)
	}
	descs[v] = d
	return d
}

func loadDescription(path string) (*Description, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		fixed := DefineDanglingSchemas(data)
		if len(fixed) == len(data) {
			return nil, err
		}
		if doc, err = openapi3.NewLoader().LoadFromData(fixed); err != nil {
			return nil, err
		}
	}
	doc.Servers = openapi3.Servers{{URL: "http://sandbox.invalid"}}
	RepairDescription(doc)
	router, err := legacyrouter.NewRouter(doc, openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation(), openapi3.DisableSchemaPatternValidation())
	if err != nil {
		return nil, err
	}
	return &Description{Doc: doc, Router: router}, nil
}

// DefineDanglingSchemas returns the description data with each schema that
// is referenced ("$ref": "#/components/schemas/NAME") but not defined, as
// 2.10's and 2.11's custom_attributes (FACTS.md §6), defined as a free-form
// object; data itself when none dangles.
func DefineDanglingSchemas(data []byte) []byte {
	var defs []byte
	seen := map[string]bool{}
	for _, m := range schemaRef.FindAllSubmatch(data, -1) {
		name := string(m[1])
		if seen[name] || regexp.MustCompile(`\n    `+regexp.QuoteMeta(name)+`:\n`).Match(data) {
			continue
		}
		seen[name] = true
		defs = append(defs, fmt.Sprintf("    %s:\n      type: object\n", name)...)
	}
	if len(defs) == 0 {
		return data
	}
	return regexp.MustCompile(`\n  schemas:\n`).ReplaceAll(data, append([]byte("\n  schemas:\n"), defs...))
}

// RepairDescription fixes what kin-openapi's document validation refuses in
// the descriptions and that says nothing about requests or responses: array
// schemas without items (e.g. inside convert_conversation_to_ticket_request)
// get "any"; a path parameter an operation does not declare (2.14's
// reporting-data download) is declared a string.
func RepairDescription(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		sc := ref.Value
		seen[sc] = true
		if sc.Type.Is("array") && sc.Items == nil {
			sc.Items = &openapi3.SchemaRef{Value: &openapi3.Schema{}}
		}
		for _, p := range sc.Properties {
			walk(p)
		}
		for _, list := range []openapi3.SchemaRefs{sc.OneOf, sc.AnyOf, sc.AllOf} {
			for _, r := range list {
				walk(r)
			}
		}
		walk(sc.Items)
		walk(sc.Not)
		if sc.AdditionalProperties.Schema != nil {
			walk(sc.AdditionalProperties.Schema)
		}
	}
	for _, ref := range doc.Components.Schemas {
		walk(ref)
	}
	for path, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			declarePathParams(path, item, op)
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						walk(mt.Schema)
					}
				}
			}
		}
	}
}

// declarePathParams declares as strings the {names} of path that neither op
// nor its path item declares.
func declarePathParams(path string, item *openapi3.PathItem, op *openapi3.Operation) {
	declared := map[string]bool{}
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range list {
			if p.Value != nil && p.Value.In == "path" {
				declared[p.Value.Name] = true
			}
		}
	}
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		if !declared[m[1]] {
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema())})
		}
	}
}

var pathParam = lazyregexp.New(`\{([^}]+)\}`)
