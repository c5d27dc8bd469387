package repl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime"
)

func TestFormatValue(t *testing.T) {
	vm := newTestVM(t)
	p := newProps(vm.Runtime())
	cases := []struct{ js, want string }{
		{`undefined`, ""},
		{`null`, "null"},
		{`"s"`, "'s'"},
		{`({ a: { b: { c: { d: { e: { f: 1 } } } } } })`, "{ a: { b: { c: { d: { e: [Object] } } } } }"},
		{`(() => { const o = { n: 1 }; o.self = o; return o })()`, "<ref *1> { n: 1, self: [Circular *1] }"},
		{`(() => { class Pager { constructor() { Object.defineProperty(this, "operation", { value: "tags.list", enumerable: true }) } }; return new Pager() })()`,
			"Pager<tags.list> — iterate with for…of, or .first(n), .toArray({limit})"},
		{`(() => { class Pager {}; return new Pager() })()`, "Pager {}"},
	}
	for _, c := range cases {
		v, err := vm.Eval(c.js)
		if err != nil {
			t.Fatalf("%s: %v", c.js, err)
		}
		if got := formatValue(vm.Runtime(), p, v, false); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.js, got, c.want)
		}
	}
	v, _ := vm.Eval(`({ n: 1 })`)
	if got := formatValue(vm.Runtime(), p, v, true); !strings.Contains(got, "\x1b[") {
		t.Errorf("no colour in %q", got)
	}
}

func TestFormatError(t *testing.T) {
	vm := newTestVM(t)
	p := newProps(vm.Runtime())
	_, thrown := vm.EvalContext(context.Background(), `throw Object.assign(new Error("Not Found"), { name: "IntercomError", status: 404, code: "not_found", requestId: "r1" })`, runtime.EvalOptions{})
	_, plain := vm.EvalContext(context.Background(), `throw new RangeError("far\nmore")`, runtime.EvalOptions{})
	_, bare := vm.EvalContext(context.Background(), `throw new Error("x")`, runtime.EvalOptions{})
	cases := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("x: %w", runtime.ErrInterrupted), "Interrupted"},
		{&SyntaxError{Message: "Unexpected identifier", Line: 1, Column: 3}, "Uncaught SyntaxError: Unexpected identifier (1:3)"},
		{thrown, "Uncaught IntercomError: Not Found (status 404, code not_found, request id r1)"},
		{plain, "Uncaught RangeError: far"},
		{bare, "Uncaught Error: x"},
		{errors.New("plain\nsecond"), "Uncaught plain"},
	}
	for _, c := range cases {
		if got := formatError(p, c.err, false); got != c.want {
			t.Errorf("formatError(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestRecordable(t *testing.T) {
	secrets := []string{"tok_s3cret", ""}
	cases := map[string]bool{
		`intercom.contacts.list()`:                    true,
		`const t = "tok_s3cret"`:                      false,
		`INTERCOM_ACCESS_TOKEN=abc icscript`:          false,
		`process.env.INTERCOM_API_KEY = "x"`:          false,
		`console.log("INTERCOM_ACCESS_TOKEN is set")`: true,
	}
	for line, want := range cases {
		if got := recordable(line, secrets); got != want {
			t.Errorf("recordable(%q) = %v, want %v", line, got, want)
		}
	}
}
