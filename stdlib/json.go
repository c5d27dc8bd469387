package stdlib

import (
	"encoding/json"
	"errors"

	"github.com/dop251/goja"
	"github.com/tidwall/gjson"
)

// jsonModule is the json global: gjson paths over JS values or JSON text,
// and parse/stringify with clear errors. Path syntax:
// https://github.com/tidwall/gjson/blob/master/SYNTAX.md, e.g.
// `data.#(role=="user")#.email`.
type jsonModule struct{ s *lib }

func newJSON(s *lib) *jsonModule { return &jsonModule{s: s} }

func (m *jsonModule) exports() map[string]jsFunc {
	return map[string]jsFunc{
		"get":       m.get,
		"query":     m.query,
		"parse":     m.parse,
		"stringify": m.stringify,
	}
}

// get is json.get(value, path): the result as a JS value (an array for
// paths with #), undefined when nothing matches.
func (m *jsonModule) get(call goja.FunctionCall) (any, error) {
	res, err := m.lookup("json.get", call)
	if err != nil || !res.Exists() {
		return goja.Undefined(), err
	}
	return m.resultValue("json.get", res)
}

// query is json.query(value, path): always an array — the result if it is
// one, else the result alone in an array, or [] when nothing matches.
func (m *jsonModule) query(call goja.FunctionCall) (any, error) {
	res, err := m.lookup("json.query", call)
	if err != nil {
		return nil, err
	}
	if !res.Exists() {
		return m.s.rt.NewArray(), nil
	}
	v, err := m.resultValue("json.query", res)
	if err != nil {
		return nil, err
	}
	if res.IsArray() {
		return v, nil
	}
	return m.s.rt.NewArray(v), nil
}

// lookup runs the path of call over its value.
func (m *jsonModule) lookup(name string, call goja.FunctionCall) (gjson.Result, error) {
	path, err := stringArg(name, "the path", call.Argument(1))
	if err != nil {
		return gjson.Result{}, err
	}
	doc, err := m.document(name, call.Argument(0))
	if err != nil {
		return gjson.Result{}, err
	}
	return gjsonGet(name, doc, path)
}

// document is the JSON text of v: a string is taken as JSON text, anything
// else is stringified.
func (m *jsonModule) document(name string, v goja.Value) (string, error) {
	if v != nil && goja.IsString(v) {
		text := v.String()
		if !gjson.Valid(text) {
			err := jsonSyntaxError([]byte(text), errors.New("invalid JSON"))
			return "", errorf(name, "the value is a string but not valid JSON text: %v", err)
		}
		return text, nil
	}
	if v == nil || goja.IsUndefined(v) {
		return "", typeErrorf(name, "the value is undefined")
	}
	return m.s.stringify(name, v, false)
}

// gjsonGet runs gjson on doc, turning any panic of gjson on odd paths into
// an error naming the path.
func gjsonGet(name, doc, path string) (res gjson.Result, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = errorf(name, "cannot evaluate the path %q: %v", path, x)
		}
	}()
	return gjson.Get(doc, path), nil
}

// resultValue converts a gjson result to a JS value through JSON.parse, so
// object key order is kept.
func (m *jsonModule) resultValue(name string, res gjson.Result) (goja.Value, error) {
	raw := res.Raw
	if raw == "" {
		raw = resultJSON(res)
	}
	v, err := m.s.parseJSON([]byte(raw))
	if err != nil {
		return nil, errorf(name, "the path's result is not valid JSON (%v)", err)
	}
	return v, nil
}

// resultJSON renders a result that has no raw text (from some modifiers).
func resultJSON(res gjson.Result) string {
	b, err := json.Marshal(res.Value())
	if err != nil {
		return "null"
	}
	return string(b)
}

// parse is json.parse(text): JSON.parse with the error's line.
func (m *jsonModule) parse(call goja.FunctionCall) (any, error) {
	text, err := stringArg("json.parse", "the text", call.Argument(0))
	if err != nil {
		return nil, err
	}
	v, err := m.s.parseJSON([]byte(text))
	if err != nil {
		return nil, errorf("json.parse", "%v", err)
	}
	return v, nil
}

// stringify is json.stringify(value, {pretty}): compact by default, two
// spaces when pretty.
func (m *jsonModule) stringify(call goja.FunctionCall) (any, error) {
	opts, err := options("json.stringify", call.Argument(1))
	if err != nil {
		return nil, err
	}
	return m.s.stringify("json.stringify", call.Argument(0), option(opts, "pretty").ToBoolean())
}
