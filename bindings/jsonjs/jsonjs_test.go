package jsonjs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// canonJS describes a value in full: number kinds (-0, integer), own
// property names in order with their attributes, prototypes.
const canonJS = `(function canon(v) {
  if (v === null) return "null";
  switch (typeof v) {
  case "number": return "n(" + (Object.is(v, -0) ? "-0" : String(v)) + (Number.isInteger(v) ? ",int" : "") + ")";
  case "string": return "s" + JSON.stringify(v) + v.length;
  case "boolean": return String(v);
  case "object":
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return "bad array proto";
      return "[" + v.map(canon).join(",") + "]#" + v.length + "/" + Object.getOwnPropertyNames(v).length;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return "bad proto";
    if (!Object.isExtensible(v)) return "not extensible";
    return "{" + Object.getOwnPropertyNames(v).map(function (k) {
      var d = Object.getOwnPropertyDescriptor(v, k);
      return JSON.stringify(k) + (d.writable ? "w" : "") + (d.enumerable ? "e" : "") + (d.configurable ? "c" : "") + ":" + canon(d.value);
    }).join(",") + "}" + JSON.stringify(Object.keys(v)) + Object.getOwnPropertySymbols(v).length;
  }
  return "unexpected " + typeof v;
})`

type harness struct {
	rt        *goja.Runtime
	parse     goja.Callable
	stringify goja.Callable
	canon     goja.Callable
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	rt := goja.New()
	json := rt.Get("JSON").ToObject(rt)
	h := &harness{rt: rt}
	h.parse, _ = goja.AssertFunction(json.Get("parse"))
	h.stringify, _ = goja.AssertFunction(json.Get("stringify"))
	c, err := rt.RunString(canonJS)
	if err != nil {
		t.Fatal(err)
	}
	h.canon, _ = goja.AssertFunction(c)
	return h
}

// gojaParse is what bindings did before: goja's JSON.parse of the body as a
// Go string.
func (h *harness) gojaParse(data []byte) (goja.Value, error) {
	return h.parse(goja.Undefined(), h.rt.ToValue(string(data)))
}

func (h *harness) str(t testing.TB, v goja.Value, f goja.Callable) string {
	t.Helper()
	s, err := f(goja.Undefined(), v)
	if err != nil {
		t.Fatalf("describing value: %v", err)
	}
	return s.String()
}

// check compares Parse with JSON.parse on data; it reports whether both
// succeeded.
func (h *harness) check(t testing.TB, data []byte) bool {
	t.Helper()
	want, werr := h.gojaParse(data)
	got, gerr := Parse(h.rt, data)
	if werr != nil {
		if gerr == nil {
			if outOfRange(werr) && json.Valid(data) {
				// The one deliberate difference: 1e400 is Infinity.
				return false
			}
			t.Fatalf("%q: JSON.parse fails (%v), Parse gives %s", data, werr, h.str(t, got, h.stringify))
		}
		var se *SyntaxError
		if !errors.As(gerr, &se) || se.Offset < 0 || se.Offset > len(data) || !strings.Contains(gerr.Error(), fmt.Sprintf("offset %d", se.Offset)) {
			t.Fatalf("%q: error %v: want a *SyntaxError naming its offset", data, gerr)
		}
		return false
	}
	if gerr != nil {
		t.Fatalf("%q: JSON.parse gives %s, Parse fails: %v", data, h.str(t, want, h.stringify), gerr)
	}
	if w, g := h.str(t, want, h.stringify), h.str(t, got, h.stringify); w != g {
		t.Fatalf("%q: JSON.stringify\n got %s\nwant %s", data, g, w)
	}
	// canon is JS, recursive and slow: it is skipped on large inputs (deep
	// nesting), which stringify and Export still compare.
	if len(data) <= 32<<10 {
		if w, g := h.str(t, want, h.canon), h.str(t, got, h.canon); w != g {
			t.Fatalf("%q: canon\n got %s\nwant %s", data, g, w)
		}
	}
	if w, g := want.Export(), got.Export(); !reflect.DeepEqual(w, g) {
		t.Fatalf("%q: Export\n got %#v\nwant %#v", data, g, w)
	}
	return true
}

func outOfRange(err error) bool {
	return strings.Contains(err.Error(), "cannot unmarshal number")
}

func TestParseMatchesJSONParse(t *testing.T) {
	contact, err := os.ReadFile("testdata/contact.json")
	if err != nil {
		t.Fatal(err)
	}
	valid := []string{
		// scalars and whitespace
		`null`, `true`, `false`, ` 1 `, "\t\r\n 1\n", `""`, `"a"`,
		// numbers
		`0`, `-0`, `-0.0`, `0.0`, `0e5`, `1`, `-1`, `1.5`, `-1.5`, `1e21`, `1E21`, `1e+21`, `1e-7`, `1.0`, `255`, `256`, `1023`, `1024`, `-255`, `-256`,
		`123456789012345`, `1234567890123456`, `12345678901234567`, `123456789012345678`, `1234567890123456789`, `12345678901234567890`,
		`9007199254740991`, `9007199254740992`, `9007199254740993`, `-9007199254740993`, `18446744073709551616`, `123456789012345678901234567890`,
		`1e-400`, `-1e-400`, `5e-324`, `1.7976931348623157e308`, `0.1`, `0.30000000000000004`, `1e308`, `4.9e-324`, `2.5e-5`, `100e-2`, `1716580001`,
		// strings
		`"\"\\\/\b\f\n\r\t"`, `"\u0000\u001f\u0020\u007f\u0080\u07ff\u0800\uffff"`, `"\u00e9\u00E9"`, `"é—€😀"`, `"\ud83d\ude00"`, `"\uD83D\uDE00"`,
		`"\ud800"`, `"\udc00"`, `"\ud800x"`, `"\ud800\ud800"`, `"\udc00\ud800\udc00"`, `"\ud800\u0041"`, `"\ud800\\"`, `"a\ud800"`, `"\ufffd"`, `"\ufeff"`,
		"\"\xff\"", "\"\xed\xa0\x80\"", "\"\xe2\x82\"", "\"\xc3\"", "\"ab\xffcd\xfe\"", "\"\xf4\x90\x80\x80\"", "\"\x7f\"", "\"\u2028\u2029\"",
		`"` + strings.Repeat("x", 16) + `"`, `"` + strings.Repeat("x", 17) + `"`, `"` + strings.Repeat("é", 20) + `"`, `"` + strings.Repeat("ab\\n", 5000) + `"`,
		// containers
		`[]`, `{}`, `[ ]`, `{ }`, `[[]]`, `[{}]`, `{"a":[]}`, `{"a":{}}`, `[1,"a",null,true,false,{},[],1.5]`, `[ 1 , 2 ]`, ` { "a" : 1 , "b" : [ 2 ] } `,
		// keys: order, duplicates, integer-like, __proto__, escapes
		`{"b":1,"a":2}`, `{"a":1,"b":2,"a":3}`, `{"a":1,"a":{"x":1}}`, `{"b":1,"2":2,"1":3,"a":4,"01":5,"-1":6,"1.5":7,"4294967295":8,"4294967294":9,"9007199254740993":10}`,
		`{"__proto__":{"x":1}}`, `{"__proto__":null}`, `{"__proto__":1,"__proto__":2}`, `{"constructor":1,"toString":2,"hasOwnProperty":3,"valueOf":"x"}`, `{"length":3}`,
		`{"":1}`, `{"\u0061":1,"a":2}`, `{"\ud800":1,"\udc00":2}`, `{"é":1,"😀":2}`, "{\"\xff\":1}", `{"a\nb":1}`, `[{"a":1},{"a":2,"b":[{"c":null}]}]`,
		// duplicate keys over nested containers
		`{"a":[1,2],"b":{"c":1,"c":[3]},"a":{"d":4}}`,
		string(contact),
	}
	invalid := []string{
		``, ` `, `nul`, `tru`, `fals`, `nulll`, `True`, `NaN`, `Infinity`, `-Infinity`, `undefined`, `'a'`,
		`01`, `-01`, `00`, `1.`, `.5`, `+1`, `-`, `1e`, `1e+`, `1.e5`, `0x10`, `1_000`, `--1`, `1.5.3`, `1e5e5`, `- 1`,
		`"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, `"\`, `"\u`, "\"a\tb\"", "\"a\nb\"", "\"\x00\"", `"\'"`, `"\a"`,
		`[`, `]`, `[1,]`, `[,1]`, `[1 2]`, `[1,,2]`, `[1}`, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,}`, `{"a" 1}`, `{a:1}`, `{'a':1}`, `{"a":1 "b":2}`, `{1:1}`, `{"a":1]`,
		`1 2`, `{}x`, `[]]`, `{"a":1}}`, `"a" "b"`, "\ufeff1", "1\x00", "\x00", "\xff", `/*c*/1`, "[1]\xff",
		strings.Repeat("[", 100), strings.Repeat("[", 100) + strings.Repeat("]", 99),
	}
	h := newHarness(t)
	for _, s := range valid {
		if !h.check(t, []byte(s)) {
			t.Errorf("%q: not parsed", s)
		}
	}
	for _, s := range invalid {
		if h.check(t, []byte(s)) {
			t.Errorf("%q: parsed", s)
		}
	}
}

func TestKeyOrder(t *testing.T) {
	h := newHarness(t)
	v, err := Parse(h.rt, []byte(`{"b":1,"2":2,"1":3,"a":4,"b":5,"__proto__":{"p":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	_ = h.rt.Set("v", v)
	got, err := h.rt.RunString(`JSON.stringify([Object.keys(v), v.b, Object.getPrototypeOf(v) === Object.prototype, v.__proto__.p, v.p, JSON.stringify(v)])`)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[["1","2","b","a","__proto__"],5,true,1,null,"{\"1\":3,\"2\":2,\"b\":5,\"a\":4,\"__proto__\":{\"p\":1}}"]`
	if got.String() != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestNumbers(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ in, js string }{
		{`0`, `Object.is(v, 0) && Number.isInteger(v)`},
		{`-0`, `Object.is(v, -0)`},
		{`1e21`, `v === 1e21 && String(v) === "1e+21"`},
		{`1.5`, `v === 1.5 && !Number.isInteger(v)`},
		{`9007199254740993`, `v === 9007199254740992`},
		{`1e400`, `v === Infinity`},
		{`-1e400`, `v === -Infinity`},
		{`[1e400]`, `JSON.stringify(v) === "[null]"`},
		{`1e-400`, `Object.is(v, 0)`},
	} {
		v, err := Parse(h.rt, []byte(c.in))
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		_ = h.rt.Set("v", v)
		if ok, err := h.rt.RunString(c.js); err != nil || !ok.ToBoolean() {
			t.Errorf("%s: want %s (%v)", c.in, c.js, err)
		}
	}
}

func TestErrors(t *testing.T) {
	rt := goja.New()
	for _, c := range []struct {
		in   string
		want string
	}{
		{``, `unexpected end of JSON input at offset 0`},
		{`{"a":1} x`, `invalid character 'x' after top-level value at offset 8`},
		{`"abc`, `unexpected end of JSON input at offset 4`},
		{`"\q"`, `invalid character 'q' in string escape code at offset 2`},
		{`[01]`, `invalid character '1' after array element at offset 2`},
		{`NaN`, `invalid character 'N' looking for beginning of value at offset 0`},
		{`{"a":1,}`, `invalid character '}' looking for beginning of object key string at offset 7`},
		{"\"\x01\"", `invalid character '\x01' in string literal at offset 1`},
		{"[\xff]", `invalid character byte 0xff looking for beginning of value at offset 1`},
		{`[1,tru`, `unexpected end of JSON input at offset 6`},
		{`[1,tru]`, `invalid character ']' in literal true (expecting 'e') at offset 6`},
		{`[1,trux]`, `invalid character 'x' in literal true (expecting 'e') at offset 6`},
	} {
		_, err := Parse(rt, []byte(c.in))
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: got %v, want %s", c.in, err, c.want)
		}
	}
}

func TestDeepNesting(t *testing.T) {
	h := newHarness(t)
	for _, n := range []int{10_000} {
		h.check(t, []byte(strings.Repeat("[", n)+strings.Repeat("]", n)))
		h.check(t, []byte(strings.Repeat(`{"a":`, n)+"1"+strings.Repeat("}", n)))
		h.check(t, []byte(strings.Repeat(`[{"a":`, n)+"1"+strings.Repeat("}]", n)))
	}
	// Far deeper than any recursive decoder would survive on a small stack:
	// the decoder's depth is heap.
	const n = 200_000
	v, err := Parse(h.rt, []byte(strings.Repeat(`{"a":[`, n)+"7"+strings.Repeat("]}", n)))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		v = v.(*goja.Object).Get("a").(*goja.Object).Get("0")
	}
	if v.Export() != int64(7) {
		t.Fatalf("innermost value %v", v)
	}
	if _, err := Parse(h.rt, []byte(strings.Repeat(`{"a":[`, n)+"7"+strings.Repeat("]}", n-1)+"]")); err == nil {
		t.Fatal("unbalanced deep input parsed")
	}
}

// TestReuse: decoders are pooled; values of one call must not leak into the
// next, nor interned strings change.
func TestReuse(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 3; i++ {
		for _, s := range []string{`["a","b",{"a":"a"}]`, `{"a":["a",["b"]],"c":"a"}`, `[` + strings.Repeat(`"k",`, 5000) + `1]`} {
			h.check(t, []byte(s))
		}
		_, err := Parse(h.rt, []byte(`[[1,2,{"x":[3`)) // abandoned half way
		if err == nil {
			t.Fatal("parsed")
		}
	}
	// Many distinct keys: the intern table is bounded.
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; i < 3*internSize; i++ {
		fmt.Fprintf(&b, `"k%d":"v%d",`, i, i)
	}
	b.WriteString(`"end":0}`)
	h.check(t, b.Bytes())
}

// TestRuntimesConcurrently: interned values are shared by runtimes on
// different goroutines (run with -race).
func TestRuntimesConcurrently(t *testing.T) {
	contact, err := os.ReadFile("testdata/contact.json")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			rt := goja.New()
			for i := 0; i < 50; i++ {
				v, err := Parse(rt, contact)
				if err != nil {
					t.Error(err)
					return
				}
				_ = rt.Set("v", v)
				if _, err := rt.RunString(`JSON.stringify(v) + v.type.length + v.tags.data[0].type.toUpperCase()`); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,-0,"x\u00e9"],"b":null}`, `[1e400]`, `"\ud800"`, `{"__proto__":1,"1":2,"a":3,"a":4}`} {
		f.Add([]byte(s))
	}
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		h.check(t, data)
	})
}

// TestPollutedPrototype: properties a script put on Object.prototype (a
// setter, a read-only property) must not change what is parsed, as with
// JSON.parse.
func TestPollutedPrototype(t *testing.T) {
	h := newHarness(t)
	if _, err := h.rt.RunString(`
		var calls = 0;
		Object.defineProperty(Object.prototype, "email", { set: function (v) { calls++; }, get: function () { calls++; return "x"; } });
		Object.defineProperty(Object.prototype, "id", { value: "ro", writable: false });
		Object.freeze(Object.prototype);
	`); err != nil {
		t.Fatal(err)
	}
	h.check(t, []byte(`{"id":"1","email":"a@b","nested":{"email":"c","id":2},"__proto__":3}`))
	contact, err := os.ReadFile("testdata/contact.json")
	if err != nil {
		t.Fatal(err)
	}
	h.check(t, contact)
	if calls, _ := h.rt.RunString(`calls`); calls.ToInteger() != 0 {
		t.Fatalf("accessors of Object.prototype called %d times", calls.ToInteger())
	}
}
