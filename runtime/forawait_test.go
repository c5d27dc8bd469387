package runtime_test

import (
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/runtime/runtimetest"
)

func TestFixForAwait(t *testing.T) {
	in := "for (var iter = __forAwait(f(a, \")\", [1, (2)])), more, temp, error; more = x;) {}\n" +
		"for (var iter2 = __forAwait2(y), more2, temp2, error2; z;) {}"
	want := "for (var more = void 0, temp = void 0, error = void 0, iter = __forAwait(f(a, \")\", [1, (2)])); more = x;) {}\n" +
		"for (var more2 = void 0, temp2 = void 0, error2 = void 0, iter2 = __forAwait2(y); z;) {}"
	if got := runtime.FixForAwait(in); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := runtime.FixForAwait("no loops here"); got != "no loops here" {
		t.Fatal(got)
	}
}

// TestForAwaitErrorDoesNotLeakIntoTheNextLoop: an error thrown in one pass
// of a for-await loop is not rethrown by the next pass.
func TestForAwaitErrorDoesNotLeakIntoTheNextLoop(t *testing.T) {
	vm := runtimetest.New(t)
	out, err := runtimetest.Run(t, vm, `
async function* gen(fail: boolean) { if (fail) throw new Error("boom"); yield 1; }
for (const fail of [true, false, false]) {
  try { for await (const x of gen(fail)) break; console.log("ok"); }
  catch (e) { console.log("ERR", e.message); }
}
async function once(fail: boolean) { for await (const x of gen(fail)) return x; }
await once(true).catch(() => {});
console.log(await once(false));
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out); got != "ERR boom\nok\nok\n1" {
		t.Fatalf("got %q", got)
	}
}
