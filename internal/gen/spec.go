package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/icscript/icscript/intercom/catalog"
)

// node is a thin reader over a yaml.v3 node that keeps mapping order.
type node struct{ n *yaml.Node }

func (x node) ok() bool { return x.n != nil }

func (x node) get(key string) node {
	if x.n == nil || x.n.Kind != yaml.MappingNode {
		return node{}
	}
	for i := 0; i+1 < len(x.n.Content); i += 2 {
		if x.n.Content[i].Value == key {
			return node{x.n.Content[i+1]}
		}
	}
	return node{}
}

func (x node) str() string {
	if x.n == nil || x.n.Kind != yaml.ScalarNode {
		return ""
	}
	return x.n.Value
}

func (x node) boolean() bool { return x.str() == "true" }

// pairs lists a mapping's keys and values in document order.
func (x node) pairs() []struct {
	k string
	v node
} {
	var out []struct {
		k string
		v node
	}
	if x.n == nil || x.n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(x.n.Content); i += 2 {
		out = append(out, struct {
			k string
			v node
		}{x.n.Content[i].Value, node{x.n.Content[i+1]}})
	}
	return out
}

func (x node) list() []node {
	if x.n == nil || x.n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]node, len(x.n.Content))
	for i, c := range x.n.Content {
		out[i] = node{c}
	}
	return out
}

func (x node) strings() []string {
	var out []string
	for _, v := range x.list() {
		out = append(out, v.str())
	}
	return out
}

func loadSpec(path string) (node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return node{}, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return node{}, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Content) == 0 {
		return node{}, fmt.Errorf("%s: empty document", path)
	}
	return node{doc.Content[0]}, nil
}

const refPrefix = "#/components/schemas/"

// schema converts a schema node. Only names, types, enums and structure are
// kept: no prose of the description is copied.
func schema(x node) *catalog.Schema {
	if !x.ok() {
		return nil
	}
	if ref := x.get("$ref").str(); ref != "" {
		return &catalog.Schema{Ref: strings.TrimPrefix(ref, refPrefix)}
	}
	s := &catalog.Schema{
		Type:     x.get("type").str(),
		Format:   x.get("format").str(),
		Nullable: x.get("nullable").boolean(),
		Enum:     x.get("enum").strings(),
		Required: x.get("required").strings(),
		Items:    schema(x.get("items")),
	}
	for _, p := range x.get("properties").pairs() {
		s.Properties = append(s.Properties, catalog.Property{Name: p.k, Schema: schema(p.v)})
	}
	for _, v := range x.get("oneOf").list() {
		s.OneOf = append(s.OneOf, schema(v))
	}
	for _, v := range x.get("anyOf").list() {
		s.AnyOf = append(s.AnyOf, schema(v))
	}
	for _, v := range x.get("allOf").list() {
		s.AllOf = append(s.AllOf, schema(v))
	}
	if ap := x.get("additionalProperties"); ap.ok() {
		switch ap.n.Kind {
		case yaml.ScalarNode:
			s.Closed = ap.str() == "false"
		case yaml.MappingNode:
			s.MapOf = schema(ap)
		}
	}
	if s.Type == "" && len(s.Properties) > 0 {
		s.Type = "object"
	}
	return s
}

func param(x node) catalog.Param {
	sch := x.get("schema")
	p := catalog.Param{
		Name:     x.get("name").str(),
		In:       x.get("in").str(),
		Type:     sch.get("type").str(),
		Required: x.get("required").boolean(),
		Enum:     sch.get("enum").strings(),
		Explode:  x.get("explode").boolean() && sch.get("type").str() == "object",
	}
	if p.Type == "" {
		p.Type = "string"
	}
	if p.Type == "object" {
		p.Schema = schema(sch)
	}
	return p
}

// operations reads every operation of the description in document order. An
// operation without operationId takes its name from missingIDs and is
// reported in quirks.
func operations(spec node, quirks *[]string) ([]*catalog.Operation, error) {
	var ops []*catalog.Operation
	for _, path := range spec.get("paths").pairs() {
		for _, m := range path.v.pairs() {
			method := strings.ToUpper(m.k)
			switch method {
			case "GET", "POST", "PUT", "DELETE", "PATCH":
			default:
				continue
			}
			op, err := operation(path.k, method, m.v)
			if err != nil {
				id, ok := missingIDs[method+" "+path.k]
				if !ok {
					return nil, fmt.Errorf("%w: name it in missingIDs (corrections_later.go)", err)
				}
				*quirks = append(*quirks, fmt.Sprintf("%s %s has no operationId: named %s (missingIDs)", method, path.k, id))
				m.v.n.Content = append(m.v.n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "operationId"}, &yaml.Node{Kind: yaml.ScalarNode, Value: id})
				if op, err = operation(path.k, method, m.v); err != nil {
					return nil, err
				}
			}
			ops = append(ops, op)
		}
	}
	return ops, nil
}

func operation(path, method string, x node) (*catalog.Operation, error) {
	op := &catalog.Operation{
		ID:      x.get("operationId").str(),
		Summary: strings.TrimSpace(x.get("summary").str()),
		Method:  method,
		Path:    path,
	}
	if op.ID == "" {
		return nil, fmt.Errorf("%s %s: no operationId", method, path)
	}
	if tags := x.get("tags").strings(); len(tags) > 0 {
		op.Tag = tags[0]
	}
	op.SearchFields = searchFields(x.get("description").str())
	byName := map[string]catalog.Param{}
	for _, p := range x.get("parameters").list() {
		pp := param(p)
		switch pp.In {
		case "path":
			byName[pp.Name] = pp
		case "query":
			op.Query = append(op.Query, pp)
		}
	}
	for _, name := range pathNames(path) {
		p, ok := byName[name]
		if !ok {
			p = catalog.Param{Name: name, In: "path", Type: "string"}
		}
		p.Required = true
		op.PathParams = append(op.PathParams, p)
	}
	if body := x.get("requestBody"); body.ok() {
		op.Body = schema(body.get("content").get("application/json").get("schema"))
		op.BodyRequired = body.get("required").boolean()
	}
	codes := x.get("responses").pairs()
	sort.SliceStable(codes, func(i, j int) bool { return codes[i].k < codes[j].k })
	for _, r := range codes {
		code, err := strconv.Atoi(r.k)
		if err != nil {
			continue
		}
		if code < 300 {
			op.Status = code
			ref := r.v.get("content").get("application/json").get("schema").get("$ref").str()
			op.Response = strings.TrimPrefix(ref, refPrefix)
			// A success answered only in another media type (2.14's call
			// transcript, text/plain) is asked for in that type.
			if types := r.v.get("content").pairs(); len(types) > 0 && !r.v.get("content").get("application/json").ok() {
				op.Accept = types[0].k
			}
			continue
		}
		op.Errors = append(op.Errors, code)
	}
	return op, nil
}

// pathNames lists the {names} of a path template in order.
func pathNames(path string) []string {
	var out []string
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, path[i+1:i+j])
		path = path[i+j+1:]
	}
}

// componentSchemas reads every component schema, by name.
func componentSchemas(spec node) map[string]*catalog.Schema {
	out := map[string]*catalog.Schema{}
	for _, p := range spec.get("components").get("schemas").pairs() {
		out[p.k] = schema(p.v)
	}
	return out
}

// danglingRefs lists the local $refs of the description that point at
// nothing, each once, in document order.
func danglingRefs(spec node) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "$ref" && n.Content[i+1].Kind == yaml.ScalarNode {
					ref := n.Content[i+1].Value
					if !seen[ref] && strings.HasPrefix(ref, "#/") && !resolves(spec, ref) {
						out = append(out, ref)
					}
					seen[ref] = true
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(spec.n)
	return out
}

// resolves reports whether a local JSON pointer names a node of the spec.
func resolves(spec node, ref string) bool {
	x := spec
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		if x = x.get(part); !x.ok() {
			return false
		}
	}
	return true
}
