package catalog

// Sample makes a small value that satisfies a schema: the required fields
// of objects (the first alternative of a oneOf/anyOf), the first value of
// enums, and plain placeholders otherwise. Tests use it to call every
// operation with a valid body; the REPL's .help shows it as an example.
func Sample(s *Schema) any {
	return sample(s, 0)
}

func sample(s *Schema, depth int) any {
	s = Lookup(s)
	if s == nil || depth > 8 {
		return nil
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	for _, alts := range [][]*Schema{s.OneOf, s.AnyOf} {
		if len(alts) > 0 {
			base := sample(alts[0], depth+1)
			if obj, ok := base.(map[string]any); ok {
				fillFromProperties(obj, s, depth)
				merge(obj, sampleObject(s, depth))
			}
			return base
		}
	}
	kind := s.Type
	if kind == "" && (len(s.Properties) > 0 || len(s.Required) > 0 || len(s.AllOf) > 0) {
		kind = "object"
	}
	switch kind {
	case "object":
		out := sampleObject(s, depth)
		for _, part := range s.AllOf {
			if obj, ok := sample(part, depth+1).(map[string]any); ok {
				merge(out, obj)
			}
		}
		return out
	case "array":
		return []any{sample(s.Items, depth+1)}
	case "integer":
		return int64(1)
	case "number":
		return 1.5
	case "boolean":
		return true
	case "string":
		return samplestring(s)
	}
	return "value"
}

// fillFromProperties gives fields an alternative requires but does not
// define (anyOf: [{required: [email]}]) a value from the parent's properties.
func fillFromProperties(obj map[string]any, parent *Schema, depth int) {
	for _, p := range parent.Properties {
		if v, ok := obj[p.Name]; ok && v == nil {
			obj[p.Name] = sample(p.Schema, depth+1)
		}
	}
}

// merge copies the fields of src that dst lacks.
func merge(dst, src map[string]any) {
	for k, v := range src {
		if _, set := dst[k]; !set {
			dst[k] = v
		}
	}
}

func sampleObject(s *Schema, depth int) map[string]any {
	out := map[string]any{}
	for _, name := range s.Required {
		var prop *Schema
		for _, p := range s.Properties {
			if p.Name == name {
				prop = p.Schema
			}
		}
		out[name] = sample(prop, depth+1)
	}
	return out
}

func samplestring(s *Schema) string {
	switch s.Format {
	case "email":
		return "someone@example.com"
	case "uri", "url":
		return "https://example.com/"
	case "date-time":
		return "2024-01-01T00:00:00Z"
	case "date":
		return "2024-01-01"
	case "uuid":
		return "00000000-0000-4000-8000-000000000000"
	}
	return "value"
}
