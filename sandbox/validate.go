package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
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

// validate checks a decoded, normalized JSON value against a catalogue
// schema (catalog.ValidateWith, strict) and answers its first problem as
// Intercom does. Members the schema does not name are allowed where the
// schema is not closed, as Intercom allows them. at names the value in
// messages ("" for the body itself).
func validate(v any, s *catalog.Schema, at string) *apiError {
	ps := catalog.ValidateWith(s, v, catalog.ValidateOptions{Strict: true})
	if len(ps) == 0 {
		return nil
	}
	p := ps[0]
	field := under(at, p.Path)
	switch {
	case p.Kind == catalog.Missing && len(p.AnyOf) > 1:
		names := make([]string, len(p.AnyOf))
		for i, n := range p.AnyOf {
			names[i] = under(at, n)
		}
		return &apiError{Status: http.StatusBadRequest, Code: codeParamNotFound, Message: fmt.Sprintf(msgOneRequired, strings.Join(names, ", ")), Field: field}
	case p.Kind == catalog.Missing:
		return errMissing(field)
	case field == "":
		return errInvalid(msgInvalidValue, "the request body", p.Message)
	}
	return &apiError{Status: http.StatusBadRequest, Code: codeParamInvalid, Message: fmt.Sprintf(msgInvalidValue, field, p.Message), Field: field}
}

// under is path, a catalog.Problem's path, seen from at.
func under(at, path string) string {
	switch {
	case at == "":
		return path
	case path == "" || strings.HasPrefix(path, "["):
		return at + path
	}
	return at + "." + path
}
