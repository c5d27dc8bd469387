package bindings

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/tidwall/gjson"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
)

// Verb is a convenience call beside the catalogue's operations: a shape
// over one of them (close, open, snooze and assign over manageConversation).
// `icscript ops`, `.help` and completion list them with the operations.
type Verb struct {
	Name    string // JS name under intercom: "conversations.close"
	Params  string // "id, body?"
	Summary string
	Over    string // the operationId it calls
}

// Call is the verb's call shape: "conversations.close(id, body?)".
func (v Verb) Call() string { return v.Name + "(" + v.Params + ")" }

// Verbs are the convenience verbs, in the order the README lists them.
var Verbs = []Verb{
	{"conversations.close", "id, body?", "Close a conversation, with an optional closing note (acting admin: --admin or the token's)", "manageConversation"},
	{"conversations.open", "id", "Reopen a closed or snoozed conversation", "manageConversation"},
	{"conversations.snooze", "id, until", "Snooze a conversation until a time (unix seconds, a Date or a date string)", "manageConversation"},
	{"conversations.assign", "id, assignee, body?", "Assign a conversation to an admin (an id) or a team ({type: \"team\", id}), with an optional note", "manageConversation"},
}

// VerbByName is the verb of that JS name, or nil.
func VerbByName(name string) *Verb {
	for i := range Verbs {
		if Verbs[i].Name == name {
			return &Verbs[i]
		}
	}
	return nil
}

// addConversationVerbs adds close, open, snooze and assign: manage() with
// the acting admin filled in.
func (b *Bindings) addConversationVerbs(ns *goja.Object) {
	sig := func(name string) string { return VerbByName("conversations." + name).Call() }
	_ = ns.Set("close", func(call goja.FunctionCall) goja.Value {
		s := sig("close")
		id := b.idArg(s, call.Argument(0))
		body := map[string]any{"message_type": "close", "type": "admin"}
		if text := call.Argument(1); !goja.IsUndefined(text) && !goja.IsNull(text) {
			body["body"] = text.String()
		}
		return b.manage(s, id, body)
	})
	_ = ns.Set("open", func(call goja.FunctionCall) goja.Value {
		s := sig("open")
		id := b.idArg(s, call.Argument(0))
		return b.manage(s, id, map[string]any{"message_type": "open"})
	})
	_ = ns.Set("snooze", func(call goja.FunctionCall) goja.Value {
		s := sig("snooze")
		id := b.idArg(s, call.Argument(0))
		until := b.unixArg(s, call.Argument(1))
		return b.manage(s, id, map[string]any{"message_type": "snoozed", "snoozed_until": until})
	})
	_ = ns.Set("assign", func(call goja.FunctionCall) goja.Value {
		s := sig("assign")
		id := b.idArg(s, call.Argument(0))
		kind, assignee := b.assigneeArg(s, call.Argument(1))
		body := map[string]any{"message_type": "assignment", "type": kind, "assignee_id": assignee}
		if text := call.Argument(2); !goja.IsUndefined(text) && !goja.IsNull(text) {
			body["body"] = text.String()
		}
		return b.manage(s, id, body)
	})
}

func (b *Bindings) idArg(sig string, v goja.Value) string {
	if goja.IsUndefined(v) || goja.IsNull(v) {
		panic(b.rt.NewTypeError("intercom." + sig + ": missing id"))
	}
	s, err := pathValue(v.Export())
	if err != nil {
		panic(b.rt.NewTypeError("intercom." + sig + ": id " + err.Error()))
	}
	return s
}

// unixArg accepts unix seconds, a Date or a date string.
func (b *Bindings) unixArg(sig string, v goja.Value) int64 {
	switch x := v.Export().(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case time.Time:
		return x.Unix()
	case string:
		if n, err := strconv.ParseInt(x, 10, 64); err == nil {
			return n
		}
		parse, _ := goja.AssertFunction(b.rt.Get("Date").ToObject(b.rt).Get("parse"))
		if ms, err := parse(goja.Undefined(), v); err == nil && !math.IsNaN(ms.ToFloat()) {
			return int64(ms.ToFloat() / 1000)
		}
	}
	panic(b.rt.NewTypeError(fmt.Sprintf("intercom.%s: until must be unix seconds, a Date or a date string, not %s", sig, v.String())))
}

// assigneeArg reads an admin id, or {type: "team"|"admin", id}.
func (b *Bindings) assigneeArg(sig string, v goja.Value) (string, string) {
	if o, ok := v.Export().(map[string]any); ok {
		kind, _ := o["type"].(string)
		if kind == "" {
			kind = "admin"
		}
		if kind != "admin" && kind != "team" {
			panic(b.rt.NewTypeError("intercom." + sig + `: assignee.type must be "admin" or "team"`))
		}
		id, err := pathValue(o["id"])
		if err != nil {
			panic(b.rt.NewTypeError("intercom." + sig + ": assignee.id " + err.Error()))
		}
		return kind, id
	}
	if goja.IsUndefined(v) || goja.IsNull(v) {
		panic(b.rt.NewTypeError("intercom." + sig + ": missing assignee"))
	}
	id, err := pathValue(v.Export())
	if err != nil {
		panic(b.rt.NewTypeError("intercom." + sig + ": assignee " + err.Error()))
	}
	return "admin", id
}

// manage sends manageConversation as the acting admin, for the verb of
// signature sig. A dry run's placeholder id (the conversation's, or the
// admin's of actAs or --admin) is refused at the call, as every binding's.
func (b *Bindings) manage(sig, id string, body map[string]any) goja.Value {
	op := b.cat.ByID("manageConversation")
	b.meMu.Lock()
	admin := b.admin
	b.meMu.Unlock()
	asked := maps.Clone(body)
	if admin != "" {
		asked["admin_id"] = admin
	}
	sent, _ := json.Marshal(asked)
	if err := b.checkPlaceholders(sig, op, &intercom.Request{Path: intercom.ExpandPath(op, []string{id}), Body: sent}); err != nil {
		panic(b.rt.NewTypeError("%s", err.Error()))
	}
	return b.rt.ToValue(b.host.Async(func(ctx context.Context) (any, error) {
		admin, err := b.actingAdmin(ctx)
		if err != nil {
			return nil, b.wrapError(err)
		}
		body["admin_id"] = admin
		req, err := buildRequest(op, []any{id, body})
		if err != nil {
			return nil, err
		}
		resp, err := b.client.Do(ctx, req)
		if err != nil {
			return nil, b.wrapError(err)
		}
		return [2]any{req, resp}, nil
	}, func(rt *goja.Runtime, v any) (goja.Value, error) {
		pair := v.([2]any)
		return b.decode(op, pair[0].(*intercom.Request), pair[1].(*intercom.Response))
	}))
}

// actingAdmin is --admin / actAs(), else the token's own admin from /me,
// fetched once.
func (b *Bindings) actingAdmin(ctx context.Context) (string, error) {
	b.meMu.Lock()
	admin := b.admin
	b.meMu.Unlock()
	if admin != "" {
		return admin, nil
	}
	body, err := b.fetchMe(ctx)
	if err != nil {
		return "", err
	}
	id := gjson.GetBytes(body, "id").String()
	if id == "" {
		return "", fmt.Errorf("cannot tell the acting admin: /me has no id; pass --admin or call intercom.actAs(id)")
	}
	return id, nil
}

// Me returns the body of GET /me (the token's admin and its workspace),
// fetched once per VM.
func (b *Bindings) Me(ctx context.Context) ([]byte, error) { return b.fetchMe(ctx) }

func (b *Bindings) fetchMe(ctx context.Context) ([]byte, error) {
	b.meMu.Lock()
	defer b.meMu.Unlock()
	if b.meBody != nil {
		return b.meBody, nil
	}
	op := b.cat.ByID("identifyAdmin")
	resp, err := b.client.Do(ctx, &intercom.Request{Op: op, Method: op.Method, Path: op.Path})
	if err != nil {
		return nil, err
	}
	b.meBody = resp.Body
	return resp.Body, nil
}

// meGetter is intercom.me: a promise of the token's admin, fetched once.
func (b *Bindings) meGetter() *goja.Promise {
	if b.me != nil {
		return b.me
	}
	b.me = b.host.Async(func(ctx context.Context) (any, error) {
		body, err := b.fetchMe(ctx)
		if err != nil {
			return nil, b.wrapError(err)
		}
		return body, nil
	}, func(rt *goja.Runtime, v any) (goja.Value, error) {
		return b.parseJSON(v.([]byte))
	})
	return b.me
}

// actAs sets the acting admin of the convenience verbs.
func (b *Bindings) actAs(call goja.FunctionCall) goja.Value {
	id := b.idArg("actAs(adminId)", call.Argument(0))
	b.meMu.Lock()
	b.admin = id
	b.meMu.Unlock()
	return goja.Undefined()
}

// raw reaches any path: intercom.raw(method, path, {query, body, paginate, items}).
// The path is normalised first (client.NormalizePath), so that the
// catalogue operation it reaches is named to the guard, dry runs, retries
// and the audit log however it is spelt, and what servers would read
// differently is refused. The query and body go as JSON.stringify would
// send them (exportJSON).
func (b *Bindings) raw(call goja.FunctionCall) goja.Value {
	const sig = "intercom.raw(method, path, {query, body, paginate, items})"
	method := strings.ToUpper(call.Argument(0).String())
	switch method {
	case "GET", "POST", "PUT", "DELETE", "PATCH":
	default:
		panic(b.rt.NewTypeError(fmt.Sprintf("%s: method must be GET, POST, PUT, DELETE or PATCH, not %q", sig, call.Argument(0).String())))
	}
	path, err := intercom.NormalizePath(call.Argument(1).String())
	if err != nil {
		panic(b.rt.NewTypeError("%s", fmt.Sprintf("%s: path %q %s", sig, call.Argument(1).String(), err)))
	}
	req := &intercom.Request{Method: method, Path: path, Query: url.Values{}}
	if p, rawQuery, ok := strings.Cut(path, "?"); ok {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			panic(b.rt.NewTypeError("%s", fmt.Sprintf("%s: the query of path %q is invalid: %v", sig, path, err)))
		}
		req.Path, req.Query = p, q
	}
	optsArg, err := b.exportJSON(call.Argument(2), "options")
	if err != nil {
		panic(b.rt.NewTypeError("%s", sig+": "+err.Error()))
	}
	opts, _ := optsArg.(map[string]any)
	if q, ok := opts["query"].(map[string]any); ok {
		for k, v := range q {
			if err := addQuery(req.Query, catalog.Param{Name: k}, v); err != nil {
				panic(b.rt.NewTypeError(sig + ": query." + err.Error()))
			}
		}
	}
	if body, ok := opts["body"]; ok && body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			panic(b.rt.NewTypeError(sig + ": body cannot be sent as JSON: " + err.Error()))
		}
		req.Body = data
	}
	if err := b.checkPlaceholders("", nil, req); err != nil {
		panic(b.rt.NewTypeError(err.Error()))
	}
	req.Op = intercom.MatchOperationIn(b.cat, method, req.Path) // retries, dry runs, the guard and audit treat it as the binding
	if paginate, _ := opts["paginate"].(bool); paginate {
		items, _ := opts["items"].(string)
		if items == "" && req.Op != nil {
			items = req.Op.ItemsField
		}
		return b.newPagerFor(req.Op, req, items, "raw "+method+" "+req.Path)
	}
	return b.rt.ToValue(b.send(req.Op, req))
}
