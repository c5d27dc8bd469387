package stdlib_test

import "testing"

func TestJSONGetQuery(t *testing.T) {
	h := setup(t, nil)
	h.ok(t, `
const resp = {
	type: "list",
	data: [
		{id: "1", role: "user", email: "a@x.io", custom_attributes: {plan: "pro"}},
		{id: "2", role: "lead", email: "b@x.io"},
		{id: "3", role: "user", email: "zoë@x.io", custom_attributes: {plan: "free"}},
	],
	pages: {next: {starting_after: "abc"}},
};
eq(json.get(resp, 'data.#(role=="user")#.email'), ["a@x.io", "zoë@x.io"], "query of all matches");
eq(json.get(resp, 'data.#(role=="user").email'), "a@x.io", "first match");
eq(json.get(resp, "pages.next.starting_after"), "abc");
eq(json.get(resp, "data.#"), 3, "count");
eq(json.get(resp, "data.1"), {id: "2", role: "lead", email: "b@x.io"}, "object, key order kept");
eq(Object.keys(json.get(resp, "data.0")), ["id", "role", "email", "custom_attributes"]);
eq(json.get(resp, "nope.nothing"), undefined, "missing");
eq(json.get(resp, "data.#.custom_attributes.plan"), ["pro", "free"]);
eq(json.query(resp, 'data.#(role=="user")#.id'), ["1", "3"]);
eq(json.query(resp, "type"), ["list"], "a single result in an array");
eq(json.query(resp, "missing"), [], "nothing: empty array");
eq(json.query(resp, "data.#.id"), ["1", "2", "3"]);
eq(json.get('{"a": {"b": [1, 2]}}', "a.b.1"), 2, "JSON text");
eq(json.get([{n: 1}, {n: 2}], "#.n"), [1, 2], "arrays");
eq(json.get({"é": {"ü": 1}}, "é.ü"), 1, "unicode keys");
eq(json.get({a: 1}, ""), undefined, "empty path");
eq(json.get({d: new Date(0)}, "d"), "1970-01-01T00:00:00.000Z", "toJSON");
throws(() => json.get('{"a": 1,}', "a"), "json.get(): the value is a string but not valid JSON text: line 1: invalid character '}'");
throws(() => json.get({a: 1}, 3), "json.get(): the path must be a string");
throws(() => json.get(undefined, "a"), "json.get(): the value is undefined");
const cyc = {}; cyc.me = cyc;
throws(() => json.query(cyc, "me"), "json.query(): cannot convert the value to JSON");
`)
}

func TestJSONParseStringify(t *testing.T) {
	h := setup(t, nil)
	h.ok(t, `
eq(json.parse('{"b": 1, "a": [true, null]}'), {b: 1, a: [true, null]});
throws(() => json.parse('{\n"a": 1\n"b": 2}'), "json.parse(): line 3: invalid character '\"' after object key:value pair");
throws(() => json.parse(""), "json.parse(): line 1: unexpected end of JSON input");
throws(() => json.parse(5), "json.parse(): the text must be a string");
eq(json.stringify({a: [1, 2]}), '{"a":[1,2]}');
eq(json.stringify({a: 1}, {pretty: true}), '{\n  "a": 1\n}');
throws(() => json.stringify(() => 1), "json.stringify(): cannot convert a function to JSON");
`)
}
