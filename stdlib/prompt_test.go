package stdlib_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/stdlib"
)

func TestConfirmRefusesWithoutTerminal(t *testing.T) {
	h := setup(t, func(e *stdlib.Env) { e.Stdin = strings.NewReader("y\n") })
	h.ok(t, `
await rejects(prompt.confirm("Delete 3 contacts?"),
	"prompt.confirm(): no terminal to ask 'Delete 3 contacts?'; pass --yes to answer yes");
`)
	if got := h.stderr.String(); got != "" {
		t.Fatalf("asked anyway: %q", got)
	}
}

func TestConfirmYes(t *testing.T) {
	h := setup(t, func(e *stdlib.Env) { e.Yes = true })
	h.ok(t, `eq(await prompt.confirm("Delete 3 contacts?"), true)`)
	if got := h.stderr.String(); got != "Delete 3 contacts? [y/N] yes (--yes)\n" {
		t.Fatalf("stderr %q", got)
	}
}

func TestConfirmInteractive(t *testing.T) {
	h := setup(t, func(e *stdlib.Env) {
		e.Interactive = true
		e.Stdin = strings.NewReader("y\nmaybe\nNO\n\n\n")
	})
	h.ok(t, `
eq(await prompt.confirm("Delete?"), true, "y");
eq(await prompt.confirm("Again?"), false, "asks until y or n");
eq(await prompt.confirm("Empty?"), false, "default no");
eq(await prompt.confirm("Empty yes?", {default: true}), true, "default yes");
await rejects(prompt.confirm("EOF?"), "prompt.confirm(): no answer to 'EOF?' (end of input)");
`)
	want := "Delete? [y/N] Again? [y/N] Please answer y or n.\nAgain? [y/N] Empty? [y/N] Empty yes? [Y/n] EOF? [y/N] "
	if got := h.stderr.String(); got != want {
		t.Fatalf("stderr\n%q\nwant\n%q", got, want)
	}
}

func TestInputAndSelect(t *testing.T) {
	h := setup(t, func(e *stdlib.Env) {
		e.Interactive = true
		e.Stdin = strings.NewReader("  Zoë  \n\n7\n2\n1")
	})
	h.ok(t, `
eq(await prompt.input("Name?"), "Zoë", "trimmed");
eq(await prompt.input("Team?", {default: "support"}), "support", "default on empty");
eq(await prompt.select("Region?", ["us", "eu", "au"]), "eu", "re-asks on a bad number");
eq(await prompt.select("Admin?", [{label: "Ann", value: 1}, {label: "Bob", value: 2}]), 1, "value of the option");
eq(await prompt.input("More?", {default: "none"}), "none", "default at end of input");
await rejects(prompt.input("Required?"), "prompt.input(): no answer to 'Required?' (end of input)");
throws(() => prompt.select("Nothing?", []), "prompt.select(): the options are empty");
throws(() => prompt.select("Bad?", "a,b"), "prompt.select(): the options must be an array");
throws(() => prompt.input(3), "prompt.input(): the question must be a string");
`)
	for _, want := range []string{"Name? ", "Team? [support] ", "Region?\n  1) us\n  2) eu\n  3) au\nChoose 1-3: Please type a number from 1 to 3.\nChoose 1-3: ", "  1) Ann\n  2) Bob\n"} {
		if !strings.Contains(h.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, h.stderr.String())
		}
	}
}

func TestPromptIsCancelledWithTheRun(t *testing.T) {
	pr, pw := io.Pipe() // stdin that never answers
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	vm := runtime.New(ctx, runtime.Options{})
	defer vm.Close()
	if err := stdlib.Install(vm, stdlib.Env{Stdin: pr, Interactive: true}); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := vm.RunCode(`await prompt.confirm("Proceed?")`, "prompt.js")
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancellation took %v", d)
	}
	if !errors.Is(err, runtime.ErrInterrupted) {
		t.Fatalf("run error = %v; want an interruption", err)
	}
}
