package bindings

import (
	"context"
	"testing"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/runtime"
)

// Install runs core.js only; prelude.js (Pager, the job runner) runs in a
// VM when its script first pools or lists, once, and both reach the same
// Pager class.
func TestJobsRunOnFirstUse(t *testing.T) {
	c, err := intercom.New(intercom.Config{Token: "tok", BaseURL: "http://jobs.invalid"})
	if err != nil {
		t.Fatal(err)
	}
	for _, first := range []string{"pool", "listing"} {
		t.Run(first, func(t *testing.T) {
			vm := runtime.New(context.Background(), runtime.Options{})
			defer vm.Close()
			b, err := Install(vm, Options{Client: c})
			if err != nil {
				t.Fatal(err)
			}
			rt := vm.Runtime()
			if b.pagerCtor != nil {
				t.Fatal("Install ran prelude.js: Pager is made")
			}
			if first == "pool" {
				if _, err := vm.Eval(`pool([1, 2], 1, (x) => x)`); err != nil {
					t.Fatal(err)
				}
				if b.pagerCtor != nil {
					t.Fatal("pool() made Pager on the Go side before a listing asked for it")
				}
			}
			v, err := vm.Eval(`
				const p = intercom.contacts.list();
				[p.constructor.name, String(p), typeof p.forEach, typeof pool([], 1, (x) => x).then]`)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Export().([]any); got[0] != "Pager" || got[1] != "[Pager contacts.list]" || got[2] != "function" || got[3] != "function" {
				t.Fatalf("after first use: %v", got)
			}
			// One run of prelude.js per VM: the class core.js's runPool
			// checks with instanceof is the one Go's listings make.
			jobs, err := b.jobs(nil)
			if err != nil {
				t.Fatal(err)
			}
			if !jobs.ToObject(rt).Get("Pager").SameAs(b.pagerCtor) {
				t.Fatal("a second Pager class was made")
			}
		})
	}
}
