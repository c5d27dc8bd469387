package catalog

import (
	"encoding/json"
	"testing"
)

// TestCompare: two small hand-made catalogues, and every kind of change
// between them, in the order Compare promises (by JS name, fields sorted).
func TestCompare(t *testing.T) {
	str, integer := &Schema{Type: "string"}, &Schema{Type: "integer"}
	a := newCatalog("1.0", []*Operation{
		{ID: "ListThings", Namespace: "things", Name: "list", Method: "GET", Path: "/things",
			Query: []Param{{Name: "per_page", In: "query", Type: "integer"}}, Response: "thing_list"},
		{ID: "DeleteThing", Namespace: "things", Name: "delete", Method: "DELETE", Path: "/things/{id}",
			PathParams: []Param{{Name: "id", In: "path", Type: "string"}}},
		{ID: "UpdateThing", Namespace: "things", Name: "update", Method: "PUT", Path: "/things/{id}",
			PathParams: []Param{{Name: "id", In: "path", Type: "string"}},
			Body:       &Schema{Type: "object", Properties: []Property{{"name", str}, {"size", integer}}}},
	}, map[string]*Schema{
		"thing_list": {Type: "object", Properties: []Property{{"data", &Schema{Type: "array", Items: &Schema{Type: "object", Properties: []Property{{"id", str}}}}}}},
	})
	b := newCatalog("2.0", []*Operation{
		{ID: "ListThings", Namespace: "things", Name: "list", Method: "GET", Path: "/v2/things",
			Query: []Param{{Name: "per_page", In: "query", Type: "string"}, {Name: "cursor", In: "query", Type: "string"}}, Response: "thing_list"},
		{ID: "UpdateThing", Namespace: "things", Name: "update", Method: "PUT", Path: "/things/{id}",
			PathParams: []Param{{Name: "id", In: "path", Type: "string"}},
			Body:       &Schema{Type: "object", Properties: []Property{{"name", str}, {"size", str}}}},
		{ID: "CreateThing", Namespace: "things", Name: "create", Method: "POST", Path: "/things"},
	}, map[string]*Schema{
		"thing_list": {Type: "object", Properties: []Property{{"data", &Schema{Type: "array", Items: &Schema{Type: "object", Properties: []Property{{"id", str}, {"tags", &Schema{Type: "array", Items: str}}}}}}}},
	})
	got, err := json.Marshal(Compare(a, b))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"from":"1.0","to":"2.0",` +
		`"added":[{"name":"things.create","operationId":"CreateThing","method":"POST","path":"/things"}],` +
		`"removed":[{"name":"things.delete","operationId":"DeleteThing","method":"DELETE","path":"/things/{id}"}],` +
		`"changed":[{"name":"things.list","operationId":"ListThings","method":"GET","path":"/v2/things","changes":[` +
		`{"where":"route","field":"","change":"type","from":"GET /things","to":"GET /v2/things"},` +
		`{"where":"param","field":"cursor","change":"added","to":"query string"},` +
		`{"where":"param","field":"per_page","change":"type","from":"query integer","to":"query string"},` +
		`{"where":"response","field":"data[].tags","change":"added","to":"array of string"}]},` +
		`{"name":"things.update","operationId":"UpdateThing","method":"PUT","path":"/things/{id}","changes":[` +
		`{"where":"body","field":"size","change":"type","from":"integer","to":"string"}]}]}`
	if string(got) != want {
		t.Errorf("Compare:\n got %s\nwant %s", got, want)
	}
}
