package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// The dataAttributes namespace (intercom.dataAttributes).
func init() {
	register("dataAttributes", map[string]handler{
		"lisDataAttributes":   hListDataAttributes,
		"createDataAttribute": hCreateDataAttribute,
		"updateDataAttribute": hUpdateDataAttribute,
	})
}

// Data attributes.

func (st *store) newDataAttribute(model, name, dataType, desc string, custom bool, now int64) record {
	full := name
	if custom {
		full = "custom_attributes." + name
	}
	id, _ := strconv.ParseInt(st.nextNum(tDataAttributes), 10, 64)
	return record{
		"type": "data_attribute", "id": id, "model": model, "name": name, "full_name": full,
		"label": strings.ReplaceAll(name, "_", " "), "description": desc, "data_type": dataType,
		"api_writable": true, "messenger_writable": false, "ui_writable": true, "custom": custom,
		"archived": false, "created_at": now, "updated_at": now, "admin_id": st.Admin,
	}
}

// checkCustomAttributes accepts the custom attributes a model defines (not
// archived) with values of their type, or null.
func (st *store) checkCustomAttributes(model string, attrs map[string]any) *apiError {
	for name, v := range attrs {
		def := st.t(tDataAttributes).find(func(r record) bool {
			return str(r, "model") == model && boolean(r, "custom") && str(r, "name") == name && !boolean(r, "archived")
		})
		if def == nil {
			return &apiError{Status: http.StatusBadRequest, Code: codeParamNotFound, Message: fmt.Sprintf(msgUnknownAttribute, name), Field: "custom_attributes." + name}
		}
		if v != nil && !valueFits(str(def, "data_type"), v) {
			return typeError("custom_attributes."+name, str(def, "data_type"))
		}
	}
	return nil
}

// valueKinds lists the JSON kinds each attribute data type accepts, for
// data attributes (integer, float, date, boolean, string) and ticket type
// attributes (integer, decimal, datetime, boolean, files, string…); any
// other type takes a string.
var valueKinds = map[string][]string{
	"integer": {"integer"}, "date": {"integer"}, "float": {"integer", "number"}, "decimal": {"integer", "number"},
	"boolean": {"boolean"}, "datetime": {"integer", "string"}, "files": {"array"},
}

// valueFits reports whether an attribute value has a kind its data type accepts.
func valueFits(dataType string, v any) bool {
	kinds, ok := valueKinds[dataType]
	if !ok {
		kinds = []string{"string"}
	}
	for _, k := range kinds {
		switch v.(type) {
		case int64:
			if k == "integer" {
				return true
			}
		case float64:
			if k == "number" {
				return true
			}
		case bool:
			if k == "boolean" {
				return true
			}
		case string:
			if k == "string" {
				return true
			}
		case []any:
			if k == "array" {
				return true
			}
		}
	}
	return false
}

var attributeNameRE = lazyregexp.New(`^[A-Za-z0-9_\- ]+$`)

func hListDataAttributes(c *call) (any, *apiError) {
	model, archived := c.query.Get("model"), c.query.Get("include_archived") == "true"
	items := c.st.t(tDataAttributes).filter(func(r record) bool {
		return (model == "" || str(r, "model") == model) && (archived || !boolean(r, "archived"))
	})
	return record{"type": "list", "data": render(items, copyRecord)}, nil
}

func hCreateDataAttribute(c *call) (any, *apiError) {
	name, model := str(c.body, "name"), str(c.body, "model")
	if !attributeNameRE.MatchString(name) {
		return nil, errInvalid(msgAttributeName)
	}
	if c.st.t(tDataAttributes).find(func(r record) bool {
		return str(r, "model") == model && strings.EqualFold(str(r, "name"), name)
	}) != nil {
		return nil, errInvalid(msgAttributeExists, name, model)
	}
	dataType := str(c.body, "data_type")
	if dataType == "datetime" {
		dataType = "date"
	}
	opts := list(c.body, "options")
	if len(opts) > 0 && dataType != "string" {
		return nil, errInvalid(msgInvalid, "options")
	}
	a := c.st.newDataAttribute(model, name, dataType, str(c.body, "description"), true, c.now)
	if len(opts) > 0 {
		a["options"] = opts
	}
	if v, ok := c.body["messenger_writable"].(bool); ok {
		a["messenger_writable"] = v
	}
	c.st.t(tDataAttributes).put(a)
	return copyRecord(a), nil
}

func hUpdateDataAttribute(c *call) (any, *apiError) {
	a := c.st.t(tDataAttributes).get(c.param("id"))
	if a == nil || !boolean(a, "custom") {
		return nil, errNotFound(codeFieldNotFound, msgFieldNotFound)
	}
	if boolean(c.body, "archived") && c.st.attributeInUse(a) {
		return nil, newError(http.StatusUnprocessableEntity, codeDataInvalid, "The Data Attribute you are trying to archive has a dependant object")
	}
	if opts, ok := c.body["options"]; ok && str(a, "data_type") != "string" && len(strs(opts)) > 0 {
		return nil, errInvalid(msgInvalid, "options")
	}
	for _, k := range []string{"archived", "description", "options", "messenger_writable"} {
		if v, ok := c.body[k]; ok {
			a[k] = v
		}
	}
	a["updated_at"] = c.now
	return copyRecord(a), nil
}

// attributeInUse reports whether a segment's rule reads the attribute.
func (st *store) attributeInUse(a record) bool {
	full := str(a, "full_name")
	return st.t(tSegments).find(func(r record) bool { return mentionsValue(r["_rule"], full) }) != nil
}
