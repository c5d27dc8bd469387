package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime"
)

func inspect(t *testing.T, js string, opts runtime.InspectOptions) string {
	t.Helper()
	vm := runtime.New(context.Background(), runtime.Options{})
	defer vm.Close()
	v, err := vm.Eval(js)
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return runtime.Inspect(vm.Runtime(), v, opts)
}

func TestInspect(t *testing.T) {
	cases := []struct{ js, want string }{
		{`undefined`, `undefined`},
		{`null`, `null`},
		{`"it's"`, `"it's"`},
		{`"line\nbreak"`, `'line\nbreak'`},
		{`-0`, `-0`},
		{`12n`, `12n`},
		{`Symbol("s")`, `Symbol(s)`},
		{`({a: 1, b: [1, 2]})`, `{ a: 1, b: [ 1, 2 ] }`},
		{`({"two words": "v", ok: true})`, `{ 'two words': 'v', ok: true }`},
		{`({})`, `{}`},
		{`[]`, `[]`},
		{`({a: {b: {c: {d: {e: {f: 1}}}}}})`, `{ a: { b: { c: { d: { e: [Object] } } } } }`},
		{`[[[[[[1]]]]]]`, `[ [ [ [ [ [Array] ] ] ] ] ]`},
		{`(() => { const o = {name: "x"}; o.self = o; return o })()`, `<ref *1> { name: 'x', self: [Circular *1] }`},
		{`(function named() {})`, `[Function: named]`},
		{`(() => {})`, `[Function (anonymous)]`},
		{`(class Foo {})`, `[class Foo]`},
		{`new Map([["a", 1], [2, {b: 2}]])`, `Map(2) { 'a' => 1, 2 => { b: 2 } }`},
		{`new Set([1, "two"])`, `Set(2) { 1, 'two' }`},
		{`new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))`, `2024-01-02T03:04:05.006Z`},
		{`/ab+c/gi`, `/ab+c/gi`},
		{`(() => { class Point { constructor() { this.x = 1 } }; return new Point() })()`, `Point { x: 1 }`},
		{`Object.create(null)`, `[Object: null prototype] {}`},
		{`Promise.resolve(4)`, `Promise { 4 }`},
		{`new Promise(() => {})`, `Promise { <pending> }`},
		{`({[Symbol("k")]: 1})`, `{ [Symbol(k)]: 1 }`},
		{`new Number(3)`, `[Number: 3]`},
	}
	for _, c := range cases {
		if got := inspect(t, c.js, runtime.InspectOptions{}); got != c.want {
			t.Errorf("Inspect(%s) = %s, want %s", c.js, got, c.want)
		}
	}
}

func TestInspectLongArraysAndLines(t *testing.T) {
	got := inspect(t, `Array.from({length: 150}, (_, i) => i)`, runtime.InspectOptions{})
	if !strings.HasSuffix(got, "... 50 more items\n]") || strings.Contains(got, " 100,") {
		t.Errorf("long array:\n%s", got)
	}
	got = inspect(t, `({first: "a fairly long string value", second: "another fairly long string", third: 3})`, runtime.InspectOptions{})
	want := "{\n  first: 'a fairly long string value',\n  second: 'another fairly long string',\n  third: 3\n}"
	if got != want {
		t.Errorf("multi-line:\n%s\nwant:\n%s", got, want)
	}
	got = inspect(t, `({list: Array.from({length: 30}, (_, i) => i * 1000)})`, runtime.InspectOptions{})
	if lines := strings.Count(got, "\n"); lines > 8 {
		t.Errorf("numbers not packed in columns (%d lines):\n%s", lines, got)
	}
}

func TestInspectDepthOption(t *testing.T) {
	js := `({a: {b: {c: {}}}})`
	if got := inspect(t, js, runtime.InspectOptions{Depth: 1}); got != `{ a: { b: [Object] } }` {
		t.Errorf("depth 1: %s", got)
	}
	if got := inspect(t, `({a: {b: {c: {d: {e: {f: {}}}}}}})`, runtime.InspectOptions{Depth: -1}); strings.Contains(got, "[Object]") {
		t.Errorf("unlimited: %s", got)
	}
}

func TestInspectErrors(t *testing.T) {
	got := inspect(t, `(() => { function fail() { return new TypeError("bad thing") } return fail() })()`, runtime.InspectOptions{})
	if !strings.HasPrefix(got, "TypeError: bad thing\n    at fail (<eval>:1:") || strings.Contains(got, ")(") {
		t.Errorf("error:\n%s", got)
	}
	got = inspect(t, `Object.assign(new Error("nope"), {status: 404})`, runtime.InspectOptions{})
	if !strings.HasPrefix(got, "Error: nope\n    at ") || !strings.HasSuffix(got, "{\n  status: 404\n}") {
		t.Errorf("error with props:\n%s", got)
	}
	got = inspect(t, `({err: new Error("inner")})`, runtime.InspectOptions{})
	if !strings.HasPrefix(got, "{\n  err: Error: inner\n      at ") {
		t.Errorf("nested error:\n%s", got)
	}
}

func TestInspectColor(t *testing.T) {
	got := inspect(t, `({n: 1, s: "x", u: undefined, f() {}})`, runtime.InspectOptions{Color: true})
	for _, want := range []string{"\x1b[33m1\x1b[0m", "\x1b[32m'x'\x1b[0m", "\x1b[90mundefined\x1b[0m", "\x1b[36m[Function: f]\x1b[0m"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q missing %q", got, want)
		}
	}
}

func TestInspectThrowingGetter(t *testing.T) {
	got := inspect(t, `({ok: 1, get bad() { throw new Error("no") }})`, runtime.InspectOptions{})
	if got != `{ ok: 1, bad: [Getter: threw] }` {
		t.Errorf("got %s", got)
	}
}
