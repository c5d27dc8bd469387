package repl

import "testing"

func TestClassify(t *testing.T) {
	cases := []struct {
		in   string
		want Kind
	}{
		{``, Complete},
		{`1 + 1`, Complete},
		{`const c = await intercom.contacts.find("1")`, Complete},
		{`intercom.contacts.list().first(3)`, Complete},
		{`function f() {`, Incomplete},
		{"function f() {\n  return 1", Incomplete},
		{"function f() {\n  return 1\n}", Complete},
		{"`abc", Incomplete},
		{"`a ${", Incomplete},
		{`foo(`, Incomplete},
		{`foo(1,`, Incomplete},
		{`[1, 2`, Incomplete},
		{`{ a: 1,`, Incomplete},
		{`const x =`, Incomplete},
		{`1 +`, Incomplete},
		{`if (x)`, Incomplete},
		{`/* note`, Incomplete},
		{`class A {`, Incomplete},
		{`await foo(`, Incomplete},
		{`await Promise.all([`, Incomplete},
		{`for await (const x of y) {`, Incomplete},
		{`a b`, Invalid},
		{`})`, Invalid},
		{`"abc`, Invalid},
		{`await x y`, Invalid},
		{`1 +* 2`, Invalid},
	}
	for _, c := range cases {
		got, err := Classify(c.in)
		if got != c.want {
			t.Errorf("Classify(%q) = %v (%v), want %v", c.in, got, err, c.want)
		}
		if got == Invalid && err == nil {
			t.Errorf("Classify(%q): Invalid without an error", c.in)
		}
	}
}
