package repl

import (
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	cases := []struct{ in, want string }{
		// Plain scripts: lexical declarations become vars.
		{`1 + 1`, `1 + 1`},
		{`const x = 1`, `var x = 1`},
		{`let x`, `var x = undefined`},
		{`let a = 1, b`, `var a = 1, b = undefined`},
		{`const {a, b: [c]} = o; a`, `var {a, b: [c]} = o; a`},
		{`class A { m() {} }`, `var A = class A { m() {} };`},
		{`class A {} class B extends A {}`, `var A = class A {}; var B = class B extends A {};`},
		{`function f() { let y = 1; return y }`, `function f() { let y = 1; return y }`},
		{`if (x) { const y = 1 }`, `if (x) { const y = 1 }`},
		{`for (let i = 0; i < 3; i++) {}`, `for (let i = 0; i < 3; i++) {}`},
		{"const s = `a${1}b`", "var s = `a${1}b`"},
		{`var x = 1`, `var x = 1`},
		{`const é = "ü"; é`, `var é = "ü"; é`},
		// Object literals are not blocks.
		{`{a: 1}`, "({a: 1}\n)"},
		{`{ let z = 1 }`, `{ let z = 1 }`},
		// Top-level await: async function, hoisted globals, last value returned.
		{`await f()`, "(async () => {return (await f())\n})()"},
		{`await f();`, "(async () => {return (await f());\n})()"},
		// The parser keeps no parentheses: the statement starts at "(", not at "await".
		{`(await f()).name`, "(async () => {return ((await f()).name)\n})()"},
		{`x = 1; /* c */ ((await f()))`, "(async () => {x = 1; /* c */ return (((await f())))\n})()"},
		{`const c = await find("1")`, "var c;\n(async () => {;( c = await find(\"1\"))\n})()"},
		{`let a = await f(), b`, "var a, b;\n(async () => {;( a = await f(), b = undefined)\n})()"},
		{`const {a, b: [c = 1, ...d], ...e} = await f()`, "var a, c, d, e;\n(async () => {;( {a, b: [c = 1, ...d], ...e} = await f())\n})()"},
		{`var v = await f(); v`, "var v;\n(async () => {;( v = await f()); return (v)\n})()"},
		{`class K {}; await 1`, "var K;\n(async () => {;K = class K {};; return (await 1)\n})()"},
		{`function g() {} await g()`, "(async () => {globalThis.g = g; function g() {} return (await g())\n})()"},
		{"const x = 1\nawait x\n", "var x;\n(async () => {;( x = 1)\nreturn (await x)\n\n})()"},
		{`for (const t of await f()) console.log(t)`, "(async () => {for (const t of await f()) console.log(t)\n})()"},
	}
	for _, c := range cases {
		got, err := Rewrite(c.in)
		if err != nil {
			t.Errorf("Rewrite(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("Rewrite(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestRewriteForAwait(t *testing.T) {
	got, err := Rewrite("const out = []\nfor await (const x of list()) out.push(x)\nout.length")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"var ", "out", "__forAwait", "(async () => {", "return (out.length)"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "for await") {
		t.Errorf("for await not lowered:\n%s", got)
	}
}

func TestRewriteSyntaxError(t *testing.T) {
	for _, in := range []string{`a b`, `await x y`, `const = 1`, `"abc`} {
		if _, err := Rewrite(in); err == nil {
			t.Errorf("Rewrite(%q) gave no error", in)
		} else if !strings.HasPrefix(err.Error(), "SyntaxError: ") {
			t.Errorf("Rewrite(%q): %v", in, err)
		}
	}
}
