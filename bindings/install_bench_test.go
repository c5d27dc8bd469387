package bindings_test

import (
	"context"
	"testing"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/runtime"
)

// BenchmarkInstall: what installing the bindings in a new VM costs (the
// prelude and the intercom namespace tree), VM creation excluded:
//
//	go test -run '^$' -bench Install -benchmem -cpuprofile cpu.prof ./bindings/
func BenchmarkInstall(b *testing.B) {
	c, err := intercom.New(intercom.Config{Token: testToken, BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		vm := runtime.New(context.Background(), runtime.Options{})
		b.StartTimer()
		if _, err := bindings.Install(vm, bindings.Options{Client: c}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		vm.Close()
		b.StartTimer()
	}
}
