package bindings

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/runtime"
)

// exportJSON reads ordinary values itself and hands the rest to
// JSON.stringify: what it gives, the error it reports and what of the
// script runs meanwhile (getters, toJSON, Proxy traps, in order) must be
// those of JSON.stringify with the replacer exportJSON used before it read
// values itself (refJSONOfSource, kept here as the reference).
func TestExportJSONIsJSONStringify(t *testing.T) {
	vm := runtime.New(context.Background(), runtime.Options{})
	defer vm.Close()
	c, err := intercom.New(intercom.Config{Token: "tok", BaseURL: "http://export.invalid"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Install(vm, Options{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	rt := vm.Runtime()
	type goStruct struct{ A int }
	type myInt int64
	for name, v := range map[string]any{"goStruct": goStruct{A: 1}, "goMap": map[string]any{"a": 1, "b": []any{"x", nil}},
		"goSlice": []any{1, "x", map[string]any{"y": 2.5}}, "goInt": myInt(7), "goPtr": &goStruct{A: 2}, "goBig": int64(1) << 62} {
		_ = rt.Set(name, v)
	}
	// A getter that exports another value while the first is being read.
	_ = rt.Set("exportNested", func(v goja.Value) any {
		out, err := b.exportJSON(v, "inner")
		if err != nil {
			return "error: " + err.Error()
		}
		return out
	})
	if _, err := rt.RunString(exportCasesPrelude); err != nil {
		t.Fatal(err)
	}
	refFn, err := rt.RunString(refJSONOfSource)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := goja.AssertFunction(refFn)
	for i, src := range exportCases {
		got, gotLog := exportCase(t, rt, src, func(v goja.Value) (any, error) { return b.exportJSON(v, "fields") })
		want, wantLog := exportCase(t, rt, src, func(v goja.Value) (any, error) { return refExportJSON(rt, ref, v, "fields") })
		if !reflect.DeepEqual(got, want) {
			t.Errorf("case %d %s:\n got %#v\nwant %#v", i, src, got, want)
		}
		if gotLog != wantLog {
			t.Errorf("case %d %s: what ran:\n got %s\nwant %s", i, src, gotLog, wantLog)
		}
	}
}

// exportCase makes the value of src afresh and exports it: the result (or
// the error's message) and the log of what ran.
func exportCase(t *testing.T, rt *goja.Runtime, src string, export func(goja.Value) (any, error)) (any, string) {
	t.Helper()
	if _, err := rt.RunString(`log.length = 0`); err != nil {
		t.Fatal(err)
	}
	v, err := rt.RunString("(" + src + ")")
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	out, err := export(v)
	if err != nil {
		out = "error: " + err.Error()
	}
	return out, rt.Get("log").String()
}

// refExportJSON is exportJSON as it was: JSON.stringify with the replacer
// of refJSONOfSource, the text decoded.
func refExportJSON(rt *goja.Runtime, jsonOf goja.Callable, v goja.Value, where string) (any, error) {
	if v == nil || goja.IsUndefined(v) {
		return undefined{}, nil
	}
	text, err := jsonOf(goja.Undefined(), v, rt.ToValue(where))
	if err != nil {
		return nil, exportError(err, where)
	}
	if goja.IsUndefined(text) {
		return undefined{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text.String())))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("%s cannot be sent as JSON: %v", where, err)
	}
	return numbers(out), nil
}

// exportCasesPrelude: log records what of the script runs; spy(o) is a
// Proxy of o that logs its traps.
const exportCasesPrelude = `
var log = [];
function spy(o, name) {
  return new Proxy(o, {
    get(t, k, r) { log.push(name + ".get " + String(k)); return Reflect.get(t, k, r); },
    ownKeys(t) { log.push(name + ".ownKeys"); return Reflect.ownKeys(t); },
    getOwnPropertyDescriptor(t, k) { log.push(name + ".gOPD " + String(k)); return Reflect.getOwnPropertyDescriptor(t, k); },
    getPrototypeOf(t) { log.push(name + ".getPrototypeOf"); return Reflect.getPrototypeOf(t); },
    has(t, k) { log.push(name + ".has " + String(k)); return Reflect.has(t, k); },
  });
}
function getter(name, v) { return { get() { log.push("get " + name); return v; }, enumerable: true }; }
class Point { constructor(x, y) { this.x = x; this.y = y; } norm() { return 1; } }
class Stamp { constructor(s) { this.s = s; } toJSON(k) { log.push("Stamp.toJSON " + JSON.stringify(k)); return {stamp: this.s}; } }
`

var exportCases = []string{
	`{}`, `[]`, `null`, `"text"`, `true`, `0`, `-0`, `1.5`, `42`,
	`{a: 1, b: "x", c: null, d: undefined, e: [1, undefined, null, , 3], f: {g: {h: [[]]}}}`,
	`{2: "two", 1: "one", b: "b", a: "a", "-1": "m", "01": "z"}`,
	`{n: [2**53, 2**53 + 2, 2**60, 2**63, -(2**63), 1e21, 1e300, 1e20, 0.1 + 0.2, Number.MAX_SAFE_INTEGER, -0, 5e-324, 123456789012345680000]}`,
	`{big: goBig, a: [goBig]}`,
	`{n: NaN}`, `{a: [1, Infinity]}`, `{a: {b: -Infinity}}`, `NaN`, `[NaN]`,
	`{s: "\ud800", t: "a\udc00b", u: "\u0000\u001f\"\\", e: "😀é", ["k\ud800"]: 1}`,
	`JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}')`,
	`{d: new Date(0)}`, `new Date(86400000)`, `{d: new Date(NaN)}`,
	`{s: new Stamp(1), list: [new Stamp(2)]}`, `new Stamp(3)`,
	`{a: {toJSON(k) { log.push("toJSON " + k); return undefined; }}}`,
	`[{toJSON(k) { log.push("toJSON " + k); return undefined; }}]`,
	`{a: {toJSON() { return () => 1; }}}`,
	`{a: {toJSON() { return spy({b: 1}, "p"); }}}`,
	`{a: {toJSON() { return new Number(4); }}}`,
	`{a: {toJSON() { return {toJSON() { log.push("inner toJSON"); return 9; }}; }}}`,
	`{a: {toJSON: 5}}`, `{a: {toJSON: null}}`, `{a: {toJSON: spy({}, "t")}}`, `{toJSON: undefined, x: new Number(1)}`,
	`{a: {toJSON: new Number(2)}}`, `[{toJSON: new String("s")}]`,
	`{a: {get toJSON() { log.push("get toJSON"); return () => "t"; }}}`,
	`Object.defineProperties({}, {x: getter("x", 1), y: getter("y", {z: 2}), hidden: {value: 3, enumerable: false}})`,
	`Object.defineProperty({}, "boom", {get() { throw new Error("boom"); }, enumerable: true})`,
	`Object.defineProperty({}, "boom", {get() { throw new TypeError("fields.boom is mine"); }, enumerable: true})`,
	`{a: {toJSON() { throw new RangeError("no"); }}}`,
	`spy({a: 1, b: [1, 2]}, "p")`, `{inner: spy({a: {b: 2}}, "q")}`, `spy([1, {c: 3}], "arr")`,
	`{list: [spy({x: 1}, "p1"), spy({y: 2}, "p2")]}`,
	`(() => { const r = Proxy.revocable({}, {}); r.revoke(); return {p: r.proxy}; })()`,
	`(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()`,
	`new Proxy({}, {ownKeys: () => ["name", "name"], getOwnPropertyDescriptor: () => ({value: "P", enumerable: true, configurable: true}), get: (t, k) => k === "name" ? "P" : undefined})`,
	`{n: new Number(5), s: new String("s"), b: new Boolean(false), y: Object(Symbol("q"))}`,
	`[Object(Symbol("q"))]`, `{b: Object(10n)}`, `new Number(7)`,
	`{n: Object.assign(new Number(5), {valueOf() { log.push("valueOf"); return 6; }})}`,
	`{b: 10n}`, `10n`, `[1n]`,
	`(() => { BigInt.prototype.toJSON = function (k) { log.push("BigInt.toJSON " + k); return this.toString(); }; return {b: 12n, c: [13n]}; })()`,
	`(() => { delete BigInt.prototype.toJSON; return {x: 1}; })()`,
	`{f() {}}`, `{f: class {}}`, `[function () {}]`, `{s: Symbol("s")}`, `[Symbol("s")]`, `Symbol("root")`,
	`{f: Object.assign(function () {}, {toJSON() { return "fn"; }})}`,
	`{m: new Map([[1, 2]])}`, `{s: new Set()}`, `{w: new WeakMap()}`, `{w: new WeakSet()}`, `{p: Promise.resolve(1)}`,
	`new Map()`, `{m: Object.create(Map.prototype)}`, `{m: Object.setPrototypeOf(new Map(), null)}`,
	`(() => { const o = {a: 1}; o.self = o; return o; })()`,
	`(() => { const o = []; o.push({x: o}); return o; })()`,
	`(() => { const o = {}; o.p = spy({back: o}, "c"); return o; })()`,
	`(() => { const o = {}; o.t = {toJSON() { return o; }}; return o; })()`,
	`(() => { const o = {}; o.n = {m: new Map(), o}; return o; })()`,
	`(() => { const s = {v: 1}; return {a: s, b: s, c: [s, s]}; })()`,
	`new Point(1, 2)`, `{p: new Point(3, undefined)}`,
	`(() => { const o = {a: 1}; o[Symbol("s")] = 2; return o; })()`,
	`Object.assign(Object.create(null), {a: 1})`,
	`Object.assign(Object.create({inherited: 1}), {own: 2})`,
	`(() => { const a = [1, 2]; a.extra = 3; return a; })()`,
	`(() => { const a = []; a[5] = 1; return a; })()`,
	`(() => { const a = [1, 2, 3]; Object.defineProperty(a, 1, getter("a[1]", "g")); return a; })()`,
	`(() => { const o = {}; Object.defineProperty(o, "x", {get() { delete this.y; log.push("deleted y"); return 1; }, enumerable: true}); o.y = 2; return o; })()`,
	`(() => { const o = {}; Object.defineProperty(o, "x", {get() { this.z = 3; return 1; }, enumerable: true}); return o; })()`,
	`{e: new Error("e"), r: /x/g, u: new Uint8Array([1, 2])}`,
	`(function () { return {args: arguments}; })(1, 2)`,
	`JSON.rawJSON ? {r: JSON.rawJSON("12")} : {r: 12}`,
	`{g: goStruct, m: goMap, s: goSlice, i: goInt, p: goPtr}`, `goMap`, `goSlice`, `goStruct`,
	`(() => { Object.prototype.toJSON = function (k) { log.push("Object.toJSON " + k); return "o"; }; try { return {a: {b: 1}}; } finally {} })()`,
	`(() => { delete Object.prototype.toJSON; Array.prototype.toJSON = function (k) { log.push("Array.toJSON " + k); return [k]; }; return {a: [1]}; })()`,
	`(() => { delete Array.prototype.toJSON; return [1]; })()`,
	`(() => { let o = {}; for (let i = 0; i < 300; i++) o = {o, i}; return o; })()`,
	`Array.from({length: 50}, (_, i) => ({i, s: "x" + i, f: i / 3}))`,
	`{a: {get b() { return exportNested({c: [1, {d: 2}]}); }}, e: 3}`,
	`{a: {get b() { return exportNested({m: new Map()}); }}}`,
}

// refJSONOfSource is exportJSON's replacer before it read values itself.
const refJSONOfSource = `(function () {
  const stringify = JSON.stringify, isArray = Array.isArray, isFinite = Number.isFinite;
  const kinds = [[Map, "a Map, which JSON would send as {}: pass Object.fromEntries(map)"],
    [Set, "a Set, which JSON would send as {}: pass [...set]"],
    [WeakMap, "a WeakMap, which JSON would send as {}"], [WeakSet, "a WeakSet, which JSON would send as {}"],
    [Promise, "a Promise: did you forget await?"]];
  return function (value, where) {
    const paths = new WeakMap();
    let seen = 0;
    return stringify(value, function (key, v) {
      const holder = paths.get(this);
      const at = holder === undefined ? where : isArray(this) ? holder + "[" + key + "]" : holder + "." + key;
      switch (typeof v) {
      case "function": throw new TypeError(at + " is a function, which JSON cannot carry");
      case "symbol": throw new TypeError(at + " is a symbol, which JSON cannot carry");
      case "bigint": throw new TypeError(at + " is a BigInt, which JSON cannot carry: pass a number or a string");
      case "number":
        if (!isFinite(v)) throw new TypeError(at + " is " + v + ", which JSON would send as null");
        break;
      case "object":
        if (v === null) break;
        for (const [ctor, why] of kinds) if (v instanceof ctor) throw new TypeError(at + " is " + why);
        if (++seen > 1000000) throw new TypeError(where + " is too large to send");
        paths.set(v, at);
      }
      return v;
    });
  };
})()`
