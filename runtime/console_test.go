package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime"
)

func TestConsolePrintf(t *testing.T) {
	cases := []struct{ js, want string }{
		{`"plain"`, "plain"},
		{`"%s is %d years", "Ann", 42`, "Ann is 42 years"},
		{`"%i|%f|%d", 3.9, "2.5", "x"`, "3|2.5|NaN"},
		{`"%d", 10n`, "10n"},
		{`"%j", {a: [1, "b"]}`, `{"a":[1,"b"]}`},
		{`"%o and %O", {a: 1}, [1]`, "{ a: 1 } and [ 1 ]"},
		{`"100%% done %c", "color: red"`, "100% done "},
		{`"%s %s", "only one"`, "only one %s"},
		{`"extra", 1, "two", {x: "y"}`, "extra 1 two { x: 'y' }"},
		{`{a: 1}, "s"`, "{ a: 1 } s"},
		{`"%s", -0`, "-0"},
		{`"%s", {a: {b: {c: 1}}}`, "{ a: { b: [Object] } }"},
		{``, ""},
	}
	for _, c := range cases {
		t.Run(c.js, func(t *testing.T) {
			tv := newTestVM(t)
			if _, err := tv.Eval("console.log(" + c.js + ")"); err != nil {
				t.Fatal(err)
			}
			if got := tv.stdout.String(); got != c.want+"\n" {
				t.Errorf("got %q, want %q", got, c.want+"\n")
			}
		})
	}
}

func TestConsoleJSONCircular(t *testing.T) {
	tv := newTestVM(t)
	if _, err := tv.Eval(`const o = {}; o.o = o; console.log("%j", o)`); err != nil {
		t.Fatal(err)
	}
	wantOutput(t, tv.stdout.String(), "[Circular]")
}

func TestConsoleStreams(t *testing.T) {
	tv := newTestVM(t)
	if _, err := tv.Eval(`console.log("l"); console.info("i"); console.debug("d"); console.warn("w"); console.error("e"); console.dir("s")`); err != nil {
		t.Fatal(err)
	}
	wantOutput(t, tv.stdout.String(), "l\ni\nd\n's'")
	wantOutput(t, tv.stderr.String(), "w\ne")
}

func TestConsoleColor(t *testing.T) {
	var out lockedBuffer
	vm := runtime.New(context.Background(), runtime.Options{Stdout: &out, Color: true})
	defer vm.Close()
	if _, err := vm.Eval(`console.log("text", {n: 1, s: "x"})`); err != nil {
		t.Fatal(err)
	}
	want := "text { n: \x1b[33m1\x1b[0m, s: \x1b[32m'x'\x1b[0m }\n"
	if got := out.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if strings.Contains(strings.SplitN(out.String(), " ", 2)[0], "\x1b") {
		t.Error("top-level strings must not be coloured")
	}
}

// TestConsolePendingPromiseHint: a pending Promise among console's arguments
// adds the hint on stderr; looking for one reads no other argument (a
// getter runs once, for the printing).
func TestConsolePendingPromiseHint(t *testing.T) {
	tv := newTestVM(t)
	v, err := tv.Eval(`let n = 0; const o = {get x() { n++; return 1 }};
console.log(o, Promise.resolve(1)); const settled = n;
console.log(new Promise(() => {})); settled`)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != "1" {
		t.Errorf("the getter ran %s times for one console.log, want 1", got)
	}
	if got, want := strings.Count(tv.stderr.String(), "did you forget await?"), 1; got != want {
		t.Errorf("%d hints on stderr, want %d (the pending Promise only):\n%s", got, want, tv.stderr.String())
	}
}
