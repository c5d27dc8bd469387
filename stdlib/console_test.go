package stdlib_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icscript/icscript/runtime/runtimetest"
	"github.com/icscript/icscript/stdlib"
)

func TestConsoleTable(t *testing.T) {
	h := setup(t, nil)
	out := h.ok(t, `
console.table([
	{email: "a@x.io", n: 1},
	{email: "zoë@x.io", tags: ["vip"], n: 22},
]);
console.table(["x", 5]);
console.table([{a: 1, b: 2}], ["b"]);
console.table("not tabular");
`)
	want := `┌─────────┬──────────┬────┬───────────┐
│ (index) │ email    │ n  │ tags      │
├─────────┼──────────┼────┼───────────┤
│ 0       │ a@x.io   │ 1  │           │
│ 1       │ zoë@x.io │ 22 │ [ 'vip' ] │
└─────────┴──────────┴────┴───────────┘
┌─────────┬────────┐
│ (index) │ Values │
├─────────┼────────┤
│ 0       │ x      │
│ 1       │ 5      │
└─────────┴────────┘
┌─────────┬───┐
│ (index) │ b │
├─────────┼───┤
│ 0       │ 2 │
└─────────┴───┘
not tabular
`
	if out != want {
		t.Fatalf("table output\n%s\nwant\n%s", out, want)
	}
}

func TestConsoleGroupCountAssertDir(t *testing.T) {
	h := setup(t, nil)
	out := h.ok(t, `
console.count();
console.count("x");
console.count();
console.countReset();
console.count();
console.group("Contacts");
console.log("found %d", 3);
console.group();
console.info("deep\nlines");
console.table([{a: 1}]);
console.groupEnd();
console.groupEnd();
console.groupEnd();
console.log("100%% done");
console.dir({a: {b: {c: {d: {}}}}}, {depth: 1});
console.dir({a: {b: {c: {d: {e: {f: {}}}}}}}, {depth: null});
console.assert(1 === 1, "never");
console.assert(false, "broken: %s", "yes");
`)
	want := `default: 1
x: 1
default: 2
default: 1
Contacts
  found 3
    deep
    lines
    ┌─────────┬───┐
    │ (index) │ a │
    ├─────────┼───┤
    │ 0       │ 1 │
    └─────────┴───┘
100% done
{ a: { b: [Object] } }
{ a: { b: { c: { d: { e: { f: {} } } } } } }
`
	if out != want {
		t.Fatalf("output\n%s\nwant\n%s", out, want)
	}
	if got := runtimetest.Stderr(h.vm); got != "Assertion failed: broken: yes\n" {
		t.Fatalf("stderr %q", got)
	}
}

// TestConsoleGroupPendingPromiseHint: inside a group, as outside, a
// pending Promise among console's arguments adds the hint on stderr,
// indented like the group's output; a settled one adds none.
func TestConsoleGroupPendingPromiseHint(t *testing.T) {
	h := setup(t, nil)
	out := h.ok(t, `
console.log(new Promise(() => {}));
console.group("g");
console.log("got", new Promise(() => {}));
console.error("settled", Promise.resolve(1));
console.groupEnd();
`)
	if want := "Promise { <pending> }\ng\n  got Promise { <pending> }\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	const hint = "(hint: that is a pending Promise: did you forget await?)"
	stderr := runtimetest.Stderr(h.vm)
	if strings.Count(stderr, hint) != 2 || !strings.HasPrefix(stderr, hint+"\n") || !strings.Contains(stderr, "\n  "+hint+"\n") {
		t.Errorf("stderr %q: want the hint once outside the group and once, indented, inside", stderr)
	}
}

func TestConsoleTime(t *testing.T) {
	var ticks atomic.Int64
	h := setup(t, func(e *stdlib.Env) {
		e.Now = func() time.Time { return fixedNow.Add(time.Duration(ticks.Add(1)) * 1500 * time.Microsecond) }
	})
	out := h.ok(t, `
console.time("load");
console.timeLog("load", "rows:", 3);
console.timeEnd("load");
console.timeEnd("load");
console.time();
console.time();
`)
	if want := "load: 1.500ms rows: 3\nload: 3.000ms\n"; out != want {
		t.Fatalf("output %q; want %q", out, want)
	}
	stderr := runtimetest.Stderr(h.vm)
	for _, want := range []string{"Warning: No such label 'load' for console.timeEnd()", "Warning: Label 'default' already exists for console.time()"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q: %q", want, stderr)
		}
	}
}
