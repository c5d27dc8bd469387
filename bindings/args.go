package bindings

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/suggest"
)

// buildRequest turns a call's arguments into a request, or explains why the
// call is wrong. The shapes accepted are:
//
//	op(pathParam…, {query and body fields})   positional, in path order
//	op({pathParam: …, other fields})          the official SDK's single object
//
// Fields named like a query parameter go to the query; the others form the
// body. A search also takes a bare query ({field, operator, value}).
func buildRequest(op *catalog.Operation, args []any) (*intercom.Request, error) {
	params, rest, err := splitArgs(op, args)
	if err != nil {
		return nil, err
	}
	fields, err := fieldsArg(op, rest)
	if err != nil {
		return nil, err
	}
	query, body, err := splitFields(op, fields)
	if err != nil {
		return nil, err
	}
	req := &intercom.Request{Op: op, Method: op.Method, Path: intercom.ExpandPath(op, params), Query: query}
	if body != nil {
		if problems := catalog.ValidateWith(op.Body, body, argumentChecks); len(problems) > 0 {
			return nil, callError(op, describeProblems(problems))
		}
		if req.Body, err = json.Marshal(body); err != nil {
			return nil, callError(op, "the body cannot be sent as JSON: "+err.Error())
		}
	} else if op.Body != nil && (op.BodyRequired || fields != nil) {
		if problems := catalog.ValidateWith(op.Body, map[string]any{}, argumentChecks); len(problems) > 0 {
			return nil, callError(op, "a body is required: "+describeProblems(problems))
		}
		if op.BodyRequired {
			req.Body = []byte("{}") // the description requires a body, even one without fields
		}
	}
	return req, nil
}

// argumentChecks is how a call's body is checked before it is sent: as
// Intercom reads it (null accepted, whole numbers as integers), and with an
// object that declares its fields closed, so that a misspelt field is
// reported instead of being sent and silently ignored.
var argumentChecks = catalog.ValidateOptions{ClosedObjects: true}

// splitArgs takes the path parameters off the front of the arguments.
func splitArgs(op *catalog.Operation, args []any) ([]string, []any, error) {
	n := len(op.PathParams)
	if n == 0 {
		return nil, args, nil
	}
	if len(args) >= 1 {
		if obj, ok := args[0].(map[string]any); ok && len(args) == 1 {
			return pathFromObject(op, obj)
		}
	}
	params := make([]string, n)
	for i, p := range op.PathParams {
		if i >= len(args) || isUndefined(args[i]) {
			return nil, nil, callError(op, "missing "+p.Name)
		}
		s, err := pathValue(args[i])
		if err != nil {
			return nil, nil, callError(op, p.Name+" "+err.Error())
		}
		params[i] = s
	}
	return params, args[n:], nil
}

// pathFromObject reads path parameters from an SDK-style single object:
// {contact_id: "…"} or {id: "…"} for a path's {id}.
func pathFromObject(op *catalog.Operation, obj map[string]any) ([]string, []any, error) {
	rest := make(map[string]any, len(obj))
	for k, v := range obj {
		rest[k] = v
	}
	params := make([]string, len(op.PathParams))
	for i, p := range op.PathParams {
		key := p.Name
		if _, ok := rest[key]; !ok {
			key = alias(op, p)
		}
		v, ok := rest[key]
		if !ok || key == "" {
			return nil, nil, callError(op, "missing "+p.Name)
		}
		s, err := pathValue(v)
		if err != nil {
			return nil, nil, callError(op, p.Name+" "+err.Error())
		}
		params[i] = s
		delete(rest, key)
	}
	return params, []any{rest}, nil
}

// alias is the official SDK's name for a path's {id}: contact_id for
// contacts, conversation_id for conversations, and so on.
func alias(op *catalog.Operation, p catalog.Param) string {
	if p.Name != "id" {
		return ""
	}
	ns := op.Namespace
	if i := strings.LastIndexByte(ns, '.'); i >= 0 {
		ns = ns[i+1:]
	}
	singular := strings.TrimSuffix(strings.TrimSuffix(ns, "s"), "ie")
	if strings.HasSuffix(ns, "ies") {
		singular = strings.TrimSuffix(ns, "ies") + "y"
	}
	return toSnake(singular) + "_id"
}

func toSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func pathValue(v any) (string, error) {
	switch x := v.(type) {
	case string:
		if err := intercom.CheckPathParam(x); err != nil {
			return "", err
		}
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) {
			return "", fmt.Errorf("must be a string or a whole number, not %v", x)
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case *goja.Promise:
		return "", errors.New("is a Promise: did you forget await?")
	}
	return "", fmt.Errorf("must be a string or a number, not %s", catalog.TypeOf(v))
}

// fieldsArg reads the optional object after the path parameters.
func fieldsArg(op *catalog.Operation, rest []any) (map[string]any, error) {
	switch {
	case len(rest) == 0 || (len(rest) == 1 && isUndefined(rest[0])):
		return nil, nil
	case len(rest) > 1:
		return nil, callError(op, fmt.Sprintf("too many arguments (%d): pass the fields as one object", len(rest)+len(op.PathParams)))
	}
	obj, ok := rest[0].(map[string]any)
	if !ok {
		return nil, callError(op, "the fields must be an object, not "+catalog.TypeOf(rest[0]))
	}
	if op.Pagination == catalog.PageSearch {
		if _, has := obj["query"]; !has {
			if _, isFilter := obj["operator"]; isFilter {
				obj = map[string]any{"query": obj}
			}
		}
	}
	return obj, nil
}

// splitFields sends fields named like query parameters to the query and the
// rest to the body.
func splitFields(op *catalog.Operation, fields map[string]any) (url.Values, map[string]any, error) {
	query := url.Values{}
	var body map[string]any
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	exploded := false
	ep, hasExploded := explodedParam(op)
	var loose map[string]any // the exploded object's members given beside the other fields
	for _, k := range keys {
		v := fields[k]
		if isUndefined(v) {
			continue
		}
		if p, ok := queryParam(op, k); ok {
			if obj, isObj := v.(map[string]any); isObj && p.Explode {
				if err := checkExploded(p, obj); err != nil {
					return nil, nil, callError(op, err.Error())
				}
			}
			if err := addQuery(query, p, v); err != nil {
				return nil, nil, callError(op, err.Error())
			}
			exploded = exploded || p.Explode
			continue
		}
		if op.Body == nil {
			if hasExploded {
				if err := addQuery(query, catalog.Param{Name: k}, v); err != nil {
					return nil, nil, callError(op, err.Error())
				}
				if loose == nil {
					loose = map[string]any{}
				}
				loose[k] = v
				continue
			}
			return nil, nil, callError(op, unknownField(op, k))
		}
		if body == nil {
			body = map[string]any{}
		}
		body[k] = v
	}
	if loose != nil {
		if err := checkExploded(ep, loose); err != nil {
			return nil, nil, callError(op, err.Error())
		}
	}
	for _, p := range op.Query {
		if p.Required && !query.Has(p.Name) && !(p.Explode && exploded) && !(p.Explode && len(query) > 0) {
			return nil, nil, callError(op, "missing required query parameter "+p.Name)
		}
	}
	return query, body, nil
}

func queryParam(op *catalog.Operation, name string) (catalog.Param, bool) {
	for _, p := range op.Query {
		if p.Name == name {
			return p, true
		}
	}
	return catalog.Param{}, false
}

// explodedParam is the operation's exploded object parameter, whose
// members may also be given beside the other fields.
func explodedParam(op *catalog.Operation) (catalog.Param, bool) {
	for _, p := range op.Query {
		if p.Explode {
			return p, true
		}
	}
	return catalog.Param{}, false
}

// checkExploded checks the members of an exploded object parameter against
// its schema, so that a misspelt member (filter's usr_id for user_id) is
// refused, with a did-you-mean, rather than sent as a query parameter the
// API ignores.
func checkExploded(p catalog.Param, obj map[string]any) error {
	if p.Schema == nil {
		return nil
	}
	members := catalog.MemberNames(p.Schema)
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(members) == 0 || slices.Contains(members, k) {
			continue
		}
		msg := fmt.Sprintf("%s has no member %q", p.Name, k)
		if guess := suggest.Closest(k, members); guess != "" {
			return fmt.Errorf("%s (did you mean %q?)", msg, guess)
		}
		return fmt.Errorf("%s; it takes %s", msg, strings.Join(members, ", "))
	}
	if problems := catalog.ValidateWith(p.Schema, obj, argumentChecks); len(problems) > 0 {
		return fmt.Errorf("%s: %s", p.Name, describeProblems(problems))
	}
	return nil
}

// addQuery adds one query parameter, checked against its declared type
// and enum (p.Type "" for raw calls: any string, number or boolean). An
// array gives the parameter once per member, only where no scalar type is
// declared; an exploded object gives its members as parameters of their
// own. null is refused: a query cannot say "clear", and an empty value is
// not what the script meant.
func addQuery(q url.Values, p catalog.Param, v any) error {
	if obj, ok := v.(map[string]any); ok && p.Explode {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s, err := queryValue(catalog.Param{Name: p.Name + "." + k}, obj[k])
			if err != nil {
				return err
			}
			q.Add(k, s)
		}
		return nil
	}
	if list, ok := v.([]any); ok && p.Type == "" {
		for _, x := range list {
			s, err := queryValue(p, x)
			if err != nil {
				return err
			}
			q.Add(p.Name, s)
		}
		return nil
	}
	s, err := queryValue(p, v)
	if err != nil {
		return err
	}
	if len(p.Enum) > 0 && !slicesContains(p.Enum, s) {
		return fmt.Errorf("%s must be one of %s, not %q", p.Name, strings.Join(p.Enum, ", "), s)
	}
	q.Set(p.Name, s)
	return nil
}

// queryValue is the text of one query value, or why it does not fit the
// parameter's declared type. Text that reads as the declared type is
// accepted ("10" for an integer): on the wire it is the same.
func queryValue(p catalog.Param, v any) (string, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case bool:
		s = strconv.FormatBool(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return "", fmt.Errorf("%s is null: leave it out (or undefined) to send nothing", p.Name)
	default:
		return "", fmt.Errorf("%s must be %s, not %s", p.Name, queryType(p.Type), catalog.TypeOf(v))
	}
	ok := true
	switch p.Type {
	case "integer":
		_, err := strconv.ParseInt(s, 10, 64)
		ok = err == nil
	case "number":
		_, isBool := v.(bool)
		_, err := strconv.ParseFloat(s, 64)
		ok = err == nil && !isBool
	case "boolean":
		ok = s == "true" || s == "false"
	case "string":
		_, ok = v.(bool)
		ok = !ok
	}
	if !ok {
		return "", fmt.Errorf("%s must be %s, not %s", p.Name, queryType(p.Type), describeValue(v))
	}
	return s, nil
}

func queryType(t string) string {
	switch t {
	case "integer":
		return "an integer"
	case "number":
		return "a number"
	case "boolean":
		return "a boolean"
	case "string":
		return "a string or a number"
	}
	return "a string, number or boolean"
}

// describeValue names a value's type, and shows it when it is short.
func describeValue(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) <= 40 {
			return fmt.Sprintf("the string %q", x)
		}
	case float64, int64, bool:
		return fmt.Sprintf("%s (%v)", catalog.TypeOf(v), x)
	}
	return catalog.TypeOf(v)
}

func unknownField(op *catalog.Operation, k string) string {
	var names []string
	for _, p := range op.Query {
		names = append(names, p.Name)
	}
	msg := fmt.Sprintf("unknown parameter %q", k)
	if len(names) == 0 {
		return msg + ": this operation takes no parameters besides its path"
	}
	if guess := suggest.Closest(k, names); guess != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", guess)
	}
	return msg + "; it accepts " + strings.Join(names, ", ")
}

// describeProblems words the first few problems, unknown fields first: a
// misspelt field is the likely reason a required one is missing.
func describeProblems(ps []catalog.Problem) string {
	ps = append([]catalog.Problem(nil), ps...)
	sort.SliceStable(ps, func(i, j int) bool {
		return strings.Contains(ps[i].Message, "is not a known field") && !strings.Contains(ps[j].Message, "is not a known field")
	})
	const most = 3
	parts := make([]string, 0, most)
	for i, p := range ps {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-most))
			break
		}
		parts = append(parts, p.String())
	}
	return strings.Join(parts, "; ")
}

// callError is the TypeError message of a wrong call, naming the operation
// and its signature.
func callError(op *catalog.Operation, msg string) error {
	return fmt.Errorf("intercom.%s(%s): %s", op.JSName(), Signature(op), msg)
}

func isUndefined(v any) bool { _, ok := v.(undefined); return ok }

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
