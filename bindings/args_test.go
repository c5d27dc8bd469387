package bindings_test

import (
	"strings"
	"testing"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/runtime/runtimetest"
)

// What the script holds is what goes on the wire: checked on the recorded
// request, not on the code that builds it (issue 12 items 1, 2, 6; issue 18
// item 5).
func TestArgumentsReachTheWireAsJSONStringifyWould(t *testing.T) {
	cases := map[string]string{
		`intercom.contacts.update("1", {name: "N", avatar: undefined, custom_attributes: {a: undefined, b: null}})`: `PUT /contacts/1  {"custom_attributes":{"b":null},"name":"N"}`,
		`intercom.contacts.update("1", {name: null})`:                                                               `PUT /contacts/1  {"name":null}`,
		`intercom.contacts.list({per_page: undefined}).first()`:                                                     `GET /contacts  `,
		`intercom.contacts.list({per_page: "10"}).first()`:                                                          `GET /contacts per_page=10 `,
		`intercom.contacts.update("1", new Proxy({}, {ownKeys: () => ["name"], getOwnPropertyDescriptor: () => ({value: "P", enumerable: true, configurable: true}), get: (t, k) => k === "name" ? "P" : undefined}))`: `PUT /contacts/1  {"name":"P"}`,
		`intercom.contacts.update("1", {name: {toJSON() { return "J"; }}})`:                                              `PUT /contacts/1  {"name":"J"}`,
		`intercom.raw("POST", "/x", {body: new Proxy({a: 1}, {})})`:                                                      `POST /x  {"a":1}`,
		`intercom.raw("POST", "/x", {body: {list: [1, undefined, 2]}})`:                                                  `POST /x  {"list":[1,null,2]}`,
		`intercom.contacts.search({query: {field: "custom_attributes.score", operator: ">", value: 1.5}}).first()`:       `POST /contacts/search  {"query":{"field":"custom_attributes.score","operator":"\u003e","value":1.5}}`,
		`intercom.contacts.search({query: {field: "custom_attributes.score", operator: "IN", value: [1.5, 2]}}).first()`: `POST /contacts/search  {"query":{"field":"custom_attributes.score","operator":"IN","value":[1.5,2]}}`,
		`intercom.raw("DELETE", "/%63ontacts/ID")`:                                                                       `DELETE /contacts/ID  `,
	}
	for call, want := range cases {
		rec := okServer()
		vm := newVM(t, rec)
		if _, err := runtimetest.Run(t, vm, `await `+call+`;`); err != nil {
			t.Errorf("%s: %v", call, err)
			continue
		}
		reqs := rec.requests()
		if len(reqs) != 1 {
			t.Errorf("%s: %d requests, want 1", call, len(reqs))
			continue
		}
		r := reqs[0]
		if got := r.Method + " " + r.RawPath + " " + r.Query.Encode() + " " + string(r.Body); got != want {
			t.Errorf("%s:\n got %s\nwant %s", call, got, want)
		}
	}
}

func TestArgumentsThatJSONWouldChangeThrowBeforeSending(t *testing.T) {
	cases := map[string]string{
		`intercom.contacts.update("1", {name: new Map()})`:                                 "fields.name is a Map",
		`intercom.contacts.update("1", {name: new Set([1])})`:                              "fields.name is a Set",
		`intercom.contacts.update("1", {name() {}})`:                                       "fields.name is a function",
		`intercom.contacts.update("1", {name: Symbol("s")})`:                               "fields.name is a symbol",
		`intercom.contacts.update("1", {name: NaN})`:                                       "fields.name is NaN",
		`intercom.contacts.update("1", {name: 10n})`:                                       "fields.name is a BigInt",
		`intercom.contacts.update("1", {name: Promise.resolve(1)})`:                        "did you forget await",
		`(() => { const o = {}; o.self = o; return intercom.contacts.update("1", o); })()`: "cycle",
		`intercom.contacts.update("1", {get name() { throw new Error("boom"); }})`:         "boom",
		`intercom.raw("POST", "/x", {body: new Map([["a", 1]])})`:                          "options.body is a Map",
		`intercom.contacts.update("1", {nmae: "x"})`:                                       `nmae: is not a known field (did you mean "name"?)`,
		`intercom.contacts.search({query: {field: "name", operator: "=", value: {}}})`:     "query.value: must be a string, an integer, a number, a boolean or an array, not an object",
		`intercom.contacts.list({per_page: "ten"})`:                                        `per_page must be an integer, not the string "ten"`,
		`intercom.contacts.list({per_page: null})`:                                         "per_page is null",
		`intercom.admins.list({display_avatar: "yes"})`:                                    "display_avatar must be a boolean",
		`intercom.dataAttributes.list({model: "robot"})`:                                   "model must be one of",
		`intercom.tags.create({})`:                                                         "a body is required: name: is required",
		`intercom.tags.untagContact("..", "1")`:                                            `contact_id must not be ".."`,
		`intercom.contacts.delete(".")`:                                                    `id must not be "."`,
		`intercom.conversations.close("..")`:                                               `id must not be ".."`,
		`intercom.raw("DELETE", "/contacts%2FID")`:                                         `encoded "/"`,
		`intercom.raw("DELETE", "/contacts/%2e%2e/x")`:                                     `".." segment`,
		`intercom.raw("DELETE", "//contacts/ID")`:                                          "empty segment",
		`intercom.raw("DELETE", "/contacts\\ID")`:                                          "backslash",
		`intercom.raw("DELETE", "/contacts/%zz")`:                                          "invalid escape",
	}
	for call, want := range cases {
		rec := okServer()
		vm := newVM(t, rec)
		_, err := runtimetest.Run(t, vm, `try { await `+call+`; throw new Error("no throw"); } catch (e) { if (!(e instanceof TypeError)) throw new Error("not a TypeError: " + e); throw e; }`)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to contain %q", call, err, want)
		}
		if n := len(rec.requests()); n != 0 {
			t.Errorf("%s: sent %d requests", call, n)
		}
	}
}

// A dry run checks calls as a real run does: a wrong call fails there too.
func TestDryRunChecksArgumentsToo(t *testing.T) {
	rec := okServer()
	vm := newVM(t, rec, func(c *intercom.Config) { c.DryRun = true })
	_, err := runtimetest.Run(t, vm, `await intercom.contacts.update("1", {nmae: "x"});`)
	if err == nil || !strings.Contains(err.Error(), `TypeError`) || !strings.Contains(err.Error(), `did you mean "name"?`) {
		t.Fatalf("dry run of a misspelt field: %v", err)
	}
	out, err := runtimetest.Run(t, vm, `const r = await intercom.raw("DELETE", "/%63ontacts/ID"); console.log(r.dry_run, r.operation, r.path);`)
	if err != nil || strings.TrimSpace(out) != "true contacts.delete /contacts/ID" {
		t.Fatalf("dry run of an encoded raw delete: %q %v", out, err)
	}
	if n := len(rec.requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
