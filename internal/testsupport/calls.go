package testsupport

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/icscript/icscript/intercom/catalog"
)

// CallArgs are sample arguments for a call: its path parameters, then the
// required query parameters and a sample body as one fields object.
//
// The body is the catalogue's sample, unless the description's schema
// refuses it and one of the description's example requests passes.
func CallArgs(desc *Description, op *catalog.Operation) []any {
	args := []any{}
	for i, p := range op.PathParams {
		if p.Type == "integer" {
			args = append(args, 40+i)
			continue
		}
		args = append(args, fmt.Sprintf("%s-%d", p.Name, i))
	}
	fields := map[string]any{}
	for _, q := range op.Query {
		switch {
		case !q.Required:
		case q.Explode:
			fields[q.Name] = map[string]any{"user_id": "u1"}
		case len(q.Enum) > 0:
			fields[q.Name] = q.Enum[0]
		case q.Type == "integer" || q.Type == "number":
			fields[q.Name] = 1
		case q.Type == "boolean":
			fields[q.Name] = true
		default:
			fields[q.Name] = "value"
		}
	}
	if op.Body != nil {
		body, _ := catalog.Sample(op.Body).(map[string]any)
		if schema := bodySchema(desc, op); schema != nil && !validJSON(schema, body) {
			for _, ex := range exampleBodies(desc, op) {
				if validJSON(schema, ex) {
					body = ex
					break
				}
			}
		}
		for k, v := range body {
			fields[k] = v
		}
	}
	// A sample search query is empty, which matches both of the
	// description's query forms (single filter, multiple filters): give
	// it one filter.
	if q, ok := fields["query"].(map[string]any); ok && len(q) == 0 && op.Pagination == catalog.PageSearch {
		fields["query"] = map[string]any{"field": "id", "operator": "=", "value": "1"}
	}
	// Contact ids are 24 characters (maxLength and minLength in the
	// description, which the catalogue does not keep), though "uuid".
	if from, ok := fields["from"].(map[string]any); ok && op.ID == "createConversation" {
		from["id"] = "536e564f316c83104c000020"
	}
	if len(fields) > 0 {
		args = append(args, fields)
	}
	return args
}

// requestBody is op's JSON request body in the description, nil when none.
func requestBody(desc *Description, op *catalog.Operation) *openapi3.MediaType {
	item := desc.Doc.Paths.Value(op.Path)
	if item == nil {
		return nil
	}
	dop := item.GetOperation(op.Method)
	if dop == nil || dop.RequestBody == nil || dop.RequestBody.Value == nil {
		return nil
	}
	return dop.RequestBody.Value.Content.Get("application/json")
}

func bodySchema(desc *Description, op *catalog.Operation) *openapi3.Schema {
	if mt := requestBody(desc, op); mt != nil && mt.Schema != nil {
		return mt.Schema.Value
	}
	return nil
}

// exampleBodies are the description's example requests of op, by name.
func exampleBodies(desc *Description, op *catalog.Operation) []map[string]any {
	mt := requestBody(desc, op)
	if mt == nil {
		return nil
	}
	var out []map[string]any
	if body, ok := mt.Example.(map[string]any); ok {
		out = append(out, body)
	}
	for _, name := range slices.Sorted(maps.Keys(mt.Examples)) {
		if ex := mt.Examples[name]; ex != nil && ex.Value != nil {
			if body, ok := ex.Value.Value.(map[string]any); ok {
				out = append(out, body)
			}
		}
	}
	return out
}

// validJSON reports whether v, as JSON, passes the schema.
func validJSON(s *openapi3.Schema, v map[string]any) bool {
	data, err := json.Marshal(v)
	if err != nil {
		return false
	}
	var x any
	if err := json.Unmarshal(data, &x); err != nil {
		return false
	}
	return s.VisitJSON(x, openapi3.MultiErrors()) == nil
}
