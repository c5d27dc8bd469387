package repl

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime"
)

func newTestVM(t *testing.T) *runtime.VM {
	t.Helper()
	vm := runtime.New(context.Background(), runtime.Options{})
	t.Cleanup(vm.Close)
	return vm
}

func testCompleter(t *testing.T) (*completer, *runtime.VM) {
	t.Helper()
	vm := newTestVM(t)
	_, err := vm.Eval(`
		var intercom = { contacts: { find() {}, list() {}, search() {} }, conversations: { list() {} } };
		Object.defineProperty(intercom, "me", { get() { globalThis.sideEffect = "me"; return { name: "x" }; } });
		var c = { custom_attributes: { plan: "pro", "not an ident": 1 }, tags: [1, 2], name: "Ana" };
		var prox = new Proxy({}, { getOwnPropertyDescriptor() { globalThis.sideEffect = "proxy"; }, ownKeys() { globalThis.sideEffect = "proxy"; return []; } });
		class Thing { constructor() { this.own = 1; this._hidden = 2; } method() {} }
		var thing = new Thing();
	`)
	if err != nil {
		t.Fatal(err)
	}
	p := newProps(vm.Runtime())
	return &completer{props: func() (*props, func(), bool) { return p, func() {}, true }, topics: []string{"contacts.find", "contacts.search", "conversations.list"}}, vm
}

func TestComplete(t *testing.T) {
	comp, vm := testCompleter(t)
	cases := []struct {
		line, word string
		want       []string // all present, in this order
		not        []string
	}{
		{line: "intercom.con", word: "con", want: []string{"contacts", "conversations"}},
		// What every object inherits shows only once a word asks for it; constructor never.
		{line: "intercom.contacts.", word: "", want: []string{"find", "list", "search"}, not: []string{"hasOwnProperty", "constructor", "toString"}},
		{line: "intercom.contacts.has", word: "has", want: []string{"hasOwnProperty"}},
		{line: "thing.con", word: "con", not: []string{"constructor"}},
		{line: "x = intercom.contacts.f", word: "f", want: []string{"find"}},
		{line: "await intercom?.contacts.se", word: "se", want: []string{"search"}},
		{line: `c["custom_attributes"].p`, word: "p", want: []string{"plan", "propertyIsEnumerable"}},
		{line: `c['custom_attributes'].`, word: "", want: []string{"plan"}, not: []string{"not an ident"}},
		{line: "c.tags.", word: "", want: []string{"length", "map", "push"}, not: []string{"0"}},
		{line: "c.name.toU", word: "toU", want: []string{"toUpperCase"}},
		{line: "thing.", word: "", want: []string{"own", "method"}, not: []string{"_hidden", "constructor", "valueOf"}},
		{line: "thing._", word: "_", want: []string{"_hidden"}},
		{line: "inter", word: "inter", want: []string{"intercom"}},
		{line: "con", word: "con", want: []string{"console", "const", "continue"}},
		{line: "Obj", word: "Obj", want: []string{"Object"}},
		{line: ".he", word: ".he", want: []string{".help"}},
		{line: ".help contacts.s", word: "contacts.s", want: []string{"contacts.search"}, not: []string{"contacts.find"}},
		// Nothing to offer: a getter, a proxy, a call, a string, a number.
		{line: "intercom.me.", word: ""},
		{line: "prox.", word: ""},
		{line: "f().", word: ""},
		{line: `"intercom.co`, word: ""},
		{line: "1.", word: ""},
	}
	for _, c := range cases {
		word, got := comp.complete(c.line)
		if word != c.word && !(len(c.want) == 0 && len(got) == 0) {
			t.Errorf("complete(%q) word = %q, want %q", c.line, word, c.word)
		}
		if len(c.want) == 0 && len(got) > 0 {
			t.Errorf("complete(%q) = %v, want nothing", c.line, got)
		}
		last := -1
		for _, w := range c.want {
			i := slices.Index(got, w)
			if i < 0 {
				t.Errorf("complete(%q) = %v, lacks %q", c.line, got, w)
				continue
			}
			if i < last {
				t.Errorf("complete(%q) = %v: %q out of order", c.line, got, w)
			}
			last = i
		}
		for _, n := range c.not {
			if slices.Contains(got, n) {
				t.Errorf("complete(%q) = %v, has %q", c.line, got, n)
			}
		}
	}
	if v, _ := vm.Eval(`typeof sideEffect`); v.String() != "undefined" {
		s, _ := vm.Eval(`sideEffect`)
		t.Errorf("completion ran JS: sideEffect = %v", s)
	}
}

func TestCompleterDo(t *testing.T) {
	comp, _ := testCompleter(t)
	line := []rune("intercom.contacts.se")
	got, n := comp.Do(line, len(line))
	if n != 2 || len(got) != 1 || string(got[0]) != "arch" {
		t.Errorf("Do = %q, %d; want [arch], 2", got, n)
	}
}

func TestSplitChain(t *testing.T) {
	cases := []struct {
		in, path, word string
		ok             bool
	}{
		{"a.b.c", "a b", "c", true},
		{"a.b.", "a b", "", true},
		{"foo", "", "foo", true},
		{"[...xs", "", "xs", true},
		{"a[0].b", "a 0", "b", true},
		{"a?.b", "a", "b", true},
		{"f(x).y", "", "y", false},
		{"'a.b", "", "", false},
	}
	for _, c := range cases {
		path, word, ok := splitChain(c.in)
		if strings.Join(path, " ") != c.path || word != c.word || ok != c.ok {
			t.Errorf("splitChain(%q) = %q, %q, %v; want %q, %q, %v", c.in, path, word, ok, c.path, c.word, c.ok)
		}
	}
}
