package runtimetest_test

import (
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime/runtimetest"
)

func TestRun(t *testing.T) {
	vm := runtimetest.New(t)
	out, err := runtimetest.Run(t, vm, `const n: number = await Promise.resolve(2); console.log("n =", n); console.error("to stderr");`)
	if err != nil || out != "n = 2\n" {
		t.Fatalf("out=%q err=%v", out, err)
	}
	if got := runtimetest.Stderr(vm); got != "to stderr\n" {
		t.Errorf("stderr = %q", got)
	}
	out, err = runtimetest.Run(t, vm, `console.log("second"); throw new Error("x")`)
	if out != "second\n" || err == nil || !strings.Contains(err.Error(), "script.ts:1:") {
		t.Errorf("out=%q err=%v", out, err)
	}
}
