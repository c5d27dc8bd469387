package sandbox

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/icscript/icscript/bindings/catalog"
)

// validateQuery checks the declared query parameters of op: required ones are
// present, integers and booleans parse, enums hold.
func validateQuery(op *catalog.Operation, q url.Values) *apiError {
	for _, p := range op.Query {
		if p.Explode { // an object spread over its own keys: the handler checks it
			continue
		}
		v, ok := q[p.Name]
		if !ok || len(v) == 0 || v[0] == "" {
			if p.Required {
				return errMissing(p.Name)
			}
			continue
		}
		if err := checkQueryValue(p, v[0]); err != nil {
			return err
		}
	}
	return nil
}

func checkQueryValue(p catalog.Param, v string) *apiError {
	switch p.Type {
	case "integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return typeError(p.Name, "integer")
		}
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return typeError(p.Name, "number")
		}
	case "boolean":
		if v != "true" && v != "false" {
			return typeError(p.Name, "boolean")
		}
	}
	if len(p.Enum) > 0 && !contains(p.Enum, v) {
		return enumError(p.Name, p.Enum)
	}
	return nil
}

func typeError(at, typ string) *apiError {
	article := "a"
	if strings.IndexAny(typ[:1], "aeiou") == 0 {
		article = "an"
	}
	return &apiError{Status: 400, Code: codeParamInvalid, Message: fmt.Sprintf(msgInvalidType, at, article+" "+typ), Field: at}
}

func enumError(at string, enum []string) *apiError {
	return &apiError{Status: 400, Code: codeParamInvalid, Message: fmt.Sprintf(msgInvalidEnum, at, strings.Join(enum, ", ")), Field: at}
}

func contains(list []string, v string) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

// validate checks a decoded (normalized) JSON value against a catalogue schema:
// types, required members, enums, arrays, and oneOf/anyOf/allOf. Members the
// schema does not name are allowed, as Intercom allows them. at names the value
// in messages ("" for the body itself).
func validate(v any, s *catalog.Schema, at string) *apiError {
	s = catalog.Lookup(s)
	if s == nil {
		return nil
	}
	if v == nil {
		if s.Nullable || s.Type == "" || at == "" {
			return nil
		}
		return typeError(at, s.Type)
	}
	if err := validateType(v, s, at); err != nil {
		return err
	}
	for _, sub := range s.AllOf {
		if err := validate(v, sub, at); err != nil {
			return err
		}
	}
	if len(s.OneOf) > 0 {
		if err := validateAlternatives(v, s.OneOf, at); err != nil {
			return err
		}
	}
	if len(s.AnyOf) > 0 {
		return validateAlternatives(v, s.AnyOf, at)
	}
	return nil
}

func validateType(v any, s *catalog.Schema, at string) *apiError {
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return typeError(orBody(at), "object")
		}
		return validateObject(m, s, at)
	case "array":
		a, ok := v.([]any)
		if !ok {
			return typeError(orBody(at), "array")
		}
		for i, e := range a {
			if err := validate(e, s.Items, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	case "string":
		sv, ok := v.(string)
		if !ok {
			return typeError(at, "string")
		}
		if len(s.Enum) > 0 && !contains(s.Enum, sv) {
			return enumError(at, s.Enum)
		}
	case "integer":
		if _, ok := v.(int64); !ok {
			return typeError(at, "integer")
		}
	case "number":
		switch v.(type) {
		case int64, float64:
		default:
			return typeError(at, "number")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return typeError(at, "boolean")
		}
	case "":
		if m, ok := v.(map[string]any); ok && (len(s.Properties) > 0 || len(s.Required) > 0) {
			return validateObject(m, s, at)
		}
	}
	return nil
}

func orBody(at string) string {
	if at == "" {
		return "the request body"
	}
	return at
}

func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

func validateObject(m map[string]any, s *catalog.Schema, at string) *apiError {
	for _, p := range s.Properties {
		if v, ok := m[p.Name]; ok {
			if err := validate(v, p.Schema, join(at, p.Name)); err != nil {
				return err
			}
		}
	}
	for _, r := range s.Required {
		if _, ok := m[r]; !ok {
			return errMissing(join(at, r))
		}
	}
	if s.MapOf != nil {
		for k, v := range m {
			if !declared(s, k) {
				if err := validate(v, s.MapOf, join(at, k)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func declared(s *catalog.Schema, name string) bool {
	for _, p := range s.Properties {
		if p.Name == name {
			return true
		}
	}
	return false
}

// validateAlternatives accepts v if any alternative accepts it (oneOf bodies
// dispatch on a discriminating member such as message_type or type, so at most
// one matches in practice). Otherwise it reports the error of the alternative
// that v resembles most: the one whose constant members (single-value enums) v
// matches, or, for alternatives that only list required members, the one missing
// the fewest.
func validateAlternatives(v any, alts []*catalog.Schema, at string) *apiError {
	errs := make([]*apiError, len(alts))
	for i, alt := range alts {
		errs[i] = validate(v, alt, at)
		if errs[i] == nil {
			return nil
		}
	}
	m, _ := v.(map[string]any)
	if onlyRequired(alts) {
		return missingAlternative(m, alts, at)
	}
	best, bestScore := 0, -1
	for i, alt := range alts {
		if sc := resemblance(m, alt); sc > bestScore {
			best, bestScore = i, sc
		}
	}
	return errs[best]
}

func onlyRequired(alts []*catalog.Schema) bool {
	for _, a := range alts {
		a = catalog.Lookup(a)
		if a.Type != "" || len(a.Properties) > 0 || len(a.Required) == 0 {
			return false
		}
	}
	return true
}

// missingAlternative reports, for anyOf alternatives made of required lists,
// the member(s) missing from the closest one.
func missingAlternative(m map[string]any, alts []*catalog.Schema, at string) *apiError {
	var singles []string
	var fewest []string
	for _, a := range alts {
		var miss []string
		for _, r := range catalog.Lookup(a).Required {
			if _, ok := m[r]; !ok {
				miss = append(miss, join(at, r))
			}
		}
		if len(miss) == 1 {
			singles = append(singles, miss[0])
		}
		if fewest == nil || len(miss) < len(fewest) {
			fewest = miss
		}
	}
	if len(singles) == len(alts) && len(alts) > 1 {
		return &apiError{Status: 400, Code: codeParamNotFound, Message: fmt.Sprintf(msgOneRequired, strings.Join(singles, ", ")), Field: singles[0]}
	}
	return errMissing(fewest[0])
}

// resemblance counts the members of v that an alternative pins to one value
// and v has with that value, plus the alternative's required members v has.
func resemblance(m map[string]any, alt *catalog.Schema) int {
	alt = catalog.Lookup(alt)
	score := 0
	for _, sub := range alt.AllOf {
		score += resemblance(m, sub)
	}
	for _, p := range alt.Properties {
		ps := catalog.Lookup(p.Schema)
		if sv, ok := m[p.Name].(string); ok && len(ps.Enum) > 0 {
			if contains(ps.Enum, sv) {
				score += 10
			} else {
				score -= 10
			}
		}
	}
	for _, r := range alt.Required {
		if _, ok := m[r]; ok {
			score++
		}
	}
	return score
}
